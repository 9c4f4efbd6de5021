import { Construct } from "constructs";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Label } from "../label";
import { Conditions, PolicyStatement, policyDocument } from "../iam";
import { suppress } from "../compliance/suppress";
import { PropsCheck } from "../validation";
import { stateAccessRoleName, stateKeyAliasName, stateReadRoleArn } from "../state-backend/names";
import { stateAccessStatements } from "../state-backend/statements";
import {
  GITHUB_OIDC_AUDIENCE,
  GITHUB_OIDC_HOST,
  branchSubject,
  ciBoundaryName,
  ciRoleName,
  environmentSubject,
  githubOidcProviderArn,
  pullRequestSubject,
  REPOSITORY,
  BRANCH,
  ENVIRONMENT,
} from "./names";

/** Where the account's stacks keep their Terraform state (the bootstrap stack's bucket and table). */
export interface CiStateProps {
  /** The account that holds the state bucket. */
  readonly accountId: string;
  readonly region: string;
  readonly bucket: string;
  readonly lockTable: string;
  /** The stacks deployed in this account: the plan role may read their state and lock it. */
  readonly stackIds: readonly string[];
}

export interface GithubCiProps {
  /** The GitHub repository whose workflows may assume the roles, `owner/name`, as GitHub spells it (the `sub` claim is compared case-sensitively). */
  readonly repository: string;
  /**
   * The branch merges land on: its jobs (the nightly drift check) may assume the plan role.
   * @default "main"
   */
  readonly branch?: string;
  /** The GitHub environments whose jobs may assume the apply role: one per stack deployed in this account. */
  readonly applyEnvironments: readonly string[];
  /** The state backend. */
  readonly state: CiStateProps;
  /**
   * Create the account's GitHub OIDC provider. An account has at most one
   * per issuer: where another tool created it, set false and the roles
   * trust that one (or import it: README, CI/CD).
   * @default true
   */
  readonly createOidcProvider?: boolean;
}

/**
 * Actions a read-only plan has no need for that would read an application's
 * data rather than its configuration; AWS's ReadOnlyAccess allows each.
 */
const DATA_READS = [
  "secretsmanager:GetSecretValue",
  "ssm:GetParameter",
  "ssm:GetParameters",
  "ssm:GetParametersByPath",
  "ssm:GetParameterHistory",
  "sqs:ReceiveMessage",
  "logs:GetLogEvents",
  "logs:FilterLogEvents",
  "logs:StartQuery",
  "logs:GetQueryResults",
  "kinesis:GetRecords",
  "athena:GetQueryResults",
  "cognito-idp:ListUsers",
  "cognito-idp:AdminGetUser",
  "ecr:BatchGetImage",
  "ecr:GetDownloadUrlForLayer",
];

/** IAM writes, as action patterns: what the boundary refuses on the CI identities. */
const IAM_WRITES = ["iam:Add*", "iam:Attach*", "iam:Create*", "iam:Delete*", "iam:Detach*", "iam:Put*", "iam:Remove*", "iam:Set*", "iam:Tag*", "iam:Untag*", "iam:Update*"];

/**
 * Keyless CI for one account: GitHub's OIDC provider, a plan role that pull
 * requests and the main branch may assume (reads the account's
 * configuration and the state, writes only state locks), and an apply role
 * that only jobs in the named GitHub environments may assume, bounded so it
 * cannot change the CI identities or the state bucket's policy. In the
 * account's home region only: IAM is global.
 */
export class GithubCi extends Construct {
  public readonly oidcProviderArn: string;
  public readonly planRole: IamRole;
  public readonly applyRole: IamRole;
  public readonly boundary: IamPolicy;

