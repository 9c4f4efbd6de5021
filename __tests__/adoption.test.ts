import * as fs from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { Label, namingIssues } from "../modules/label";
import { EnvironmentConfig, loadConfig, validateEnvironment } from "../environments";
import { EnvironmentStack } from "../stacks";
import { IMPORT_IDS, importIdProblem } from "../environments/lib/import-ids";
import { LOOKUPS, NOT_DISCOVERABLE, adoptionFile, read, typesImportFrom } from "../tools/adopt";
import { summarizePlan, renderText, renderMarkdown } from "../tools/review/plan-summary";
import { configError, devConfig, projectConfig } from "./support/config";
import { Synthesized } from "./support/module-stack";
import { sandbox } from "./support/sandbox";
import { ROOT } from "../tools/project";

const tags = { owner: "team", costCenter: "cc", dataClassification: "restricted" };
const label = (naming?: ConstructorParameters<typeof Label>[0]["naming"]) =>
  new Label({ namespace: "nora", environment: "production", tags, accountId: "059364397483", region: "us-east-1", ...(naming ? { naming } : {}) });

function build(config: EnvironmentConfig): { stack: EnvironmentStack; json: Synthesized & { import?: Array<{ to: string; id: string }> } } {
  const project = projectConfig();
  const stack = new EnvironmentStack(Testing.app(), validateEnvironment(config, config.name, project), project);
  return { stack, json: JSON.parse(Testing.synth(stack)) };
}

