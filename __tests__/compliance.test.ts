import * as fs from "node:fs";
import * as path from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { AREAS, NOT_CHECKED_ALONE, RULES, StackReport, blocking, checkStack, enforceCompliance, isEnforced, suppress } from "../modules/compliance";
import { buildAccountsAndEnvironments, buildApp } from "../stacks";
import { loadConfig, validateEnvironment } from "../environments";
import { referenceConfig } from "./support/stacks";
import project from "../examples/omnirapeutic/project";
import { EnvironmentStack } from "../stacks";
import { TEST_TODAY } from "./support/clock";
import { configError, devConfig } from "./support/config";
import { worldStack } from "./support/compliance-world";
import production from "../examples/omnirapeutic/production";
import { AccountStack } from "../stacks/account-stack";
import { HttpApi } from "../modules/api";
import { Bucket } from "../modules/buckets";
import { Certificate, HostedZone } from "../modules/dns";
import { moduleStack } from "./support/module-stack";
import { TEST_KEY } from "./support/network";

const stacksOf = (app: ReturnType<typeof Testing.app>) => app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
const appStacks = stacksOf(buildApp(Testing.app(), referenceConfig()));
// The examples whole: their account stacks (trails, budgets, account settings) as well as their environments.
const exampleStacks = stacksOf(buildAccountsAndEnvironments(Testing.app(), loadConfig(path.join(__dirname, "..", "examples")), "examples"));
const reportOf = (stack: TerraformStack): StackReport => checkStack(stack, { enforced: isEnforced(stack), today: TEST_TODAY });
const reports = new Map([...appStacks, ...exampleStacks].map((s) => [s.node.id, reportOf(s)]));

describe("the rule pack", () => {
  it("has at least 80 rules with unique kebab-case ids", () => {
    expect(RULES.length).toBeGreaterThanOrEqual(80);
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
  });

  it("is counted right in the README and the module README", () => {
    for (const file of ["README.md", "modules/compliance/README.md"]) {
      expect(fs.readFileSync(path.join(__dirname, "..", file), "utf8")).toMatch(new RegExp(`\\b${RULES.length} (rules|of them)\\b`));
    }
  });

  it("cites for every rule a checkov check, a cdk-nag rule or a Security Hub control", () => {
    const citation = /^(checkov CKV2?_AWS_\d+|cdk-nag (AwsSolutions|HIPAA\.Security)-[A-Za-z0-9]+|Security Hub [A-Za-z0-9]+\.\d+)$/;
    for (const r of RULES) {
      expect(r.refs.length).toBeGreaterThan(0);
      for (const ref of r.refs) expect(`${r.id}: ${ref}`).toMatch(new RegExp(`: ${citation.source.slice(1)}`));
    }
  });

  it("covers every area the review issue names, at both levels", () => {
    for (const area of Object.keys(AREAS)) expect(`${area}: ${RULES.filter((r) => r.area === area).length}`).not.toBe(`${area}: 0`);
    expect(RULES.filter((r) => r.level === "error").length).toBeGreaterThan(40);
    expect(RULES.filter((r) => r.level === "warning").length).toBeGreaterThan(20);
  });

  it("inspects every resource type Keel creates, or says why a type needs no rule of its own", () => {
    // Options no environment or example turns on are built here, so their types are covered too.
    const examples = loadConfig(path.join(__dirname, "..", "examples")).project;
    const optional = moduleStack();
    new HttpApi(optional, "api", { backendUrl: "https://backend.example.com/{proxy}", jwt: { issuer: "https://issuer.example.com", audience: ["client"] }, logKmsKeyArn: TEST_KEY });
    // A certificate Keel issues, for names whose team brings none (the examples bring theirs).
    new Certificate(optional, "certificate", { domainNames: ["api.example.com"], zone: new HostedZone(optional, "zone", { zoneId: "Z0123456789ABCDEFGHIJ", zoneName: "example.com" }) });
    new Bucket(optional, "archive", { name: "archive", encryption: "s3-managed", intelligentTiering: { archiveAccessDays: 90 }, protection: { preventDestroy: false, emptyOnDestroy: true } });
    const apiAccount = new AccountStack(Testing.app(), examples, examples.accounts.find((a) => a.apiGatewayLogging === true)!, "us-east-1");
    const budgetAccount = new AccountStack(Testing.app(), examples, examples.accounts.find((a) => a.budget !== undefined)!, "us-east-1");
    const types = new Set([...appStacks, ...exampleStacks, optional, apiAccount, budgetAccount].flatMap((s) => Object.keys((s.toTerraform() as { resource: object }).resource)));
    expect(types.size).toBeGreaterThan(60);
    const inspected = new Set(RULES.flatMap((r) => r.types));
    const uncovered = [...types].filter((t) => !inspected.has(t) && NOT_CHECKED_ALONE[t] === undefined);
    expect(uncovered).toEqual([]);
    // The list names no inspected type and nothing Keel stopped creating.
    expect(Object.keys(NOT_CHECKED_ALONE).filter((t) => inspected.has(t))).toEqual([]);
    expect(Object.keys(NOT_CHECKED_ALONE).filter((t) => !types.has(t) && t !== "aws_s3_bucket_logging" && t !== "aws_ssm_parameter")).toEqual([]);
  });
});

