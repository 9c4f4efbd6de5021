import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { S3Client, CreateBucketCommand, PutObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { KMSClient, CreateKeyCommand, CreateAliasCommand } from "@aws-sdk/client-kms";
import { RDSClient, CreateDBInstanceCommand, CreateDBClusterCommand, CreateDBSubnetGroupCommand } from "@aws-sdk/client-rds";
import { ECRClient, CreateRepositoryCommand } from "@aws-sdk/client-ecr";
import { EC2Client, CreateVpcCommand, CreateSubnetCommand, CreateInternetGatewayCommand, AttachInternetGatewayCommand } from "@aws-sdk/client-ec2";
import { CloudWatchLogsClient, CreateLogGroupCommand } from "@aws-sdk/client-cloudwatch-logs";
import { ElasticLoadBalancingV2Client, CreateLoadBalancerCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { Emulator, startEmulator } from "../tools/sandbox/emulator";
import { SANDBOX_CREDENTIALS } from "../tools/sandbox/override";
import { apply, secondPlan, stage } from "../tools/sandbox/run";
import { unexplained } from "../tools/sandbox/changes";
import { terraform } from "../tools/terraform";
import { PlanSummary, STATEFUL_TYPES, renderText, summarizePlan } from "../tools/review/plan-summary";
import { ADOPTION_CONFIG, ADOPTION_FILES } from "./support/adoption-fixture";
import { runApp, sandbox } from "./support/sandbox";

// Adoption, end to end, against the emulator: resources created through the
// SDK with seed 000's and seed 003's names, as their running systems have
// them (data in the bucket), then `keel adopt` as its help says, a plan
// (imports, no stateful replacement), the apply, the object still there, a
// second plan with nothing to do, and a rename that the plan lists first.
jest.setTimeout(900_000);

const NORA = "059364397483";
const REFERENCE = "111122223333";
const REGION = "us-east-1";
const OBJECT = { key: "audio/user-1/session-1.webm", body: "a PCIT session recording" };

let dir = "";
const emulators = new Map<string, Emulator>();

interface Adopted {
  readonly stdout: string;
  readonly file: string;
  readonly list: string;
  readonly plan: PlanSummary;
  readonly text: string;
  readonly apply: Awaited<ReturnType<typeof apply>>;
  readonly second: Awaited<ReturnType<typeof secondPlan>>;
  readonly work: string;
  /** The plan after a rename, as the environment's production profile has it: refused by prevent_destroy. */
  renamedProtected?: PlanSummary | string;
  /** The same rename in the disposable profile: the plan, with the replacement. */
  renamed?: PlanSummary | string;
}
const results = new Map<string, Adopted>();

const clientConfig = (endpoint: string) => ({
  region: REGION,
  endpoint,
  forcePathStyle: true,
  credentials: { accessKeyId: SANDBOX_CREDENTIALS.access_key, secretAccessKey: SANDBOX_CREDENTIALS.secret_key },
});

async function key(endpoint: string, alias: string): Promise<string> {
  const kms = new KMSClient(clientConfig(endpoint));
  const created = await kms.send(new CreateKeyCommand({ Description: `the key behind ${alias}` }));
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: created.KeyMetadata!.KeyId! }));
  return created.KeyMetadata!.Arn!;
}

/** A VPC with its subnets, as the running system has them: Name tags, CIDRs, AZs, an internet gateway. */
async function network(endpoint: string, name: string, subnets: ReadonlyArray<readonly [string, string, string]>): Promise<Map<string, string>> {
  const ec2 = new EC2Client(clientConfig(endpoint));
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16", TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "Name", Value: name }] }] }));
  const vpcId = vpc.Vpc!.VpcId!;
  const igw = await ec2.send(new CreateInternetGatewayCommand({}));
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw.InternetGateway!.InternetGatewayId!, VpcId: vpcId }));
  const ids = new Map<string, string>();
  for (const [tag, cidr, az] of subnets) {
    const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: az, TagSpecifications: [{ ResourceType: "subnet", Tags: [{ Key: "Name", Value: tag }] }] }));
    ids.set(tag, subnet.Subnet!.SubnetId!);
  }
  return ids;
}

