import * as fs from "node:fs";
import * as path from "node:path";
import { WORK } from "../tools/project";
import { terraform } from "../tools/terraform";
import { destroyCount, renderText, summarizePlan } from "../tools/review/plan-summary";

// keel plan's summary of a real Terraform plan that updates and replaces.
// The state is a fixture recorded from an apply of a bucket and a lock-style
// table against the S3 and DynamoDB emulators (s3rver, dynalite). The config
// then changes one attribute of each that forces a replacement, and gives the
// table an in-place tag update. `-refresh=false` plans against the recorded
// state, so no endpoint is called.
jest.setTimeout(120_000);

const config = (bucket: string, table: string, team: string) => ({
  terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } },
  provider: {
    aws: {
      region: "us-east-1",
      access_key: "keel-offline-plan",
      secret_key: "keel-offline-plan",
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
    },
  },
  resource: {
    aws_s3_bucket: { uploads: { bucket } },
    aws_dynamodb_table: {
      sessions: { name: table, billing_mode: "PAY_PER_REQUEST", hash_key: "Id", attribute: [{ name: "Id", type: "S" }], tags: { Team: team } },
    },
  },
});
let summary: ReturnType<typeof summarizePlan>;

beforeAll(async () => {
  const work = path.join(WORK, "work", "plan-summary");
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  fs.copyFileSync(path.join(WORK, "..", ".terraform.lock.hcl"), path.join(work, ".terraform.lock.hcl"));
  fs.copyFileSync(path.join(__dirname, "fixtures", "plan-summary.state.json"), path.join(work, "terraform.tfstate"));
  fs.writeFileSync(path.join(work, "main.tf.json"), JSON.stringify(config("keel-uploads-two", "keel-sessions-two", "payments"), null, 2));
  await terraform(["init", "-input=false", "-no-color"], { cwd: work });
  await terraform(["plan", "-input=false", "-no-color", "-refresh=false", "-out=change.tfplan"], { cwd: work });
  summary = summarizePlan(JSON.parse((await terraform(["show", "-json", "-no-color", "change.tfplan"], { cwd: work })).stdout));
});

it("plans against the recorded state: the bucket and table exist as keel-uploads-one and keel-sessions-one", () => {
  const state = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "plan-summary.state.json"), "utf8")) as {
    resources: Array<{ type: string; instances: Array<{ attributes: { id: string } }> }>;
  };
  expect(state.resources.map((r) => [r.type, r.instances[0].attributes.id])).toEqual([
    ["aws_dynamodb_table", "keel-sessions-one"],
    ["aws_s3_bucket", "keel-uploads-one"],
  ]);
});

it("flags both stateful replacements first, with the attribute that forces each", () => {
  expect(summary.destroysStateful.map((c) => [c.address, c.action, c.replacedBecause])).toEqual([
    ["aws_dynamodb_table.sessions", "replace", ["name"]],
    ["aws_s3_bucket.uploads", "replace", ["bucket"]],
  ]);
  expect(summary.counts).toEqual({ create: 0, update: 0, replace: 2, delete: 0 });
  expect(destroyCount(summary)).toBe(2);
});

it("shows the changed attributes before and after", () => {
  const table = summary.changes.find((c) => c.address === "aws_dynamodb_table.sessions")!;
  expect(table.attributes).toEqual(expect.arrayContaining([{ path: "name", before: '"keel-sessions-one"', after: '"keel-sessions-two"' }]));
  // dynalite kept no tags, so the recorded state says {}: the summary shows what the state holds.
  expect(table.attributes.find((a) => a.path === "tags")?.after).toBe('{"Team":"payments"}');
  expect(table.attributes.map((a) => a.after)).not.toContain("(known after apply)");
  expect(renderText(summary)).toContain("!! STATEFUL RESOURCES DESTROYED:\n   REPLACE aws_dynamodb_table.sessions (forced by: name)\n   REPLACE aws_s3_bucket.uploads (forced by: bucket)");
});
