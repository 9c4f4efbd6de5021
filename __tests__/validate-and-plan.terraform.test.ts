import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT, WORK } from "../tools/project";
import { TerraformPlan } from "../tools/stacks";
import { destroyCount, renderMarkdown, summarizePlan } from "../tools/review/plan-summary";
import { ExportCheck, TwinPlans, changesOf, checkExports, moduleName, planTwins } from "../tools/hcl/gate";
import { STRESS_STACK } from "./fixtures/hcl-stress";
import { ReferenceForGate, defaultSecurityGroupsLocked, referenceForGate } from "./support/gate";

// The real terraform (providers from the local mirror when present), offline:
// Keel's reference platform and keel hcl's stress fixture, each as its
// synthesized JSON and as its HCL export. The gate (tools/hcl/gate.ts) checks
// the HCL with terraform fmt and validates every export in one root; then it
// plans the JSON stacks beside their HCL twins in one root: one start of the
// AWS provider per configuration instead of one per stack and format.
// The fast tier plans the twins of bootstrap, the account stack, production
// (seed 003, the design centre) and the stress fixture. Dev's and staging's
// twins, and bootstrap planned as a root of its own, are in
// gate-environments-plan.terraform.test.ts, in the integration tier; the seed
// examples' exports are checked in gate-examples.terraform.test.ts, on the
// other jest worker.
jest.setTimeout(300_000);

const ACCOUNT = "account-111122223333-us-east-1";
/** The stacks whose twins the fast tier plans. */
const PLANNED = ["bootstrap", ACCOUNT, "production", STRESS_STACK];

/** One stack's planned changes from the gate's plan, addressed as in a plan of that stack alone. */
const planOf = (stack: string): TerraformPlan => ({
  resource_changes: [...changesOf(twins.plan, moduleName("json", stack))].map(([address, c]) => ({ ...c, address })),
});

/** Resources to create, by type, as keel plan's summary counts them. */
const countByType = (plan: TerraformPlan): Record<string, number> =>
  Object.fromEntries(Object.entries(summarizePlan(plan).byType).map(([type, counts]) => [type, counts.create]));

let reference: ReferenceForGate;
let checked: ExportCheck;
let twins: TwinPlans;

beforeAll(async () => {
  reference = await referenceForGate("gate", true);
  const workDir = path.join(WORK, "work", "hcl-gate");
  const lock = path.join(ROOT, ".terraform.lock.hcl");
  checked = await checkExports(reference.all, workDir, lock);
  twins = await planTwins(reference.all.filter((s) => PLANNED.includes(s.name)), workDir, lock);
});

it("synthesizes bootstrap, the account stack and every environment", () => {
  expect(reference.stacks).toEqual([ACCOUNT, "bootstrap", "dev", "production", "staging"]);
});

it("plans bootstrap, the account stack, production and the stress fixture offline, leaving cdktf output untouched", () => {
  expect(twins.stacks.map((s) => s.name).sort()).toEqual([...PLANNED].sort());
  for (const s of twins.stacks) expect({ stack: s.name, planned: s.resources > 0 }).toEqual({ stack: s.name, planned: true });
  for (const stack of reference.stacks) expect(fs.readdirSync(path.join(reference.outDir, "stacks", stack)).filter((f) => f.includes("override") || f.endsWith(".tf"))).toEqual([]);
});

describe("keel hcl's gate", () => {
  it("exports every stack and the stress fixture into files named after their top-level constructs", () => {
    expect(reference.exported.get("production")).toEqual(
      expect.arrayContaining(["backend.tf", "providers.tf", "outputs.tf", "vpc.tf", "aurora.tf", "ecs.tf", "alb.tf", "waf.tf", "alarms.tf"]),
    );
    expect(reference.exported.get(STRESS_STACK)).toEqual(["backend.tf", "locals.tf", "main.tf", "moved.tf", "outputs.tf", "providers.tf", "variables.tf"]);
  });

  it("keeps every exported default security group locked down: no ingress, no egress", () => {
    const exports = [...reference.exported.keys()].filter((s) => s !== STRESS_STACK && s !== "bootstrap" && !s.includes("account-"));
    expect(exports).toEqual(["dev", "production", "staging"]);
    expect(defaultSecurityGroupsLocked(reference.hclDir, exports)).toEqual(exports.map((stack) => ({ stack, locked: true })));
  });

  it("leaves nothing for terraform fmt -check to change", () => {
    expect(checked.unformatted).toEqual([]);
  });

  it("validates every export with 0 errors and 0 warnings", () => {
    expect(checked.validate).toEqual({ errors: 0, warnings: 0, diagnostics: [] });
  });

  it.each(PLANNED)(
    "plans %s's HCL exactly as its JSON: the same addresses, values, unknowns, sensitivity, data reads and outputs",
    (stack) => {
      const result = twins.stacks.find((s) => s.name === stack)!;
      expect(result.resources).toBeGreaterThan(0);
      expect(result.differences).toEqual([]);
    },
  );

  it("plans the stress fixture's counted, for_each and module resources in both forms", () => {
    const addresses = [...changesOf(twins.plan, moduleName("hcl", STRESS_STACK)).keys()];
    expect(addresses).toEqual(
      expect.arrayContaining([
        "terraform_data.counted[0]",
        "terraform_data.counted[1]",
        'terraform_data.each["a"]',
        'terraform_data.each["b"]',
        "module.greeter.terraform_data.inside",
        "aws_wafv2_web_acl.waf",
      ]),
    );
    expect(twins.plan.output_changes?.[`${moduleName("hcl", STRESS_STACK)}__out_windows_path`]?.after).toBe("C:\\temp\\new");
    expect(twins.plan.output_changes?.[`${moduleName("hcl", STRESS_STACK)}__out_crlf`]?.after).toBe("first\r\nsecond\r\n");
    expect(twins.plan.output_changes?.[`${moduleName("hcl", STRESS_STACK)}__out_number_like`]?.after).toBe("0123");
  });
});