/** Seed 000 as it runs: its network, the audio bucket with a recording in it, the RDS instance, the ECR repository. */
async function seedNora(endpoint: string): Promise<void> {
  const subnets = await network(endpoint, "nora-vpc", [
    ["nora-public-1a", "10.0.1.0/24", "us-east-1a"],
    ["nora-public-1b", "10.0.2.0/24", "us-east-1b"],
    ["nora-private-1a", "10.0.10.0/24", "us-east-1a"],
    ["nora-private-1b", "10.0.11.0/24", "us-east-1b"],
  ]);
  const s3 = new S3Client(clientConfig(endpoint));
  await s3.send(new CreateBucketCommand({ Bucket: "nora-audio-059364397483" }));
  await s3.send(new PutObjectCommand({ Bucket: "nora-audio-059364397483", Key: OBJECT.key, Body: OBJECT.body }));
  const database = await key(endpoint, "alias/nora-database");
  const secrets = await key(endpoint, "alias/nora-secrets");
  const rds = new RDSClient(clientConfig(endpoint));
  await rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: "nora-db", DBSubnetGroupDescription: "RDS subnets", SubnetIds: [subnets.get("nora-private-1a")!, subnets.get("nora-private-1b")!] }));
  await rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: "nora-rds",
      Engine: "postgres",
      EngineVersion: "16.11",
      DBInstanceClass: "db.t3.small",
      MultiAZ: true,
      AllocatedStorage: 20,
      StorageType: "gp3",
      StorageEncrypted: true,
      KmsKeyId: database,
      DBName: "nora",
      MasterUsername: "nora_admin",
      ManageMasterUserPassword: true,
      MasterUserSecretKmsKeyId: secrets,
      DBSubnetGroupName: "nora-db",
    }),
  );
  await new ECRClient(clientConfig(endpoint)).send(new CreateRepositoryCommand({ repositoryName: "nora-nora", encryptionConfiguration: { encryptionType: "KMS", kmsKey: secrets } }));
}

/** Seed 003 as it runs: its network, the cluster omnirapeutic-production, the ALB, the log groups. */
async function seedOmnirapeutic(endpoint: string): Promise<void> {
  const tiers = [["public", 1], ["private", 11], ["database", 21]] as const;
  const subnets = await network(
    endpoint,
    "omnirapeutic-production",
    tiers.flatMap(([tier, base]) => ["a", "b", "c"].map((az, i) => [`omnirapeutic-production-${tier}-us-east-1${az}`, `10.0.${base + i}.0/24`, `us-east-1${az}`] as const)),
  );
  const database = await key(endpoint, "alias/omnirapeutic-production-database");
  const secrets = await key(endpoint, "alias/omnirapeutic-production-secrets");
  const rds = new RDSClient(clientConfig(endpoint));
  const dataSubnets = [...subnets.entries()].filter(([tag]) => tag.includes("-database-")).map(([, id]) => id);
  await rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: "omnirapeutic-production-db", DBSubnetGroupDescription: "Aurora subnets", SubnetIds: dataSubnets }));
  await rds.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: "omnirapeutic-production",
      Engine: "aurora-postgresql",
      EngineVersion: "15.10",
      EngineMode: "provisioned",
      DatabaseName: "omnirapeutic",
      MasterUsername: "omniadmin",
      ManageMasterUserPassword: true,
      MasterUserSecretKmsKeyId: secrets,
      StorageEncrypted: true,
      KmsKeyId: database,
      DBSubnetGroupName: "omnirapeutic-production-db",
      ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 1 },
    }),
  );
  const publicSubnets = [...subnets.entries()].filter(([tag]) => tag.includes("-public-")).map(([, id]) => id);
  await new ElasticLoadBalancingV2Client(clientConfig(endpoint)).send(new CreateLoadBalancerCommand({ Name: "omnirapeutic-production-alb", Subnets: publicSubnets, Type: "application", Scheme: "internet-facing" }));
  const logs = new CloudWatchLogsClient(clientConfig(endpoint));
  for (const name of ["/aws/rds/cluster/omnirapeutic-production/postgresql", "/ecs/omnirapeutic-production/api", "/ecs/omnirapeutic-production/web", "/ecs/omnirapeutic-production/worker"]) {
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  }
}

