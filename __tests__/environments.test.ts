import * as fs from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { ConfigError, PROTECTION_PROFILES, loadConfig, validateEnvironment, validateProject } from "../environments";
import project from "../examples/omnirapeutic/project";
import { REFERENCE_DIR } from "./support/stacks";
import { ValidationError } from "../modules/validation";
import { EnvironmentStack } from "../stacks";
import { configError, devConfig, devNetwork, projectConfig } from "./support/config";

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error("expected a ValidationError, but the config was accepted");
}

const source = "environment 'dev' (environments/dev.ts)";
const message = (raw: unknown): string => configError(raw).message;

describe("the reference platform's configuration (examples/omnirapeutic)", () => {
  it("loads dev, production and staging, sorted, and the project settings", () => {
    const { environments, project: loaded } = loadConfig(REFERENCE_DIR);
    expect(environments.map((e) => e.name)).toEqual(["dev", "production", "staging"]);
    expect(loaded.namespace).toBe("keel");
    expect(loaded.accounts).toEqual([
      {
        accountId: "111122223333",
        regions: ["us-east-1"],
        cloudtrail: {},
        config: {},
        guardduty: {},
        alarms: { emails: ["platform-alerts@example.com"], monthlyBudgetUsd: 1500 },
      },
    ]);
  });

  it("gives production the production protection profile, dev and staging the disposable one", () => {
    const byName = new Map(loadConfig(REFERENCE_DIR).environments.map((e) => [e.name, e.protection]));
    expect(Object.fromEntries(byName)).toEqual({ dev: "disposable", production: "production", staging: "disposable" });
  });

  it("accepts every shipped environment through the modules too", () => {
    for (const env of loadConfig(REFERENCE_DIR).environments) expect(() => new EnvironmentStack(Testing.app(), env, project)).not.toThrow();
  });
});

describe("tags", () => {
  const tagsOf = (change: Parameters<typeof devConfig>[0]) => {
    const stack = new EnvironmentStack(Testing.app(), validateEnvironment(devConfig(change), "dev", project), project);
    return (JSON.parse(Testing.synth(stack)) as { provider: { aws: Array<{ default_tags: Array<{ tags: Record<string, string> }> }> } }).provider.aws[0].default_tags[0].tags;
  };

  it("gives an environment without tags the project's, and lets one override each", () => {
    expect(tagsOf((c) => delete c.tags)).toMatchObject({ Owner: project.tags.owner, CostCenter: project.tags.costCenter, DataClassification: project.tags.dataClassification });
    expect(tagsOf((c) => (c.tags = { dataClassification: "restricted" }))).toMatchObject({ Owner: project.tags.owner, CostCenter: project.tags.costCenter, DataClassification: "restricted" });
  });

  it("names a bad tag as written, merged or not", () => {
    expect(message(devConfig((c) => (c.tags = { dataClassification: "secret" as never })))).toContain(`${source}: field 'tags.dataClassification': value "secret" is not allowed`);
    expect(message(devConfig((c) => (c.tags = { owner: "a".repeat(300) })))).toContain(`${source}: field 'tags.owner'`);
  });
});

describe("protection presets", () => {
  it("production protects everything stateful", () => {
    expect(PROTECTION_PROFILES.production).toEqual({
      deletionProtection: true,
      preventDestroy: true,
      finalSnapshot: true,
      secretRecoveryWindowInDays: 30,
      protectAuditLogs: true,
      emptyOnDestroy: false,
      lockBackups: true,
    });
  });

  it("disposable protects nothing, so the environment can be destroyed and rebuilt", () => {
    expect(PROTECTION_PROFILES.disposable).toEqual({
      deletionProtection: false,
      preventDestroy: false,
      finalSnapshot: false,
      secretRecoveryWindowInDays: 7,
      protectAuditLogs: false,
      emptyOnDestroy: true,
      lockBackups: false,
    });
  });
});