  constructor(scope: Construct, id: string, props: GithubCiProps) {
    super(scope, id);
    validate(props);
    const label = Label.of(this);
    const { partition, accountId, namespace } = label;
    const branch = props.branch ?? "main";

    if (props.createOidcProvider ?? true) {
      // No thumbprint: IAM verifies GitHub's JWKS endpoint with its own library of trusted root CAs
      // (IAM User Guide, "Obtain the thumbprint for an OIDC identity provider"), and keeps the
      // thumbprint it computes itself, which the provider reads back into a computed attribute.
      const provider = new IamOpenidConnectProvider(this, "github", {
        url: `https://${GITHUB_OIDC_HOST}`,
        clientIdList: [GITHUB_OIDC_AUDIENCE],
        tags: label.resourceTags(`${namespace}-github-actions`),
      });
      this.oidcProviderArn = provider.arn;
    } else {
      this.oidcProviderArn = githubOidcProviderArn(accountId, partition);
    }

    const trust = (sid: string, subjects: readonly string[]): string =>
      policyDocument([
        {
          sid,
          principal: { Federated: this.oidcProviderArn },
          actions: ["sts:AssumeRoleWithWebIdentity"],
          conditions: githubTrustConditions(subjects),
        },
      ]);

    const planName = ciRoleName(namespace, "plan");
    this.planRole = new IamRole(this, "plan", {
      name: planName,
      description: `Plans ${props.repository}'s stacks in this account: pull requests and ${branch}; reads configuration and state, writes only state locks`,
      assumeRolePolicy: trust("GithubPullRequestsAndMainBranch", [pullRequestSubject(props.repository), branchSubject(props.repository, branch)]),
      maxSessionDuration: 3600,
      tags: label.resourceTags(planName),
    });
    const readOnly = new IamRolePolicyAttachment(this, "plan-read-only", {
      role: this.planRole.name,
      policyArn: `arn:${partition}:iam::aws:policy/ReadOnlyAccess`,
    });
    suppress(readOnly, {
      rule: "iam-no-aws-managed-policies",
      reason: "A plan refreshes every resource type Keel manages; AWS's ReadOnlyAccess follows new services, and the role's own policy denies the data reads in it",
    });
    new IamRolePolicy(this, "plan-policy", {
      name: planName,
      role: this.planRole.id,
      policy: policyDocument(planStatements(label, props)),
    });

    const boundaryName = ciBoundaryName(namespace);
    this.boundary = new IamPolicy(this, "apply-boundary", {
      name: boundaryName,
      description: "Permissions boundary of the CI apply role: everything but the CI identities, long-lived credentials, other roles and the state bucket's policy",
      policy: policyDocument(boundaryStatements(label, props)),
      tags: label.resourceTags(boundaryName),
    });
    const applyName = ciRoleName(namespace, "apply");
    this.applyRole = new IamRole(this, "apply", {
      name: applyName,
      description: `Applies ${props.repository}'s stacks in this account, from the GitHub environments ${props.applyEnvironments.join(", ")} only`,
      assumeRolePolicy: trust(
        "GithubEnvironments",
        props.applyEnvironments.map((e) => environmentSubject(props.repository, e)),
      ),
      permissionsBoundary: this.boundary.arn,
      maxSessionDuration: 3600,
      tags: label.resourceTags(applyName),
    });
    const admin = new IamRolePolicyAttachment(this, "apply-administrator", {
      role: this.applyRole.name,
      policyArn: `arn:${partition}:iam::aws:policy/AdministratorAccess`,
    });
    suppress(admin, {
      rule: "iam-no-aws-managed-policies",
      reason: "Applying creates and changes every resource type the stacks hold; the permissions boundary takes away what CI must never do, and only reviewed GitHub environments may assume the role",
    });
  }
}

/**
 * The conditions every GitHub trust policy of Keel's carries: the audience,
 * and the exact subjects (no pattern, so no other repository, branch, fork
 * or environment can match).
 */
