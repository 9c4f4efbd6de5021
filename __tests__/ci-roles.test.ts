import { Testing, TerraformStack } from "cdktf";
import { EnvironmentConfig, LoadedConfig, ProjectConfig, validateProject } from "../environments";
import { buildApp } from "../stacks";
import { synthJson, realStacks } from "./support/stacks";
import { Body, resources } from "./support/module-stack";
import { devConfig, projectConfig } from "./support/config";
import { admits } from "./support/trust";
import { ValidationError } from "../modules/validation";
import { ciEnvironmentIssues, loadConfigReport } from "../environments";
import { REFERENCE_DIR } from "./support/stacks";
import { checkStack } from "../modules/compliance";

const ACCOUNT = "account-111122223333-us-east-1";
const REPO = "omnirapeutic/platform";
const PROVIDER = "${aws_iam_openid_connect_provider.ci_github.arn}";
const accountStack = realStacks().get(ACCOUNT)!;
const json = synthJson(accountStack);
const roles = resources(json, "aws_iam_role");
const token = (sub: string, aud = "sts.amazonaws.com") => ({ "token.actions.githubusercontent.com:sub": sub, "token.actions.githubusercontent.com:aud": aud });
const statements = (policy: unknown) => JSON.parse(policy as string).Statement as Body[];
const list = (v: unknown): string[] => ([] as string[]).concat(v as string | string[]);