describe("environment validation: each error names the environment, field, value as written and what is allowed", () => {
  it("accepts the dev config as it is", () => {
    expect(validateEnvironment(devConfig(), "dev", project).name).toBe("dev");
  });

  it("rejects an account id that is not 12 digits", () => {
    expect(message(devConfig((c) => (c.accountId = "12345")))).toBe(
      `${source}: field 'accountId': value "12345" is not allowed: must be a 12-digit AWS account id`,
    );
  });

  it("rejects an environment name outside [a-z0-9-]", () => {
    expect(message(devConfig((c) => (c.name = "Dev_1")))).toBe(
      "environment 'Dev_1' (environments/dev.ts): field 'name': value \"Dev_1\" is not allowed: must be lower-case letters, digits and single dashes ([a-z0-9-]), not starting or ending with a dash",
    );
  });

  it("rejects a name that differs from the file name", () => {
    expect(message(devConfig((c) => (c.name = "qa")))).toBe(
      "environment 'qa' (environments/dev.ts): field 'name': value \"qa\" is not allowed: must equal the file name 'dev'",
    );
  });

  it.each(["bootstrap", "account-111122223333-us-east-1"])("rejects an environment named like Keel's own stack %s", (name) => {
    const error = configError(devConfig((c) => (c.name = name)), name);
    expect(error.message).toContain(`field 'name': value "${name}" is not allowed: must not be 'bootstrap' or start with 'account-'`);
  });

  it("rejects an unknown region", () => {
    expect(message(devConfig((c) => (c.region = "us-east-9")))).toMatch(
      /^environment 'dev' \(environments\/dev\.ts\): field 'region': value "us-east-9" is not allowed: must be a known region: us-east-1, us-east-2, .*eu-west-1/,
    );
  });

  it("rejects an account that project.accounts does not list (it would have no account stack)", () => {
    expect(message(devConfig((c) => (c.accountId = "999999999999")))).toBe(
      `${source}: field 'accountId': value "999999999999" is not allowed: an account listed in project.accounts (environments/project.ts): 111122223333`,
    );
  });

  it("rejects a region not listed for the environment's account", () => {
    expect(message(devConfig((c) => (c.region = "eu-west-1")))).toBe(
      `${source}: field 'region': value "eu-west-1" is not allowed: a region listed for account 111122223333 in project.accounts: us-east-1 (each gets an account stack)`,
    );
  });

  it("rejects a misspelt key instead of ignoring it, showing its value", () => {
    const raw = { ...devConfig(), acountId: "111122223333" };
    expect(message(raw)).toBe(`${source}: field 'acountId': value "111122223333" is not allowed: unknown keys are rejected (is it misspelt?)`);
  });

  it("rejects a misspelt key inside a section", () => {
    expect(message(devNetwork((n) => Object.assign(n, { enableNatGateways: true })))).toBe(
      `${source}: field 'network.enableNatGateways': value true is not allowed: unknown keys are rejected (is it misspelt?)`,
    );
  });

  it("rejects a missing field", () => {
    const { region: _region, ...raw } = devConfig();
    expect(message(raw)).toContain(`field 'region': value (missing) is not allowed`);
  });

  it("requires a protection profile by name", () => {
    const { protection: _p, ...raw } = devConfig();
    expect(message(raw)).toBe(`${source}: field 'protection': value (missing) is not allowed: must be one of production, disposable, decommission`);
    expect(message(devConfig((c) => ((c as { protection: string }).protection = "prod")))).toBe(
      `${source}: field 'protection': value "prod" is not allowed: must be one of production, disposable, decommission`,
    );
  });

  it.each([
    ["owner", "team#1", "a tag value of 0-256 letters, digits, spaces and _ . : / = + - @"],
    ["costCenter", "c".repeat(257), "a tag value of 0-256 letters, digits, spaces and _ . : / = + - @"],
  ])("rejects a default tag value AWS refuses (tags.%s)", (key, value, allowed) => {
    expect(message(devConfig((c) => ((c.tags as Record<string, string>)[key] = value)))).toContain(`${source}: field 'tags.${key}': value "${value.slice(0, 116)}`);
    expect(message(devConfig((c) => ((c.tags as Record<string, string>)[key] = value)))).toContain(`is not allowed: ${allowed}`);
  });

  it("shows an all-spaces string as written", () => {
    expect(message(devConfig((c) => ((c.tags as { owner: string }).owner = "   ")))).toBe(
      `${source}: field 'tags.owner': value "   " is not allowed: must be a non-empty string`,
    );
  });

  it("shows NaN as NaN", () => {
    expect(message(devConfig((c) => (c.aurora!.backupRetentionPeriod = NaN)))).toBe(
      `${source}: field 'aurora.backupRetentionPeriod': value NaN is not allowed: must be a number`,
    );
  });

  it("rejects an unknown data classification", () => {
    expect(message(devConfig((c) => ((c.tags as { dataClassification: string }).dataClassification = "secret")))).toBe(
      `${source}: field 'tags.dataClassification': value "secret" is not allowed: must be one of public, internal, confidential, restricted`,
    );
  });

  it("rejects an interface endpoint Keel does not know", () => {
    expect(message(devNetwork((n) => ((n.interfaceEndpoints as string[]) = ["sqs"])))).toBe(
      `${source}: field 'network.interfaceEndpoints.0': value "sqs" is not allowed: must be one of ecr.api, ecr.dkr, logs, secretsmanager, ssm, ssmmessages, ec2messages`,
    );
  });

  it("rejects a bastion AMI that is neither an SSM parameter nor an image id", () => {
    expect(message(devConfig((c) => ((c.bastion as { ami: unknown }).ami = { name: "al2023" })))).toBe(
      `${source}: field 'bastion.ami': value {"name":"al2023"} is not allowed: must be { ssmParameter: "/aws/service/..." } or { imageId: "ami-...", architecture: "x86_64" | "arm64" }`,
    );
  });

  it("rejects an unknown pgAudit class", () => {
    expect(message(devConfig((c) => ((c.aurora!.pgauditLog as string[]) = ["everything"])))).toContain(
      `field 'aurora.pgauditLog.0': value "everything" is not allowed: must be one of read, write, function, role, ddl, misc, misc_set, all`,
    );
  });

  it("lists every problem, one per line", () => {
    const error = configError(
      devConfig((c) => {
        c.accountId = "1";
        c.region = "mars-1";
      }),
    );
    expect(error.issues.map((i) => i.field)).toEqual(["accountId", "region"]);
    expect(error.message.split("\n")).toHaveLength(2);
  });
});