describe("Keel's own stacks", () => {
  it("enforce errors in production-protected environments and in the bootstrap and account stacks only", () => {
    const enforced = Object.fromEntries([...appStacks, ...exampleStacks].map((s) => [s.node.id, isEnforced(s)]));
    expect(enforced).toEqual({
      bootstrap: true,
      "account-111122223333-us-east-1": true,
      "account-059364397483-us-east-1": true,
      "account-706704660887-us-east-1": true,
      "account-741783034843-us-east-1": true,
      dev: false,
      staging: false,
      production: true,
      mentalspace: true,
      nora: true,
      outreachpass: true,
      startupwebapp: true,
    });
  });

  it.each([...reports.keys()])("%s: no error finding stops its synth, and no suppression is unused", (id) => {
    const report = reports.get(id)!;
    expect(report.resources).toBeGreaterThan(5);
    expect(blocking(report).map((f) => `${f.rule} ${f.address}`)).toEqual([]);
    expect(report.unused).toEqual([]);
  });

  it("production: its only suppressed error is the HTTP listener, until the date its config gives", () => {
    const report = reports.get("production")!;
    const errors = report.findings.filter((f) => f.level === "error");
    expect(errors.map((f) => [f.rule, f.address, f.suppressed?.expires])).toEqual([["alb-https-listener", "aws_lb_listener.alb_http", "2027-05-31"]]);
    expect(errors[0].suppressed?.reason).toMatch(/certificate/);
    // Every suppression carries a reason of its own.
    for (const f of report.findings.filter((x) => x.suppressed)) expect(f.suppressed!.reason.length).toBeGreaterThanOrEqual(20);
  });

  it("production: accepts exactly these findings, each decided next to its resource", () => {
    const suppressed = reports
      .get("production")!
      .findings.filter((f) => f.suppressed !== undefined)
      .map((f) => `${f.rule} ${f.address} @ ${f.suppressed!.scope}`);
    expect(suppressed).toEqual([
      "nacl-no-public-admin-ports aws_default_network_acl.vpc_default_network_acl @ production/vpc/default-network-acl",
      "iam-no-aws-managed-policies aws_iam_role_policy_attachment.aurora_monitoring_role_managed_service_role_amazonrdsenhancedmonitoringrole @ production/aurora/monitoring-role/managed-service-role-amazonrdsenhancedmonitoringrole",
      "iam-no-aws-managed-policies aws_iam_role_policy_attachment.backup_role_managed_awsbackupservicerolepolicyfors3backup @ production/backup/role/managed-awsbackupservicerolepolicyfors3backup",
      "iam-no-aws-managed-policies aws_iam_role_policy_attachment.backup_role_managed_awsbackupservicerolepolicyfors3restore @ production/backup/role/managed-awsbackupservicerolepolicyfors3restore",
      "iam-no-aws-managed-policies aws_iam_role_policy_attachment.backup_role_managed_service_role_awsbackupservicerolepolicyforbackup @ production/backup/role/managed-service-role-awsbackupservicerolepolicyforbackup",
      "iam-no-aws-managed-policies aws_iam_role_policy_attachment.backup_role_managed_service_role_awsbackupservicerolepolicyforrestores @ production/backup/role/managed-service-role-awsbackupservicerolepolicyforrestores",
      "iam-no-aws-managed-policies aws_iam_role_policy_attachment.bastion_role_managed_amazonssmmanagedinstancecore @ production/bastion/role/managed-amazonssmmanagedinstancecore",
      "ec2-detailed-monitoring aws_instance.bastion @ production/bastion/resource",
      "alb-https-listener aws_lb_listener.alb_http @ production/alb/http",
      "lb-target-group-https aws_lb_target_group.alb_target_group_api @ production/alb/target-group-api",
      "lb-target-group-https aws_lb_target_group.alb_target_group_web @ production/alb/target-group-web",
      "rds-multi-az aws_rds_cluster.aurora @ production/aurora/resource",
      "rds-auto-minor-version-upgrade aws_rds_cluster_instance.aurora_writer @ production/aurora/writer",
      "secret-rotation aws_secretsmanager_secret.security_secret_api_keys @ production/security/secret-api-keys/resource",
      "secret-rotation aws_secretsmanager_secret.security_secret_session_signing_key @ production/security/secret-session-signing-key/resource",
    ]);
  });

  it("dev is advisory: its errors are reported (disposable protection) but stop nothing", () => {
    const report = reports.get("dev")!;
    expect(report.findings.filter((f) => f.level === "error" && !f.suppressed).map((f) => f.rule)).toEqual(
      expect.arrayContaining(["rds-deletion-protection", "alb-deletion-protection"]),
    );
    expect(blocking(report)).toEqual([]);
  });
});

