import { NAME_LIMITS, fitName } from "../label";

/**
 * Names and ARNs both sides of CI derive from config: the account stack
 * creates the roles, the bootstrap stack's state roles trust them, and the
 * workflows that `keel ci` writes assume them. None holds a random part, so
 * each is known before anything exists.
 */

/** GitHub Actions' OIDC issuer, without the scheme: also the prefix of its condition keys. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** The audience `aws-actions/configure-aws-credentials` asks GitHub to put in the token. */
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

export type CiRole = "plan" | "apply" | "deploy";

/** `<namespace>-ci-plan`, `<namespace>-ci-apply`: one of each per account (IAM is global). */
export function ciRoleName(namespace: string, role: Exclude<CiRole, "deploy">): string {
  return fitName([namespace, "ci", role], NAME_LIMITS.iamRole);
}

export function ciRoleArn(namespace: string, accountId: string, role: Exclude<CiRole, "deploy">, partition = "aws"): string {
  return `arn:${partition}:iam::${accountId}:role/${ciRoleName(namespace, role)}`;
}

/** The permissions boundary of the apply role. */
export function ciBoundaryName(namespace: string): string {
  return fitName([namespace, "ci", "apply", "boundary"], NAME_LIMITS.iamPolicy);
}

export function githubOidcProviderArn(accountId: string, partition = "aws"): string {
  return `arn:${partition}:iam::${accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;
}

/** The `sub` claim of a job in `repository` on `branch`, outside any GitHub environment. */
export function branchSubject(repository: string, branch: string): string {
  return `repo:${repository}:ref:refs/heads/${branch}`;
}

/** The `sub` claim of a job run for a pull request to `repository` (GitHub gives fork PRs no token). */
export function pullRequestSubject(repository: string): string {
  return `repo:${repository}:pull_request`;
}

/** The `sub` claim of a job that names a GitHub environment. */
export function environmentSubject(repository: string, environment: string): string {
  return `repo:${repository}:environment:${environment}`;
}

/** GitHub owner (letters, digits, '-') and repository name (also '.' and '_'). */
export const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
export const BRANCH = /^(?!\/)(?!.*\/\/)(?!.*\.\.)[A-Za-z0-9._\/-]{1,255}(?<!\/)(?<!\.lock)$/;
/** A colon would let an environment name end one `sub` claim and start another. */
export const ENVIRONMENT = /^[^*?\[\]'"`,:\s][^*?\[\]'"`,:]{0,254}$/;