/** `keel adopt <env>`, run in the copy as its help says, against the environment's account's emulator. */
function keelAdopt(env: string, endpoint: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(dir, "bin", "keel.js"), "adopt", env], {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...process.env,
      KEEL_CONFIG: ADOPTION_CONFIG,
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.access_key,
      AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secret_key,
      AWS_REGION: REGION,
      AWS_PROFILE: "",
    },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function planOf(work: string): Promise<PlanSummary> {
  await terraform(["plan", "-input=false", "-no-color", "-lock=false", "-out=adopt.tfplan"], { cwd: work });
  const shown = await terraform(["show", "-json", "-no-color", "adopt.tfplan"], { cwd: work });
  return summarizePlan(JSON.parse(shown.stdout));
}

/** Plans, applies and plans again what `keel adopt` found, from the synth that read its lists. */
async function adoptAndApply(env: string, account: string, adopted: ReturnType<typeof keelAdopt>): Promise<Adopted> {
  const emulator = emulators.get(account)!;
  const file = path.join(dir, ADOPTION_CONFIG, `${env}.adopt.ts`);
  const out = path.join(dir, "cdktf.out");
  const work = path.join(dir, ".keel", "adopt", env);
  fs.mkdirSync(work, { recursive: true });
  const { stack } = stage(work, path.join(out, "stacks", env), emulator.endpoint);
  await terraform(["init", "-input=false", "-no-color"], { cwd: work });
  const plan = await planOf(work);
  const applied = await apply(work, 32);
  const second = await secondPlan(work, stack);
  return { stdout: adopted.stdout, file, list: fs.readFileSync(file, "utf8"), plan, text: renderText(plan), apply: applied, second, work };
}

/**
 * The environment with names set by hand (and, given, another protection profile), synthesized
 * and planned against the adopted state: the plan's summary, or terraform's refusal.
 */