describe("suppressions", () => {
  const broken = () => worldStack({ changes: { "aws_kms_key.key": { enable_key_rotation: false }, "aws_subnet.subnet": { map_public_ip_on_launch: true } } });
  const find = (report: StackReport, rule: string) => report.findings.find((f) => f.rule === rule)!;

  it("hold with their reason, and cover every resource below the construct they are on", () => {
    const stack = broken();
    suppress(stack, { rule: "subnet-no-auto-public-ip", reason: "public subnets of a lab VPC, with no instances" });
    const report = checkStack(stack, { enforced: true, today: TEST_TODAY });
    expect(find(report, "subnet-no-auto-public-ip").suppressed).toEqual({ rule: "subnet-no-auto-public-ip", reason: "public subnets of a lab VPC, with no instances", scope: "world" });
    expect(blocking(report).map((f) => f.rule)).toEqual(["kms-key-rotation"]);
  });

  it("of an error in a production stack need an expiry date, and stop holding after it", () => {
    const reason = "the key is imported material; rotation is manual";
    const without = broken();
    suppress(without.node.findChild("key"), { rule: "kms-key-rotation", reason });
    const refused = find(checkStack(without, { enforced: true, today: TEST_TODAY }), "kms-key-rotation");
    expect(refused.suppressed).toBeUndefined();
    expect(refused.suppressionRefused).toBe("the suppression at world/key has no expiry date, which an error-level rule in a production stack needs");
    // Not enforced (a disposable environment): the same suppression holds.
    expect(find(checkStack(without, { enforced: false, today: TEST_TODAY }), "kms-key-rotation").suppressed?.reason).toBe(reason);

    const dated = broken();
    suppress(dated.node.findChild("key"), { rule: "kms-key-rotation", reason, expires: "2026-12-31" });
    expect(find(checkStack(dated, { enforced: true, today: "2026-12-31" }), "kms-key-rotation").suppressed?.expires).toBe("2026-12-31");
    const expired = find(checkStack(dated, { enforced: true, today: "2027-01-01" }), "kms-key-rotation");
    expect(expired.suppressed).toBeUndefined();
    expect(expired.suppressionRefused).toBe("the suppression at world/key expired on 2026-12-31");
  });

  it("that match no finding are reported as unused", () => {
    const stack = worldStack();
    suppress(stack.node.findChild("key"), { rule: "kms-key-rotation", reason: "kept from before rotation was on", expires: "2027-01-01" });
    expect(checkStack(stack, { enforced: true, today: TEST_TODAY }).unused).toEqual([
      { rule: "kms-key-rotation", reason: "kept from before rotation was on", expires: "2027-01-01", scope: "world/key" },
    ]);
  });

  it("need a known rule, a written reason and a real date", () => {
    const stack = worldStack();
    expect(() => suppress(stack, { rule: "s3-everything", reason: "because we always did it this way" })).toThrow(
      'Suppression on world: rule "s3-everything" is not allowed: a rule id from `npx keel check --list-rules`',
    );
    expect(() => suppress(stack, { rule: "kms-key-rotation", reason: "legacy" })).toThrow(/reason "legacy" is not allowed: a written reason of at least 20 characters/);
    expect(() => suppress(stack, { rule: "kms-key-rotation", reason: "rotation is handled by the HSM", expires: "2027-02-30" })).toThrow(
      'expires "2027-02-30" is not allowed: a date as YYYY-MM-DD',
    );
  });
});

