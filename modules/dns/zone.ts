import { Construct } from "constructs";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { PropsCheck } from "../validation";

/** Something a Route 53 alias record can point at: a distribution, an API's custom domain. */
export interface IAliasTarget {
  /** The target's DNS name (`d111.cloudfront.net`, `d-abc.execute-api.<region>.amazonaws.com`). */
  readonly aliasDnsName: string;
  /** The Route 53 zone id AWS publishes for the target. */
  readonly aliasZoneId: string;
}

export interface HostedZoneProps {
  /** The existing public hosted zone's id, e.g. `Z09099671VTWA1L2CL021`. */
  readonly zoneId: string;
  /** Its domain, e.g. `base2ml.com`: every record and certificate name must be in it. */
  readonly zoneName: string;
}

const ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
const LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
const DOMAIN = new RegExp(`^(\\*\\.)?(${LABEL}\\.)+${LABEL}$`);

/** True when `name` is a lower-case DNS name (a leading `*.` allowed) of at most 253 characters. */
export function isDomainName(name: string): boolean {
  return name.length <= 253 && DOMAIN.test(name);
}

/**
 * An existing Route 53 hosted zone, given by id: Keel adds records to it and
 * never creates, changes or destroys the zone itself (it usually outlives
 * every stack, and its name servers are registered outside AWS).
 */
export class HostedZone extends Construct {
  public readonly zoneId: string;
  public readonly zoneName: string;

  constructor(scope: Construct, id: string, props: HostedZoneProps) {
    super(scope, id);
    new PropsCheck("HostedZone")
      .require(ZONE_ID.test(props.zoneId), "zoneId", props.zoneId, "a hosted zone id such as Z09099671VTWA1L2CL021")
      .require(isDomainName(props.zoneName) && !props.zoneName.startsWith("*."), "zoneName", props.zoneName, "the zone's domain in lower case, such as example.com, without a trailing dot")
      .done();
    this.zoneId = props.zoneId;
    this.zoneName = props.zoneName;
  }

  /** True when `name` is the zone's apex or below it. */
  public contains(name: string): boolean {
    return name === this.zoneName || name.endsWith(`.${this.zoneName}`);
  }

  /** Checks that each of `names` is a DNS name in this zone; problems are reported at `prop`. */
  public checkNames(check: PropsCheck, prop: string, names: readonly string[]): PropsCheck {
    names.forEach((name, i) => {
      check.require(isDomainName(name) && this.contains(name), `${prop}.${i}`, name, `a lower-case DNS name in the zone ${this.zoneName}`);
    });
    return check.distinct(prop, names);
  }

  /**
   * An A record aliasing `name` to `target`, created in `scope` (its
   * address is the scope's path with the name, e.g.
   * `aws_route53_record.dns_app_example_com`).
   */
  public aliasRecord(name: string, target: IAliasTarget): Route53Record {
    const check = new PropsCheck("HostedZone");
    this.checkNames(check, "aliasRecord", [name]).done();
    return new Route53Record(this, name.replace(/\./g, "-"), {
      zoneId: this.zoneId,
      name,
      type: "A",
      alias: { name: target.aliasDnsName, zoneId: target.aliasZoneId, evaluateTargetHealth: false },
    });
  }
}
