import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { PROTECTION_PROFILES } from "../environments";
import { Aurora } from "../modules/aurora";
import { ServiceRole } from "../modules/iam";
import { LogGroup } from "../modules/logs";
import { metric } from "../modules/metrics";
import { Connections, ExistingNetwork, ExistingNetworkProps, IConnectable } from "../modules/network";
import { KmsKey, Security } from "../modules/security";
import { Vpc } from "../modules/vpc";
import { Body, moduleStack, only, ref, resources, synth } from "./support/module-stack";
import { TEST_KEY, TEST_VPC_PROPS } from "./support/network";

const KEY = TEST_KEY;
const production = PROTECTION_PROFILES.production;
const vpcProps = TEST_VPC_PROPS;

function withAurora() {
  const stack = moduleStack();
  const vpc = new Vpc(stack, "vpc", vpcProps);
  const aurora = new Aurora(stack, "aurora", {
    network: vpc,
    engineVersion: "15.10",
    storageKmsKeyArn: KEY,
    secretKmsKeyArn: KEY,
    logKmsKeyArn: KEY,
    protection: production,
  });
  const role = new ServiceRole(stack, "app-role", { purpose: "app", servicePrincipal: "ecs-tasks.amazonaws.com" });
  return { stack, vpc, aurora, role };
}

const policyOf = (body: Body): Array<Record<string, unknown>> => JSON.parse(body.policy as string).Statement;
const peer = (scope: Construct, name: string, sg: string): IConnectable => ({ connections: new Connections(scope, { name, securityGroupId: sg }) });

describe("allowFrom (Connections)", () => {
  it("is idempotent: the same peer and port twice makes one pair of rules", () => {
    const { stack, aurora } = withAurora();
    const ecs = peer(stack, "ecs", "sg-0ecs");
    aurora.allowFrom(ecs);
    aurora.allowFrom(ecs);
    const json = synth(stack);
    expect(Object.keys(resources(json, "aws_vpc_security_group_ingress_rule"))).toEqual(["aurora_ingress_from_ecs"]);
    expect(Object.keys(resources(json, "aws_vpc_security_group_egress_rule"))).toEqual(["aurora_ecs_egress_to_aurora"]);
  });

  it("refuses a second, different peer under a name already used, with a clear error", () => {
    const { stack, aurora } = withAurora();
    aurora.allowFrom(peer(stack, "ecs", "sg-0aaa"));
    expect(() => aurora.allowFrom(peer(stack, "ecs", "sg-0bbb"))).toThrow(
      "aurora: field 'allowFrom(ecs)': value \"ecs\" is not allowed: a peer name not already used by another security group",
    );
  });

  it("admits another port with the port in the rule's address, and refuses a port outside 1-65535", () => {
    const stack = moduleStack();
    const web = new Connections(stack, { name: "web", securityGroupId: "sg-0web", defaultPort: 8080 });
    const alb = peer(stack, "alb", "sg-0alb");
    web.allowFrom(alb);
    web.allowFrom(alb, 9090);
    const ingress = resources(synth(stack), "aws_vpc_security_group_ingress_rule");
    expect(Object.keys(ingress).sort()).toEqual(["ingress_from_alb", "ingress_from_alb_9090"]);
    expect(ingress.ingress_from_alb_9090).toMatchObject({ from_port: 9090, to_port: 9090, referenced_security_group_id: "sg-0alb" });
    expect(() => web.allowFrom(alb, 70000)).toThrow("web: field 'allowFrom(alb).port': value 70000 is not allowed: a TCP port from 1 to 65535");
  });
});

