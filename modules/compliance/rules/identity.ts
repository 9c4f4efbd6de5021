import { ModelResource, StackModel, block, isTrue, num } from "../model";
import { Statement, isServiceWildcard, publicAllows, statements } from "../policy";
import { Rule, rule } from "../rule";

const POLICY_TYPES = ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"];

/**
 * Actions that AWS does not scope to a resource (they take only `*`), so a
 * grant of them on `*` is as narrow as IAM allows. Service Authorization
 * Reference, reviewed 2026-11-22.
 */
const RESOURCELESS_ACTIONS = new Set([
  "ecr:GetAuthorizationToken",
  "cloudwatch:PutMetricData",
  "logs:DescribeLogGroups",
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
  "sts:GetCallerIdentity",
  // ECS takes no resource for a new task-definition revision; the deploy role may only pass its services' roles.
  "ecs:RegisterTaskDefinition",
]);

const READ_ONLY = /^[a-z0-9-]+:(Describe|List|Get)[A-Za-z]*$/;

function allows(r: ModelResource): readonly Statement[] {
  return (statements(r.values.policy) ?? []).filter((s) => s.effect === "Allow");
}

const onEverything = (s: Statement) => s.resources.includes("*");

const GITHUB_OIDC = "token.actions.githubusercontent.com";

/** Trust statements that let GitHub Actions' OIDC tokens assume the role. */
function githubTrust(role: ModelResource): readonly Statement[] {
  return (statements(role.values.assume_role_policy) ?? []).filter(
    (s) => s.effect === "Allow" && s.principals.some((p) => p.endsWith(`oidc-provider/${GITHUB_OIDC}`) || p.includes("aws_iam_openid_connect_provider")),
  );
}

/** Every value any condition operator (StringEquals, StringLike, ForAnyValue:…) gives `key`. */
function conditionValues(s: Statement, key: string): string[] {
  return Object.values(s.conditions).flatMap((keys) => {
    const v = (keys as Record<string, unknown>)[key];
    return v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)];
  });
}

/**
 * What a policy grants: its Allow statements, or nothing for a permissions
 * boundary, whose Allow only caps what the role's own policies grant.
 */
function grants(r: ModelResource, model: StackModel): readonly Statement[] {
  return r.type === "aws_iam_policy" && isOnlyABoundary(r, model) ? [] : allows(r);
}

/** A managed policy that roles use as their permissions boundary and nothing attaches as a grant. */
function isOnlyABoundary(policy: ModelResource, model: StackModel): boolean {
  const bounded = model.referencing(policy, "aws_iam_role", "permissions_boundary");
  const attached = [...model.referencing(policy, "aws_iam_role_policy_attachment"), ...model.referencing(policy, "aws_iam_policy_attachment")];
  return bounded.length > 0 && attached.length === 0;
}