async function renamedPlan(env: string, emulator: Emulator, work: string, names: Readonly<Record<string, string>>, protection?: string): Promise<PlanSummary | string> {
  const file = path.join(dir, ADOPTION_CONFIG, `${env}.ts`);
  const original = fs.readFileSync(file, "utf8");
  const changed = `naming: { ...config.naming, names: { ...config.naming?.names, ...${JSON.stringify(names)} } }${protection ? `, protection: "${protection}" as const` : ""}`;
  fs.writeFileSync(file, original.replace("export default config;", `export default { ...config, ${changed} };`));
  const out = path.join(dir, "renamed.out");
  const synth = runApp(dir, out, { KEEL_CONFIG: ADOPTION_CONFIG });
  fs.writeFileSync(file, original);
  if (synth.status !== 0) throw new Error(`synth with the new names failed: ${synth.stderr}`);
  stage(work, path.join(out, "stacks", env), emulator.endpoint);
  try {
    return await planOf(work);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

beforeAll(async () => {
  dir = sandbox();
  fs.mkdirSync(path.join(dir, ADOPTION_CONFIG));
  for (const [file, text] of Object.entries(ADOPTION_FILES)) fs.writeFileSync(path.join(dir, ADOPTION_CONFIG, file), text);
  for (const account of [NORA, REFERENCE]) emulators.set(account, await startEmulator(account, path.join(dir, `moto-${account}.log`)));
  await Promise.all([seedNora(emulators.get(NORA)!.endpoint), seedOmnirapeutic(emulators.get(REFERENCE)!.endpoint)]);
  // One after the other: each synthesizes the whole config into the copy's cdktf.out.
  const adopted = new Map<string, ReturnType<typeof keelAdopt>>();
  for (const [env, account] of [["nora", NORA], ["production", REFERENCE]]) {
    const run = keelAdopt(env, emulators.get(account)!.endpoint);
    if (run.status !== 0) throw new Error(`keel adopt ${env} failed (${run.status}): ${run.stderr}`);
    adopted.set(env, run);
    if (process.env.KEEL_TEST_VERBOSE) process.stderr.write(`keel adopt ${env}:\n${run.stdout}\n${run.stderr}\n`);
  }
  // What `keel plan` does first: synthesize, now with both adoption lists.
  const synth = runApp(dir, path.join(dir, "cdktf.out"), { KEEL_CONFIG: ADOPTION_CONFIG });
  if (synth.status !== 0) throw new Error(`synth with the adoption lists failed: ${synth.stderr}`);
  const [nora, production] = await Promise.all([adoptAndApply("nora", NORA, adopted.get("nora")!), adoptAndApply("production", REFERENCE, adopted.get("production")!)]);
  results.set("nora", nora);
  results.set("production", production);
  // One after the other again: each edits its environment file and synthesizes.
  const renames = [[nora, "nora", NORA, { "s3Bucket:audio": "nora-audio-recordings-059364397483" }], [production, "production", REFERENCE, { "dbCluster:aurora": "omnirapeutic-production-v2" }]] as const;
  for (const [result, env, account, names] of renames) {
    result.renamedProtected = await renamedPlan(env, emulators.get(account)!, result.work, names);
    result.renamed = await renamedPlan(env, emulators.get(account)!, result.work, names, "disposable");
  }
  if (process.env.KEEL_TEST_VERBOSE) for (const [env, r] of results) process.stderr.write(`${env}:\n${r.stdout}\n${r.text}\n`);
});

afterAll(async () => {
  await Promise.all([...emulators.values()].map((e) => e.stop()));
  // KEEL_KEEP_SANDBOX keeps the copy (working copies, state, emulator logs) to look into.
  if (dir !== "" && !process.env.KEEL_KEEP_SANDBOX) fs.rmSync(dir, { recursive: true, force: true });
});

const WANTED: Readonly<Record<string, readonly string[]>> = {
  // Seed 000: the bucket, the RDS instance and the ECR repository, with the keys and the network under them.
  nora: ["aws_s3_bucket.buckets_audio", "aws_db_instance.rds", "aws_ecr_repository.ecr_nora", "aws_kms_key.security_database_key", "aws_kms_key.security_secrets_key", "aws_vpc.vpc", "aws_internet_gateway.vpc_internet_gateway", "aws_db_subnet_group.vpc_database_subnet_group"],
  // Seed 003: the cluster, the ALB and the log groups, with the key and the network under them.
  production: [
    "aws_rds_cluster.aurora",
    "aws_lb.alb",
    "aws_cloudwatch_log_group.aurora_postgresql_log_group",
    "aws_cloudwatch_log_group.ecs_api_log_group",
    "aws_cloudwatch_log_group.ecs_web_log_group",
    "aws_cloudwatch_log_group.ecs_worker_log_group",
    "aws_kms_key.security_database_key",
    "aws_vpc.vpc",
    "aws_db_subnet_group.vpc_database_subnet_group",
  ],
};

describe.each(["nora", "production"])("adopting %s's running system", (env) => {
  const r = () => results.get(env)!;

  it("finds each existing resource by the name Keel gives it, and writes the adoption list", () => {
    for (const address of WANTED[env]) expect({ address, listed: r().list.includes(`"${address}": `) }).toEqual({ address, listed: true });
    expect(r().list).toContain(`Written by \`keel adopt ${env}\``);
    expect(r().stdout).toMatch(/^Adopting into \S+ \(account \d{12}, us-east-1\): \d+ found, \d+ not in AWS \(Keel creates them\), \d+ not looked up\./);
  });

  it("plans each as an import, and destroys nothing stateful", () => {
    const imported = r().plan.imported.map((c) => c.address);
    for (const address of WANTED[env]) expect({ address, imported: imported.includes(address) }).toEqual({ address, imported: true });
    expect(r().plan.destroysStateful).toEqual([]);
    expect(r().plan.counts.delete).toBe(0);
    expect(r().text.split("\n")[0]).toMatch(/^Plan: \d+ to import, /);
  });

  it("applies, and the next plan changes only what the gaps file explains", () => {
    expect({ ok: r().apply.ok, errors: r().apply.errors }).toEqual({ ok: true, errors: [] });
    expect(r().apply.applied).toBe(r().apply.planned);
    expect(unexplained(r().second.changes)).toEqual([]);
  });
});

describe("what adoption keeps", () => {
  it("keeps the recording in seed 000's audio bucket", async () => {
    // Listed, not read: the bucket's policy now refuses any request that is not TLS, as AWS would
    // refuse this plain-HTTP client. A single-part upload's ETag is the MD5 of its bytes.
    const s3 = new S3Client(clientConfig(emulators.get(NORA)!.endpoint));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: "nora-audio-059364397483", Prefix: "audio/" }));
    expect(listed.Contents?.map((o) => [o.Key, o.Size, o.ETag])).toEqual([
      [OBJECT.key, OBJECT.body.length, `"${createHash("md5").update(OBJECT.body).digest("hex")}"`],
    ]);
  });
});