describe("grant* verbs", () => {
  it("ServiceRole has no inline policy until something is granted", () => {
    const { stack } = withAurora();
    expect(Object.keys(resources(synth(stack), "aws_iam_role_policy")).filter((n) => n.startsWith("app_role"))).toEqual([]);
  });

  it("LogGroup.grantWrite lets a role write to that group only, and list groups", () => {
    const { stack, role } = withAurora();
    const group = new LogGroup(stack, "app-logs", { logGroupName: "/keel/app", retentionInDays: 30, kmsKeyArn: KEY });
    group.grantWrite(role);
    group.grantWrite(role);
    const arn = "arn:aws:logs:us-east-1:111122223333:log-group:/keel/app";
    expect(policyOf(resources(synth(stack), "aws_iam_role_policy").app_role_policy)).toEqual([
      { Sid: "WriteToAppLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: [arn, `${arn}:*`] },
      { Sid: "ListLogGroups", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "arn:aws:logs:us-east-1:111122223333:log-group:*" },
    ]);
  });

  it("Aurora.grantConnect allows rds-db:connect as one database user of this cluster (IAM authentication)", () => {
    const { stack, aurora, role } = withAurora();
    aurora.grantConnect(role, "app_user");
    expect(policyOf(resources(synth(stack), "aws_iam_role_policy").app_role_policy)).toEqual([
      {
        Sid: "ConnectToAuroraAsappuser",
        Effect: "Allow",
        Action: "rds-db:connect",
        Resource: `arn:aws:rds-db:us-east-1:111122223333:dbuser:${ref("aws_rds_cluster", "aurora", "cluster_resource_id")}/app_user`,
      },
    ]);
    expect(only(synth(stack), "aws_rds_cluster").iam_database_authentication_enabled).toBe(true);
    expect(() => aurora.grantConnect(role, "rdsadmin")).toThrow("Aurora: field 'grantConnect.dbUser': value \"rdsadmin\" is not allowed");
  });

  it("KmsKey.grantEncryptDecrypt names the role in the key policy (the account alone may not use the key)", () => {
    const stack = moduleStack();
    const key = new KmsKey(stack, "key", { purpose: "data", description: "d", viaServices: ["s3"] });
    const role = new ServiceRole(stack, "worker", { purpose: "worker", servicePrincipal: "lambda.amazonaws.com" });
    key.grantEncryptDecrypt(role);
    const statements = policyOf(only(synth(stack), "aws_kms_key"));
    expect(statements.at(-1)).toEqual({
      Sid: "WorkerEncryptsAndDecrypts",
      Effect: "Allow",
      Principal: { AWS: ref("aws_iam_role", "worker", "arn") },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: "*",
    });
    expect(statements).toHaveLength(4);
  });

  it("Secret.grantRead allows reading that secret, and decrypting only through Secrets Manager", () => {
    const stack = moduleStack();
    const security = new Security(stack, "security", { secrets: [{ name: "api-keys", description: "d" }], protection: production });
    const role = new ServiceRole(stack, "api", { purpose: "api", servicePrincipal: "ecs-tasks.amazonaws.com" });
    security.secrets.get("api-keys")!.grantRead(role);
    expect(policyOf(only(synth(stack), "aws_iam_role_policy"))).toEqual([
      {
        Sid: "ReadSecretApiKeys",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
        Resource: ref("aws_secretsmanager_secret", "security_secret_api_keys", "arn"),
      },
      {
        Sid: "DecryptSecretApiKeys",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: ref("aws_kms_key", "security_secrets_key", "arn"),
        Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
      },
    ]);
  });

  it("refuses two different statements under one sid instead of overwriting", () => {
    const { role } = withAurora();
    role.addToPolicy({ sid: "Same", actions: ["s3:GetObject"], resources: ["*"] });
    expect(() => role.addToPolicy({ sid: "Same", actions: ["s3:PutObject"], resources: ["*"] })).toThrow(
      "ServiceRole 'app': policy statement sid 'Same' is already used by a different statement",
    );
  });
});

describe("metric* verbs", () => {
  it("Aurora's metrics name the cluster, with the usual statistic and a 60 s period", () => {
    const { aurora } = withAurora();
    const dimensions = { DBClusterIdentifier: "keel-test-aurora" };
    expect(aurora.metricCpuUtilization()).toEqual({ namespace: "AWS/RDS", metricName: "CPUUtilization", dimensions, statistic: "Average", period: 60 });
    expect(aurora.metricDatabaseConnections({ period: 300 })).toEqual({ namespace: "AWS/RDS", metricName: "DatabaseConnections", dimensions, statistic: "Maximum", period: 300 });
    expect(aurora.metricFreeableMemory().metricName).toBe("FreeableMemory");
    expect(aurora.metricAcuUtilization().metricName).toBe("ACUUtilization");
    expect(aurora.metricReadLatency({ statistic: "p99" })).toMatchObject({ metricName: "ReadLatency", statistic: "p99" });
    expect(aurora.metricWriteLatency().metricName).toBe("WriteLatency");
  });

  it("NAT gateway metrics name the NAT of the AZ asked for", () => {
    const { stack, vpc } = withAurora();
    // Tokens resolve at synth: read the metrics back through outputs.
    new TerraformOutput(stack, "b", { value: vpc.metricNatErrorPortAllocation("us-east-1b") });
    new TerraformOutput(stack, "a", { value: vpc.metricNatPacketsDropCount("us-east-1a").dimensions });
    const outputs = synth(stack).output ?? {};
    expect(outputs.b.value).toEqual({
      namespace: "AWS/NATGateway",
      metricName: "ErrorPortAllocation",
      dimensions: { NatGatewayId: ref("aws_nat_gateway", "vpc_nat_us_east_1b", "id") },
      statistic: "Sum",
      period: 60,
    });
    expect(outputs.a.value).toEqual({ NatGatewayId: ref("aws_nat_gateway", "vpc_nat_us_east_1a", "id") });
    expect(vpc.metricNatActiveConnectionCount("us-east-1a").statistic).toBe("Maximum");
    expect(() => vpc.metricNatErrorPortAllocation("us-east-1c")).toThrow("Vpc: no NAT gateway serves us-east-1c");
  });

  it("refuses a period or statistic CloudWatch does not accept", () => {
    expect(() => metric("AWS/RDS", "CPUUtilization", {}, "Average", { period: 45 })).toThrow("period 45 is not 10, 30 or a multiple of 60 seconds");
    expect(() => metric("AWS/RDS", "CPUUtilization", {}, "Average", { statistic: "Median" as never })).toThrow("statistic 'Median' is not one of");
  });
});

describe("tags", () => {
  it("merges a module's tags over Name on everything it creates, under the resource's own tags", () => {
    const stack = moduleStack();
    new Vpc(stack, "vpc", { ...vpcProps, tags: { Team: "network", Tier: "ignored-by-subnets" } });
    const json = synth(stack);
    expect(resources(json, "aws_vpc").vpc.tags).toEqual({ Name: "keel-test", Team: "network", Tier: "ignored-by-subnets" });
    expect(resources(json, "aws_subnet").vpc_private_us_east_1a.tags).toEqual({ Name: "keel-test-private-us-east-1a", Team: "network", Tier: "private" });
    const tagged = Object.values(resources(json, "aws_cloudwatch_log_group"));
    expect(tagged).toHaveLength(1);
    expect(tagged[0].tags).toMatchObject({ Team: "network" });
  });

  it("refuses tags AWS refuses, naming each", () => {
    expect(() => new Vpc(moduleStack(), "vpc", { ...vpcProps, tags: { "aws:owner": "x", ok: "a".repeat(257), "bad#key": "v" } })).toThrow(
      [
        "Vpc: field 'tags.aws:owner': value \"aws:owner\" is not allowed: a tag key not starting with aws: (AWS reserves the prefix)",
        `Vpc: field 'tags.ok': value "${"a".repeat(116)}... is not allowed: a tag value of 0-256 letters, digits, spaces and _ . : / = + - @`,
        "Vpc: field 'tags.bad#key': value \"bad#key\" is not allowed: a tag key of 1-128 letters, digits, spaces and _ . : / = + - @",
      ].join("\n"),
    );
  });
});

describe("ExistingNetwork (a VPC given by ids, e.g. the default VPC)", () => {
  const props: ExistingNetworkProps = {
    vpcId: "vpc-0123456789abcdef0",
    cidr: "172.31.0.0/16",
    azs: ["us-east-1a", "us-east-1b"],
    publicSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
    databaseSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
  };

  it("creates nothing in the VPC but a DB subnet group over the given subnets", () => {
    const stack = moduleStack();
    new ExistingNetwork(stack, "network", props);
    const json = synth(stack);
    expect(Object.keys(json.resource ?? {})).toEqual(["aws_db_subnet_group"]);
    expect(only(json, "aws_db_subnet_group")).toMatchObject({ name: "keel-test-db", subnet_ids: props.databaseSubnetIds });
  });

  it("reaches the internet from its public tier only, unless told otherwise", () => {
    const network = new ExistingNetwork(moduleStack(), "network", props);
    expect([network.reachesInternet("public"), network.reachesInternet("database"), network.reachesSessionManager("database")]).toEqual([true, false, false]);
    const withEndpoints = new ExistingNetwork(moduleStack(), "network", { ...props, hasSessionManagerEndpoints: true });
    expect(withEndpoints.reachesSessionManager("database")).toBe(true);
  });

  it("refuses malformed ids and tiers that do not match the AZs", () => {
    expect(() => new ExistingNetwork(moduleStack(), "network", { ...props, publicSubnetIds: ["subnet-1"] })).toThrow(
      [
        "ExistingNetwork: field 'publicSubnetIds': value [\"subnet-1\"] is not allowed: one subnet per availability zone (2) or none",
        "ExistingNetwork: field 'publicSubnetIds.0': value \"subnet-1\" is not allowed: a subnet id such as subnet-0123456789abcdef0",
      ].join("\n"),
    );
  });
});

describe("Vpc's databaseSubnetGroupTier", () => {
  it("puts the DB subnet group over the private subnets of a two-tier VPC (seeds 000 and 001)", () => {
    const stack = moduleStack();
    new Vpc(stack, "vpc", { ...vpcProps, databaseSubnets: [], databaseSubnetGroupTier: "private" });
    expect(only(synth(stack), "aws_db_subnet_group").subnet_ids).toEqual([ref("aws_subnet", "vpc_private_us_east_1a", "id"), ref("aws_subnet", "vpc_private_us_east_1b", "id")]);
  });

  it("refuses the private tier when there are data subnets", () => {
    expect(() => new Vpc(moduleStack(), "vpc", { ...vpcProps, databaseSubnetGroupTier: "private" })).toThrow(
      "Vpc: field 'databaseSubnetGroupTier': value \"private\" is not allowed: \"private\" only with private subnets and no databaseSubnets",
    );
  });
});
