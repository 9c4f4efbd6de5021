import * as fs from "node:fs";
import * as path from "node:path";
import { WORK } from "../tools/project";
import { TerraformError, terraform } from "../tools/terraform";
import { OFFLINE_PROVIDER_OVERRIDE, stackDir, stageStack, synthesize, writeOverrides } from "../tools/stacks";
import { exportHcl } from "../tools/hcl/export";
import { EMULATOR_ACCESS_KEY, Emulators, startEmulators } from "./support/emulators";
import { STATE_KEY_ALIAS_ARN } from "./support/stacks";

// The real S3 backend with DynamoDB locking, against local emulators: the
// bucket and lock table are made from the bootstrap stack's own definitions,
// and the dev stack's synthesized backend block is used as it is, plus only
// the emulator endpoints.
jest.setTimeout(180_000);

type Json = Record<string, Record<string, Record<string, Record<string, unknown>>>>;
const outDir = path.join(WORK, "test-out-backend");
const read = (stack: string): Json => JSON.parse(fs.readFileSync(path.join(stackDir(stack, outDir), "cdk.tf.json"), "utf8"));

// Locking does not depend on what is planned: one resource keeps the plans short.
const TARGET = "-target=aws_vpc.vpc";

let emulators: Emulators;
let dir: string;
let backend: Record<string, unknown>;
let lockId: string;

beforeAll(async () => {
  fs.rmSync(outDir, { recursive: true, force: true });
  // The reference platform, whose state key alias and stacks the assertions name.
  await synthesize(outDir, { config: "examples/omnirapeutic" });
  const bootstrap = read("bootstrap");
  const bucket = Object.values(bootstrap.resource.aws_s3_bucket)[0];
  const table = Object.values(bootstrap.resource.aws_dynamodb_table)[0];
  backend = read("dev").terraform.backend.s3;

  const s3Dir = path.join(WORK, "work", "emulators", "s3");
  fs.rmSync(s3Dir, { recursive: true, force: true });
  emulators = await startEmulators(s3Dir, String(bucket.bucket));
  const attributes = table.attribute as Array<{ name: string; type: string }>;
  const created = await emulators.dynamodb("CreateTable", {
    TableName: table.name,
    AttributeDefinitions: attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: [{ AttributeName: table.hash_key, KeyType: "HASH" }],
    BillingMode: table.billing_mode,
  });
  expect(created.status).toBe(200);

  dir = stageStack("dev", "backend-emulated", outDir);
  writeOverrides(dir, {
    "keel_backend_override.tf.json": {
      terraform: {
        backend: {
          s3: {
            ...backend,
            endpoints: { s3: emulators.s3Endpoint, dynamodb: emulators.dynamodbEndpoint },
            use_path_style: true,
            access_key: EMULATOR_ACCESS_KEY,
            secret_key: EMULATOR_ACCESS_KEY,
            skip_credentials_validation: true,
            skip_requesting_account_id: true,
            skip_metadata_api_check: true,
            skip_region_validation: true,
          },
        },
      },
    },
    "keel_provider_override.tf.json": OFFLINE_PROVIDER_OVERRIDE,
  });
  lockId = `${backend.bucket}/${backend.key}`;
  await terraform(["init", "-input=false", "-no-color"], { cwd: dir });
});

/** The LockID a DynamoDB request is about, if any. */
function lockItem(body: Record<string, unknown>): string {
  const item = (body.Item ?? body.Key) as { LockID?: { S?: string } } | undefined;
  return item?.LockID?.S ?? "";
}

afterAll(async () => {
  await emulators?.close();
});

it("points every environment at the bucket and lock table the bootstrap stack creates", () => {
  const bootstrap = read("bootstrap");
  for (const env of ["dev", "staging", "production"]) {
    const s3 = read(env).terraform.backend.s3;
    expect(s3.bucket).toBe(Object.values(bootstrap.resource.aws_s3_bucket)[0].bucket);
    expect(s3.dynamodb_table).toBe(Object.values(bootstrap.resource.aws_dynamodb_table)[0].name);
    expect(s3.key).toBe(`${env}/terraform.tfstate`);
    expect(s3).toMatchObject({ encrypt: true, kms_key_id: STATE_KEY_ALIAS_ARN, use_lockfile: true });
  }
});

