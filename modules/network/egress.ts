import { Construct } from "constructs";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { suppress } from "../compliance/suppress";
import { PropsCheck } from "../validation";
import { parseCidr } from "./cidr";

import { EGRESS_PROTOCOLS, EgressProtocol } from "./network";

/**
 * Traffic a workload may send beyond Keel's default HTTPS (TCP 443 to
 * anywhere): SMTP to a mail relay, Redis in the VPC, a partner's port. Each
 * rule is a decision, so it carries its reason, which becomes the rule's
 * description in the console.
 */
export interface EgressRule {
  /** One port, or an inclusive range `[from, to]`; none with protocol `all`. */
  readonly port?: number | readonly [number, number];
  /** @default "tcp" */
  readonly protocol?: EgressProtocol;
  /** Where to: an IPv4 CIDR (`10.0.0.0/16`, `0.0.0.0/0`) or a managed prefix list (`pl-...`). */
  readonly to: string;
  /**
   * Why the workload needs it, in the rule's description (at least 10
   * characters; 20 for every protocol to 0.0.0.0/0, which `keel check`
   * would otherwise report).
   */
  readonly reason: string;
}

const PREFIX_LIST = /^pl-[0-9a-f]{8,17}$/;
/** Security group rule descriptions: 255 characters of this set (AWS's AuthorizeSecurityGroupEgress). */
const DESCRIPTION = /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]{10,255}$/;

const range = (rule: EgressRule): [number, number] => (rule.port === undefined ? [-1, -1] : typeof rule.port === "number" ? [rule.port, rule.port] : [rule.port[0], rule.port[1]]);
const isAnywhereAll = (rule: EgressRule): boolean => (rule.protocol ?? "tcp") === "all" && rule.to === "0.0.0.0/0";

/** Checks `rules` at `field` (e.g. `egress`): ports, protocol, destination and reason, each as AWS would take it. */
export function checkEgress(check: PropsCheck, field: string, rules: readonly EgressRule[] | undefined): void {
  const seen = new Set<string>();
  (rules ?? []).forEach((rule, i) => {
    const at = `${field}.${i}`;
    const protocol = rule.protocol ?? "tcp";
    check.require((EGRESS_PROTOCOLS as readonly string[]).includes(protocol), `${at}.protocol`, protocol, `one of ${EGRESS_PROTOCOLS.join(", ")}`);
    if (protocol === "all") {
      check.require(rule.port === undefined, `${at}.port`, rule.port, "no port: protocol all is every port");
    } else {
      const [from, to] = range(rule);
      check.require(rule.port !== undefined, `${at}.port`, "(none)", `a port or [from, to] for ${protocol}`);
      if (rule.port !== undefined) {
        check.require(Number.isInteger(from) && Number.isInteger(to) && from >= 1 && to <= 65535 && from <= to, `${at}.port`, rule.port, "a port 1-65535, or [from, to] with from <= to");
        check.require(!(protocol === "tcp" && from <= 443 && to >= 443 && rule.to === "0.0.0.0/0" && from === to), `${at}`, "tcp 443 to 0.0.0.0/0", "a rule Keel does not add already: HTTPS to anywhere is every workload's default");
      }
    }
    if (!PREFIX_LIST.test(rule.to)) parseCidr(check, `${at}.to`, rule.to, 0, 32);
    const reason = (rule.reason ?? "").trim();
    check.require(DESCRIPTION.test(reason), `${at}.reason`, rule.reason, "why the workload needs it: 10-255 characters of letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* (it becomes the rule's description)");
    if (isAnywhereAll(rule)) {
      check.require(reason.length >= 20, `${at}.reason`, rule.reason, "at least 20 characters for every protocol to 0.0.0.0/0: what the workload reaches that HTTPS does not, and who accepted it");
    }
    const key = `${protocol} ${range(rule).join("-")} ${rule.to}`;
    check.require(!seen.has(key), at, key, "each rule once");
    seen.add(key);
  });
}

/**
 * The rules, on `securityGroupId`, with ids from what they allow (so adding
 * one never renames another). Every protocol to 0.0.0.0/0 is the team's
 * written decision: `keel check`'s sg-no-unrestricted-egress is suppressed
 * on that rule alone, with its reason.
 */
export function addEgress(scope: Construct, securityGroupId: string, rules: readonly EgressRule[] | undefined): void {
  for (const rule of rules ?? []) {
    const protocol = rule.protocol ?? "tcp";
    const [from, to] = range(rule);
    const id = `egress-${protocol}${protocol === "all" ? "" : `-${from === to ? from : `${from}-${to}`}`}-to-${rule.to.replace(/[./]/g, "-")}`;
    const resource = new VpcSecurityGroupEgressRule(scope, id, {
      securityGroupId,
      description: rule.reason.trim(),
      ipProtocol: protocol === "all" ? "-1" : protocol,
      ...(protocol === "all" ? {} : { fromPort: from, toPort: to }),
      ...(PREFIX_LIST.test(rule.to) ? { prefixListId: rule.to } : { cidrIpv4: rule.to }),
    });
    if (isAnywhereAll(rule)) suppress(resource, { rule: "sg-no-unrestricted-egress", reason: rule.reason.trim() });
  }
}
