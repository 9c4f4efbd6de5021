import { Testing } from "cdktf";
import { onlyResource, realStacks } from "./support/stacks";
import { Body, Synthesized, ref, resources } from "./support/module-stack";

// Seed 003's numbers, asserted on the real production stack.
const stack = realStacks().get("production")!;
const text = Testing.synth(stack);
const json = JSON.parse(text) as Synthesized & Parameters<typeof onlyResource>[0];
const AZS = ["us-east-1a", "us-east-1b", "us-east-1c"];
const key = (az: string): string => az.replace(/-/g, "_");

describe("production (seed 003)", () => {
  it("has the seed's database omnirapeutic, a master user Aurora accepts in place of its reserved admin, and the writer in us-east-1a as drawn", () => {
    expect(resources(json, "aws_rds_cluster").aurora).toMatchObject({ database_name: "omnirapeutic", master_username: "omniadmin" });
    expect(resources(json, "aws_rds_cluster_instance").aurora_writer.availability_zone).toBe("us-east-1a");
  });

  it("has the nine subnet CIDRs of seed 003, one per tier and AZ", () => {
    const subnets = resources(json, "aws_subnet");
    const expected: Record<string, string[]> = {
      public: ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"],
      private: ["10.0.11.0/24", "10.0.12.0/24", "10.0.13.0/24"],
      database: ["10.0.21.0/24", "10.0.22.0/24", "10.0.23.0/24"],
    };
    for (const [tier, cidrs] of Object.entries(expected)) {
      AZS.forEach((az, i) => {
        expect(subnets[`vpc_${tier}_${key(az)}`]).toMatchObject({ cidr_block: cidrs[i], availability_zone: az, map_public_ip_on_launch: false });
      });
    }
    expect(Object.keys(subnets)).toHaveLength(9);
    expect(onlyResource(json, "aws_vpc").cidr_block).toBe("10.0.0.0/16");
  });

  it("has three NAT gateways, one in each AZ's public subnet", () => {
    const nats = resources(json, "aws_nat_gateway");
    expect(Object.keys(nats)).toHaveLength(3);
    for (const az of AZS) expect(nats[`vpc_nat_${key(az)}`].subnet_id).toBe(ref("aws_subnet", `vpc_public_${key(az)}`, "id"));
  });

  it("routes each private and data subnet to the NAT gateway of its own AZ", () => {
    const associations = Object.values(resources(json, "aws_route_table_association"));
    const routes = Object.values(resources(json, "aws_route"));
    const nats = resources(json, "aws_nat_gateway");
    const subnets = resources(json, "aws_subnet");
    for (const tier of ["private", "database"]) {
      for (const az of AZS) {
        const subnetRef = ref("aws_subnet", `vpc_${tier}_${key(az)}`, "id");
        const table = associations.find((a) => a.subnet_id === subnetRef)?.route_table_id;
        const route = routes.find((r: Body) => r.route_table_id === table && r.destination_cidr_block === "0.0.0.0/0");
        const natName = String(route?.nat_gateway_id).replace(/^\$\{aws_nat_gateway\.|\.id\}$/g, "");
        const natSubnet = String(nats[natName]?.subnet_id).replace(/^\$\{aws_subnet\.|\.id\}$/g, "");
        expect({ tier, az, natAz: subnets[natSubnet]?.availability_zone }).toEqual({ tier, az, natAz: az });
      }
    }
  });

  it("runs Aurora PostgreSQL 15.10 at 0.5-1.0 ACU with a writer, 7-day backups and protection", () => {
    expect(onlyResource(json, "aws_rds_cluster")).toMatchObject({
      engine_version: "15.10",
      serverlessv2_scaling_configuration: { min_capacity: 0.5, max_capacity: 1 },
      backup_retention_period: 7,
      deletion_protection: true,
      skip_final_snapshot: false,
      lifecycle: { prevent_destroy: true },
    });
    expect(Object.keys(resources(json, "aws_rds_cluster_instance"))).toEqual(["aurora_writer"]);
  });

  it("names the log groups as seed 003 does (/ecs/<cluster>/<service>), plus exec and WAF logs", () => {
    expect(Object.values(resources(json, "aws_cloudwatch_log_group")).map((g) => g.name).sort()).toEqual([
      "/aws/rds/cluster/omnirapeutic-production/postgresql",
      "/aws/ssm/omnirapeutic-production-bastion-sessions",
      "/aws/vpc/omnirapeutic-production-flow-logs",
      "/ecs/omnirapeutic-production/api",
      "/ecs/omnirapeutic-production/execute-command",
      "/ecs/omnirapeutic-production/web",
      "/ecs/omnirapeutic-production/worker",
      "aws-waf-logs-omnirapeutic-production",
    ]);
  });

  it("puts the bastion in a data subnet", () => {
    expect(onlyResource(json, "aws_instance").subnet_id).toBe(ref("aws_subnet", "vpc_database_us_east_1a", "id"));
  });

  it("protects its keys from destruction", () => {
    for (const k of Object.values(resources(json, "aws_kms_key"))) expect(k.lifecycle).toEqual({ prevent_destroy: true });
  });

  it("outputs ids and endpoints, never a secret value", () => {
    expect(Object.keys(json.output ?? {}).sort()).toEqual([
      "alarm_topic_arn",
      "alb_arn",
      "alb_dns_name",
      "alb_target_group_arns",
      "alb_zone_id",
      "aurora_cluster_endpoint",
      "aurora_master_user_secret_arn",
      "aurora_port",
      "aurora_reader_endpoint",

      "aurora_security_group_id",
      "backup_plan_id",
      "backup_vault_arn",
      "bastion_connect_policy_arn",
      "bastion_instance_id",
      "bastion_session_document",
      "bastion_tunnel_document",
      "ci_deploy_role_arn",
      "database_route_table_ids",
      "database_subnet_group_name",
      "database_subnet_ids",
      "ecr_repository_urls",
      "ecs_cluster_name",
      "ecs_service_names",
      "ecs_task_role_arns",
      "internet_gateway_id",
      "kms_key_arns",
      "nat_gateway_ids",
      "private_route_table_ids",
      "private_subnet_ids",
      "public_route_table_ids",
      "public_subnet_ids",
      "secret_arns",
      "vpc_id",
      "waf_web_acl_arn",
    ]);
    for (const output of Object.values(json.output ?? {})) expect(output.description).toEqual(expect.any(String));
  });
});

describe.each(["dev", "staging", "production"])("every environment stack (%s)", (env) => {
  const synthesized = Testing.synth(realStacks().get(env)!);

  it("has no data source (nothing calls AWS at plan time)", () => {
    expect(JSON.parse(synthesized).data).toBeUndefined();
  });

  it("holds no secret value", () => {
    expect(synthesized).not.toMatch(/secret_string|secret_binary|master_password"|"password"/);
  });
});