describe("names under the project's control", () => {
  it("keeps Keel's names by default: <namespace>-<environment>-<name>, buckets with account and region", () => {
    const l = label();
    expect(l.id("rds", "dbInstance")).toBe("nora-production-rds");
    expect(l.globalId("audio", "s3Bucket")).toBe("nora-production-audio-059364397483-us-east-1");
    expect(l.prefix).toBe("nora-production");
  });

  it("makes names from a pattern: seed 000's nora-<name> and nora-audio-<account>", () => {
    const l = label({ pattern: "{namespace}-{name}", globalPattern: "{namespace}-{name}-{account}" });
    expect(l.id("rds", "dbInstance")).toBe("nora-rds");
    expect(l.globalId("audio", "s3Bucket")).toBe("nora-audio-059364397483");
    expect(l.prefix).toBe("nora");
  });

  it("still fits a patterned name to the kind's limit with its hash", () => {
    const name = label({ pattern: "{namespace}-{environment}-{name}-service" }).id("a-long-load-balancer", "loadBalancer");
    expect(name).toHaveLength(32);
    expect(name).toMatch(/-[0-9a-f]{6}$/);
  });

  it("uses a name set by hand exactly, by <kind>:<name>, and lists every name given", () => {
    const l = label({ names: { "dbCluster:aurora": "omnirapeutic-production" } });
    expect(l.id("aurora", "dbCluster")).toBe("omnirapeutic-production");
    expect(l.id("aurora-writer", "dbInstance")).toBe("nora-production-aurora-writer");
    expect([...l.names.entries()]).toEqual([
      ["dbCluster:aurora", "omnirapeutic-production"],
      ["dbInstance:aurora-writer", "nora-production-aurora-writer"],
    ]);
    expect(l.unusedNames()).toEqual([]);
  });

  it("stops two resources of one kind from sharing a name", () => {
    const l = label({ names: { "s3Bucket:logs": "nora-production-audio-059364397483-us-east-1" } });
    l.globalId("audio", "s3Bucket");
    expect(() => l.globalId("logs", "s3Bucket")).toThrow(
      "Two s3Bucket resources would both be named 'nora-production-audio-059364397483-us-east-1' (s3Bucket:audio and s3Bucket:logs)",
    );
  });

  it("refuses patterns without {name}, unknown placeholders, bad keys and names AWS refuses for their kind", () => {
    expect(
      namingIssues({
        pattern: "{namespace}-{stage}",
        globalPattern: "{namespace}-{environment}",
        names: { "bucket:audio": "x", "s3Bucket:audio": "Nora_Audio", "dbCluster:aurora": "1cluster", "loadBalancer:alb": "internal-alb", "securityGroup:rds": "sg-rds" },
      }),
    ).toEqual([
      { field: "naming.pattern", value: "{namespace}-{stage}", allowed: "placeholders {namespace}, {environment}, {name} only (not {stage})" },
      { field: "naming.globalPattern", value: "{namespace}-{environment}", allowed: "a pattern with {name}: without it every resource of a kind gets the same name" },
      { field: "naming.names", value: "bucket:audio", allowed: expect.stringMatching(/^a key <kind>:<name>, the kind one of default, s3Bucket, /) },
      { field: "naming.names.s3Bucket:audio", value: "Nora_Audio", allowed: "a s3Bucket name AWS accepts: 3-63 characters of [a-z0-9.-], starting and ending with a letter or digit" },
      { field: "naming.names.dbCluster:aurora", value: "1cluster", allowed: expect.stringContaining("a dbCluster name AWS accepts: an RDS identifier starting with a letter") },
      { field: "naming.names.loadBalancer:alb", value: "internal-alb", allowed: "a loadBalancer name AWS accepts: a name not starting with internal- (ELB reserves it)" },
      { field: "naming.names.securityGroup:rds", value: "sg-rds", allowed: "a securityGroup name AWS accepts: a name not starting with sg- (EC2 refuses it)" },
    ]);
  });

  it("reports naming mistakes as config errors of the environment, before anything is built", () => {
    const error = configError(devConfig((c) => (c.naming = { names: { "s3Bucket:alb-access-logs": "Not A Bucket" } })));
    expect(error.issues).toEqual([{ field: "naming.names.s3Bucket:alb-access-logs", value: "Not A Bucket", allowed: "a s3Bucket name AWS accepts: 3-63 characters of [a-z0-9.-], starting and ending with a letter or digit" }]);
  });

  it("refuses a names key no resource of the environment has, listing the keys of that kind", () => {
    const error = configError(devConfig((c) => (c.naming = { names: { "dbCluster:postgres": "omnirapeutic-dev" } })));
    expect(error.issues).toEqual([{ field: "naming.names.dbCluster:postgres", value: "dbCluster:postgres", allowed: "a key this environment names a resource by; of kind dbCluster: dbCluster:aurora" }]);
  });

  it("carries a cluster name into what derives from it: its log group", () => {
    const { json } = build(devConfig((c) => (c.naming = { names: { "dbCluster:aurora": "omnirapeutic-dev" } })));
    const cluster = Object.values(json.resource!.aws_rds_cluster)[0];
    expect(cluster.cluster_identifier).toBe("omnirapeutic-dev");
    expect(Object.values(json.resource!.aws_cloudwatch_log_group).map((g) => g.name)).toContain("/aws/rds/cluster/omnirapeutic-dev/postgresql");
  });

  it("lists only keys a resource is named by: the cluster's parameter group with its engine's major version", () => {
    const { stack } = build(devConfig());
    const groups = [...stack.label.names.keys()].filter((k) => k.startsWith("dbParameterGroup:"));
    expect(groups).toEqual(["dbParameterGroup:aurora-postgresql15"]);
  });

  it("gives a security group named by hand exactly that name, deleted before it is replaced; others keep a prefix", () => {
    const { json } = build(devConfig((c) => (c.naming = { names: { "securityGroup:aurora": "omnirapeutic-rds-sg" } })));
    const groups = Object.entries(json.resource!.aws_security_group);
    expect(groups.length).toBeGreaterThan(1);
    for (const [address, g] of groups) {
      if (address === "aurora_security_group") expect([g.name, g.name_prefix, g.lifecycle]).toEqual(["omnirapeutic-rds-sg", undefined, { create_before_destroy: false }]);
      else expect([g.name, g.lifecycle]).toEqual([undefined, { create_before_destroy: true }]);
    }
  });
});