export const IDENTITY_RULES: readonly Rule[] = [
  rule({
    id: "iam-no-admin-wildcard",
    level: "error",
    area: "least-privilege",
    title: "No IAM policy allows every action on every resource",
    types: POLICY_TYPES,
    refs: ["checkov CKV_AWS_62", "checkov CKV_AWS_1", "Security Hub IAM.1", "cdk-nag AwsSolutions-IAM5"],
    check(r, model) {
      const admin = grants(r, model).filter((s) => s.actions.includes("*") && onEverything(s));
      return admin.length > 0 ? `statement ${admin.map((s) => s.sid ?? "(no Sid)").join(", ")} allows * on *` : undefined;
    },
  }),
  rule({
    id: "iam-no-service-wildcard",
    level: "warning",
    area: "least-privilege",
    title: "IAM policies name actions, not every action of a service (s3:*)",
    types: POLICY_TYPES,
    refs: ["Security Hub IAM.21", "checkov CKV_AWS_63"],
    check(r, model) {
      const wild = grants(r, model).flatMap((s) => s.actions.filter(isServiceWildcard));
      return wild.length > 0 ? `allows ${[...new Set(wild)].join(", ")}` : undefined;
    },
  }),
  rule({
    id: "iam-no-unscoped-writes",
    level: "warning",
    area: "least-privilege",
    title: "IAM policies scope actions that can be scoped to resources, or narrow them with a condition",
    types: POLICY_TYPES,
    refs: ["checkov CKV_AWS_290", "checkov CKV_AWS_355"],
    check(r, model) {
      const loose = grants(r, model)
        .filter((s) => onEverything(s) && Object.keys(s.conditions).length === 0)
        .flatMap((s) => s.actions.filter((a) => !RESOURCELESS_ACTIONS.has(a) && !READ_ONLY.test(a)));
      return loose.length > 0 ? `on Resource * with no condition: ${[...new Set(loose)].join(", ")}` : undefined;
    },
  }),
  rule({
    id: "iam-passrole-scoped",
    level: "error",
    area: "least-privilege",
    title: "iam:PassRole names the roles it may pass",
    types: POLICY_TYPES,
    refs: ["checkov CKV_AWS_286"],
    check(r, model) {
      const loose = grants(r, model).filter((s) => onEverything(s) && s.actions.some((a) => a === "iam:PassRole" || a === "iam:*" || a === "iam:Pass*"));
      return loose.length > 0 ? "allows iam:PassRole on every role: privilege escalation" : undefined;
    },
  }),
  rule({
    id: "iam-no-kms-decrypt-everywhere",
    level: "error",
    area: "least-privilege",
    title: "IAM policies do not allow decrypting with every KMS key",
    types: POLICY_TYPES,
    refs: ["Security Hub KMS.1", "Security Hub KMS.2"],
    check(r, model) {
      const loose = grants(r, model).filter(
        (s) => onEverything(s) && s.actions.some((a) => a === "kms:Decrypt" || a === "kms:ReEncryptFrom" || a === "kms:*") && Object.keys(s.conditions).length === 0,
      );
      return loose.length > 0 ? "allows kms:Decrypt or kms:ReEncryptFrom on every key" : undefined;
    },
  }),
  rule({
    id: "iam-trust-named-principals",
    level: "error",
    area: "least-privilege",
    title: "Role trust policies name who may assume the role (no Principal * without a condition)",
    types: ["aws_iam_role"],
    refs: ["checkov CKV_AWS_60", "checkov CKV_AWS_61"],
    check(r) {
      const open = publicAllows(statements(r.values.assume_role_policy) ?? []);
      return open.length > 0 ? "anyone may assume this role" : undefined;
    },
  }),
  rule({
    id: "iam-oidc-trust-subject",
    level: "error",
    area: "least-privilege",
    title: "A role GitHub Actions may assume names the token's audience and subject (sub) in its trust policy",
    types: ["aws_iam_role"],
    refs: ["checkov CKV_AWS_358"],
    check(r) {
      const open = githubTrust(r).filter((s) => conditionValues(s, `${GITHUB_OIDC}:sub`).length === 0 || conditionValues(s, `${GITHUB_OIDC}:aud`).length === 0);
      return open.length > 0
        ? `statement ${open.map((s) => s.sid ?? "(no Sid)").join(", ")} trusts ${GITHUB_OIDC} without both a sub and an aud condition: any repository on GitHub could assume the role`
        : undefined;
    },
  }),
  rule({
    id: "iam-oidc-trust-repository",
    level: "error",
    area: "least-privilege",
    title: "A GitHub trust policy names one repository in every subject, with no wildcard in the owner or the name",
    types: ["aws_iam_role"],
    refs: ["checkov CKV_AWS_358"],
    check(r) {
      const wild = githubTrust(r)
        .flatMap((s) => conditionValues(s, `${GITHUB_OIDC}:sub`))
        .filter((sub) => !/^repo:[^*?:\/]+\/[^*?:]+:/.test(sub));
      return wild.length > 0 ? `subject ${wild.map((w) => JSON.stringify(w)).join(", ")} does not name one repository: a wildcard owner or name admits other repositories` : undefined;
    },
  }),
  rule({
    id: "iam-no-user-policies",
    level: "error",
    area: "least-privilege",
    title: "IAM users get permissions through roles or groups, not policies of their own",
    types: ["aws_iam_user_policy", "aws_iam_user_policy_attachment"],
    refs: ["checkov CKV_AWS_40", "Security Hub IAM.2"],
    check() {
      return "a policy attached directly to a user";
    },
  }),
  rule({
    id: "iam-no-aws-managed-policies",
    level: "warning",
    area: "least-privilege",
    title: "Roles use policies written for them, not AWS managed policies",
    types: ["aws_iam_role_policy_attachment"],
    refs: ["cdk-nag AwsSolutions-IAM4"],
    check(r) {
      const arn = String(r.values.policy_arn ?? "");
      return /^arn:aws[a-z-]*:iam::aws:policy\//.test(arn) ? `attaches the AWS managed policy ${arn.replace(/^.*:policy\//, "")}` : undefined;
    },
  }),
  rule({
    id: "cognito-mfa-enabled",
    level: "error",
    area: "cognito",
    title: "Cognito user pools offer MFA (ON or OPTIONAL)",
    types: ["aws_cognito_user_pool"],
    refs: ["cdk-nag AwsSolutions-COG2"],
    check(r) {
      const mfa = r.values.mfa_configuration ?? "OFF";
      return mfa === "OFF" ? "mfa_configuration is OFF" : undefined;
    },
  }),
  rule({
    id: "cognito-mfa-required",
    level: "warning",
    area: "cognito",
    title: "Cognito user pools require MFA of every user",
    types: ["aws_cognito_user_pool"],
    refs: ["cdk-nag AwsSolutions-COG2"],
    check(r) {
      return r.values.mfa_configuration === "ON" ? undefined : `mfa_configuration is ${String(r.values.mfa_configuration ?? "OFF")}`;
    },
  }),
  rule({
    id: "cognito-password-policy",
    level: "error",
    area: "cognito",
    title: "Cognito passwords have at least 8 characters, with lower and upper case, numbers and symbols",
    types: ["aws_cognito_user_pool"],
    refs: ["cdk-nag AwsSolutions-COG1"],
    check(r) {
      const policy = block(r.values.password_policy);
      if (policy === undefined) return "no password_policy";
      const problems = [
        ...((num(policy.minimum_length) ?? 8) < 8 ? [`minimum_length ${String(policy.minimum_length)}`] : []),
        ...(["require_lowercase", "require_uppercase", "require_numbers", "require_symbols"] as const).filter((k) => policy[k] !== undefined && !isTrue(policy[k])),
      ];
      return problems.length > 0 ? `weak password policy: ${problems.join(", ")}` : undefined;
    },
  }),
  rule({
    id: "cognito-threat-protection",
    level: "warning",
    area: "cognito",
    title: "Cognito user pools enforce threat protection (compromised credentials, adaptive authentication)",
    types: ["aws_cognito_user_pool"],
    refs: ["cdk-nag AwsSolutions-COG3", "Security Hub Cognito.1"],
    check(r) {
      const mode = block(r.values.user_pool_add_ons)?.advanced_security_mode;
      return mode === "ENFORCED" ? undefined : `advanced_security_mode is ${String(mode ?? "OFF")}`;
    },
  }),
  rule({
    id: "cognito-deletion-protection",
    level: "error",
    area: "backup",
    title: "Cognito user pools have deletion protection",
    types: ["aws_cognito_user_pool"],
    refs: ["Security Hub Cognito.6"],
    check(r) {
      return r.values.deletion_protection === "ACTIVE" ? undefined : "deletion_protection is not ACTIVE: deleting the pool deletes every user";
    },
  }),
  rule({
    id: "cognito-no-unauthenticated-identities",
    level: "error",
    area: "public-access",
    title: "Cognito identity pools give no credentials to unauthenticated guests",
    types: ["aws_cognito_identity_pool"],
    refs: ["Security Hub Cognito.2", "cdk-nag AwsSolutions-COG7"],
    check(r) {
      return isTrue(r.values.allow_unauthenticated_identities) ? "allow_unauthenticated_identities is true" : undefined;
    },
  }),
];
