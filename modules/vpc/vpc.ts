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
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { Label, TaggableProps, zonesOf } from "../label";
import { ServiceRole } from "../iam";
import { LogGroup, checkRetention } from "../logs";
import { Metric, MetricOptions, metric } from "../metrics";
import { INetwork, ParsedCidr, SUBNET_TIERS, SubnetTier, moduleSecurityGroup, overlaps, parseCidr } from "../network";
import { ProtectionProfile } from "../protection";
import { PropsCheck } from "../validation";
import { FLOW_LOG_TRAFFIC_TYPES, FlowLogTrafficType, INTERFACE_ENDPOINT_SERVICES, InterfaceEndpointService, SSM_ENDPOINTS } from "./constants";
import { suppress } from "../compliance/suppress";

export interface VpcProps extends TaggableProps {
  /** IPv4 CIDR of the VPC. */
  readonly cidr: string;
  /** Two or three distinct availability zones of the stack's region; every non-empty tier has one subnet per AZ, in this order. */
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
   * Which tier the DB subnet group covers: the data tier, or the private tier
   * when databases share it (Nora and StartupWebApp have two tiers only).
   * @default "database"
   */
  readonly databaseSubnetGroupTier?: "private" | "database";
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
   * Route data subnets to the NAT gateways too (Omnirapeutic); otherwise they stay isolated (MentalSpace).
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
  /**
   * Days flow-log events are kept; one of the values CloudWatch Logs accepts.
   * @default 365
   */
  readonly flowLogRetentionInDays?: number;
  /** KMS key for the flow-log group; it must admit CloudWatch Logs. */
  readonly flowLogKmsKeyArn: string;
  /**
   * Which traffic the flow log records.
   * @default "ALL"
   */
  readonly flowLogTrafficType?: FlowLogTrafficType;
  /**
   * Interface endpoints, placed in the private subnets (the data subnets when there are none).
   * @default [] - only the S3 gateway endpoint, which is always created
   */
  readonly interfaceEndpoints?: readonly InterfaceEndpointService[];
  /** `protectAuditLogs`: `prevent_destroy` on the flow-log group. */
  readonly protection: Pick<ProtectionProfile, "protectAuditLogs">;
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
export class Vpc extends Construct implements INetwork {
  public readonly resource: VpcResource;
  public readonly vpcId: string;
  public readonly vpcCidr: string;
  public readonly azs: readonly string[];
  public readonly publicSubnetIds: string[];
  public readonly privateSubnetIds: string[];
  public readonly databaseSubnetIds: string[];
  public readonly publicRouteTableIds: string[];
  public readonly privateRouteTableIds: string[];
  public readonly databaseRouteTableIds: string[];
  public readonly natGatewayIds: string[];
  /** The AZs that have a NAT gateway of their own, in order (one with a single NAT). */
  public readonly natGatewayAzs: string[];
  public readonly flowLogGroup: LogGroup;
  /** The DB subnet group over the data subnets; undefined without data subnets. */
  public readonly databaseSubnetGroup?: DbSubnetGroup;
  public readonly databaseSubnetGroupName?: string;
  public readonly interfaceEndpointServices: readonly InterfaceEndpointService[];
  /** The internet gateway, when the VPC has public subnets. */
  public readonly internetGatewayId?: string;
  private readonly props: VpcProps;
  private readonly natByAz = new Map<string, NatGateway>();

