import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TerraformState, driftOf, renderStatus, retainedAddresses, shellPlan, statusReport } from "../tools/ops";

// Day-two commands (keel db-shell, status, teardown) on fixture states, and
// db-shell as a user runs it, with a fake `aws` on PATH that records its
// arguments: no AWS, no terraform.

const SECRET = "arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!cluster-0a1b-AbCdEf";
const outputs = (extra: Record<string, string> = {}): TerraformState["outputs"] =>
  Object.fromEntries(
    Object.entries({
      bastion_instance_id: "i-0123456789abcdef0",
      bastion_tunnel_document: "omnirapeutic-production-bastion-db-tunnel",
      aurora_cluster_endpoint: "omnirapeutic-production.cluster-c1.us-east-1.rds.amazonaws.com",
      aurora_master_user_secret_arn: SECRET,
      alb_dns_name: "keel-production-alb-1.us-east-1.elb.amazonaws.com",
      vpc_id: "vpc-0123",
      ...extra,
    }).map(([k, v]) => [k, { value: v }]),
  );
const STATE: TerraformState = {
  serial: 42,
  lineage: "l",
  terraform_version: "1.11.4",
  outputs: outputs(),
  resources: [
    { mode: "managed", type: "aws_vpc", name: "vpc", instances: [{}] },
    { mode: "managed", type: "aws_subnet", name: "s", instances: [{}, {}] },
    { mode: "data", type: "aws_iam_policy_document", name: "d", instances: [{}] },
  ],
};
const DB = { engine: "aurora" as const, databaseName: "omnirapeutic", masterUsername: "omniadmin", port: 5432 };

describe("db-shell's session", () => {
  it("forwards a local port to the database endpoint through Keel's tunnel document on the bastion, and prints psql with the password fetched from the managed secret, never the password", () => {
    const plan = shellPlan("production", STATE, DB, { region: "us-east-1", profile: "prod", localPort: 15432, restored: false });
    expect(plan.command).toEqual([
      "ssm",
      "start-session",
      "--target",
      "i-0123456789abcdef0",
      "--document-name",
      "omnirapeutic-production-bastion-db-tunnel",
      "--parameters",
      "host=omnirapeutic-production.cluster-c1.us-east-1.rds.amazonaws.com,portNumber=5432,localPortNumber=15432",
      "--region",
      "us-east-1",
      "--profile",
      "prod",
    ]);
    expect(plan.psql).toBe(
      `PGPASSWORD="$(aws secretsmanager get-secret-value --secret-id '${SECRET}' --query SecretString --output text --region us-east-1 --profile prod | jq -r .password)" psql "host=127.0.0.1 port=15432 dbname=omnirapeutic user=omniadmin sslmode=require"`,
    );
  });

  it("says what is missing when the stack has no bastion, no tunnel document yet, or no restore beside the database", () => {
    const without = (name: string): TerraformState => ({ ...STATE, outputs: Object.fromEntries(Object.entries(STATE.outputs!).filter(([k]) => k !== name)) });
    expect(() => shellPlan("production", without("bastion_instance_id"), DB, { region: "us-east-1", localPort: 1, restored: false })).toThrow("production: the state has no output bastion-instance-id: apply the environment with its bastion section first");
    expect(() => shellPlan("production", without("bastion_tunnel_document"), DB, { region: "us-east-1", localPort: 1, restored: false })).toThrow("no output bastion-tunnel-document: apply the environment again");
    expect(() => shellPlan("production", STATE, DB, { region: "us-east-1", localPort: 1, restored: true })).toThrow("no output aurora-restored-endpoint: the environment has no aurora.restore");
    const restored = { ...STATE, outputs: outputs({ aurora_restored_endpoint: "r1.cluster", aurora_restored_master_user_secret_arn: `${SECRET}-r1` }) };
    expect(shellPlan("production", restored, DB, { region: "us-east-1", localPort: 1, restored: true })).toMatchObject({ host: "r1.cluster", secretArn: `${SECRET}-r1` });
  });
});

