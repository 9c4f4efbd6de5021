import { Construct } from "constructs";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { Label, TaggableProps, zonesOf } from "../label";
import { PropsCheck } from "../validation";
import { parseCidr } from "./cidr";
import { INetwork, SUBNET_TIERS, SubnetTier } from "./network";

export interface ExistingNetworkProps extends TaggableProps {
  /** The VPC's id, e.g. `vpc-0123456789abcdef0` (the account's default VPC, for OutreachPass). */
  readonly vpcId: string;
  /** The VPC's IPv4 CIDR, e.g. `172.31.0.0/16` for a default VPC. */
  readonly cidr: string;
  /** Availability zones of the stack's region; each tier lists one subnet per AZ, in this order. */
  readonly azs: readonly string[];
  /**
   * Public subnets, one per AZ.
   * @default []
   */
  readonly publicSubnetIds?: readonly string[];
  /**
   * Private (application) subnets, one per AZ.
   * @default []
   */
  readonly privateSubnetIds?: readonly string[];
  /**
   * Subnets for databases, one per AZ; Keel creates a DB subnet group over them. They may be
   * the same subnets as another tier (a default VPC has only public subnets).
   * @default []
   */
  readonly databaseSubnetIds?: readonly string[];
  /**
   * Tiers whose route tables send `0.0.0.0/0` to an internet or NAT gateway.
   * @default ["public"]
   */
  readonly internetTiers?: readonly SubnetTier[];
  /**
   * Whether the VPC has the interface endpoints Session Manager needs (ssm, ssmmessages, ec2messages).
   * @default false
   */
  readonly hasSessionManagerEndpoints?: boolean;
}

const VPC_ID = /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/;

/**
 * A VPC Keel does not manage, given by ids: the network interface for
 * modules, and a DB subnet group over its database subnets. Keel changes
 * nothing in the VPC itself.
 */
export class ExistingNetwork extends Construct implements INetwork {
  public readonly vpcId: string;
  public readonly vpcCidr: string;
  public readonly azs: readonly string[];
  public readonly databaseSubnetGroup?: DbSubnetGroup;
  public readonly databaseSubnetGroupName?: string;
  private readonly props: ExistingNetworkProps;

  constructor(scope: Construct, id: string, props: ExistingNetworkProps) {
    super(scope, id);
    const label = Label.of(this);
    validate(props, label.region);
    this.props = props;
    this.vpcId = props.vpcId;
    this.vpcCidr = props.cidr;
    this.azs = props.azs;
    const database = props.databaseSubnetIds ?? [];
    if (database.length > 0) {
      const name = label.id("db", "dbSubnetGroup");
      this.databaseSubnetGroup = new DbSubnetGroup(this, "database-subnet-group", {
        name,
        description: `Database subnets of ${props.vpcId} for ${label.prefix}`,
        subnetIds: [...database],
        tags: label.resourceTags(name, props.tags),
      });
      this.databaseSubnetGroupName = this.databaseSubnetGroup.name;
    }
  }

  public subnetIds(tier: SubnetTier): readonly string[] {
    return { public: this.props.publicSubnetIds, private: this.props.privateSubnetIds, database: this.props.databaseSubnetIds }[tier] ?? [];
  }

  public reachesInternet(tier: SubnetTier): boolean {
    return this.subnetIds(tier).length > 0 && (this.props.internetTiers ?? ["public"]).includes(tier);
  }

  public reachesSessionManager(tier: SubnetTier): boolean {
    return (tier !== "public" && this.reachesInternet(tier)) || (this.subnetIds(tier).length > 0 && (this.props.hasSessionManagerEndpoints ?? false));
  }
}

function validate(props: ExistingNetworkProps, region: string): void {
  const check = new PropsCheck("ExistingNetwork");
  const zones = zonesOf(region);
  check
    .require(VPC_ID.test(props.vpcId), "vpcId", props.vpcId, "a VPC id such as vpc-0123456789abcdef0")
    .require(props.azs.length >= 1 && props.azs.length <= 6, "azs", props.azs, "1 to 6 availability zones")
    .distinct("azs", props.azs)
    .tags("tags", props.tags);
  props.azs.forEach((az, i) => check.require(zones.includes(az), `azs.${i}`, az, `an availability zone of ${region}: ${zones.join(", ")}`));
  parseCidr(check, "cidr", props.cidr, 16, 28);
  for (const tier of SUBNET_TIERS) {
    const field = `${tier}SubnetIds`;
    const ids = props[field as "publicSubnetIds"] ?? [];
    check.require(ids.length === 0 || ids.length === props.azs.length, field, ids, `one subnet per availability zone (${props.azs.length}) or none`);
    ids.forEach((id, i) => check.require(SUBNET_ID.test(id), `${field}.${i}`, id, "a subnet id such as subnet-0123456789abcdef0"));
    check.distinct(field, ids);
  }
  (props.internetTiers ?? []).forEach((tier, i) => check.oneOf(`internetTiers.${i}`, tier, SUBNET_TIERS));
  check.require(
    SUBNET_TIERS.some((t) => (props[`${t}SubnetIds` as "publicSubnetIds"] ?? []).length > 0),
    "publicSubnetIds/privateSubnetIds/databaseSubnetIds",
    [],
    "at least one tier of subnets",
  );
  check.done();
}
