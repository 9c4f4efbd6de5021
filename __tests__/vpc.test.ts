import { Testing } from "cdktf";
import { Vpc, VpcProps } from "../modules/vpc";
import { PROTECTION_PROFILES } from "../environments";
import { moduleStack, only, ref, resources, synth } from "./support/module-stack";

const KEY = "arn:aws:kms:us-east-1:111122223333:key/test";
const base: VpcProps = {
  cidr: "10.0.0.0/16",
  azs: ["us-east-1a", "us-east-1b", "us-east-1c"],
  publicSubnets: ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"],
  privateSubnets: ["10.0.11.0/24", "10.0.12.0/24", "10.0.13.0/24"],
  databaseSubnets: ["10.0.21.0/24", "10.0.22.0/24", "10.0.23.0/24"],
  flowLogRetentionInDays: 365,
  flowLogKmsKeyArn: KEY,
  protection: PROTECTION_PROFILES.production,
};

function build(props: Partial<VpcProps> = {}) {
  const stack = moduleStack();
  new Vpc(stack, "vpc", { ...base, ...props });
  return { stack, json: synth(stack), text: Testing.synth(stack) };
}

describe("Vpc", () => {
  it("matches the snapshot of a minimal two-AZ VPC", () => {
    const stack = moduleStack();
    new Vpc(stack, "vpc", {
      cidr: "10.1.0.0/16",
      azs: ["us-east-1a", "us-east-1b"],
      databaseSubnets: ["10.1.21.0/24", "10.1.22.0/24"],
      flowLogRetentionInDays: 30,
      flowLogKmsKeyArn: KEY,
      protection: PROTECTION_PROFILES.disposable,
    });
    expect(Testing.synth(stack)).toMatchSnapshot();
  });

  describe("secure defaults", () => {
    const { json } = build();

    it("turns on DNS support and DNS hostnames", () => {
      expect(only(json, "aws_vpc")).toMatchObject({ cidr_block: "10.0.0.0/16", enable_dns_support: true, enable_dns_hostnames: true });
    });

    it("never auto-assigns public IPs unless asked", () => {
      const subnets = Object.values(resources(json, "aws_subnet"));
      expect(subnets).toHaveLength(9);
      for (const subnet of subnets) expect(subnet.map_public_ip_on_launch).toBe(false);
    });

    it("leaves the default security group without any rule", () => {
      expect(only(json, "aws_default_security_group")).toMatchObject({ vpc_id: ref("aws_vpc", "vpc", "id"), ingress: [], egress: [] });
    });

    it("manages the default network ACL", () => {
      expect(only(json, "aws_default_network_acl")).toMatchObject({
        default_network_acl_id: ref("aws_vpc", "vpc", "default_network_acl_id"),
        lifecycle: { ignore_changes: ["subnet_ids"] },
      });
    });

    it("sends flow logs of all traffic to a KMS-encrypted log group with retention", () => {
      expect(only(json, "aws_cloudwatch_log_group")).toMatchObject({
        name: "/aws/vpc/keel-test-flow-logs",
        kms_key_id: KEY,
        retention_in_days: 365,
      });
      expect(only(json, "aws_flow_log")).toMatchObject({
        vpc_id: ref("aws_vpc", "vpc", "id"),
        traffic_type: "ALL",
        log_destination_type: "cloud-watch-logs",
        log_destination: ref("aws_cloudwatch_log_group", "vpc_flow_log_group", "arn"),
        iam_role_arn: ref("aws_iam_role", "vpc_flow_log_role", "arn"),
      });
    });

    it("lets the flow-log role write only to that log group (LogGroup.grantWrite), and list groups", () => {
      const group = "arn:aws:logs:us-east-1:111122223333:log-group:/aws/vpc/keel-test-flow-logs";
      const policy = JSON.parse(only(json, "aws_iam_role_policy").policy as string);
      expect(policy.Statement).toEqual([
        {
          Sid: "WriteToFlowLogGroup",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [group, `${group}:*`],
        },
        { Sid: "ListLogGroups", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "arn:aws:logs:us-east-1:111122223333:log-group:*" },
      ]);
      const trust = JSON.parse(only(json, "aws_iam_role").assume_role_policy as string);
      expect(trust.Statement[0].Principal).toEqual({ Service: "vpc-flow-logs.amazonaws.com" });
      expect(trust.Statement[0].Condition.StringEquals).toEqual({ "aws:SourceAccount": "111122223333" });
    });

    it("always creates an S3 gateway endpoint on the private and data route tables", () => {
      const endpoint = only(json, "aws_vpc_endpoint");
      expect(endpoint).toMatchObject({ service_name: "com.amazonaws.us-east-1.s3", vpc_endpoint_type: "Gateway" });
      expect(endpoint.route_table_ids).toHaveLength(6);
    });

    it("creates a DB subnet group over the data subnets", () => {
      expect(only(json, "aws_db_subnet_group")).toMatchObject({
        name: "keel-test-db",
        subnet_ids: ["us_east_1a", "us_east_1b", "us_east_1c"].map((az) => ref("aws_subnet", `vpc_database_${az}`, "id")),
      });
    });

    it("routes public subnets to the internet gateway", () => {
      expect(resources(json, "aws_route").vpc_public_internet_route).toMatchObject({
        destination_cidr_block: "0.0.0.0/0",
        gateway_id: ref("aws_internet_gateway", "vpc_internet_gateway", "id"),
      });
    });
  });

  describe("NAT", () => {
    it("none: nothing refers to a NAT gateway and data subnets have no default route", () => {
      const { text, json } = build({ enableNatGateway: false });
      expect(text).not.toMatch(/nat_gateway|aws_eip/);
      expect(Object.keys(resources(json, "aws_route"))).toEqual(["vpc_public_internet_route"]);
    });

    it("single: one NAT gateway that every private route table uses", () => {
      const { json } = build({ enableNatGateway: true, singleNatGateway: true });
      expect(Object.keys(resources(json, "aws_nat_gateway"))).toEqual(["vpc_nat_us_east_1a"]);
      for (const az of ["us_east_1a", "us_east_1b", "us_east_1c"]) {
        expect(resources(json, "aws_route")[`vpc_private_nat_route_${az}`].nat_gateway_id).toBe(ref("aws_nat_gateway", "vpc_nat_us_east_1a", "id"));
      }
    });

    it("one per AZ: each private route table uses the NAT gateway of its own AZ, in that AZ's public subnet", () => {
      const { json } = build({ enableNatGateway: true });
      for (const az of ["us_east_1a", "us_east_1b", "us_east_1c"]) {
        expect(resources(json, "aws_route")[`vpc_private_nat_route_${az}`]).toMatchObject({
          route_table_id: ref("aws_route_table", `vpc_private_route_table_${az}`, "id"),
          destination_cidr_block: "0.0.0.0/0",
          nat_gateway_id: ref("aws_nat_gateway", `vpc_nat_${az}`, "id"),
        });
        expect(resources(json, "aws_nat_gateway")[`vpc_nat_${az}`].subnet_id).toBe(ref("aws_subnet", `vpc_public_${az}`, "id"));
      }
    });

    it("keeps data subnets isolated unless createDatabaseNatGatewayRoute (seed 002)", () => {
      const { json } = build({ enableNatGateway: true });
      expect(Object.keys(resources(json, "aws_route")).filter((n) => n.includes("database"))).toEqual([]);
    });

    it("routes data subnets to the NAT of their AZ with createDatabaseNatGatewayRoute (seed 003)", () => {
      const { json } = build({ enableNatGateway: true, createDatabaseNatGatewayRoute: true });
      expect(resources(json, "aws_route").vpc_database_nat_route_us_east_1b.nat_gateway_id).toBe(ref("aws_nat_gateway", "vpc_nat_us_east_1b", "id"));
    });
  });

  it("auto-assigns public IPs in public subnets only, and only with a reason", () => {
    const { json } = build({ mapPublicIpOnLaunch: true, mapPublicIpOnLaunchReason: "seed 001: backend in public subnets without NAT" });
    for (const [name, subnet] of Object.entries(resources(json, "aws_subnet"))) {
      expect({ name, mapped: subnet.map_public_ip_on_launch }).toEqual({ name, mapped: name.includes("public") });
    }
  });

  it("creates interface endpoints in the private subnets, HTTPS from the VPC only", () => {
    const { json } = build({ interfaceEndpoints: ["ssm", "ecr.dkr"] });
    const endpoints = resources(json, "aws_vpc_endpoint");
    expect(endpoints.vpc_endpoint_ssm).toMatchObject({
      service_name: "com.amazonaws.us-east-1.ssm",
      vpc_endpoint_type: "Interface",
      private_dns_enabled: true,
      subnet_ids: ["us_east_1a", "us_east_1b", "us_east_1c"].map((az) => ref("aws_subnet", `vpc_private_${az}`, "id")),
      security_group_ids: [ref("aws_security_group", "vpc_endpoints_security_group", "id")],
    });
    expect(endpoints.vpc_endpoint_ecr_dkr.service_name).toBe("com.amazonaws.us-east-1.ecr.dkr");
    expect(only(json, "aws_vpc_security_group_ingress_rule")).toMatchObject({ from_port: 443, to_port: 443, ip_protocol: "tcp", cidr_ipv4: "10.0.0.0/16" });
  });

  it("expresses seed 001: two AZs, public and private subnets, no NAT", () => {
    const stack = moduleStack();
    new Vpc(stack, "vpc", {
      cidr: "10.0.0.0/16",
      azs: ["us-east-1a", "us-east-1b"],
      publicSubnets: ["10.0.1.0/24", "10.0.2.0/24"],
      databaseSubnets: ["10.0.10.0/24", "10.0.11.0/24"],
      flowLogRetentionInDays: 30,
      flowLogKmsKeyArn: KEY,
      protection: PROTECTION_PROFILES.disposable,
    });
    const json = synth(stack);
    expect(Object.keys(resources(json, "aws_subnet"))).toHaveLength(4);
    expect(resources(json, "aws_nat_gateway")).toEqual({});
  });

  describe("validation (before any resource is created)", () => {
    const fails = (props: Partial<VpcProps>): (() => void) => () => build(props);

    it("rejects NAT gateways without public subnets", () => {
      expect(fails({ publicSubnets: [], enableNatGateway: true })).toThrow(
        "Vpc: field 'enableNatGateway': value true is not allowed: NAT gateways live in public subnets: give publicSubnets, or set enableNatGateway to false",
      );
    });

    it("rejects singleNatGateway without enableNatGateway", () => {
      expect(fails({ singleNatGateway: true })).toThrow("Vpc: field 'singleNatGateway': value true is not allowed: only together with enableNatGateway: true");
    });

    it("rejects a data-subnet NAT route without NAT", () => {
      expect(fails({ createDatabaseNatGatewayRoute: true })).toThrow("Vpc: field 'createDatabaseNatGatewayRoute': value true is not allowed: only together with enableNatGateway: true");
    });

    it("rejects public IPs on launch without a reason", () => {
      expect(fails({ mapPublicIpOnLaunch: true })).toThrow("Vpc: field 'mapPublicIpOnLaunchReason': value (missing) is not allowed: a reason, whenever mapPublicIpOnLaunch is true");
    });

    it.each([0, 45, 10000])("rejects flow-log retention of %d days, which CloudWatch does not accept", (days) => {
      expect(fails({ flowLogRetentionInDays: days })).toThrow(`Vpc: field 'flowLogRetentionInDays': value ${days} is not allowed: one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400`);
    });

    it("rejects a tier without one subnet per AZ", () => {
      expect(fails({ privateSubnets: ["10.0.11.0/24"] })).toThrow('Vpc: field \'privateSubnets\': value ["10.0.11.0/24"] is not allowed: one subnet per availability zone (3) or none');
    });

    it("rejects an unknown or repeated interface endpoint", () => {
      expect(fails({ interfaceEndpoints: ["sqs" as never] })).toThrow("Vpc: field 'interfaceEndpoints.0': value \"sqs\" is not allowed: one of ecr.api, ecr.dkr, logs");
      expect(fails({ interfaceEndpoints: ["ssm", "ssm"] })).toThrow("Vpc: field 'interfaceEndpoints.1': value \"ssm\" is not allowed: each value once");
    });

    it("rejects interface endpoints with nowhere to live", () => {
      expect(fails({ privateSubnets: [], databaseSubnets: [], interfaceEndpoints: ["ssm"] })).toThrow(
        "is not allowed: interface endpoints need private or data subnets to live in",
      );
    });
  });
});
