import * as fs from "node:fs";
import * as path from "node:path";
import { WORK } from "../tools/project";
import { countByType, planStack, synthesize, validateStacks } from "../tools/stacks";

// Runs the real terraform (providers from the local mirror when present):
// init -backend=false + validate of every stack, then an offline plan of each.
jest.setTimeout(300_000);

const outDir = path.join(WORK, "test-out");
let stacks: string[] = [];

beforeAll(async () => {
  fs.rmSync(outDir, { recursive: true, force: true });
  stacks = await synthesize(outDir);
});

it("synthesizes bootstrap, the account stack and every environment", () => {
  expect(stacks).toEqual(["account-111122223333-us-east-1", "bootstrap", "dev", "production", "staging"]);
});

it("validates every stack", async () => {
  const results = await validateStacks(outDir);
  expect(results.map((r) => r.stack)).toEqual(stacks);
  for (const r of results) expect(r.output).toContain("Success! The configuration is valid.");
});

describe.each(["bootstrap", "dev", "staging", "production"])("offline plan of %s", (stack) => {
  it("succeeds, saves the plan and its JSON, and leaves cdktf output untouched", async () => {
    const result = await planStack(stack, { offline: true, outDir });
    expect(fs.existsSync(result.planFile)).toBe(true);
    expect(JSON.parse(fs.readFileSync(result.jsonFile, "utf8"))).toHaveProperty("format_version");
    expect(fs.readdirSync(path.join(outDir, "stacks", stack)).filter((f) => f.includes("override"))).toEqual([]);
    if (stack === "production") {
      // Seed 003, as Terraform itself plans it.
      expect(countByType(result.plan)).toMatchObject({
        aws_subnet: 9,
        aws_nat_gateway: 3,
        aws_eip: 3,
        aws_route_table: 7,
        aws_kms_key: 3,
        aws_rds_cluster: 1,
        aws_rds_cluster_instance: 1,
        aws_instance: 1,
        aws_cloudwatch_log_group: 3,
        aws_flow_log: 1,
        aws_vpc_endpoint: 1,
      });
    }
    if (stack === "bootstrap") {
      expect(countByType(result.plan)).toEqual({
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
    }
  });
});