describe("a name set by hand on an adopted resource", () => {
  const summary = (value: PlanSummary | string | undefined): PlanSummary => {
    if (typeof value !== "object") throw new Error(`the plan failed: ${String(value).slice(-2000)}`);
    return value;
  };

  it("is refused at plan time where the protection profile keeps the resource (prevent_destroy)", () => {
    // Terraform names the first protected resource the plan would destroy: the bucket, or the cluster or its log group.
    const refusal = (env: string): string => String(results.get(env)!.renamedProtected).replace(/\s+/g, " ");
    expect(refusal("nora")).toContain("Resource aws_s3_bucket.buckets_audio has lifecycle.prevent_destroy set");
    expect(refusal("production")).toMatch(/Resource aws_(rds_cluster\.aurora|cloudwatch_log_group\.aurora_postgresql_log_group) has lifecycle\.prevent_destroy set/);
  });

  it("shows a bucket's new name as a stateful replacement, first in keel plan", () => {
    const renamed = summary(results.get("nora")!.renamed);
    expect(renamed.destroysStateful.map((c) => [c.address, c.action, c.replacedBecause])).toContainEqual(["aws_s3_bucket.buckets_audio", "replace", ["bucket"]]);
    expect(renderText(renamed)).toMatch(/!! STATEFUL RESOURCES DESTROYED:\n(   .*\n)*   REPLACE aws_s3_bucket\.buckets_audio .*\(forced by: bucket\)/);
  });

  it("shows a cluster's new identifier as a stateful replacement, first in keel plan", () => {
    const renamed = summary(results.get("production")!.renamed);
    expect(renamed.destroysStateful.map((c) => [c.address, c.action, c.replacedBecause])).toContainEqual(["aws_rds_cluster.aurora", "replace", ["cluster_identifier"]]);
    expect(renamed.destroysStateful.length).toBeGreaterThan(0);
    for (const c of renamed.destroysStateful) expect(STATEFUL_TYPES.includes(c.type) || c.importedId !== undefined).toBe(true);
  });
});