it("plans production as seed 003, as Terraform itself counts it", () => {
  expect(countByType(planOf("production"))).toMatchObject({
    aws_subnet: 9,
    aws_nat_gateway: 3,
    aws_eip: 3,
    aws_route_table: 7,
    // The database, logs and secrets keys, and the backup vault's.
    aws_kms_key: 4,
    aws_rds_cluster: 1,
    aws_rds_cluster_instance: 1,
    aws_instance: 1,
    aws_cloudwatch_log_group: 8,
    aws_flow_log: 1,
    aws_vpc_endpoint: 1,
    // The request path: WAF -> ALB -> ECS (api, web, worker) -> Aurora.
    aws_wafv2_web_acl: 1,
    aws_wafv2_web_acl_association: 1,
    aws_wafv2_web_acl_logging_configuration: 1,
    aws_lb: 1,
    aws_lb_listener: 1,
    aws_lb_listener_rule: 1,
    aws_lb_target_group: 2,
    aws_s3_bucket: 1,
    aws_ecr_repository: 3,
    aws_ecs_cluster: 1,
    aws_ecs_service: 3,
    aws_ecs_task_definition: 3,
    aws_security_group: 6,
    aws_vpc_security_group_ingress_rule: 7,
    aws_vpc_security_group_egress_rule: 9,
    // Seed 003's alarms on the environment's own resources, and the dashboard.
    aws_cloudwatch_metric_alarm: 17,
    aws_cloudwatch_log_metric_filter: 2,
    aws_cloudwatch_dashboard: 1,
    aws_sns_topic: 1,
    // AWS Backup of the cluster: a locked vault, the daily plan, the selection.
    aws_backup_vault: 1,
    aws_backup_vault_lock_configuration: 1,
    aws_backup_plan: 1,
    aws_backup_selection: 1,
  });
});

it("plans the account stack: EBS encryption by default, Session Manager defaults, the trail, Config with the HIPAA pack, GuardDuty, the account's alarms and the CI roles", () => {
  expect(countByType(planOf(ACCOUNT))).toEqual({
    aws_cloudtrail: 1,
    aws_cloudwatch_event_rule: 1,
    aws_cloudwatch_event_target: 1,
    aws_cloudwatch_log_group: 2,
    aws_cloudwatch_log_metric_filter: 3,
    aws_cloudwatch_metric_alarm: 4,
    aws_config_configuration_recorder: 1,
    aws_config_configuration_recorder_status: 1,
    aws_config_conformance_pack: 1,
    aws_config_delivery_channel: 1,
    aws_ebs_default_kms_key: 1,
    aws_ebs_encryption_by_default: 1,
    aws_guardduty_detector: 1,
    aws_guardduty_detector_feature: 5,
    // Keyless CI (project.ci): GitHub's OIDC provider, the plan and apply roles, the apply role's boundary.
    aws_iam_openid_connect_provider: 1,
    aws_iam_policy: 1,
    aws_iam_role: 4,
    aws_iam_role_policy: 3,
    aws_iam_role_policy_attachment: 3,
    aws_kms_alias: 3,
    aws_kms_key: 3,
    aws_s3_account_public_access_block: 1,
    aws_s3_bucket: 2,
    aws_s3_bucket_lifecycle_configuration: 2,
    aws_s3_bucket_ownership_controls: 2,
    aws_s3_bucket_policy: 2,
    aws_s3_bucket_public_access_block: 2,
    aws_s3_bucket_server_side_encryption_configuration: 2,
    aws_s3_bucket_versioning: 2,
    aws_sns_topic: 1,
    aws_sns_topic_policy: 1,
    aws_sns_topic_subscription: 1,
    aws_ssm_document: 1,
  });
});

it("plans bootstrap: the state bucket and lock table, no access role in a single-account project", () => {
  expect(countByType(planOf("bootstrap"))).toEqual({
    aws_dynamodb_table: 1,
    aws_kms_alias: 1,
    aws_kms_key: 1,
    aws_s3_bucket: 1,
    aws_s3_bucket_lifecycle_configuration: 1,
    aws_s3_bucket_ownership_controls: 1,
    aws_s3_bucket_policy: 1,
    aws_s3_bucket_public_access_block: 1,
    aws_s3_bucket_server_side_encryption_configuration: 1,
    aws_s3_bucket_versioning: 1,
  });
});

it.each(["production"])("summarizes %s's create plan: every synthesized resource a create, nothing destroyed", (env) => {
  const synthesized = JSON.parse(fs.readFileSync(path.join(reference.outDir, "stacks", env, "cdk.tf.json"), "utf8")).resource as Record<string, object>;
  const resources = Object.values(synthesized).reduce((n, byName) => n + Object.keys(byName).length, 0);
  const summary = summarizePlan(planOf(env));
  expect(summary.counts).toEqual({ create: resources, update: 0, replace: 0, delete: 0 });
  expect(destroyCount(summary)).toBe(0);
  expect(summary.destroysStateful).toEqual([]);
  expect(renderMarkdown(summary)).toContain(`### Plan: ${resources} to create, 0 to update, 0 to replace, 0 to delete (0 destroyed)`);
});