describe("status", () => {
  const live = { stack: "production", dir: "/x", source: "backend" as const };

  it("counts managed resources, keeps the outputs a person needs, and reports drift by resource and attribute", () => {
    const report = statusReport(live, { state: STATE }, [{ address: "aws_cloudwatch_log_group.x", attributes: ["retention_in_days"] }], 316.67);
    expect(report).toEqual({
      stack: "production",
      source: "backend",
      serial: 42,
      terraformVersion: "1.11.4",
      resources: 3,
      drift: { checked: true, resources: [{ address: "aws_cloudwatch_log_group.x", attributes: ["retention_in_days"] }] },
      outputs: {
        alb_dns_name: "keel-production-alb-1.us-east-1.elb.amazonaws.com",
        aurora_cluster_endpoint: "omnirapeutic-production.cluster-c1.us-east-1.rds.amazonaws.com",
        bastion_instance_id: "i-0123456789abcdef0",
        bastion_tunnel_document: "omnirapeutic-production-bastion-db-tunnel",
      },
      monthlyCostUsd: 316.67,
    });
    const text = renderStatus(report);
    expect(text).toContain("drift:       1 resource(s) changed outside Terraform");
    expect(text).toContain("~ aws_cloudwatch_log_group.x: retention_in_days");
    expect(renderStatus(statusReport(live, { state: STATE }, []))).toContain("drift:       none: AWS matches what the config sets");
    expect(renderStatus(statusReport(live, { state: STATE }, undefined))).toContain("drift:       not checked");
  });

  it("counts as drift what the next apply changes back: a configured attribute's new value, or a deleted resource; not the state catching up on computed attributes, nor AWS spelling an unset value differently", () => {
    const plan = {
      configuration: {
        root_module: {
          resources: [
            { address: "aws_cloudwatch_log_group.flow", expressions: { name: {}, retention_in_days: {} } },
            { address: "aws_security_group.db", expressions: { description: {}, vpc_id: {} } },
            { address: "aws_cloudwatch_metric_alarm.cpu", expressions: { dimensions: {}, insufficient_data_actions: {}, metric_query: {} } },
            { address: "aws_sqs_queue.jobs", expressions: { name: {} } },
          ],
        },
      },
      resource_drift: [
        { address: "aws_cloudwatch_log_group.flow", change: { actions: ["update"], before: { name: "f", retention_in_days: 365 }, after: { name: "f", retention_in_days: 14 } } },
        // Rules added by their own resources, recorded on the group: state catching up.
        { address: "aws_security_group.db", change: { actions: ["update"], before: { description: "d", ingress: [] }, after: { description: "d", ingress: [{ from_port: 5432 }] } } },
        // null, [], {} and 0 for the same unset values.
        {
          address: "aws_cloudwatch_metric_alarm.cpu",
          change: { actions: ["update"], before: { insufficient_data_actions: [], metric_query: [{ id: "m0", period: null, metric: [{ dimensions: null }] }] }, after: { insufficient_data_actions: null, metric_query: [{ id: "m0", period: 0, metric: [{ dimensions: {} }] }] } },
        },
        { address: "aws_sqs_queue.jobs", change: { actions: ["delete"], before: { name: "jobs" }, after: null } },
      ],
    };
    expect(driftOf(plan)).toEqual([
      { address: "aws_cloudwatch_log_group.flow", attributes: ["retention_in_days"] },
      { address: "aws_sqs_queue.jobs", attributes: ["(deleted outside Terraform)"] },
    ]);
  });

  it("never shows a sensitive output", () => {
    const state = { ...STATE, outputs: { ...STATE.outputs, db_url: { value: "postgres://u:p@h/db", sensitive: true } } };
    expect(JSON.stringify(statusReport(live, { state }, []))).not.toContain("postgres://");
  });
});

describe("teardown", () => {
  it("decommissions with final snapshots taken and the vault still locked; only deletion protection and prevent_destroy go", async () => {
    const { PROTECTION_PROFILES } = await import("../environments");
    expect(PROTECTION_PROFILES.decommission).toEqual({ ...PROTECTION_PROFILES.production, deletionProtection: false, preventDestroy: false, protectAuditLogs: false, emptyOnDestroy: true });
    expect(PROTECTION_PROFILES.decommission).toMatchObject({ finalSnapshot: true, lockBackups: true, secretRecoveryWindowInDays: 30 });
  });

  it("keeps exactly the backup vault, its lock and the database and backup keys out of a decommission's destroy", () => {
    expect(
      retainedAddresses([
        "aws_backup_plan.backup_plan",
        "aws_backup_selection.backup_selection",
        "aws_backup_vault.backup_vault",
        "aws_backup_vault_lock_configuration.backup_lock",
        "aws_kms_alias.security_backup_key_alias",
        "aws_kms_alias.security_database_key_alias",
        "aws_kms_alias.security_logs_key_alias",
        "aws_kms_key.security_backup_key",
        "aws_kms_key.security_database_key",
        "aws_kms_key.security_logs_key",
        "aws_rds_cluster.aurora",
        "aws_s3_bucket.buckets_uploads",
      ]),
    ).toEqual([
      "aws_backup_vault.backup_vault",
      "aws_backup_vault_lock_configuration.backup_lock",
      "aws_kms_alias.security_backup_key_alias",
      "aws_kms_alias.security_database_key_alias",
      "aws_kms_key.security_backup_key",
      "aws_kms_key.security_database_key",
    ]);
  });
});

