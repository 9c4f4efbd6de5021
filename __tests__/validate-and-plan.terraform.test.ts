import * as fs from "node:fs";
import * as path from "node:path";
import { WORK } from "../tools/project";
import { PlanResult, countByType, planStack, synthesize } from "../tools/stacks";
import { pool } from "../tools/terraform";

// The real terraform (providers from the local mirror when present): an
// offline plan of every stack and every seed example. A plan validates the
// configuration first, so each stack starts the AWS provider once, plus once
// more for `show -json` where counts are asserted.
jest.setTimeout(300_000);

const outDir = path.join(WORK, "test-out");
const examplesDir = path.join(WORK, "test-out-examples");
const ACCOUNT = "account-111122223333-us-east-1";
/** Stacks whose planned resource counts are asserted below. */
const COUNTED = new Set(["bootstrap", ACCOUNT, "production"]);

let stacks: string[] = [];
let examples: string[] = [];
const plans = new Map<string, PlanResult>();

beforeAll(async () => {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.rmSync(examplesDir, { recursive: true, force: true });
  stacks = await synthesize(outDir);
  examples = await synthesize(examplesDir, { examples: true });
  const all = [...stacks.map((s) => ({ s, dir: outDir })), ...examples.map((s) => ({ s, dir: examplesDir }))];
  const results = await pool(all, 2, ({ s, dir }) => planStack(s, { offline: true, outDir: dir, show: COUNTED.has(s) }));
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
  });
});

it("plans the account stack: EBS encryption by default, the Session Manager defaults with their log group, each under its own key, and the account S3 public access block", () => {
  expect(countByType(plans.get(ACCOUNT)!.plan)).toEqual({
    aws_cloudwatch_log_group: 1,
    aws_ebs_default_kms_key: 1,
    aws_ebs_encryption_by_default: 1,
    aws_kms_alias: 2,
    aws_kms_key: 2,
    aws_s3_account_public_access_block: 1,
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