it("takes both locks for the length of a plan: the DynamoDB item and the S3 lock file, then releases them", async () => {
  emulators.requests.length = 0;
  const result = await terraform(["plan", "-input=false", "-no-color", "-lock-timeout=0s", TARGET], { cwd: dir });
  expect(result.output).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy/);
  const lockfile = `/${backend.bucket}/${backend.key}.tflock`;
  const seen = emulators.requests.map((r) => (r.service === "s3" ? `s3 ${r.method} ${r.path}` : `dynamodb ${r.action} ${lockItem(r.body)}`));
  const at = (entry: string): number => seen.indexOf(entry);
  const s3Lock = at(`s3 PUT ${lockfile}`);
  const dynamoLock = at(`dynamodb PutItem ${lockId}`);
  const stateReads = [`s3 HEAD /${backend.bucket}/${backend.key}`, `s3 GET /${backend.bucket}/${backend.key}`, `dynamodb GetItem ${lockId}-md5`];
  const stateRead = seen.findIndex((e) => stateReads.includes(e));
  expect({ s3Lock, dynamoLock, stateRead }).toEqual({ s3Lock: expect.any(Number), dynamoLock: expect.any(Number), stateRead: expect.any(Number) });
  for (const taken of [s3Lock, dynamoLock]) {
    expect(taken).toBeGreaterThanOrEqual(0);
    expect(taken).toBeLessThan(stateRead);
  }
  expect(at(`s3 DELETE ${lockfile}`)).toBeGreaterThan(stateRead);
  expect(at(`dynamodb DeleteItem ${lockId}`)).toBeGreaterThan(stateRead);
  // The lock file is written under the bucket policy too: SSE-KMS with the state key.
  expect(emulators.requests.filter((r) => r.service === "s3" && r.method === "PUT")).toEqual([
    { service: "s3", method: "PUT", path: lockfile, sse: "aws:kms", sseKeyId: STATE_KEY_ALIAS_ARN },
  ]);
  const put = emulators.requests.find((r) => r.service === "dynamodb" && r.action === "PutItem" && lockItem(r.body) === lockId);
  const item = (put?.service === "dynamodb" ? put.body.Item : undefined) as { Info: { S: string } } | undefined;
  const info = JSON.parse(item?.Info.S ?? "{}");
  expect(info).toMatchObject({ Operation: "OperationTypePlan", Path: lockId });
  const scan = await emulators.dynamodb("Scan", { TableName: backend.dynamodb_table });
  expect((scan.body.Items as Array<{ LockID: { S: string } }>).map((i) => i.LockID.S)).not.toContain(lockId);
});

it("refuses to run while another process holds the lock, and names the holder", async () => {
  const info = { ID: "held-by-keel-test", Operation: "OperationTypeApply", Who: "ci@keel", Version: "1.11.4", Created: "2026-01-01T00:00:00Z", Path: lockId };
  const put = await emulators.dynamodb("PutItem", {
    TableName: backend.dynamodb_table,
    Item: { LockID: { S: lockId }, Info: { S: JSON.stringify(info) } },
  });
  expect(put.status).toBe(200);
  try {
    const failure = await terraform(["plan", "-input=false", "-no-color", "-lock-timeout=0s", TARGET], { cwd: dir }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TerraformError);
    expect((failure as Error).message).toContain("Error acquiring the state lock");
    expect((failure as Error).message).toContain("held-by-keel-test");
  } finally {
    await emulators.dynamodb("DeleteItem", { TableName: backend.dynamodb_table, Key: { LockID: { S: lockId } } });
  }
});

it("writes state to <bucket>/<env>/terraform.tfstate with SSE-KMS under the state key, and its digest to the lock table", async () => {
  emulators.requests.length = 0;
  const state = path.join(dir, "seed.tfstate");
  fs.writeFileSync(state, JSON.stringify({ version: 4, terraform_version: "1.11.4", serial: 1, lineage: "keel-backend-test", outputs: {}, resources: [] }));
  await terraform(["state", "push", "-lock-timeout=0s", state], { cwd: dir });
  const pulled = JSON.parse((await terraform(["state", "pull"], { cwd: dir })).stdout);
  expect(pulled.serial).toBe(1);
  const object = path.join(WORK, "work", "emulators", "s3", String(backend.bucket), `${backend.key}._S3rver_object`);
  expect(fs.existsSync(object)).toBe(true);
  const writes = emulators.requests.filter((r) => r.service === "s3" && r.method === "PUT" && r.path === `/${backend.bucket}/${backend.key}`);
  expect(writes).toHaveLength(1);
  expect(writes[0]).toMatchObject({ sse: "aws:kms", sseKeyId: STATE_KEY_ALIAS_ARN });
  const digest = await emulators.dynamodb("GetItem", { TableName: backend.dynamodb_table, Key: { LockID: { S: `${lockId}-md5` } } });
  expect(digest.body.Item).toEqual({ LockID: { S: `${lockId}-md5` }, Digest: { S: expect.stringMatching(/^[0-9a-f]{32}$/) } });
});

it("hands off state: dev's HCL export reads the very state the JSON stack wrote, from the same bucket, key and lock table", async () => {
  const hclDir = path.join(WORK, "work", "backend-hcl", "dev");
  fs.rmSync(hclDir, { recursive: true, force: true });
  await exportHcl(path.join(stackDir("dev", outDir), "cdk.tf.json"), hclDir);
  expect(fs.readFileSync(path.join(hclDir, "backend.tf"), "utf8")).toContain(`key            = "${String(backend.key)}"`);
  // Only where the emulators are and how to sign for them: bucket, key, table and encryption come from backend.tf itself.
  const emulatorSettings = path.join(hclDir, "emulators.s3.tfbackend");
  fs.writeFileSync(
    emulatorSettings,
    [
      `endpoints = { s3 = "${emulators.s3Endpoint}", dynamodb = "${emulators.dynamodbEndpoint}" }`,
      "use_path_style = true",
      `access_key = "${EMULATOR_ACCESS_KEY}"`,
      `secret_key = "${EMULATOR_ACCESS_KEY}"`,
      "skip_credentials_validation = true",
      "skip_requesting_account_id = true",
      "skip_metadata_api_check = true",
      "skip_region_validation = true",
      "",
    ].join("\n"),
  );
  await terraform(["init", "-input=false", "-no-color", `-backend-config=${emulatorSettings}`], { cwd: hclDir });
  const fromHcl = JSON.parse((await terraform(["state", "pull"], { cwd: hclDir })).stdout);
  const fromJson = JSON.parse((await terraform(["state", "pull"], { cwd: dir })).stdout);
  expect(fromHcl.serial).toBe(1);
  expect(fromHcl).toEqual(fromJson);
});
