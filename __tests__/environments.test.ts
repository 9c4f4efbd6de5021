import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, loadConfig, validateEnvironment, validateProject } from "../environments";
import project from "../environments/project";
import { devConfig, projectConfig } from "./support/config";

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError, but the config was accepted");
}

const validate = (raw: unknown): ConfigError => errorOf(() => validateEnvironment(raw, "dev", project));

describe("the shipped configuration", () => {
  it("loads dev, production and staging, sorted, and the project settings", () => {
    const { environments, project: loaded } = loadConfig();
    expect(environments.map((e) => e.name)).toEqual(["dev", "production", "staging"]);
    expect(loaded.namespace).toBe("keel");
  });

  it("gives production seed 003's network: us-east-1, 10.0.0.0/16, three AZs", () => {
    const production = loadConfig().environments.find((e) => e.name === "production");
    expect(production?.region).toBe("us-east-1");
    expect(production?.network.cidr).toBe("10.0.0.0/16");
    expect(production?.network.azs).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
  });
});

describe("environment validation: each error names the environment, field, value and what is allowed", () => {
  const source = "environment 'dev' (environments/dev.ts)";

  it("accepts the dev config as it is", () => {
    expect(validateEnvironment(devConfig(), "dev", project).name).toBe("dev");
  });

  it("rejects an account id that is not 12 digits", () => {
    expect(validate(devConfig((c) => (c.accountId = "12345"))).message).toBe(
      `${source}: field 'accountId': value "12345" is not allowed: must be a 12-digit AWS account id`,
    );
  });

  it("rejects an environment name outside [a-z0-9-]", () => {
    expect(validate(devConfig((c) => (c.name = "Dev_1"))).message).toBe(
      "environment 'Dev_1' (environments/dev.ts): field 'name': value \"Dev_1\" is not allowed: must be lower-case letters, digits and single dashes ([a-z0-9-]), not starting or ending with a dash",
    );
  });

  it("rejects a name that differs from the file name", () => {
    expect(validate(devConfig((c) => (c.name = "qa"))).message).toBe(
      "environment 'qa' (environments/dev.ts): field 'name': value \"qa\" is not allowed: must equal the file name 'dev'",
    );
  });

  it("rejects an unknown region", () => {
    expect(validate(devConfig((c) => (c.region = "us-east-9"))).message).toMatch(
      /^environment 'dev' \(environments\/dev\.ts\): field 'region': value "us-east-9" is not allowed: must be a known region: us-east-1, us-east-2, .*eu-west-1/,
    );
  });

  it("rejects an availability zone of another region", () => {
    expect(validate(devConfig((c) => (c.network.azs = ["us-east-1a", "us-west-2a"]))).message).toBe(
      `${source}: field 'network.azs.1': value "us-west-2a" is not allowed: must be an availability zone of us-east-1: us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f`,
    );
  });

  it("rejects an availability zone the region does not have", () => {
    expect(validate(devConfig((c) => (c.network.azs = ["us-east-1a", "us-east-1z"]))).message).toContain(
      `field 'network.azs.1': value "us-east-1z" is not allowed: must be an availability zone of us-east-1`,
    );
  });

  it("rejects repeated availability zones", () => {
    expect(validate(devConfig((c) => (c.network.azs = ["us-east-1a", "us-east-1a"]))).message).toBe(
      `${source}: field 'network.azs.1': value "us-east-1a" is not allowed: availability zones must be distinct`,
    );
  });

  it.each([
    [["us-east-1a"], "one"],
    [["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"], "four"],
  ])("rejects %j (%s AZs): 2 or 3 are allowed", (azs) => {
    expect(validate(devConfig((c) => (c.network.azs = azs))).message).toBe(
      `${source}: field 'network.azs': value ${JSON.stringify(azs)} is not allowed: must list 2 or 3 availability zones`,
    );
  });

  it.each(["10.0.0.0/8", "10.0.0.0/15", "10.0.0.0/25"])("rejects VPC CIDR %s: prefix must be /16 to /24", (cidr) => {
    const error = validate(
      devConfig((c) => {
        c.network.cidr = cidr;
        c.network.publicSubnets = [];
        c.network.privateSubnets = [];
        c.network.databaseSubnets = ["10.0.0.0/28", "10.0.0.16/28"];
      }),
    );
    expect(error.message).toBe(
      `${source}: field 'network.cidr': value "${cidr}" is not allowed: a VPC CIDR must have a prefix between /16 and /24`,
    );
  });

  it("rejects a CIDR that is not an IPv4 CIDR", () => {
    expect(validate(devConfig((c) => (c.network.cidr = "10.10.0/16"))).message).toBe(
      `${source}: field 'network.cidr': value "10.10.0/16" is not allowed: must be an IPv4 CIDR such as 10.0.0.0/16`,
    );
  });

  it("rejects octets above 255 (checked by the CIDR library)", () => {
    expect(validate(devConfig((c) => (c.network.cidr = "10.300.0.0/16"))).message).toContain(
      `field 'network.cidr': value "10.300.0.0/16" is not allowed: must be an IPv4 CIDR with octets 0-255`,
    );
  });

  it("rejects a CIDR that does not start on its network boundary", () => {
    expect(validate(devConfig((c) => (c.network.publicSubnets = ["10.10.1.5/24", "10.10.2.0/24"]))).message).toBe(
      `${source}: field 'network.publicSubnets.0': value "10.10.1.5/24" is not allowed: must start on its network boundary: 10.10.1.0/24`,
    );
  });

  it("rejects a subnet outside the VPC CIDR", () => {
    expect(validate(devConfig((c) => (c.network.privateSubnets = ["10.10.11.0/24", "10.99.12.0/24"]))).message).toBe(
      `${source}: field 'network.privateSubnets.1': value "10.99.12.0/24" is not allowed: must lie inside the VPC CIDR 10.10.0.0/16`,
    );
  });

  it("rejects overlapping subnets, naming both", () => {
    expect(validate(devConfig((c) => (c.network.databaseSubnets = ["10.10.21.0/24", "10.10.11.128/25"]))).message).toBe(
      `${source}: field 'network.databaseSubnets.1': value "10.10.11.128/25" is not allowed: must not overlap network.privateSubnets.0 (10.10.11.0/24)`,
    );
  });

  it("rejects a subnet prefix outside /16 to /28", () => {
    expect(validate(devConfig((c) => (c.network.publicSubnets = ["10.10.1.0/29", "10.10.2.0/24"]))).message).toBe(
      `${source}: field 'network.publicSubnets.0': value "10.10.1.0/29" is not allowed: a subnet CIDR must have a prefix between /16 and /28`,
    );
  });

  it("rejects a subnet tier that does not have one subnet per AZ", () => {
    expect(validate(devConfig((c) => (c.network.publicSubnets = ["10.10.1.0/24"]))).message).toBe(
      `${source}: field 'network.publicSubnets': value ["10.10.1.0/24"] is not allowed: must list one subnet per availability zone (2) or none`,
    );
  });

  it("rejects a network with no subnets at all", () => {
    const error = validate(
      devConfig((c) => {
        c.network.publicSubnets = [];
        c.network.privateSubnets = [];
        c.network.databaseSubnets = [];
      }),
    );
    expect(error.message).toBe(`${source}: field 'network': value "(no subnets)" is not allowed: at least one subnet tier must be given`);
  });

  it("rejects a misspelt key instead of ignoring it", () => {
    const raw = { ...devConfig(), acountId: "111122223333" };
    expect(validate(raw).message).toBe(
      `${source}: field 'acountId': value "(unknown key)" is not allowed: unknown keys are rejected (is it misspelt?)`,
    );
  });

  it("rejects a missing field", () => {
    const { region: _region, ...raw } = devConfig();
    expect(validate(raw).message).toContain(`field 'region': value (missing) is not allowed`);
  });

  it("rejects an unknown data classification", () => {
    expect(validate(devConfig((c) => ((c.tags as { dataClassification: string }).dataClassification = "secret"))).message).toBe(
      `${source}: field 'tags.dataClassification': value "secret" is not allowed: must be one of public, internal, confidential, restricted`,
    );
  });

  it("rejects an account other than the state account", () => {
    expect(validate(devConfig((c) => (c.accountId = "999999999999"))).message).toContain(
      `field 'accountId': value "999999999999" is not allowed: must be the state account 111122223333`,
    );
  });

  it("rejects an interface endpoint Keel does not know", () => {
    expect(validate(devConfig((c) => ((c.network.interfaceEndpoints as string[]) = ["sqs"]))).message).toBe(
      `${source}: field 'network.interfaceEndpoints.0': value "sqs" is not allowed: must be one of ecr.api, ecr.dkr, logs, secretsmanager, ssm, ssmmessages, ec2messages`,
    );
  });

  it("rejects a bastion AMI that is neither an SSM parameter nor an image id", () => {
    expect(validate(devConfig((c) => ((c.bastion as { ami: unknown }).ami = { name: "al2023" }))).message).toBe(
      `${source}: field 'bastion.ami': value {"name":"al2023"} is not allowed: must be { ssmParameter: "/aws/service/..." } or { imageId: "ami-..." }`,
    );
  });

  it("rejects an unknown pgAudit class", () => {
    expect(validate(devConfig((c) => ((c.database.pgauditLog as string[]) = ["everything"]))).message).toContain(
      `field 'database.pgauditLog.0': value "everything" is not allowed: must be one of read, write, function, role, ddl, misc, misc_set, all`,
    );
  });

  it("requires productionGrade to be stated", () => {
    const { productionGrade: _p, ...raw } = devConfig();
    expect(validate(raw).message).toBe(`${source}: field 'productionGrade': value (missing) is not allowed: must be true or false`);
  });

  it("lists every problem, one per line", () => {
    const error = validate(
      devConfig((c) => {
        c.accountId = "1";
        c.region = "mars-1";
      }),
    );
    expect(error.issues.map((i) => i.field)).toEqual(["accountId", "region"]);
    expect(error.message.split("\n")).toHaveLength(2);
  });
});