describe("every example and production carry their seeds' names", () => {
  const examples = loadConfig(path.join(ROOT, "examples")).environments;
  const names = (config: EnvironmentConfig, project = loadConfig(path.join(ROOT, "examples")).project) =>
    new EnvironmentStack(Testing.app(), config, project).label.names;
  const of = (name: string) => names(examples.find((e) => e.name === name)!);

  it("nora (seed 000): the audio bucket nora-audio-059364397483, nora-rds, the VPC nora-vpc", () => {
    expect(of("nora").get("s3Bucket:audio")).toBe("nora-audio-059364397483");
    expect(of("nora").get("dbInstance:rds")).toBe("nora-rds");
    expect(of("nora").get("ec2Name:vpc")).toBe("nora-vpc");
  });

  it("startupwebapp (seed 001): the instance startupwebapp-multi-tenant-prod and its dashboard", () => {
    expect(of("startupwebapp").get("dbInstance:rds")).toBe("startupwebapp-multi-tenant-prod");
    expect(of("startupwebapp").get("default:dashboard")).toBe("StartupWebApp-RDS-MultiTenant");
  });

  it("mentalspace (seed 002): mentalspace-ehr-<name> and the topic mentalspace-ehr-alerts", () => {
    expect(of("mentalspace").get("default:alarms")).toBe("mentalspace-ehr-alerts");
    expect(of("mentalspace").get("dbCluster:aurora")).toBe("mentalspace-ehr-aurora");
  });

  it("outreachpass (seed 004): outreachpass-dev-<name>, its buckets, cluster, functions and API", () => {
    const n = of("outreachpass");
    expect([n.get("s3Bucket:assets"), n.get("s3Bucket:uploads"), n.get("dbCluster:aurora"), n.get("lambdaFunction:backend"), n.get("lambdaFunction:worker"), n.get("default:api")]).toEqual([
      "outreachpass-dev-assets",
      "outreachpass-dev-uploads",
      "outreachpass-dev",
      "outreachpass-dev-backend",
      "outreachpass-dev-worker",
      "outreachpass-dev",
    ]);
  });

  it("production (seed 003): the cluster omnirapeutic-production and the ALB omnirapeutic-production-alb", () => {
    const reference = loadConfig(path.join(ROOT, "examples", "omnirapeutic"));
    const n = names(reference.environments.find((e) => e.name === "production")!, reference.project);
    expect([n.get("dbCluster:aurora"), n.get("loadBalancer:alb"), n.get("ecsCluster:")]).toEqual(["omnirapeutic-production", "omnirapeutic-production-alb", "omnirapeutic-production"]);
  });
});

describe("adoption in config", () => {
  it("emits one Terraform import block per adopted resource, to its address, with its id", () => {
    const { json } = build(devConfig((c) => (c.adopt = { "aws_rds_cluster.aurora": "keel-dev-aurora", "aws_s3_bucket.alb_access_logs": "keel-dev-alb-access-logs-111122223333-us-east-1" })));
    expect(json.import).toEqual([
      { to: "aws_rds_cluster.aurora", id: "keel-dev-aurora" },
      { to: "aws_s3_bucket.alb_access_logs", id: "keel-dev-alb-access-logs-111122223333-us-east-1" },
    ]);
  });

  it("emits no import block when nothing is adopted", () => {
    expect(build(devConfig()).json.import).toBeUndefined();
  });

  it("refuses a malformed id or a type Keel cannot adopt before anything is built", () => {
    const error = configError(
      devConfig((c) => (c.adopt = { "aws_lb.alb": "omnirapeutic-production-alb", "aws_wafv2_web_acl.waf": "x", "not an address": "y", "aws_vpc.network": "vpc-0efa6ad4007e9573b" })),
    );
    expect(error.issues).toEqual([
      { field: "adopt.aws_lb.alb", value: "omnirapeutic-production-alb", allowed: expect.stringMatching(/^the load balancer ARN \(aws_lb\), e\.g\. arn:aws:elasticloadbalancing:/) },
      { field: "adopt.aws_wafv2_web_acl.waf", value: "x", allowed: expect.stringMatching(/^a resource of a type Keel can adopt: aws_s3_bucket, /) },
      { field: "adopt", value: "not an address", allowed: "a Terraform address of a managed resource, <type>.<name>, as keel plan prints it" },
    ]);
  });

  it("refuses an address the environment does not have, listing its addresses of that type", () => {
    const error = configError(devConfig((c) => (c.adopt = { "aws_s3_bucket.audio": "nora-audio-059364397483" })));
    expect(error.issues).toEqual([{ field: "adopt", value: "aws_s3_bucket.audio", allowed: "an address of this environment; of aws_s3_bucket: aws_s3_bucket.alb_access_logs" }]);
  });

  it("checks every adoptable type's id pattern against its own example", () => {
    expect(Object.keys(IMPORT_IDS).length).toBeGreaterThanOrEqual(25);
    for (const [type, format] of Object.entries(IMPORT_IDS)) expect({ type, problem: importIdProblem(type, format.example) }).toEqual({ type, problem: undefined });
  });
});