describe("network rules, checked by the vpc module and reported against the config", () => {
  it("rejects an availability zone of another region", () => {
    expect(message(devNetwork((n) => (n.azs = ["us-east-1a", "us-west-2a"])))).toBe(
      `${source}: field 'network.azs.1': value "us-west-2a" is not allowed: an availability zone of us-east-1: us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f`,
    );
  });

  it("rejects repeated availability zones", () => {
    expect(message(devNetwork((n) => (n.azs = ["us-east-1a", "us-east-1a"])))).toBe(
      `${source}: field 'network.azs.1': value "us-east-1a" is not allowed: availability zones must be distinct`,
    );
  });

  it.each([
    [["us-east-1a"], "one"],
    [["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"], "four"],
  ])("rejects %j (%s AZs): 2 or 3 are allowed", (azs) => {
    expect(configError(devNetwork((n) => (n.azs = azs))).issues[0]).toEqual({ field: "network.azs", value: azs, allowed: "2 or 3 availability zones" });
  });

  it.each(["10.0.0.0/8", "10.0.0.0/15", "10.0.0.0/25"])("rejects VPC CIDR %s: prefix must be /16 to /24", (cidr) => {
    const error = configError(
      devNetwork((n) => {
        n.cidr = cidr;
        n.publicSubnets = [];
        n.privateSubnets = [];
        n.enableNatGateway = false;
        n.singleNatGateway = false;
        n.databaseSubnets = ["10.0.0.0/28", "10.0.0.16/28"];
      }),
    );
    expect(error.message).toBe(`${source}: field 'network.cidr': value "${cidr}" is not allowed: a prefix between /16 and /24`);
  });

  it.each(["10.10.0/16", "10.300.0.0/16"])("rejects %s, which is not an IPv4 CIDR", (cidr) => {
    expect(configError(devNetwork((n) => (n.cidr = cidr))).issues[0]).toEqual({
      field: "network.cidr",
      value: cidr,
      allowed: "an IPv4 CIDR such as 10.0.0.0/16, with octets 0-255 and a prefix 0-32",
    });
  });

  it("rejects a CIDR that does not start on its network boundary", () => {
    expect(message(devNetwork((n) => (n.publicSubnets = ["10.10.1.5/24", "10.10.2.0/24"])))).toBe(
      `${source}: field 'network.publicSubnets.0': value "10.10.1.5/24" is not allowed: a CIDR that starts on its network boundary: 10.10.1.0/24`,
    );
  });

  it("rejects a subnet outside the VPC CIDR", () => {
    expect(message(devNetwork((n) => (n.privateSubnets = ["10.10.11.0/24", "10.99.12.0/24"])))).toBe(
      `${source}: field 'network.privateSubnets.1': value "10.99.12.0/24" is not allowed: a subnet inside the VPC CIDR 10.10.0.0/16`,
    );
  });

  it("rejects overlapping subnets, naming both", () => {
    expect(message(devNetwork((n) => (n.databaseSubnets = ["10.10.21.0/24", "10.10.11.128/25"])))).toBe(
      `${source}: field 'network.databaseSubnets.1': value "10.10.11.128/25" is not allowed: a CIDR that does not overlap privateSubnets.0 (10.10.11.0/24)`,
    );
  });

  it("rejects a subnet prefix outside /16 to /28", () => {
    expect(message(devNetwork((n) => (n.publicSubnets = ["10.10.1.0/29", "10.10.2.0/24"])))).toBe(
      `${source}: field 'network.publicSubnets.0': value "10.10.1.0/29" is not allowed: a prefix between /16 and /28`,
    );
  });

  it("rejects a subnet tier that does not have one subnet per AZ", () => {
    expect(message(devNetwork((n) => (n.publicSubnets = ["10.10.1.0/24"])))).toBe(
      `${source}: field 'network.publicSubnets': value ["10.10.1.0/24"] is not allowed: one subnet per availability zone (2) or none`,
    );
  });

  it("rejects an existing network whose VPC id is malformed, in the existing network's terms", () => {
    const raw = devConfig((c) => {
      (c as { network: unknown }).network = { vpcId: "vpc-xyz", cidr: "172.31.0.0/16", azs: ["us-east-1a", "us-east-1b"], publicSubnetIds: [] };
      delete c.aurora;
      delete c.bastion;
    });
    expect(message(raw)).toContain(`field 'network.vpcId': value "vpc-xyz" is not allowed: a VPC id such as vpc-0123456789abcdef0`);
  });

  it("reports a misspelt key of an existing network against that shape, not the VPC's", () => {
    const raw = devConfig((c) => {
      (c as { network: unknown }).network = { vpcId: "vpc-0123456789abcdef0", cidr: "172.31.0.0/16", azs: ["us-east-1a"], publicSubnetId: [] };
    });
    expect(configError(raw).issues).toEqual([
      { field: "network.publicSubnetId", value: [], allowed: "unknown keys are rejected (is it misspelt?)" },
    ]);
  });
});

