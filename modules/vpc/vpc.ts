import { Construct } from "constructs";
import { Vpc as VpcResource } from "@cdktf/provider-aws/lib/vpc";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { DefaultNetworkAcl } from "@cdktf/provider-aws/lib/default-network-acl";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { Label } from "../label";
import { ServiceRole } from "../iam";
import { LogGroup, checkRetention } from "../logs";
import { PropsCheck } from "../validation";

/** Interface endpoints Keel knows, for private subnets without NAT. */
export const INTERFACE_ENDPOINT_SERVICES = [
  "ecr.api",
  "ecr.dkr",
  "logs",
  "secretsmanager",
  "ssm",
  "ssmmessages",
  "ec2messages",
] as const;
export type InterfaceEndpointService = (typeof INTERFACE_ENDPOINT_SERVICES)[number];

/** The endpoints Session Manager needs when there is no route to the internet. */
export const SSM_ENDPOINTS: readonly InterfaceEndpointService[] = ["ssm", "ssmmessages", "ec2messages"];

export type SubnetTier = "public" | "private" | "database";

export interface VpcProps {
  /** IPv4 CIDR of the VPC. */
  readonly cidr: string;
  /** Availability zones; every non-empty subnet tier has one subnet per AZ, in this order. */
  readonly azs: readonly string[];
  /**
   * Public subnets, one per AZ; they route to an internet gateway.
   * @default [] - no public tier and no internet gateway
   */
  readonly publicSubnets?: readonly string[];
  /**
   * Private (application) subnets, one per AZ.
   * @default []
   */
  readonly privateSubnets?: readonly string[];
  /**
   * Data subnets, one per AZ, with their own route tables and the DB subnet group.
   * @default []
   */
  readonly databaseSubnets?: readonly string[];
  /**
   * NAT gateways for private subnets (needs public subnets).
   * @default false
   */
  readonly enableNatGateway?: boolean;
  /**
   * One NAT gateway for all AZs instead of one per AZ.
   * @default false - one per AZ, each private route table using the NAT of its own AZ
   */
  readonly singleNatGateway?: boolean;
  /**
   * Route data subnets to the NAT gateways too (seed 003); otherwise they stay isolated (seed 002).
   * @default false
   */
  readonly createDatabaseNatGatewayRoute?: boolean;
  /**
   * Auto-assign public IPs in public subnets. Only with `mapPublicIpOnLaunchReason`.
   * @default false
   */
  readonly mapPublicIpOnLaunch?: boolean;
  /**
   * Why public subnets hand out public IPs; required when `mapPublicIpOnLaunch` is true.
   * @default - none
   */
  readonly mapPublicIpOnLaunchReason?: string;
  /** Days flow-log events are kept; one of the values CloudWatch Logs accepts. */
  readonly flowLogRetentionInDays: number;
  /** KMS key for the flow-log group; it must admit CloudWatch Logs. */
  readonly flowLogKmsKeyArn: string;
  /**
   * Which traffic the flow log records.
   * @default "ALL"
   */
  readonly flowLogTrafficType?: "ALL" | "ACCEPT" | "REJECT";
  /**
   * Interface endpoints, placed in the private subnets (the data subnets when there are none).
   * @default [] - only the S3 gateway endpoint, which is always created
   */
  readonly interfaceEndpoints?: readonly InterfaceEndpointService[];
}

interface TierSubnets {
  readonly tier: SubnetTier;
  readonly subnets: readonly Subnet[];
}

/**
 * A VPC with DNS, three subnet tiers per AZ, NAT as configured, a closed
 * default security group, a managed default network ACL, KMS-encrypted flow
 * logs, an S3 gateway endpoint, optional interface endpoints and a DB subnet
 * group over the data subnets.
 */