describe("keel db-shell, as a user runs it", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "keel-db-shell-"));
  const bin = path.join(root, "bin");
  const recorded = path.join(root, "aws-args.txt");
  const saved = { PATH: process.env.PATH, KEEL_SANDBOX_ROOT: process.env.KEEL_SANDBOX_ROOT, KEEL_CONFIG: process.env.KEEL_CONFIG };

  beforeAll(() => {
    fs.mkdirSync(bin);
    // A fake AWS CLI and plugin: each records its arguments, one call per line, and succeeds.
    for (const tool of ["aws", "session-manager-plugin"]) {
      fs.writeFileSync(path.join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> "${recorded}"\nexit 0\n`, { mode: 0o755 });
    }
    // The reference production's outputs, as a sandbox working copy holds them.
    fs.mkdirSync(path.join(root, "sandbox", "environments", "production"), { recursive: true });
    fs.writeFileSync(path.join(root, "sandbox", "environments", "production", "terraform.tfstate"), JSON.stringify(STATE));
    process.env.KEEL_SANDBOX_ROOT = path.join(root, "sandbox");
    process.env.KEEL_CONFIG = "examples/omnirapeutic";
  });
  afterEach(() => fs.rmSync(recorded, { force: true }));
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const { main } = await import("../tools/cli");
    const out: string[] = [];
    const err: string[] = [];
    const stdout = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => out.push(String(chunk)) > 0);
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => err.push(String(chunk)) > 0);
    try {
      return { code: await main(args), stdout: out.join(""), stderr: err.join("") };
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  }

  it("checks the CLI and its plugin, then starts the session with exactly the tunnel's arguments, and prints the psql line without a password", async () => {
    process.env.PATH = `${bin}${path.delimiter}${saved.PATH}`;
    const { code, stdout } = await cli("db-shell", "production", "--sandbox");
    expect(code).toBe(0);
    const calls = fs.readFileSync(recorded, "utf8").trim().split("\n");
    expect(calls).toEqual([
      "aws --version",
      "session-manager-plugin --version",
      "aws ssm start-session --target i-0123456789abcdef0 --document-name omnirapeutic-production-bastion-db-tunnel --parameters host=omnirapeutic-production.cluster-c1.us-east-1.rds.amazonaws.com,portNumber=5432,localPortNumber=15432 --region us-east-1",
    ]);
    expect(stdout).toContain(`--secret-id '${SECRET}'`);
    expect(stdout).toContain('psql "host=127.0.0.1 port=15432 dbname=omnirapeutic user=omniadmin sslmode=require"');
  });

  it("fails clearly, before anything starts, without the Session Manager plugin", async () => {
    fs.renameSync(path.join(bin, "session-manager-plugin"), path.join(root, "plugin-away"));
    process.env.PATH = `${bin}${path.delimiter}/usr/bin${path.delimiter}/bin`;
    try {
      const { code, stderr } = await cli("db-shell", "production", "--sandbox");
      expect(code).toBe(1);
      expect(stderr).toContain("the Session Manager plugin for the AWS CLI (`session-manager-plugin`)");
      expect(fs.readFileSync(recorded, "utf8")).not.toContain("start-session");
    } finally {
      fs.renameSync(path.join(root, "plugin-away"), path.join(bin, "session-manager-plugin"));
    }
  });

  it("fails clearly without the AWS CLI", async () => {
    process.env.PATH = `${path.join(root, "empty")}${path.delimiter}/nonexistent`;
    const { code, stderr } = await cli("db-shell", "production", "--sandbox", "--local-port", "6543");
    expect(code).toBe(1);
    expect(stderr).toContain("the AWS CLI v2 (`aws`)");
  });

  it("refuses an environment without a bastion, naming the section to add", async () => {
    process.env.PATH = `${bin}${path.delimiter}${saved.PATH}`;
    const { code, stderr } = await cli("db-shell", "nora", "--sandbox");
    expect(code).toBe(1);
    expect(stderr).toContain("nora has no bastion: db-shell reaches the database through Session Manager on the bastion. Add a `bastion` section");
    expect(fs.existsSync(recorded)).toBe(false);
  });

  it("keel teardown refuses a production-profile environment, with the deliberate path, before reading any state", async () => {
    const { code, stderr } = await cli("teardown", "production", "--sandbox", "--yes");
    expect(code).toBe(3);
    expect(stderr).toContain('set protection: "decommission" in production\'s environment file; review `npx keel plan production`');
  });

  it("prints the commands with --print and starts nothing; refuses a bad local port", async () => {
    process.env.PATH = `${bin}${path.delimiter}${saved.PATH}`;
    const printed = await cli("db-shell", "production", "--sandbox", "--print", "--local-port", "6543");
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain("aws ssm start-session --target i-0123456789abcdef0");
    expect(printed.stdout).toContain("localPortNumber=6543");
    expect(fs.existsSync(recorded)).toBe(false);
    expect((await cli("db-shell", "production", "--local-port", "99999")).code).toBe(2);
  });
});