describe("sections that need another section", () => {
  it("refuses aurora without a network, naming both", () => {
    const raw = devConfig((c) => {
      delete c.network;
      delete c.bastion;
    });
    expect(message(raw)).toBe(
      `${source}: field 'aurora': value "(section given)" is not allowed: only with a 'network' section: the cluster lives in its database subnets`,
    );
  });
});

describe("project settings validation", () => {
  const projectSource = "project settings (environments/project.ts)";

  it("accepts the shipped settings", () => {
    expect(validateProject(projectConfig()).state.lockTable).toBe("keel-terraform-locks");
  });

  it.each([
    ["sthree-keel-state", "not starting with sthree- (S3 reserves xn--, sthree-, amzn-s3-demo-)"],
    ["xn--keel-state", "not starting with xn-- (S3 reserves xn--, sthree-, amzn-s3-demo-)"],
    ["keel-state-s3alias", "not ending with -s3alias (S3 reserves -s3alias, --ol-s3, .mrap, --x-s3, --table-s3)"],
    ["keel-state--ol-s3", "not ending with --ol-s3"],
  ])("rejects the state bucket %s, a name S3 reserves", (bucket, allowed) => {
    expect(errorOf(() => validateProject(projectConfig((p) => (p.state.bucket = bucket)))).message).toContain(
      `${projectSource}: field 'state.bucket': value "${bucket}" is not allowed: ${allowed}`,
    );
  });

  it("rejects an invalid state bucket name", () => {
    expect(errorOf(() => validateProject(projectConfig((p) => (p.state.bucket = "Keel_State")))).message).toBe(
      `${projectSource}: field 'state.bucket': value "Keel_State" is not allowed: must be a valid S3 bucket name: 3-63 characters of [a-z0-9.-], starting and ending with a letter or digit`,
    );
  });

  it("rejects a bucket name shaped like an IP address", () => {
    expect(errorOf(() => validateProject(projectConfig((p) => (p.state.bucket = "10.0.0.1")))).message).toContain(
      "must not contain '..' or look like an IP address",
    );
  });

  it("rejects an invalid lock table name", () => {
    expect(errorOf(() => validateProject(projectConfig((p) => (p.state.lockTable = "x")))).message).toBe(
      `${projectSource}: field 'state.lockTable': value "x" is not allowed: must be a DynamoDB table name: 3-255 characters of [a-zA-Z0-9_.-]`,
    );
  });

  it("rejects a noncurrent-version expiry of zero days", () => {
    expect(errorOf(() => validateProject(projectConfig((p) => (p.state.noncurrentVersionExpirationDays = 0)))).message).toBe(
      `${projectSource}: field 'state.noncurrentVersionExpirationDays': value 0 is not allowed: must be between 1 and 3650 days`,
    );
  });

  it("requires the state account to be one of the accounts", () => {
    expect(errorOf(() => validateProject(projectConfig((p) => (p.state.accountId = "444455556666")))).message).toBe(
      `${projectSource}: field 'state.accountId': value "444455556666" is not allowed: one of the accounts in project.accounts`,
    );
  });

  it("rejects an account listed twice, and a region listed twice", () => {
    const error = errorOf(() =>
      validateProject(
        projectConfig((p) => {
          p.accounts = [
            { accountId: "111122223333", regions: ["us-east-1", "us-east-1"] },
            { accountId: "111122223333", regions: ["eu-west-1"] },
          ];
        }),
      ),
    );
    expect(error.issues.map((i) => i.field)).toEqual(["accounts.0.regions.1", "accounts.1.accountId"]);
  });

  it("accepts a profile and a role in the account itself, and names a role of another account or a malformed one", () => {
    const withCredentials = (profile: string, roleArn: string) => projectConfig((p) => (p.accounts = [{ ...p.accounts[0], profile, roleArn }]));
    expect(validateProject(withCredentials("team-prod.admin", `arn:aws:iam::${project.accounts[0].accountId}:role/ci/keel-deploy`)).accounts[0].profile).toBe("team-prod.admin");
    const error = errorOf(() => validateProject(withCredentials("team prod", "arn:aws:iam::999988887777:role/keel-deploy")));
    expect(error.issues.map((i) => i.field)).toEqual(["accounts.0.profile"]);
    const other = errorOf(() => validateProject(withCredentials("team-prod", "arn:aws:iam::999988887777:role/keel-deploy")));
    expect(other.message).toContain(`field 'accounts.0.roleArn': value "arn:aws:iam::999988887777:role/keel-deploy" is not allowed: a role in account ${project.accounts[0].accountId} itself`);
    expect(errorOf(() => validateProject(withCredentials("p", "keel-deploy"))).message).toContain("field 'accounts.0.roleArn': value \"keel-deploy\" is not allowed: must be an IAM role ARN");
  });

  it("rejects an account with no region", () => {
    expect(errorOf(() => validateProject(projectConfig((p) => (p.accounts = [{ accountId: "111122223333", regions: [] }])))).message).toContain(
      "field 'accounts.0.regions': value [] is not allowed: must list at least one region (the first is the home region)",
    );
  });
});

describe("environment discovery", () => {
  const tmp = (): string => fs.mkdtempSync(path.join(process.env.TMPDIR ?? "", "envs-"));
  const projectFile = `export default ${JSON.stringify(project)};\n`;

  it("adds an environment for each file, with no other change", () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, "project.ts"), projectFile);
    fs.writeFileSync(path.join(dir, "qa.ts"), `export default ${JSON.stringify(devConfig((c) => (c.name = "qa")))};\n`);
    expect(loadConfig(dir).environments.map((e) => e.name)).toEqual(["qa"]);
  });

  it("names the file whose default export is missing", () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, "project.ts"), projectFile);
    fs.writeFileSync(path.join(dir, "qa.ts"), "export const qa = {};\n");
    const error = errorOf(() => loadConfig(dir));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      `${path.relative(path.join(__dirname, ".."), dir).split(path.sep).join("/")}/qa.ts: field 'default export': value (missing) is not allowed: an environment file must \`export default\` its EnvironmentConfig`,
    );
  });
});
