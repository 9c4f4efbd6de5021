import { Testing } from "cdktf";
import { EnvironmentConfig, LoadedConfig, ProjectConfig } from "../environments";
import { buildApp } from "../stacks";
import { realStacks, shippedBackend, synthJson } from "./support/stacks";
import { Body, resources } from "./support/module-stack";
import { devConfig, projectConfig } from "./support/config";

const ACCOUNT = "account-111122223333-us-east-1";
const json = synthJson(realStacks().get(ACCOUNT)!);

describe("the account stack (once per account and region)", () => {
  it("keeps its state under its own key, in the same account as the state (no role)", () => {
    expect(json.terraform.backend).toEqual(shippedBackend(ACCOUNT));
    expect(json.provider.aws[0]).toMatchObject({ region: "us-east-1", allowed_account_ids: ["111122223333"] });
  });

  it("makes the region's Session Manager defaults log every session, to an encrypted, protected log group", () => {
    const documents = Object.values(resources(json, "aws_ssm_document"));
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({ name: "SSM-SessionManagerRunShell", document_type: "Session", document_format: "JSON" });
    expect(JSON.parse(documents[0].content as string).inputs).toEqual({
      cloudWatchLogGroupName: "/aws/ssm/keel-account-us-east-1-sessions",
      cloudWatchEncryptionEnabled: true,
      cloudWatchStreamingEnabled: true,
      s3BucketName: "",
      runAsEnabled: false,
      idleSessionTimeout: "20",
      shellProfile: { linux: "" },
    });
    expect(Object.values(resources(json, "aws_cloudwatch_log_group")).filter((g) => String(g.name).startsWith("/aws/ssm/"))).toEqual([
      expect.objectContaining({
        name: "/aws/ssm/keel-account-us-east-1-sessions",
        retention_in_days: 365,
        kms_key_id: "${aws_kms_key.baseline_session_logs_key.arn}",
        lifecycle: { prevent_destroy: true },
      }),
    ]);
    const keyPolicy = JSON.parse(resources(json, "aws_kms_key").baseline_session_logs_key.policy as string);
    expect(keyPolicy.Statement.map((st: { Sid: string }) => st.Sid)).toEqual(["AccountAdministersKey", "CloudWatchLogsEncryptsLogGroups"]);
    expect(json.output?.session_log_group_name).toMatchObject({ value: "/aws/ssm/keel-account-us-east-1-sessions" });
  });

  it("encrypts the trail, audit buckets, their log groups and the alarm topic with one audit key, per CloudTrail's documented policy", () => {
    const key = resources(json, "aws_kms_key").audit_key;
    expect(key).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    const sids = JSON.parse(key.policy as string).Statement.map((st: { Sid: string }) => st.Sid);
    expect(sids).toEqual([
      "AccountAdministersKey",
      "CloudWatchLogsEncryptsLogGroups",
      "CloudTrailEncryptsTrails",
      "CloudTrailDescribesKey",
      "CloudWatchPublishesToTopics",
      "EventBridgePublishesToTopics",
      "AccountUseThroughServices",
      "AccountGrantsToServiceResources",
    ]);
    expect(Object.values(resources(json, "aws_cloudtrail"))[0]).toMatchObject({ kms_key_id: "${aws_kms_key.audit_key.arn}", is_multi_region_trail: true });
    expect(Object.values(resources(json, "aws_sns_topic"))[0]).toMatchObject({ kms_master_key_id: "${aws_kms_key.audit_key.arn}" });
  });

  it("turns on EBS encryption by default", () => {
    expect(Object.values(resources(json, "aws_ebs_encryption_by_default"))).toEqual([{ enabled: true }]);
  });

  it("makes a customer-managed, rotating, protected key the EBS default, usable only through EC2", () => {
    expect(Object.values(resources(json, "aws_ebs_default_kms_key"))).toEqual([{ key_arn: "${aws_kms_key.baseline_ebs_key.arn}" }]);
    const key = resources(json, "aws_kms_key").baseline_ebs_key;
    expect(key).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    const statements = JSON.parse(key.policy as string).Statement as Array<{ Sid: string; Condition?: Record<string, Record<string, unknown>> }>;
    expect(statements.map((s) => s.Sid)).toEqual(["AccountAdministersKey", "AccountUseThroughServices", "AccountGrantsToServiceResources"]);
    expect(statements[1].Condition?.StringEquals["kms:ViaService"]).toEqual(["ec2.us-east-1.amazonaws.com"]);
    expect(resources(json, "aws_kms_alias").baseline_ebs_key_alias.name).toBe("alias/keel-account-us-east-1-ebs-default");
  });

  it("blocks public S3 access account-wide, all four settings, in the home region", () => {
    expect(Object.values(resources(json, "aws_s3_account_public_access_block"))).toEqual([
      { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
    ]);
  });
});

/** The shipped project with a second account (production elsewhere) and a second region. */
function twoAccounts(): LoadedConfig {
  const project: ProjectConfig = projectConfig((p) => {
    p.accounts = [
      { accountId: "111122223333", regions: ["us-east-1", "eu-west-1"] },
      { accountId: "444455556666", regions: ["us-east-1"] },
    ];
  });
  const prod: EnvironmentConfig = devConfig((c) => {
    c.name = "prod";
    c.accountId = "444455556666";
  });
  return { project, environments: [devConfig(), prod] };
}

describe("several accounts", () => {
  const app = buildApp(Testing.app(), twoAccounts());
  const stack = (id: string) => synthJson(app.node.findChild(id) as Parameters<typeof synthJson>[0]);

  it("has an account stack per account and region, deployed from config alone", () => {
    const ids = app.node.children.map((c) => c.node.id).sort();
    expect(ids).toEqual(["account-111122223333-eu-west-1", "account-111122223333-us-east-1", "account-444455556666-us-east-1", "bootstrap", "dev", "prod"]);
  });

  it("manages the account-wide S3 block only from each account's home region", () => {
    const count = (id: string) => Object.keys(resources(stack(id), "aws_s3_account_public_access_block")).length;
    expect([count("account-111122223333-us-east-1"), count("account-111122223333-eu-west-1"), count("account-444455556666-us-east-1")]).toEqual([1, 0, 1]);
    expect(Object.keys(resources(stack("account-111122223333-eu-west-1"), "aws_ebs_encryption_by_default"))).toHaveLength(1);
  });

  it("reaches the state bucket through the account's role when the account is not the state's", () => {
    const role = "arn:aws:iam::111122223333:role/keel-tfstate-access-444455556666";
    expect(stack("prod").terraform.backend.s3).toMatchObject({ key: "prod/terraform.tfstate", assume_role: { role_arn: role } });
    expect(stack("account-444455556666-us-east-1").terraform.backend.s3).toMatchObject({ assume_role: { role_arn: role } });
    expect(stack("dev").terraform.backend.s3).not.toHaveProperty("assume_role");
    expect(stack("prod").provider.aws[0]).toMatchObject({ allowed_account_ids: ["444455556666"] });
  });

  it("has bootstrap create that role, trusted by that account only, limited to its own stacks' state and locks", () => {
    const bootstrap = stack("bootstrap");
    // The read-only role beside it, for the CI plan role, is proven in ci.test.ts.
    const roles = Object.values(resources(bootstrap, "aws_iam_role")).filter((r) => String(r.name).startsWith("keel-tfstate-access-"));
    expect(roles).toHaveLength(1);
    expect(roles[0].name).toBe("keel-tfstate-access-444455556666");
    const trust = JSON.parse(roles[0].assume_role_policy as string).Statement;
    expect(trust).toEqual([{ Sid: "StacksOfAccount", Effect: "Allow", Principal: { AWS: "arn:aws:iam::444455556666:root" }, Action: "sts:AssumeRole" }]);
    const policies = Object.values(resources(bootstrap, "aws_iam_role_policy")).filter((r) => String(r.name).startsWith("keel-tfstate-access-"));
    expect(policies).toHaveLength(1);
    const statements = JSON.parse(policies[0].policy as string).Statement as Body[];
    const bucket = "arn:aws:s3:::keel-tfstate-111122223333-us-east-1";
    expect(statements.find((s) => s.Sid === "ReadWriteOwnState")?.Resource).toEqual([
      `${bucket}/account-444455556666-us-east-1/terraform.tfstate`,
      `${bucket}/prod/terraform.tfstate`,
    ]);
    expect(statements.find((s) => s.Sid === "LockOwnStateWithLockfile")).toMatchObject({
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: [`${bucket}/account-444455556666-us-east-1/terraform.tfstate.tflock`, `${bucket}/prod/terraform.tfstate.tflock`],
    });
    expect(statements.find((s) => s.Sid === "LockOwnState")?.Condition).toEqual({
      "ForAllValues:StringEquals": {
        "dynamodb:LeadingKeys": [
          "keel-tfstate-111122223333-us-east-1/account-444455556666-us-east-1/terraform.tfstate",
          "keel-tfstate-111122223333-us-east-1/account-444455556666-us-east-1/terraform.tfstate-md5",
          "keel-tfstate-111122223333-us-east-1/prod/terraform.tfstate",
          "keel-tfstate-111122223333-us-east-1/prod/terraform.tfstate-md5",
        ],
      },
    });
    expect(statements.find((s) => s.Sid === "UseStateKeyThroughS3AndDynamoDB")).toMatchObject({
      Resource: "${aws_kms_key.state_key.arn}",
      Condition: { StringEquals: { "kms:ViaService": ["s3.us-east-1.amazonaws.com", "dynamodb.us-east-1.amazonaws.com"] } },
    });
    expect(JSON.stringify(statements)).not.toContain("dev/terraform.tfstate");
  });
});

describe("protection profiles, as each module reads them", () => {
  const production = synthJson(realStacks().get("production")!);
  const dev = synthJson(realStacks().get("dev")!);

  it("protects every production log group from destroy: audit (flow logs, pgAudit, sessions, exec, WAF) and application logs", () => {
    const groups = Object.values(resources(production, "aws_cloudwatch_log_group"));
    expect(groups).toHaveLength(8);
    for (const group of groups) expect({ name: group.name, lifecycle: group.lifecycle }).toEqual({ name: group.name, lifecycle: { prevent_destroy: true } });
  });

  it("protects production's image repositories and buckets, and its load balancer from deletion", () => {
    const protectedOnes = [...Object.values(resources(production, "aws_ecr_repository")), ...Object.values(resources(production, "aws_s3_bucket"))];
    expect(protectedOnes).toHaveLength(4);
    for (const r of protectedOnes) expect(r.lifecycle).toEqual({ prevent_destroy: true });
    expect(Object.values(resources(production, "aws_lb"))[0].enable_deletion_protection).toBe(true);
    expect(Object.values(resources(dev, "aws_lb"))[0].enable_deletion_protection).toBe(false);
  });

  it("protects production's database: deletion protection, final snapshot, prevent_destroy; keys prevent_destroy; 30-day secret recovery", () => {
    expect(Object.values(resources(production, "aws_rds_cluster"))[0]).toMatchObject({
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "omnirapeutic-production-final",
      lifecycle: { prevent_destroy: true },
    });
    // The database, logs, secrets and backup-vault keys.
    const keys = Object.values(resources(production, "aws_kms_key"));
    expect(keys).toHaveLength(4);
    for (const key of keys) expect(key.lifecycle).toEqual({ prevent_destroy: true });
    const secrets = Object.values(resources(production, "aws_secretsmanager_secret"));
    expect(secrets).toHaveLength(2);
    for (const secret of secrets) expect(secret.recovery_window_in_days).toBe(30);
  });

  it("leaves a disposable environment (dev) destroyable in every one of those places", () => {
    const groups = Object.values(resources(dev, "aws_cloudwatch_log_group"));
    expect(groups).toHaveLength(6);
    for (const group of groups) expect(group.lifecycle).toEqual({ prevent_destroy: false });
    const others = [...Object.values(resources(dev, "aws_ecr_repository")), ...Object.values(resources(dev, "aws_s3_bucket"))];
    expect(others).toHaveLength(2);
    for (const r of others) expect(r.lifecycle).toEqual({ prevent_destroy: false });
    const secrets = Object.values(resources(dev, "aws_secretsmanager_secret"));
    expect(secrets).toHaveLength(2);
    for (const secret of secrets) expect(secret.recovery_window_in_days).toBe(7);
  });
});
