import * as fs from "node:fs";
import * as path from "node:path";
import { App, TerraformResource, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ROOT, WORK } from "../tools/project";
import { terraform } from "../tools/terraform";
import { exportHcl } from "../tools/hcl/export";
import { FetchedSchemas, NeededProvider, localSchemaFile, schemaCacheFor, terraformSchemaFetcher } from "../tools/hcl/on-demand";
import { RawSchemas, loadSchemaCache } from "../tools/hcl/schema";
import { parseJson, isObject } from "../tools/hcl/json";
import { GateResult, runGate } from "../tools/hcl/gate";

// keel hcl on cdktf output that is not Keel's: AWS types the committed schema cache does not hold
// (their schema fetched on demand from the provider in the local mirror, kept under .keel/schemas/,
// then passed through the gate), and a second provider (hashicorp/random) from a recorded schema,
// since only the AWS provider exists offline here.

const work = path.join(WORK, "test-hcl-any");
const schemas = path.join(work, "schemas");

/** A team's own cdktf stack: AWS types Keel never imports, written with cdktf's generic resource. */
class ForeignStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "us-east-1" });
    const resource = (id: string, type: string, attributes: Record<string, unknown>): TerraformResource => {
      const r = new TerraformResource(this, id, { terraformResourceType: type });
      for (const [k, v] of Object.entries(attributes)) r.addOverride(k, v);
      return r;
    };
    const parameter = resource("greeting", "aws_ssm_parameter", { name: "/team/greeting", type: "String", value: "hello", tags: { team: "payments" } });
    resource("site", "aws_s3_bucket_website_configuration", {
      bucket: "payments-team-site-111122223333",
      index_document: { suffix: "index.html" },
      routing_rule: [{ condition: { key_prefix_equals: "docs/" }, redirect: { replace_key_prefix_with: "documents/" } }],
    });
    resource("policy", "aws_sqs_queue_policy", {
      queue_url: "https://sqs.us-east-1.amazonaws.com/111122223333/payments",
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }] }),
    });
    resource("copy", "aws_ssm_parameter", { name: "/team/greeting-copy", type: "String", value: `\${${parameter.terraformResourceType}.${parameter.friendlyUniqueId}.value}` });
  }
}

let jsonDir: string;
let hclDir: string;
const fetches: string[][] = [];
let first: Awaited<ReturnType<typeof schemaCacheFor>>;
let again: Awaited<ReturnType<typeof schemaCacheFor>>;
let gate: GateResult;

beforeAll(async () => {
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const app = new App({ outdir: path.join(work, "out"), skipValidation: true });
  new ForeignStack(app, "payments");
  app.synth();
  jsonDir = path.join(work, "out", "stacks", "payments");
  fs.copyFileSync(path.join(ROOT, ".terraform.lock.hcl"), path.join(jsonDir, ".terraform.lock.hcl"));
  const stack = parseJson(fs.readFileSync(path.join(jsonDir, "cdk.tf.json"), "utf8"));
  if (!isObject(stack)) throw new Error("not an object");
  const recording = async (providers: readonly NeededProvider[]): Promise<FetchedSchemas> => {
    fetches.push(providers.map((p) => `${p.address} ${p.version}`));
    return terraformSchemaFetcher(providers);
  };
  first = await schemaCacheFor(stack, loadSchemaCache(), { dir: schemas, fetch: recording });
  again = await schemaCacheFor(stack, loadSchemaCache(), {
    dir: schemas,
    fetch: async () => {
      throw new Error("fetched again");
    },
  });
  hclDir = path.join(work, "hcl", "payments");
  await exportHcl(path.join(jsonDir, "cdk.tf.json"), hclDir, first.cache);
  gate = await runGate([{ name: "payments", jsonDir, hclDir }], path.join(work, "gate"), path.join(ROOT, ".terraform.lock.hcl"));
}, 300_000);

it("fetches the AWS provider's schema once, for the types the committed cache lacks, and keeps it per source and version", () => {
  expect(loadSchemaCache().providers["registry.terraform.io/hashicorp/aws"].resources.aws_ssm_parameter).toBeUndefined();
  expect(fetches).toEqual([["registry.terraform.io/hashicorp/aws 5.100.0"]]);
  expect(first.fetched).toEqual(["registry.terraform.io/hashicorp/aws"]);
  const kept = localSchemaFile({ address: "registry.terraform.io/hashicorp/aws", version: "5.100.0" }, schemas);
  expect(path.relative(schemas, kept)).toBe("registry.terraform.io/hashicorp/aws/5.100.0.json");
  // Every type of the provider, so the next stack with other types needs no fetch either.
  const cache = JSON.parse(fs.readFileSync(kept, "utf8")) as { providers: Record<string, { resources: Record<string, string> }> };
  expect(Object.keys(cache.providers["registry.terraform.io/hashicorp/aws"].resources).length).toBeGreaterThan(1000);
  expect(again).toMatchObject({ fetched: [], local: ["registry.terraform.io/hashicorp/aws"] });
});