export function githubTrustConditions(subjects: readonly string[]): Conditions {
  return {
    StringEquals: {
      [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
      [`${GITHUB_OIDC_HOST}:sub`]: subjects.length === 1 ? subjects[0] : [...subjects],
    },
  };
}

function planStatements(label: Label, props: GithubCiProps): PolicyStatement[] {
  const { partition, namespace, accountId } = label;
  const { state } = props;
  const bucketArn = `arn:${partition}:s3:::${state.bucket}`;
  const lockTableArn = `arn:${partition}:dynamodb:${state.region}:${state.accountId}:table/${state.lockTable}`;
  const statements: PolicyStatement[] = [
    {
      sid: "DenyApplicationDataReads",
      effect: "Deny",
      actions: DATA_READS,
      resources: ["*"],
    },
    {
      sid: "DenyObjectReadsOutsideState",
      effect: "Deny",
      actions: ["s3:GetObject", "s3:GetObjectVersion"],
      notResources: [`${bucketArn}/*`],
    },
    {
      sid: "DenyTableReadsOutsideLockTable",
      effect: "Deny",
      actions: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:GetRecords"],
      notResources: [lockTableArn],
    },
  ];
  if (accountId === state.accountId) {
    statements.push(
      ...stateAccessStatements({
        partition,
        bucket: state.bucket,
        lockTableArn,
        stackIds: state.stackIds,
        write: false,
        // The key's id is unknown here (bootstrap makes it): named by its alias, used only through S3 and DynamoDB.
        key: {
          resources: [`arn:${partition}:kms:${state.region}:${state.accountId}:key/*`],
          conditions: {
            "ForAnyValue:StringEquals": { "kms:ResourceAliases": `alias/${stateKeyAliasName(namespace)}` },
            StringEquals: { "kms:ViaService": [`s3.${state.region}.amazonaws.com`, `dynamodb.${state.region}.amazonaws.com`] },
          },
        },
      }),
    );
  } else {
    statements.push({
      sid: "AssumeStateReadRole",
      actions: ["sts:AssumeRole", "sts:TagSession"],
      resources: [stateReadRoleArn(namespace, state.accountId, accountId, partition)],
    });
  }
  return statements;
}

function boundaryStatements(label: Label, props: GithubCiProps): PolicyStatement[] {
  const { partition, namespace, accountId } = label;
  const { state } = props;
  const ciIdentities = [
    label.arn("iam", `role/${ciRoleName(namespace, "plan")}`, { region: "" }),
    label.arn("iam", `role/${ciRoleName(namespace, "apply")}`, { region: "" }),
    label.arn("iam", `policy/${ciBoundaryName(namespace)}`, { region: "" }),
    githubOidcProviderArn(accountId, partition),
  ];
  return [
    { sid: "AllowWithinBoundary", actions: ["*"], resources: ["*"] },
    { sid: "DenyChangingCiIdentities", effect: "Deny", actions: IAM_WRITES, resources: ciIdentities },
    {
      sid: "DenyStateBucketPolicyChanges",
      effect: "Deny",
      actions: ["s3:PutBucketPolicy", "s3:DeleteBucketPolicy"],
      resources: [`arn:${partition}:s3:::${state.bucket}`],
    },
    {
      sid: "DenyLongLivedCredentials",
      effect: "Deny",
      actions: ["iam:CreateUser", "iam:CreateAccessKey", "iam:UpdateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile", "iam:CreateServiceSpecificCredential"],
      resources: ["*"],
    },
    {
      // A role the apply role created could hold more than the boundary: it may not become one.
      sid: "DenyAssumingOtherRoles",
      effect: "Deny",
      actions: ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"],
      notResources: [`arn:${partition}:iam::${state.accountId}:role/${stateAccessRoleName(namespace, accountId)}`],
    },
  ];
}

function validate(props: GithubCiProps): void {
  const check = new PropsCheck("GithubCi")
    .require(REPOSITORY.test(props.repository), "repository", props.repository, "a GitHub repository as owner/name, letters, digits, '-', '_' and '.', no wildcard")
    .require(props.applyEnvironments.length > 0, "applyEnvironments", props.applyEnvironments, "at least one GitHub environment")
    .distinct("applyEnvironments", props.applyEnvironments)
    .require(props.state.stackIds.length > 0, "state.stackIds", props.state.stackIds, "at least one stack");
  if (props.branch !== undefined) check.require(BRANCH.test(props.branch), "branch", props.branch, "a branch name, no wildcard (*, ?, [) and no spaces");
  props.applyEnvironments.forEach((e, i) => check.require(ENVIRONMENT.test(e), `applyEnvironments.${i}`, e, "a GitHub environment name: 1-255 characters, no wildcard, quote, comma or colon"));
  check.done();
}