describe("project settings validation", () => {
  const source = "project settings (environments/project.ts)";

  it("accepts the shipped settings", () => {
    expect(validateProject(projectConfig()).state.lockTable).toBe("keel-terraform-locks");
  });

  it("rejects an invalid state bucket name", () => {
    expect(errorOf(() => validateProject(projectConfig((p) => (p.state.bucket = "Keel_State")))).message).toBe(
      `${source}: field 'state.bucket': value "Keel_State" is not allowed: must be a valid S3 bucket name: 3-63 characters of [a-z0-9.-], starting and ending with a letter or digit`,
    );
  });

  it("rejects a bucket name shaped like an IP address", () => {
    expect(errorOf(() => validateProject(projectConfig((p) => (p.state.bucket = "10.0.0.1")))).message).toContain(
      "must not contain '..' or look like an IP address",
    );
  });

  it("rejects an invalid lock table name", () => {
    expect(errorOf(() => validateProject(projectConfig((p) => (p.state.lockTable = "x")))).message).toBe(
      `${source}: field 'state.lockTable': value "x" is not allowed: must be a DynamoDB table name: 3-255 characters of [a-zA-Z0-9_.-]`,
    );
  });

  it("rejects a noncurrent-version expiry of zero days", () => {
    expect(errorOf(() => validateProject(projectConfig((p) => (p.state.noncurrentVersionExpirationDays = 0)))).message).toBe(
      `${source}: field 'state.noncurrentVersionExpirationDays': value 0 is not allowed: must be between 1 and 3650 days`,
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
    expect(errorOf(() => loadConfig(dir)).message).toBe(
      "environments/qa.ts: field 'default export': value (missing) is not allowed: an environment file must `export default` its EnvironmentConfig",
    );
  });
});