describe("keyless CI roles in the account stack (project.ci)", () => {
  it("creates GitHub's OIDC provider for the sts.amazonaws.com audience, without a thumbprint", () => {
    expect(Object.values(resources(json, "aws_iam_openid_connect_provider"))).toEqual([
      { url: "https://token.actions.githubusercontent.com", client_id_list: ["sts.amazonaws.com"], tags: { Name: "keel-github-actions" } },
    ]);
  });

  // Each token is what GitHub would mint for that job: https://docs.github.com/actions/reference/openid-connect-reference
  const cases: Array<[string, ReturnType<typeof token>, boolean, boolean]> = [
    ["a pull request in the repository", token(`repo:${REPO}:pull_request`), true, false],
    ["the main branch (the nightly drift check)", token(`repo:${REPO}:ref:refs/heads/main`), true, false],
    ["the production GitHub environment", token(`repo:${REPO}:environment:production`), false, true],
    ["the staging GitHub environment", token(`repo:${REPO}:environment:staging`), false, true],
    ["the account stack's GitHub environment", token(`repo:${REPO}:environment:${ACCOUNT}`), false, true],
    ["a fork's pull request (its token names the fork)", token(`repo:attacker/platform:pull_request`), false, false],
    ["another repository of the same owner", token(`repo:omnirapeutic/website:pull_request`), false, false],
    ["a repository whose name starts with this one's", token(`repo:${REPO}-fork:ref:refs/heads/main`), false, false],
    ["the repository spelled in another case", token(`repo:Omnirapeutic/Platform:pull_request`), false, false],
    ["another branch of the repository", token(`repo:${REPO}:ref:refs/heads/feature-x`), false, false],
    ["a tag of the repository", token(`repo:${REPO}:ref:refs/tags/v1.0.0`), false, false],
    ["a GitHub environment the config does not name", token(`repo:${REPO}:environment:sandbox`), false, false],
    ["another repository's production environment", token(`repo:attacker/platform:environment:production`), false, false],
    ["the right subject with another audience", token(`repo:${REPO}:pull_request`, "https://github.com/omnirapeutic"), false, false],
  ];
  it.each(cases)("trusts %s: plan %s, apply %s", (_what, claims, plan, apply) => {
    expect(admits(roles.ci_plan.assume_role_policy as string, PROVIDER, claims)).toBe(plan);
    expect(admits(roles.ci_apply.assume_role_policy as string, PROVIDER, claims)).toBe(apply);
  });

  it("writes each trust with StringEquals only: exact subjects and audience, no pattern", () => {
    for (const role of [roles.ci_plan, roles.ci_apply]) {
      const trust = statements(role.assume_role_policy);
      expect(trust).toHaveLength(1);
      expect(Object.keys(trust[0].Condition ?? {})).toEqual(["StringEquals"]);
      const conditions = trust[0].Condition as Record<string, Record<string, unknown>>;
      expect(list(conditions.StringEquals["token.actions.githubusercontent.com:sub"]).every((s) => !/[*?]/.test(s))).toBe(true);
    }
    expect(roles.ci_plan.name).toBe("keel-ci-plan");
    expect(roles.ci_apply.name).toBe("keel-ci-apply");
    expect(roles.ci_apply.max_session_duration).toBe(3600);
    expect(roles.ci_plan.max_session_duration).toBe(3600);
  });

  it("lets the plan role read, never write: ReadOnlyAccess, data reads denied, writes only to the state locks", () => {
    const attachments = Object.values(resources(json, "aws_iam_role_policy_attachment")).filter((a) => a.role === "${aws_iam_role.ci_plan.name}");
    expect(attachments.map((a) => a.policy_arn)).toEqual(["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
    const policy = statements(resources(json, "aws_iam_role_policy").ci_plan_policy.policy);
    const allows = policy.filter((s) => s.Effect === "Allow");
    expect(allows.length).toBeGreaterThan(0);
    const writes = allows.flatMap((s) => list(s.Action).filter((a) => !/^[a-z0-9-]+:(Get|List|Describe)/.test(a)).map((a) => ({ sid: s.Sid, action: a })));
    expect(writes.map((w) => `${w.sid} ${w.action}`).sort()).toEqual(
      [
        "LockOwnState dynamodb:DeleteItem",
        "LockOwnState dynamodb:PutItem",
        "LockOwnStateWithLockfile s3:DeleteObject",
        "LockOwnStateWithLockfile s3:PutObject",
        "UseStateKeyThroughS3AndDynamoDB kms:Decrypt",
        "UseStateKeyThroughS3AndDynamoDB kms:Encrypt",
        "UseStateKeyThroughS3AndDynamoDB kms:GenerateDataKey",
      ].sort(),
    );
    const lockfiles = list(policy.find((s) => s.Sid === "LockOwnStateWithLockfile")?.Resource);
    // Every stack CI deploys in this account; bootstrap is applied by hand.
    expect(lockfiles).toEqual([ACCOUNT, "dev", "staging", "production"].map((s) => `arn:aws:s3:::keel-tfstate-111122223333-us-east-1/${s}/terraform.tfstate.tflock`));
    expect(policy.find((s) => s.Sid === "LockOwnState")?.Condition).toHaveProperty(["ForAllValues:StringEquals", "dynamodb:LeadingKeys"]);
    expect(policy.find((s) => s.Sid === "UseStateKeyThroughS3AndDynamoDB")?.Condition).toEqual({
      "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/keel-bootstrap-tfstate" },
      StringEquals: { "kms:ViaService": ["s3.us-east-1.amazonaws.com", "dynamodb.us-east-1.amazonaws.com"] },
    });
    const denied = policy.filter((s) => s.Effect === "Deny");
    expect(denied.map((s) => s.Sid)).toEqual(["DenyApplicationDataReads", "DenyObjectReadsOutsideState", "DenyTableReadsOutsideLockTable"]);
    expect(list(denied[0].Action)).toEqual(expect.arrayContaining(["secretsmanager:GetSecretValue", "ssm:GetParameter", "sqs:ReceiveMessage", "logs:GetLogEvents"]));
    expect(denied[1]).toMatchObject({ NotResource: "arn:aws:s3:::keel-tfstate-111122223333-us-east-1/*" });
  });

  it("bounds the apply role: it may not change the CI identities, the state bucket's policy, make keys or become another role", () => {
    expect(roles.ci_apply.permissions_boundary).toBe("${aws_iam_policy.ci_apply_boundary.arn}");
    const boundary = resources(json, "aws_iam_policy").ci_apply_boundary;
    expect(boundary.name).toBe("keel-ci-apply-boundary");
    const policy = statements(boundary.policy);
    const deny = (sid: string) => policy.find((s) => s.Sid === sid && s.Effect === "Deny");
    expect(list(deny("DenyChangingCiIdentities")?.Resource)).toEqual([
      "arn:aws:iam::111122223333:role/keel-ci-plan",
      "arn:aws:iam::111122223333:role/keel-ci-apply",
      "arn:aws:iam::111122223333:policy/keel-ci-apply-boundary",
      "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
    ]);
    expect(list(deny("DenyChangingCiIdentities")?.Action)).toEqual(expect.arrayContaining(["iam:Put*", "iam:Attach*", "iam:Update*", "iam:Delete*"]));
    expect(deny("DenyStateBucketPolicyChanges")).toMatchObject({ Action: ["s3:PutBucketPolicy", "s3:DeleteBucketPolicy"], Resource: "arn:aws:s3:::keel-tfstate-111122223333-us-east-1" });
    expect(list(deny("DenyLongLivedCredentials")?.Action)).toEqual(expect.arrayContaining(["iam:CreateUser", "iam:CreateAccessKey"]));
    expect(deny("DenyAssumingOtherRoles")).toMatchObject({ NotResource: "arn:aws:iam::111122223333:role/keel-tfstate-access-111122223333" });
    const admin = Object.values(resources(json, "aws_iam_role_policy_attachment")).filter((a) => a.role === "${aws_iam_role.ci_apply.name}");
    expect(admin.map((a) => a.policy_arn)).toEqual(["arn:aws:iam::aws:policy/AdministratorAccess"]);
  });

  it("passes keel check: the boundary's Allow is not a grant, and the trusts carry sub and aud", () => {
    const findings = checkStack(accountStack, { enforced: true, today: "2026-12-05" }).findings.filter((f) => f.address.includes(".ci_"));
    expect(findings.filter((f) => f.suppressed === undefined).map((f) => `${f.rule} ${f.address}`)).toEqual([]);
    expect(findings.map((f) => f.rule).sort()).toEqual(["iam-no-aws-managed-policies", "iam-no-aws-managed-policies"]);
  });

  it("outputs both role ARNs for the workflows", () => {
    expect(Object.keys(json.output ?? {})).toEqual(expect.arrayContaining(["ci_plan_role_arn", "ci_apply_role_arn"]));
  });
});

/** The reference project with production in a second account, which reaches its state through bootstrap's roles. */
function twoAccounts(): LoadedConfig {
  const project: ProjectConfig = projectConfig((p) => {
    p.accounts = [
      { accountId: "111122223333", regions: ["us-east-1"] },
      { accountId: "444455556666", regions: ["us-east-1", "eu-west-1"] },
    ];
    p.ci = { repository: REPO, environments: { prod: "production-approved" } };
  });
  const prod: EnvironmentConfig = devConfig((c) => {
    c.name = "prod";
    c.accountId = "444455556666";
    c.protection = "production";
  });
  return { project, environments: [devConfig(), prod] };
}

describe("keyless CI across accounts", () => {
  const app = buildApp(Testing.app(), twoAccounts());
  const stack = (id: string) => synthJson(app.node.findChild(id) as TerraformStack);

  it("gives each account its own roles, once per account (home region), trusting only its stacks' GitHub environments", () => {
    expect(Object.keys(resources(stack("account-444455556666-us-east-1"), "aws_iam_role")).filter((r) => r.startsWith("ci_")).sort()).toEqual(["ci_apply", "ci_plan"]);
    expect(Object.keys(resources(stack("account-444455556666-eu-west-1"), "aws_iam_openid_connect_provider"))).toEqual([]);
    const apply = resources(stack("account-444455556666-us-east-1"), "aws_iam_role").ci_apply.assume_role_policy as string;
    expect(admits(apply, PROVIDER, token(`repo:${REPO}:environment:production-approved`))).toBe(true);
    expect(admits(apply, PROVIDER, token(`repo:${REPO}:environment:account-444455556666-eu-west-1`))).toBe(true);
    // dev lives in the state account: its GitHub environment may not apply here.
    expect(admits(apply, PROVIDER, token(`repo:${REPO}:environment:dev`))).toBe(false);
    expect(admits(apply, PROVIDER, token(`repo:${REPO}:environment:prod`))).toBe(false);
  });

  it("has bootstrap create a read-only state role that only that account's plan role may assume", () => {
    const bootstrap = stack("bootstrap");
    const read = Object.values(resources(bootstrap, "aws_iam_role")).find((r) => r.name === "keel-tfstate-read-444455556666");
    expect(statements(read?.assume_role_policy)).toEqual([
      {
        Sid: "CiPlanRoleOfAccount",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::444455556666:root" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::444455556666:role/keel-ci-plan" } },
      },
    ]);
    const policy = statements(Object.values(resources(bootstrap, "aws_iam_role_policy")).find((p) => p.name === "keel-tfstate-read-444455556666")?.policy);
    const puts = policy.filter((s) => list(s.Action).includes("s3:PutObject"));
    expect(puts).toHaveLength(1);
    expect(list(puts[0].Resource).every((r) => r.endsWith(".tflock"))).toBe(true);
    expect(policy.find((s) => s.Sid === "ReadOwnState")).toMatchObject({ Action: "s3:GetObject" });
  });

  it("lets the other account's plan role assume only the read role, and its apply role only the access role", () => {
    const account = stack("account-444455556666-us-east-1");
    const plan = statements(resources(account, "aws_iam_role_policy").ci_plan_policy.policy);
    expect(plan.find((s) => s.Sid === "AssumeStateReadRole")?.Resource).toBe("arn:aws:iam::111122223333:role/keel-tfstate-read-444455556666");
    expect(plan.some((s) => s.Sid === "ReadOwnState")).toBe(false);
    const boundary = statements(resources(account, "aws_iam_policy").ci_apply_boundary.policy);
    expect(boundary.find((s) => s.Sid === "DenyAssumingOtherRoles")?.NotResource).toBe("arn:aws:iam::111122223333:role/keel-tfstate-access-444455556666");
  });

  it("synthesizes for a CI job with KEEL_CI_ROLE: no profile or role on the providers, the read role in a plan's backend", () => {
    const synthAs = (role: string | undefined) => {
      const before = process.env.KEEL_CI_ROLE;
      if (role === undefined) delete process.env.KEEL_CI_ROLE;
      else process.env.KEEL_CI_ROLE = role;
      try {
        const config = twoAccounts();
        const project = { ...config.project, accounts: config.project.accounts.map((a) => (a.accountId === "444455556666" ? { ...a, profile: "prod-admin", roleArn: "arn:aws:iam::444455556666:role/deployer" } : a)) };
        return synthJson(buildApp(Testing.app(), { ...config, project }).node.findChild("prod") as TerraformStack);
      } finally {
        if (before === undefined) delete process.env.KEEL_CI_ROLE;
        else process.env.KEEL_CI_ROLE = before;
      }
    };
    const workstation = synthAs(undefined);
    expect(workstation.provider.aws[0]).toMatchObject({ profile: "prod-admin", assume_role: [expect.objectContaining({ role_arn: "arn:aws:iam::444455556666:role/deployer" })] });
    expect(workstation.terraform.backend.s3.assume_role).toEqual({ role_arn: "arn:aws:iam::111122223333:role/keel-tfstate-access-444455556666" });
    const plan = synthAs("plan");
    for (const provider of plan.provider.aws) {
      expect(provider).not.toHaveProperty("profile");
      expect(provider).not.toHaveProperty("assume_role");
    }
    expect(plan.terraform.backend.s3.assume_role).toEqual({ role_arn: "arn:aws:iam::111122223333:role/keel-tfstate-read-444455556666" });
    expect(synthAs("apply").terraform.backend.s3.assume_role).toEqual({ role_arn: "arn:aws:iam::111122223333:role/keel-tfstate-access-444455556666" });
    expect(() => synthAs("admin")).toThrow("KEEL_CI_ROLE is 'admin': it must be plan or apply, or unset outside CI");
  });
});

