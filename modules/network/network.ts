/** The three subnet tiers Keel knows, in this order. */
export const SUBNET_TIERS = ["public", "private", "database"] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];

/**
 * What a module needs to know about the network it lives in. The `vpc`
 * module (a VPC Keel creates) and `ExistingNetwork` (one it is given, e.g.
 * the account's default VPC) both satisfy it; modules take this interface,
 * never the `Vpc` class.
 */
export interface INetwork {
  readonly vpcId: string;
  /** The VPC's IPv4 CIDR. */
  readonly vpcCidr: string;
  /** The availability zones; each non-empty tier has one subnet per AZ, in this order. */
  readonly azs: readonly string[];
  /** Subnet ids of one tier, in AZ order; empty when the tier has none. */
  subnetIds(tier: SubnetTier): readonly string[];
  /** Name of the DB subnet group over the data tier; undefined without one. */
  readonly databaseSubnetGroupName?: string;
  /** Whether instances in `tier` reach the internet (an internet or NAT gateway route). */
  reachesInternet(tier: SubnetTier): boolean;
  /**
   * Whether an instance in `tier` without a public IP (Keel never gives one)
   * reaches Session Manager: through a NAT gateway, or the SSM interface
   * endpoints. A public subnet's internet gateway carries only traffic from
   * public IPs, so the public tier needs the endpoints.
   */
  reachesSessionManager(tier: SubnetTier): boolean;
}

/**
 * Whether network interfaces without a public IP in `tier` (Lambda's, App
 * Runner's connector's: AWS never gives them one) reach the internet and
 * public AWS endpoints. Only a NAT route does: a public subnet's internet
 * gateway carries traffic from public IPs alone.
 */
export function privateEgress(network: INetwork, tier: SubnetTier): boolean {
  return tier !== "public" && network.reachesInternet(tier);
}

/** Transport protocols an egress rule may name; `all` is every protocol and port. */
export const EGRESS_PROTOCOLS = ["tcp", "udp", "all"] as const;
export type EgressProtocol = (typeof EGRESS_PROTOCOLS)[number];
