import * as path from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { loadConfig } from "../environments";
import { buildEnvironments } from "../stacks";
import { Body, ref, resources } from "./support/module-stack";
import { SynthJson, synthJson } from "./support/stacks";

// The other seeds' systems, from the same modules, config type and
// EnvironmentStack. Their numbers are the seeds' (../shared/SEEDS.md).
const config = loadConfig(path.join(__dirname, "..", "examples"));
const app = buildEnvironments(Testing.app(), config, "examples");
const example = (name: string): SynthJson => synthJson(app.node.findChild(name) as TerraformStack);
const cidrs = (json: SynthJson, tier: string): unknown[] =>
  Object.entries(resources(json, "aws_subnet"))
    .filter(([name]) => name.startsWith(`vpc_${tier}_`))
    .map(([, s]) => s.cidr_block);
const defaultRoutes = (json: SynthJson, tablePrefix: string): Body[] =>
  Object.values(resources(json, "aws_route")).filter((r) => String(r.route_table_id).includes(`vpc_${tablePrefix}_route_table`));

describe("the seed examples", () => {
  it("are nora, startupwebapp, mentalspace and outreachpass, each in its seed's account", () => {
    expect(Object.fromEntries(config.environments.map((e) => [e.name, e.accountId]))).toEqual({
      mentalspace: "706704660887",
      nora: "059364397483",
      outreachpass: "741783034843",
      startupwebapp: "111122223333",
    });
  });

  it("have no data source and no secret value", () => {
    for (const e of config.environments) {
      const text = Testing.synth(app.node.findChild(e.name) as TerraformStack);
      expect({ e: e.name, data: JSON.parse(text).data }).toEqual({ e: e.name, data: undefined });
      expect(text).not.toMatch(/secret_string|master_password"|"password"/);
    }
  });
});

describe("seed 000, nora", () => {
  const json = example("nora");

  it("is a 2-AZ 10.0.0.0/16 VPC, public 10.0.1-2.0/24, private 10.0.10-11.0/24, and no NAT", () => {
    expect(Object.values(resources(json, "aws_vpc"))[0].cidr_block).toBe("10.0.0.0/16");
    expect(cidrs(json, "public")).toEqual(["10.0.1.0/24", "10.0.2.0/24"]);
    expect(cidrs(json, "private")).toEqual(["10.0.10.0/24", "10.0.11.0/24"]);
    expect(cidrs(json, "database")).toEqual([]);
    expect(resources(json, "aws_nat_gateway")).toEqual({});
    expect(defaultRoutes(json, "private")).toEqual([]);
  });

  it("keeps the database subnet group in the private tier", () => {
    expect(Object.values(resources(json, "aws_db_subnet_group"))[0].subnet_ids).toEqual([
      ref("aws_subnet", "vpc_private_us_east_1a", "id"),
      ref("aws_subnet", "vpc_private_us_east_1b", "id"),
    ]);
  });

  it("has the ECR repository phase 5 deploys from: scanned, immutable, under the secrets key", () => {
    expect(Object.values(resources(json, "aws_ecr_repository"))).toEqual([
      expect.objectContaining({
        name: "example-nora-nora",
        image_tag_mutability: "IMMUTABLE",
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [{ encryption_type: "KMS", kms_key: "${aws_kms_key.security_secrets_key.arn}" }],
      }),
    ]);
  });

  it("reaches its state from its own account through the state role", () => {
    expect(json.terraform.backend.s3).toMatchObject({ key: "nora/terraform.tfstate", assume_role: { role_arn: "arn:aws:iam::111122223333:role/example-tfstate-access-059364397483" } });
  });
});

describe("seed 001, startupwebapp", () => {
  const json = example("startupwebapp");

  it("is a 2-AZ 10.0.0.0/16 VPC with public 10.0.1-2.0/24 and private 10.0.10-11.0/24", () => {
    expect(cidrs(json, "public")).toEqual(["10.0.1.0/24", "10.0.2.0/24"]);
    expect(cidrs(json, "private")).toEqual(["10.0.10.0/24", "10.0.11.0/24"]);
  });

  it("has one NAT gateway, in public subnet 1, that both private route tables use", () => {
    const nats = resources(json, "aws_nat_gateway");
    expect(Object.keys(nats)).toEqual(["vpc_nat_us_east_1a"]);
    expect(nats.vpc_nat_us_east_1a.subnet_id).toBe(ref("aws_subnet", "vpc_public_us_east_1a", "id"));
    const routes = defaultRoutes(json, "private");
    expect(routes).toHaveLength(2);
    for (const r of routes) expect(r.nat_gateway_id).toBe(ref("aws_nat_gateway", "vpc_nat_us_east_1a", "id"));
  });
});

describe("seed 002, mentalspace", () => {
  const json = example("mentalspace");

  it("has three tiers over 2 AZs, one NAT, and an isolated data tier", () => {
    expect(Object.values(resources(json, "aws_subnet")).map((s) => s.availability_zone).sort()).toEqual(
      ["us-east-1a", "us-east-1a", "us-east-1a", "us-east-1b", "us-east-1b", "us-east-1b"],
    );
    expect(Object.keys(resources(json, "aws_nat_gateway"))).toHaveLength(1);
    expect(defaultRoutes(json, "private")).toHaveLength(2);
    expect(defaultRoutes(json, "database")).toEqual([]);
  });

  it("runs Aurora PostgreSQL 15.3 at 0.5-8 ACU with a writer and a reader, 30-day backups, logs kept a year", () => {
    expect(Object.values(resources(json, "aws_rds_cluster"))[0]).toMatchObject({
      engine_version: "15.3",
      serverlessv2_scaling_configuration: { min_capacity: 0.5, max_capacity: 8 },
      backup_retention_period: 30,
      database_name: "mentalspaceehr",
      master_username: "postgres",
      db_subnet_group_name: ref("aws_db_subnet_group", "vpc_database_subnet_group", "name"),
    });
    expect(Object.keys(resources(json, "aws_rds_cluster_instance")).sort()).toEqual(["aurora_reader_1", "aurora_writer"]);
    expect(resources(json, "aws_cloudwatch_log_group").aurora_postgresql_log_group.retention_in_days).toBe(365);
  });
});

describe("seed 004, outreachpass", () => {
  const json = example("outreachpass");

  it("creates no VPC: it uses the default VPC by id, with a DB subnet group over its three subnets", () => {
    expect(resources(json, "aws_vpc")).toEqual({});
    expect(resources(json, "aws_subnet")).toEqual({});
    expect(Object.values(resources(json, "aws_db_subnet_group"))[0].subnet_ids).toEqual([
      "subnet-0a0000000000000a1",
      "subnet-0b0000000000000b1",
      "subnet-0c0000000000000c1",
    ]);
    expect(Object.values(resources(json, "aws_security_group"))[0].vpc_id).toBe("vpc-0d0e0f0a0b0c0d0e0");
  });

  it("runs Aurora PostgreSQL 15.12 at 0.5-16 ACU on two instances, 7-day backups, PI and logs 7 days, never public", () => {
    expect(Object.values(resources(json, "aws_rds_cluster"))[0]).toMatchObject({
      engine_version: "15.12",
      serverlessv2_scaling_configuration: { min_capacity: 0.5, max_capacity: 16 },
      backup_retention_period: 7,
      database_name: "outreachpass",
      master_username: "outreachpass_admin",
    });
    const instances = Object.values(resources(json, "aws_rds_cluster_instance"));
    expect(instances).toHaveLength(2);
    for (const i of instances) expect(i).toMatchObject({ publicly_accessible: false, performance_insights_retention_period: 7 });
    expect(resources(json, "aws_cloudwatch_log_group").aurora_postgresql_log_group.retention_in_days).toBe(7);
  });
});