  constructor(scope: Construct, id: string, props: VpcProps) {
    super(scope, id);
    const label = Label.of(this);
    validate(props, label.region);
    this.props = props;
    const name = label.prefix;
    this.azs = props.azs;
    this.vpcCidr = props.cidr;
    this.interfaceEndpointServices = props.interfaceEndpoints ?? [];

    this.resource = new VpcResource(this, "resource", {
      cidrBlock: props.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      // Its Name tag: the environment's prefix, or `naming.names["ec2Name:vpc"]` (`keel adopt` finds a VPC by it).
      tags: this.tags(label.override("vpc", "ec2Name") ?? name),
    });
    this.vpcId = this.resource.id;

    // Nothing may use the default security group: it has no rules at all.
    new DefaultSecurityGroup(this, "default-security-group", {
      vpcId: this.vpcId,
      ingress: [],
      egress: [],
      tags: this.tags(`${name}-default`),
    });
    const defaultAcl = new DefaultNetworkAcl(this, "default-network-acl", {
      defaultNetworkAclId: this.resource.defaultNetworkAclId,
      ingress: [{ ruleNo: 100, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0" }],
      egress: [{ ruleNo: 100, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0" }],
      tags: this.tags(`${name}-default`),
      // Subnets join the default ACL implicitly; listing them would fight AWS.
      lifecycle: { ignoreChanges: ["subnet_ids"] },
    });
    suppress(defaultAcl, {
      rule: "nacl-no-public-admin-ports",
      reason: "Keel filters traffic with security groups, which are stateful; no security group admits 22 or 3389 from the internet (rule sg-no-public-admin-ports)",
    });

    const tiers: TierSubnets[] = SUBNET_TIERS.map((tier) => ({
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
      internetGateway = new InternetGateway(this, "internet-gateway", { vpcId: this.vpcId, tags: this.tags(name) });
      this.internetGatewayId = internetGateway.id;
      const table = new RouteTable(this, "public-route-table", { vpcId: this.vpcId, tags: this.tags(`${name}-public`) });
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
    const natByAz = this.natByAz;
    if (props.enableNatGateway) {
      const natAzs = props.singleNatGateway ? props.azs.slice(0, 1) : props.azs;
      natAzs.forEach((az) => {
        const eip = new Eip(this, `nat-eip-${az}`, { domain: "vpc", tags: this.tags(`${name}-nat-${az}`) });
        natByAz.set(
          az,
          new NatGateway(this, `nat-${az}`, {
            allocationId: eip.allocationId,
            subnetId: publicTier.subnets[props.azs.indexOf(az)].id,
            tags: this.tags(`${name}-nat-${az}`),
            dependsOn: internetGateway ? [internetGateway] : [],
          }),
        );
      });
    }
    this.natGatewayIds = [...natByAz.values()].map((n) => n.id);
    this.natGatewayAzs = [...natByAz.keys()];
    const natFor = (az: string): NatGateway | undefined => natByAz.get(az) ?? natByAz.get(props.azs[0]);

    // Private and data: a route table per AZ, to the NAT of the same AZ.
    const perAzTables = (tier: TierSubnets, natRoute: boolean): string[] =>
      tier.subnets.map((subnet, i) => {
        const az = props.azs[i];
        const table = new RouteTable(this, `${tier.tier}-route-table-${az}`, {
          vpcId: this.vpcId,
          tags: this.tags(`${name}-${tier.tier}-${az}`),
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

    const groupTier = props.databaseSubnetGroupTier ?? "database";
    const groupSubnets = this.subnetIds(groupTier);
    if (groupSubnets.length > 0) {
      this.databaseSubnetGroup = new DbSubnetGroup(this, "database-subnet-group", {
        name: label.id("db", "dbSubnetGroup"),
        description: `${groupTier === "database" ? "Data" : "Private"} subnets of ${name}`,
        subnetIds: groupSubnets,
        tags: this.tags(label.id("db", "dbSubnetGroup")),
      });
      this.databaseSubnetGroupName = this.databaseSubnetGroup.name;
    }
  }

  /** Whether instances in `tier` reach the internet: public through the gateway, the others through NAT. */
  public reachesInternet(tier: SubnetTier): boolean {
    const nat = this.props.enableNatGateway ?? false;
    switch (tier) {
      case "public":
        return this.publicSubnetIds.length > 0;
      case "private":
        return nat;
      case "database":
        return nat && (this.props.createDatabaseNatGatewayRoute ?? false);
    }
  }

  /**
   * Whether instances in `tier` can reach AWS APIs such as Session Manager:
   * through a NAT route, or through the SSM interface endpoints.
   */
  public reachesSessionManager(tier: SubnetTier): boolean {
    return (tier !== "public" && this.reachesInternet(tier)) || SSM_ENDPOINTS.every((s) => this.interfaceEndpointServices.includes(s));
  }

  /** Subnet ids of one tier. */
  public subnetIds(tier: SubnetTier): string[] {
    return { public: this.publicSubnetIds, private: this.privateSubnetIds, database: this.databaseSubnetIds }[tier];
  }

  /** A metric of the NAT gateway serving `az` (namespace AWS/NATGateway). */
  public metricNatGateway(az: string, metricName: string, options: MetricOptions = {}): Metric {
    const nat = this.azs.includes(az) ? (this.natByAz.get(az) ?? (this.props.singleNatGateway ? this.natByAz.get(this.azs[0]) : undefined)) : undefined;
    if (nat === undefined) {
      throw new Error(`Vpc: no NAT gateway serves ${az}; NAT gateways: ${[...this.natByAz.keys()].join(", ") || "none"}`);
    }
    return metric("AWS/NATGateway", metricName, { NatGatewayId: nat.id }, "Sum", options);
  }

  /** Failed source-port allocations: the NAT ran out of ports to one destination. */
  public metricNatErrorPortAllocation(az: string, options?: MetricOptions): Metric {
    return this.metricNatGateway(az, "ErrorPortAllocation", options);
  }

  /** Packets the NAT gateway dropped. */
  public metricNatPacketsDropCount(az: string, options?: MetricOptions): Metric {
    return this.metricNatGateway(az, "PacketsDropCount", options);
  }

  /** Concurrent connections through the NAT gateway. */
  public metricNatActiveConnectionCount(az: string, options: MetricOptions = {}): Metric {
    return this.metricNatGateway(az, "ActiveConnectionCount", { statistic: "Maximum", ...options });
  }

  /** Tags for one resource: `Name`, then the module's `tags`, then `extra`. */
  private tags(name: string, extra?: Readonly<Record<string, string>>): Record<string, string> {
    return Label.of(this).resourceTags(name, this.props.tags, extra);
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
        // `naming.names["ec2Name:<tier>-<az>"]` names an existing subnet to adopt by its tag.
        tags: this.tags(label.override(`${tier}-${az}`, "ec2Name") ?? `${label.prefix}-${tier}-${az}`, { Tier: tier }),
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
      tags: this.tags(`${label.prefix}-s3`),
    });
  }

  private interfaceEndpoints(label: Label): void {
    if (this.interfaceEndpointServices.length === 0) return;
    const group = moduleSecurityGroup(this, "endpoints-security-group", {
      role: "vpc-endpoints",
      description: "HTTPS from inside the VPC to interface endpoints",
      vpcId: this.vpcId,
      tags: this.props.tags,
    });
    new VpcSecurityGroupIngressRule(this, "endpoints-https-from-vpc", {
      securityGroupId: group.id,
      description: "HTTPS from the VPC",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: this.vpcCidr,
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
        tags: this.tags(`${label.prefix}-${service}`),
      });
    }
  }

  private flowLogs(label: Label): LogGroup {
    const group = new LogGroup(this, "flow-log-group", {
      logGroupName: `/aws/vpc/${label.prefix}-flow-logs`,
      retentionInDays: this.props.flowLogRetentionInDays ?? 365,
      kmsKeyArn: this.props.flowLogKmsKeyArn,
      preventDestroy: this.props.protection.protectAuditLogs,
      tags: this.props.tags,
    });
    const role = new ServiceRole(this, "flow-log-role", {
      purpose: "vpc-flow-logs",
      servicePrincipal: "vpc-flow-logs.amazonaws.com",
      trustConditions: {
        StringEquals: { "aws:SourceAccount": label.accountId },
        ArnLike: { "aws:SourceArn": label.arn("ec2", "vpc-flow-log/*") },
      },
      tags: this.props.tags,
    });
    group.grantWrite(role);
    new FlowLog(this, "flow-log", {
      vpcId: this.vpcId,
      trafficType: this.props.flowLogTrafficType ?? "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: group.resource.arn,
      iamRoleArn: role.roleArn,
      maxAggregationInterval: 60,
      tags: this.tags(`${label.prefix}-flow-log`),
    });
    return group;
  }
}

function validate(props: VpcProps, region: string): void {
  const check = new PropsCheck("Vpc");
  const azCount = props.azs.length;
  const zones = zonesOf(region);
  check.require(azCount >= 2 && azCount <= 3, "azs", props.azs, "2 or 3 availability zones");
  props.azs.forEach((az, i) => {
    check
      .require(zones.includes(az), `azs.${i}`, az, `an availability zone of ${region}: ${zones.join(", ")}`)
      .require(props.azs.indexOf(az) === i, `azs.${i}`, az, "availability zones must be distinct");
  });
  const vpc = parseCidr(check, "cidr", props.cidr, 16, 24);
  const subnets: ParsedCidr[] = [];
  for (const tier of ["publicSubnets", "privateSubnets", "databaseSubnets"] as const) {
    const list = props[tier] ?? [];
    check.require(list.length === 0 || list.length === azCount, tier, list, `one subnet per availability zone (${azCount}) or none`);
    list.forEach((text, i) => {
      const parsed = parseCidr(check, `${tier}.${i}`, text, 16, 28);
      if (parsed === undefined) return;
      check.require(vpc === undefined || vpc.block.contains(parsed.block), parsed.field, text, `a subnet inside the VPC CIDR ${props.cidr}`);
      for (const other of subnets) {
        check.require(!overlaps(other.block, parsed.block), parsed.field, text, `a CIDR that does not overlap ${other.field} (${other.text})`);
      }
      subnets.push(parsed);
    });
  }
  const groupTier = props.databaseSubnetGroupTier ?? "database";
  check
    .oneOf("databaseSubnetGroupTier", groupTier, ["private", "database"])
    .require(
      groupTier !== "private" || ((props.privateSubnets ?? []).length > 0 && (props.databaseSubnets ?? []).length === 0),
      "databaseSubnetGroupTier",
      groupTier,
      "\"private\" only with private subnets and no databaseSubnets (with data subnets, databases belong there)",
    );
  check.require(
    ["publicSubnets", "privateSubnets", "databaseSubnets"].some((t) => (props[t as "publicSubnets"] ?? []).length > 0),
    "publicSubnets/privateSubnets/databaseSubnets",
    [],
    "at least one subnet tier",
  );
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
    .oneOf("flowLogTrafficType", props.flowLogTrafficType ?? "ALL", FLOW_LOG_TRAFFIC_TYPES)
    .nonEmpty("flowLogKmsKeyArn", props.flowLogKmsKeyArn)
    .tags("tags", props.tags);
  checkRetention(check, "flowLogRetentionInDays", props.flowLogRetentionInDays ?? 365);
  const endpoints = props.interfaceEndpoints ?? [];
  endpoints.forEach((service, i) => check.oneOf(`interfaceEndpoints.${i}`, service, INTERFACE_ENDPOINT_SERVICES));
  check.distinct("interfaceEndpoints", endpoints).require(
    endpoints.length === 0 || (props.privateSubnets ?? []).length + (props.databaseSubnets ?? []).length > 0,
    "interfaceEndpoints",
    endpoints,
    "interface endpoints need private or data subnets to live in",
  );
  check.done();
}