describe("project.ci, checked before any resource exists", () => {
  const problem = (change: (ci: Record<string, unknown>) => void): string => {
    const project = projectConfig() as unknown as { ci: Record<string, unknown> };
    change(project.ci);
    try {
      validateProject(project, "environments");
    } catch (error) {
      if (error instanceof ValidationError) return error.message;
      throw error;
    }
    throw new Error("accepted");
  };

  it.each([
    ["a wildcard repository", (ci: Record<string, unknown>) => (ci.repository = "omnirapeutic/*"), "ci.repository"],
    ["an owner without a name", (ci: Record<string, unknown>) => (ci.repository = "omnirapeutic"), "ci.repository"],
    ["a URL instead of owner/name", (ci: Record<string, unknown>) => (ci.repository = "https://github.com/omnirapeutic/platform"), "ci.repository"],
    ["a branch pattern", (ci: Record<string, unknown>) => (ci.branch = "release/*"), "ci.branch"],
    ["an environment name with a colon", (ci: Record<string, unknown>) => (ci.environments = { production: "prod:any" }), "ci.environments.production"],
    ["a misspelt setting", (ci: Record<string, unknown>) => (ci.repo = "omnirapeutic/platform"), "ci"],
  ])("refuses %s, naming the field", (_what, change, field) => {
    const message = problem(change);
    expect(message).toContain(field);
    expect(message).toContain("project settings (environments/project.ts)");
  });

  it("refuses ci.environments for a stack CI does not deploy, listing the ones it does", () => {
    const { errors } = loadConfigReport(REFERENCE_DIR);
    expect(errors).toEqual([]);
    const config = { project: projectConfig((p) => (p.ci = { repository: REPO, environments: { bootstrap: "infra", prodution: "production" } })), environments: [] };
    expect(ciEnvironmentIssues(config.project, [devConfig()]).map((i) => [i.field, i.allowed])).toEqual([
      ["ci.environments.bootstrap", `a stack CI deploys: ${ACCOUNT}, dev (bootstrap is applied by hand)`],
      ["ci.environments.prodution", `a stack CI deploys: ${ACCOUNT}, dev`],
    ]);
  });
});