describe("synth-time enforcement", () => {
  it("fails validation of an enforced stack with one line per error finding, and leaves an advisory one alone", () => {
    const enforced = worldStack({ changes: { "aws_kms_key.key": { enable_key_rotation: false }, "aws_subnet.subnet": { map_public_ip_on_launch: true } } });
    enforceCompliance(enforced, true, TEST_TODAY);
    expect(enforced.node.validate()).toEqual([
      "compliance rule kms-key-rotation (error): aws_kms_key.key: enable_key_rotation is not true. Fix it, or suppress it next to the resource with a reason and an expiry date; `npx keel check world` shows every finding.",
    ]);
    const advisory = worldStack({ changes: { "aws_kms_key.key": { enable_key_rotation: false } } });
    enforceCompliance(advisory, false, TEST_TODAY);
    expect(advisory.node.validate()).toEqual([]);
  });
});

describe("suppressions in environment config", () => {
  const suppression = { resource: "aws_lb.alb", rule: "alb-deletion-protection", reason: "dev is rebuilt every week from scratch" };

  it("attach to the resource at the address, and keel check prints the reason", () => {
    const stack = new EnvironmentStack(Testing.app(), validateEnvironment(devConfig((c) => (c.suppressions = [suppression])), "dev", project), project);
    const finding = checkStack(stack, { enforced: false, today: TEST_TODAY }).findings.find((f) => f.rule === "alb-deletion-protection")!;
    expect(finding.suppressed).toEqual({ rule: suppression.rule, reason: suppression.reason, scope: "dev/alb/resource" });
  });

  it("never cover a resource the team adds silently: a secret without rotatedAtSource is reported, one with it carries the team's reason", () => {
    const secrets = [
      { name: "partner-token", description: "Token a partner issues to us" },
      { name: "vendor-key", description: "Key from a vendor console", rotatedAtSource: "The vendor rotates it every 90 days and mails the new key" },
    ];
    const stack = new EnvironmentStack(Testing.app(), validateEnvironment(devConfig((c) => (c.security = { secrets })), "dev", project), project);
    const rotation = checkStack(stack, { enforced: false, today: TEST_TODAY }).findings.filter((f) => f.rule === "secret-rotation");
    expect(rotation.map((f) => [f.address, f.suppressed?.reason])).toEqual([
      ["aws_secretsmanager_secret.security_secret_partner_token", undefined],
      ["aws_secretsmanager_secret.security_secret_vendor_key", "The vendor rotates it every 90 days and mails the new key"],
    ]);
    expect(configError(devConfig((c) => (c.security = { secrets: [{ ...secrets[1], rotatedAtSource: "they do" }] }))).message).toContain(
      "field 'security.secrets.0.rotatedAtSource': value \"they do\" is not allowed: a written reason of at least",
    );
  });

  it("name an address the stack has, and a rule that checks that resource's type", () => {
    const unknown = configError(devConfig((c) => (c.suppressions = [{ ...suppression, resource: "aws_lb.load_balancer" }])));
    expect(unknown.message).toBe(
      "environment 'dev' (environments/dev.ts): field 'suppressions.0.resource': value \"aws_lb.load_balancer\" is not allowed: the Terraform address of a resource of this environment, as `terraform plan` and `keel check` print it",
    );
    const wrongType = configError(devConfig((c) => (c.suppressions = [{ ...suppression, rule: "kms-key-rotation" }])));
    expect(wrongType.message).toMatch(/field 'suppressions.0.rule': value "kms-key-rotation" is not allowed: a rule that checks aws_lb: alb-drop-invalid-headers, /);
  });

  it("are checked as written: rule, reason, date, and an expiry for an error rule in production", () => {
    const bad = configError(
      devConfig((c) => {
        c.protection = "production";
        c.suppressions = [
          { ...suppression, rule: "alb-everything" },
          { ...suppression, reason: "dev", expires: "2027-01-01" },
          { ...suppression, expires: "tomorrow" },
          suppression,
        ];
      }),
    );
    expect(bad.issues.map((i) => `${i.field}: ${i.allowed}`)).toEqual([
      "suppressions.0.rule: a rule id from `npx keel check --list-rules`",
      "suppressions.1.reason: a written reason of at least 20 characters: what compensates, or who accepted what",
      "suppressions.2.expires: a date as YYYY-MM-DD",
      "suppressions.3.expires: a date (YYYY-MM-DD): suppressing the error-level rule alb-deletion-protection in a production environment needs an expiry",
    ]);
  });

  it("production's own suppressions name resources and rules that exist", () => {
    expect(production.suppressions?.length).toBe(2);
    for (const s of production.suppressions ?? []) expect(RULES.find((r) => r.id === s.rule)).toBeDefined();
  });
});