describe("the adoption list file", () => {
  it("is read as the environment's adopt, and one given in both places is refused", () => {
    const dir = sandbox();
    const folder = path.join(dir, "environments");
    fs.writeFileSync(path.join(folder, "dev.adopt.ts"), 'export default { "aws_rds_cluster.aurora": "keel-dev-aurora" };\n');
    expect(loadConfig(folder).environments.find((e) => e.name === "dev")?.adopt).toEqual({ "aws_rds_cluster.aurora": "keel-dev-aurora" });
    fs.writeFileSync(path.join(folder, "qa.adopt.ts"), "export default {};\n");
    expect(() => loadConfig(folder)).toThrow(/qa\.adopt\.ts: field '\(file\)'.*an adoption list beside its environment file: \S*environments has no qa\.ts/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is TypeScript a reviewer reads: the command, the account, and address-to-id lines", () => {
    const text = adoptionFile(
      { stack: "nora", account: "059364397483", region: "us-east-1", found: [{ address: "aws_s3_bucket.buckets_audio", name: "nora-audio-059364397483", id: "nora-audio-059364397483" }], missing: [], unmatched: [] },
      typesImportFrom(path.join(ROOT, "examples"), ROOT),
      "2026-12-05",
    );
    expect(text).toContain("// Written by `keel adopt nora` on 2026-12-05, from account 059364397483 in us-east-1.");
    expect(text).toContain('import type { AdoptionList } from "../environments/lib/types";');
    expect(text).toContain('  "aws_s3_bucket.buckets_audio": "nora-audio-059364397483",');
  });
});

describe("keel adopt", () => {
  it("sends only Describe, Get, List and Head calls", async () => {
    const sent: unknown[] = [];
    const client = { send: async (c: unknown) => (sent.push(c), {}) };
    class DescribeThingsCommand {}
    class DeleteBucketCommand {}
    class PutObjectCommand {}
    await read(client, new DescribeThingsCommand());
    await expect(read(client, new DeleteBucketCommand())).rejects.toThrow("keel adopt only reads: DeleteBucketCommand is not a Describe, Get, List or Head call");
    await expect(read(client, new PutObjectCommand())).rejects.toThrow("is not a Describe, Get, List or Head call");
    expect(sent).toHaveLength(1);
  });

  it("can look up or explains every adoptable type, and looks up only types whose import id it can form", () => {
    for (const type of Object.keys(IMPORT_IDS)) expect({ type, covered: type in LOOKUPS || type in NOT_DISCOVERABLE }).toEqual({ type, covered: true });
    for (const type of Object.keys(LOOKUPS)) expect({ type, adoptable: type in IMPORT_IDS }).toEqual({ type, adoptable: true });
  });
});

describe("keel plan of an adoption", () => {
  const change = (address: string, actions: string[], importing: boolean, before: object, after: object, replace?: string[][]) => ({
    address,
    type: address.split(".")[0],
    change: { actions, before, after, after_unknown: {}, ...(importing ? { importing: { id: address.endsWith("audio") ? "nora-audio-059364397483" : "nora-rds" } } : {}), ...(replace ? { replace_paths: replace } : {}) },
  });
  const summary = summarizePlan({
    resource_changes: [
      change("aws_s3_bucket.buckets_audio", ["no-op"], true, { bucket: "nora-audio-059364397483" }, { bucket: "nora-audio-059364397483" }),
      change("aws_db_instance.rds", ["update"], true, { instance_class: "db.t3.micro", multi_az: false }, { instance_class: "db.t3.small", multi_az: true }),
      change("aws_ecr_repository.ecr_nora", ["delete", "create"], true, { encryption_configuration: [{ encryption_type: "AES256" }] }, { encryption_configuration: [{ encryption_type: "KMS" }] }, [["encryption_configuration"]]),
      change("aws_iam_role.x", ["create"], false, {}, { name: "x" }),
    ].map((c) => (c.address === "aws_ecr_repository.ecr_nora" ? { ...c, change: { ...c.change, importing: { id: "nora-nora" } } } : c)),
  });

  it("heads the plan with the imports, and lists what each import then changes", () => {
    const text = renderText(summary);
    expect(text.split("\n")[0]).toBe("Plan: 3 to import, 1 to create, 1 to update, 1 to replace, 0 to delete (1 destroyed)");
    expect(text).toContain("Adopted (imported from AWS, not created):\n  aws_s3_bucket.buckets_audio <- nora-audio-059364397483: adopted as it is\n  aws_db_instance.rds <- nora-rds: adopted, and 2 settings will change\n    instance_class: \"db.t3.micro\" -> \"db.t3.small\"\n    multi_az: false -> true\n");
  });

  it("flags an adoption that would also replace the resource with the stateful destroys", () => {
    expect(summary.destroysStateful.map((c) => c.address)).toEqual(["aws_ecr_repository.ecr_nora"]);
    expect(renderText(summary)).toContain("!! STATEFUL RESOURCES DESTROYED:\n   REPLACE aws_ecr_repository.ecr_nora (adopted: nora-nora) (forced by: encryption_configuration)");
    expect(renderMarkdown(summary)).toContain("- `aws_db_instance.rds` ← `nora-rds`: adopted, and 2 settings will change (`instance_class`, `multi_az`)");
  });
});