export class Vpc extends Construct {
  public readonly resource: VpcResource;
  public readonly vpcId: string;
  public readonly cidr: string;
  public readonly azs: readonly string[];
  public readonly publicSubnetIds: string[];
  public readonly privateSubnetIds: string[];
  public readonly databaseSubnetIds: string[];
  public readonly publicRouteTableIds: string[];
  public readonly privateRouteTableIds: string[];
  public readonly databaseRouteTableIds: string[];
  public readonly natGatewayIds: string[];
  public readonly flowLogGroup: LogGroup;
  /** The DB subnet group over the data subnets; undefined without data subnets. */
  public readonly databaseSubnetGroup?: DbSubnetGroup;
  public readonly interfaceEndpointServices: readonly InterfaceEndpointService[];
  private readonly props: VpcProps;

  constructor(scope: Construct, id: string, props: VpcProps) {
    super(scope, id);
    validate(props);
    this.props = props;
    const label = Label.of(this);
    const name = label.prefix;
    this.azs = props.azs;
    this.cidr = props.cidr;
    this.interfaceEndpointServices = props.interfaceEndpoints ?? [];

    this.resource = new VpcResource(this, "resource", {
      cidrBlock: props.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: label.resourceTags(name),
    });
    this.vpcId = this.resource.id;

    // Nothing may use the default security group: it has no rules at all.
    new DefaultSecurityGroup(this, "default-security-group", {
      vpcId: this.vpcId,
      ingress: [],
      egress: [],
      tags: label.resourceTags(`${name}-default`),
    });
    new DefaultNetworkAcl(this, "default-network-acl", {
      defaultNetworkAclId: this.resource.defaultNetworkAclId,
      ingress: [{ ruleNo: 100, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0" }],
      egress: [{ ruleNo: 100, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0" }],
      tags: label.resourceTags(`${name}-default`),
      // Subnets join the default ACL implicitly; listing them would fight AWS.
      lifecycle: { ignoreChanges: ["subnet_ids"] },
    });

    const tiers: TierSubnets[] = (["public", "private", "database"] as const).map((tier) => ({
      tier,
      subnets: this.subnets(tier, tier === "public" && (props.mapPublicIpOnLaunch ?? false)),
    }));
    const [publicTier, privateTier, databaseTier] = tiers;
    this.publicSubnetIds = publicTier.subnets.map((s) => s.id);
    this.privateSubnetIds = privateTier.subnets.map((s) => s.id);
    this.databaseSubnetIds = databaseTier.subnets.map((s) => s.id);

    // Public: one route table to the internet gateway.
    this.publicRouteTableIds = [];
    let internetGateway: InternetGateway | undefined;
    if (publicTier.subnets.length > 0) {
      internetGateway = new InternetGateway(this, "internet-gateway", { vpcId: this.vpcId, tags: label.resourceTags(name) });
      const table = new RouteTable(this, "public-route-table", { vpcId: this.vpcId, tags: label.resourceTags(`${name}-public`) });
      new Route(this, "public-internet-route", {
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        gatewayId: internetGateway.id,
      });
      publicTier.subnets.forEach((subnet, i) => {
        new RouteTableAssociation(this, `public-${props.azs[i]}-association`, { subnetId: subnet.id, routeTableId: table.id });
      });
      this.publicRouteTableIds.push(table.id);
    }

    // NAT: one per AZ, or one in the first AZ.
    const natByAz = new Map<string, NatGateway>();
    if (props.enableNatGateway) {
      const natAzs = props.singleNatGateway ? props.azs.slice(0, 1) : props.azs;
      natAzs.forEach((az) => {
        const eip = new Eip(this, `nat-eip-${az}`, { domain: "vpc", tags: label.resourceTags(`${name}-nat-${az}`) });
        natByAz.set(
          az,
          new NatGateway(this, `nat-${az}`, {
            allocationId: eip.allocationId,
            subnetId: publicTier.subnets[props.azs.indexOf(az)].id,
            tags: label.resourceTags(`${name}-nat-${az}`),
            dependsOn: internetGateway ? [internetGateway] : [],
          }),
        );
      });
    }
    this.natGatewayIds = [...natByAz.values()].map((n) => n.id);
    const natFor = (az: string): NatGateway | undefined => natByAz.get(az) ?? natByAz.get(props.azs[0]);

    // Private and data: a route table per AZ, to the NAT of the same AZ.
    const perAzTables = (tier: TierSubnets, natRoute: boolean): string[] =>
      tier.subnets.map((subnet, i) => {
        const az = props.azs[i];
        const table = new RouteTable(this, `${tier.tier}-route-table-${az}`, {
          vpcId: this.vpcId,
          tags: label.resourceTags(`${name}-${tier.tier}-${az}`),
        });
        const nat = natFor(az);
        if (natRoute && nat) {
          new Route(this, `${tier.tier}-nat-route-${az}`, {
            routeTableId: table.id,
            destinationCidrBlock: "0.0.0.0/0",
            natGatewayId: nat.id,
          });
        }
        new RouteTableAssociation(this, `${tier.tier}-${az}-association`, { subnetId: subnet.id, routeTableId: table.id });
        return table.id;
      });
    this.privateRouteTableIds = perAzTables(privateTier, props.enableNatGateway ?? false);
    this.databaseRouteTableIds = perAzTables(
      databaseTier,
      (props.enableNatGateway ?? false) && (props.createDatabaseNatGatewayRoute ?? false),
    );

    this.gatewayEndpoint(label);
    this.interfaceEndpoints(label);
    this.flowLogGroup = this.flowLogs(label);

    if (databaseTier.subnets.length > 0) {
      this.databaseSubnetGroup = new DbSubnetGroup(this, "database-subnet-group", {
        name: label.id("db", "dbSubnetGroup"),
        description: `Data subnets of ${name}`,
        subnetIds: this.databaseSubnetIds,
        tags: label.resourceTags(label.id("db", "dbSubnetGroup")),
      });
    }
  }

  /**
   * Whether instances in `tier` can reach AWS APIs such as Session Manager:
   * through a NAT route, or through the SSM interface endpoints.
   */
  public reachesSessionManager(tier: SubnetTier): boolean {
    const endpoints = SSM_ENDPOINTS.every((s) => this.interfaceEndpointServices.includes(s));
    const nat = this.props.enableNatGateway ?? false;
    switch (tier) {
      case "public":
        return true;
      case "private":
        return nat || endpoints;
      case "database":
        return (nat && (this.props.createDatabaseNatGatewayRoute ?? false)) || endpoints;
    }
  }

  /** Subnet ids of one tier. */
  public subnetIds(tier: SubnetTier): string[] {
    return { public: this.publicSubnetIds, private: this.privateSubnetIds, database: this.databaseSubnetIds }[tier];
  }

  private subnets(tier: SubnetTier, mapPublicIp: boolean): Subnet[] {
    const label = Label.of(this);
    const cidrs = { public: this.props.publicSubnets, private: this.props.privateSubnets, database: this.props.databaseSubnets }[tier] ?? [];
    return cidrs.map((cidr, i) => {
      const az = this.props.azs[i];
      return new Subnet(this, `${tier}-${az}`, {
        vpcId: this.vpcId,
        cidrBlock: cidr,
        availabilityZone: az,
        mapPublicIpOnLaunch: mapPublicIp,
        tags: label.resourceTags(`${label.prefix}-${tier}-${az}`, { Tier: tier }),
      });
    });
  }

  private gatewayEndpoint(label: Label): void {
    const tables = [...this.privateRouteTableIds, ...this.databaseRouteTableIds];
    new VpcEndpoint(this, "s3-endpoint", {
      vpcId: this.vpcId,
      serviceName: `com.amazonaws.${label.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: tables.length > 0 ? tables : this.publicRouteTableIds,
      tags: label.resourceTags(`${label.prefix}-s3`),
    });
  }

  private interfaceEndpoints(label: Label): void {
    if (this.interfaceEndpointServices.length === 0) return;
    const group = new SecurityGroup(this, "endpoints-security-group", {
      name: label.id("vpc-endpoints", "securityGroup"),
      description: "HTTPS from inside the VPC to interface endpoints",
      vpcId: this.vpcId,
      tags: label.resourceTags(label.id("vpc-endpoints", "securityGroup")),
    });
    new VpcSecurityGroupIngressRule(this, "endpoints-https-from-vpc", {
      securityGroupId: group.id,
      description: "HTTPS from the VPC",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: this.cidr,
    });
    const subnetIds = this.privateSubnetIds.length > 0 ? this.privateSubnetIds : this.databaseSubnetIds;
    for (const service of this.interfaceEndpointServices) {
      new VpcEndpoint(this, `endpoint-${service.replace(/\./g, "-")}`, {
        vpcId: this.vpcId,
        serviceName: `com.amazonaws.${label.region}.${service}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds,
        securityGroupIds: [group.id],
        tags: label.resourceTags(`${label.prefix}-${service}`),
      });
    }
  }

  private flowLogs(label: Label): LogGroup {
    const group = new LogGroup(this, "flow-log-group", {
      logGroupName: `/aws/vpc/${label.prefix}-flow-logs`,
      retentionInDays: this.props.flowLogRetentionInDays,
      kmsKeyArn: this.props.flowLogKmsKeyArn,
    });
    const role = new ServiceRole(this, "flow-log-role", {
      purpose: "vpc-flow-logs",
      servicePrincipal: "vpc-flow-logs.amazonaws.com",
      trustConditions: {
        StringEquals: { "aws:SourceAccount": label.accountId },
        ArnLike: { "aws:SourceArn": label.arn("ec2", "vpc-flow-log/*") },
      },
      statements: [
        {
          sid: "WriteOnlyToTheFlowLogGroup",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
          resources: [group.logGroupArn, `${group.logGroupArn}:*`],
        },
      ],
    });
    new FlowLog(this, "flow-log", {
      vpcId: this.vpcId,
      trafficType: this.props.flowLogTrafficType ?? "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: group.resource.arn,
      iamRoleArn: role.roleArn,
      maxAggregationInterval: 60,
      tags: label.resourceTags(`${label.prefix}-flow-log`),
    });
    return group;
  }
}

function validate(props: VpcProps): void {
  const check = new PropsCheck("Vpc");
  const azCount = props.azs.length;
  check.require(azCount >= 1, "azs", props.azs, "at least one availability zone");
  for (const tier of ["publicSubnets", "privateSubnets", "databaseSubnets"] as const) {
    const list = props[tier] ?? [];
    check.require(list.length === 0 || list.length === azCount, tier, list, `one subnet per availability zone (${azCount}) or none`);
  }
  const hasPublic = (props.publicSubnets ?? []).length > 0;
  check
    .require(!props.enableNatGateway || hasPublic, "enableNatGateway", true, "NAT gateways live in public subnets: give publicSubnets, or set enableNatGateway to false")
    .require(!props.singleNatGateway || (props.enableNatGateway ?? false), "singleNatGateway", true, "only together with enableNatGateway: true")
    .require(
      !props.createDatabaseNatGatewayRoute || (props.enableNatGateway ?? false),
      "createDatabaseNatGatewayRoute",
      true,
      "only together with enableNatGateway: true (there is no NAT to route to)",
    )
    .require(!props.mapPublicIpOnLaunch || hasPublic, "mapPublicIpOnLaunch", true, "only with public subnets")
    .require(
      !props.mapPublicIpOnLaunch || (props.mapPublicIpOnLaunchReason ?? "").trim().length > 0,
      "mapPublicIpOnLaunchReason",
      props.mapPublicIpOnLaunchReason,
      "a reason, whenever mapPublicIpOnLaunch is true",
    )
    .nonEmpty("flowLogKmsKeyArn", props.flowLogKmsKeyArn);
  checkRetention("Vpc", "flowLogRetentionInDays", props.flowLogRetentionInDays);
  const endpoints = props.interfaceEndpoints ?? [];
  endpoints.forEach((service, i) => {
    check
      .oneOf(`interfaceEndpoints[${i}]`, service, INTERFACE_ENDPOINT_SERVICES)
      .require(endpoints.indexOf(service) === i, `interfaceEndpoints[${i}]`, service, "each service once");
  });
  check.require(
    endpoints.length === 0 || (props.privateSubnets ?? []).length + (props.databaseSubnets ?? []).length > 0,
    "interfaceEndpoints",
    endpoints,
    "interface endpoints need private or data subnets to live in",
  );
}
