import * as fs from "node:fs";
import * as path from "node:path";
import { WORK } from "../tools/project";
import { PlanResult, TerraformPlan, planStack, synthesize } from "../tools/stacks";
import { pool } from "../tools/terraform";
import { destroyCount, renderMarkdown, summarizePlan } from "../tools/review/plan-summary";

// The real terraform (providers from the local mirror when present): an
// offline plan of every stack and every seed example. A plan validates the
// configuration first, so each stack starts the AWS provider once, plus once
// more for `show -json` where counts are asserted.
jest.setTimeout(300_000);

const outDir = path.join(WORK, "test-out");
const examplesDir = path.join(WORK, "test-out-examples");
const ACCOUNT = "account-111122223333-us-east-1";
/**
 * Stacks whose full plan JSON (`show -json`, a second provider start) the tests read. The rest are
 * read from the plan's own machine-readable output: every change's address, type and actions.
 */
/** Resources to create, by type, as keel plan's summary counts them. */
const countByType = (plan: TerraformPlan): Record<string, number> =>
  Object.fromEntries(Object.entries(summarizePlan(plan).byType).map(([type, counts]) => [type, counts.create]));

const SHOWN = new Set(["production"]);

let stacks: string[] = [];
let examples: string[] = [];
const plans = new Map<string, PlanResult>();

beforeAll(async () => {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.rmSync(examplesDir, { recursive: true, force: true });
  stacks = await synthesize(outDir);
  examples = await synthesize(examplesDir, { examples: true });
  const all = [...stacks.map((s) => ({ s, dir: outDir })), ...examples.map((s) => ({ s, dir: examplesDir }))];
  const results = await pool(all, 2, ({ s, dir }) => planStack(s, { offline: true, outDir: dir, show: SHOWN.has(s) }));
  for (const result of results) plans.set(result.stack, result);
});

it("synthesizes bootstrap, the account stack and every environment", () => {
  expect(stacks).toEqual([ACCOUNT, "bootstrap", "dev", "production", "staging"]);
});

it("synthesizes every seed example, and only them, into their own folder", () => {
  expect(examples).toEqual(["mentalspace", "nora", "outreachpass", "startupwebapp"]);
});

it("plans every stack and example offline (the plan validates each), leaving cdktf output untouched", () => {
  expect([...plans.keys()].sort()).toEqual([...stacks, ...examples].sort());
  for (const [stack, result] of plans) {
    expect({ stack, saved: fs.existsSync(result.planFile) }).toEqual({ stack, saved: true });
    const dir = examples.includes(stack) ? examplesDir : outDir;
    expect(fs.readdirSync(path.join(dir, "stacks", stack)).filter((f) => f.includes("override"))).toEqual([]);
  }
});

it("plans production as seed 003, as Terraform itself counts it", () => {
  expect(countByType(plans.get("production")!.plan)).toMatchObject({
    aws_subnet: 9,
    aws_nat_gateway: 3,
    aws_eip: 3,
    aws_route_table: 7,
    aws_kms_key: 3,
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
  });
});

it("plans the account stack: EBS encryption by default, Session Manager defaults, the trail, Config with the HIPAA pack, GuardDuty, and the account's alarms", () => {
  expect(countByType(plans.get(ACCOUNT)!.plan)).toEqual({
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
    aws_iam_role: 2,
    aws_iam_role_policy: 2,
    aws_iam_role_policy_attachment: 1,
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
  expect(countByType(plans.get("bootstrap")!.plan)).toEqual({
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

it.each(["dev", "staging", "production"])("summarizes %s's create plan: every synthesized resource a create, nothing destroyed", (env) => {
  const synthesized = JSON.parse(fs.readFileSync(path.join(outDir, "stacks", env, "cdk.tf.json"), "utf8")).resource as Record<string, object>;
  const resources = Object.values(synthesized).reduce((n, byName) => n + Object.keys(byName).length, 0);
  const summary = summarizePlan(plans.get(env)!.plan);
  expect(summary.counts).toEqual({ create: resources, update: 0, replace: 0, delete: 0 });
  expect(destroyCount(summary)).toBe(0);
  expect(summary.destroysStateful).toEqual([]);
  expect(renderMarkdown(summary)).toContain(`### Plan: ${resources} to create, 0 to update, 0 to replace, 0 to delete (0 destroyed)`);
});