it("converts the stack with those types, nested blocks included", () => {
  const hcl = fs.readdirSync(hclDir).filter((f) => f.endsWith(".tf")).map((f) => fs.readFileSync(path.join(hclDir, f), "utf8")).join("\n");
  expect(hcl).toContain('resource "aws_ssm_parameter" "greeting" {');
  expect(hcl).toMatch(/routing_rule \{\n\s+condition \{\n\s+key_prefix_equals = "docs\/"/);
  expect(hcl).toContain("value = aws_ssm_parameter.greeting.value");
});

it("passes the gate: formatted, valid with no warning, and planned exactly like its JSON", () => {
  expect(gate.unformatted).toEqual([]);
  expect(gate.validate).toMatchObject({ errors: 0, warnings: 0 });
  expect(gate.stacks).toEqual([{ name: "payments", resources: 4, differences: [] }]);
});

describe("a second provider", () => {
  const recorded = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "schemas", "random-3.6.3.json"), "utf8")) as RawSchemas;
  /** A cdktf stack using @cdktf/provider-random beside AWS, as cdktf synthesizes it. */
  const stack = {
    "//": { metadata: { backend: "local", stackName: "secrets", version: "0.21.0" } },
    terraform: {
      required_providers: { aws: { source: "aws", version: "5.100.0" }, random: { source: "hashicorp/random", version: "3.6.3" } },
    },
    provider: { aws: [{ region: "us-east-1" }], random: [{}] },
    resource: {
      random_password: { db: { "//": { metadata: { path: "secrets/db", uniqueId: "db" } }, length: 24, special: true, override_special: "!#%", keepers: { rotation: "2026-12" } } },
      random_id: { suffix: { "//": { metadata: { path: "secrets/suffix", uniqueId: "suffix" } }, byte_length: 4 } },
      aws_sqs_queue: { jobs: { "//": { metadata: { path: "secrets/jobs", uniqueId: "jobs" } }, name: "jobs-${random_id.suffix.hex}" } },
    },
  };

  it("converts it with its schema fetched (here, the recorded one), and terraform fmt finds nothing to change", async () => {
    const dir = path.join(work, "random");
    fs.mkdirSync(path.join(dir, "json"), { recursive: true });
    fs.writeFileSync(path.join(dir, "json", "cdk.tf.json"), JSON.stringify(stack, null, 2));
    const parsed = parseJson(JSON.stringify(stack));
    if (!isObject(parsed)) throw new Error("not an object");
    const asked: string[] = [];
    const resolved = await schemaCacheFor(parsed, loadSchemaCache(), {
      dir: path.join(dir, "schemas"),
      fetch: async (providers) => {
        asked.push(...providers.map((p) => `${p.address} ${p.version}`));
        return { raw: recorded, installed: { "registry.terraform.io/hashicorp/random": "3.6.3" }, terraformVersion: "1.11.4" };
      },
    });
    // AWS comes from the committed cache (aws_sqs_queue is Keel's), random from the fetch.
    expect(asked).toEqual(["registry.terraform.io/hashicorp/random 3.6.3"]);
    expect(resolved).toMatchObject({ committed: ["registry.terraform.io/hashicorp/aws"], fetched: ["registry.terraform.io/hashicorp/random"] });
    await exportHcl(path.join(dir, "json", "cdk.tf.json"), path.join(dir, "hcl"), resolved.cache);
    const hcl = fs.readdirSync(path.join(dir, "hcl")).filter((f) => f.endsWith(".tf")).map((f) => fs.readFileSync(path.join(dir, "hcl", f), "utf8")).join("\n");
    expect(hcl).toContain('resource "random_password" "db" {');
    expect(hcl).toMatch(/keepers = \{\n\s+rotation = "2026-12"\n\s+\}/);
    expect(hcl).toContain('name = "jobs-${random_id.suffix.hex}"');
    expect(hcl).toMatch(/random = \{\n\s+source\s+= "hashicorp\/random"\n\s+version = "3.6.3"/);
    const fmt = await terraform(["fmt", "-check", "-list=true", "."], { cwd: path.join(dir, "hcl") });
    expect(fmt.stdout).toBe("");
  });

  it("says which type a provider does not define", async () => {
    const parsed = parseJson(JSON.stringify({ ...stack, resource: { random_uuidv9: { x: { keepers: {} } } } }));
    if (!isObject(parsed)) throw new Error("not an object");
    await expect(
      schemaCacheFor(parsed, loadSchemaCache(), { dir: path.join(work, "random-missing"), fetch: async () => ({ raw: recorded, installed: {}, terraformVersion: "1.11.4" }) }),
    ).rejects.toThrow("registry.terraform.io/hashicorp/random 3.6.3 has no type random_uuidv9: the stack uses a type its provider does not define");
  });
});
