import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { Label } from "../label";
import { Connections } from "./connections";
import { EgressRule, addEgress } from "./egress";

export interface ModuleSecurityGroupProps {
  /**
   * What the group is for, `[a-z0-9-]`, e.g. `aurora`: its name is
   * `<ns>-<env>-<role>-<random>`, or exactly `naming.names["securityGroup:<role>"]`.
   */
  readonly role: string;
  /** Shown in the console; changing it replaces the group (AWS cannot edit a description). */
  readonly description: string;
  readonly vpcId: string;
  /** Tags over the Label's `Name`. */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The one way a module makes a security group. A group's name and
 * description cannot change in place, and a group in use cannot be deleted:
 * with a fixed name, a replacement must delete first and hangs on
 * `DependencyViolation`. So the name is a prefix (Terraform adds a unique
 * suffix) and the replacement is created before the old group is destroyed,
 * as terraform-aws-modules does. Rules are separate resources that follow.
 */
export function moduleSecurityGroup(scope: Construct, id: string, props: ModuleSecurityGroupProps): SecurityGroup {
  const label = Label.of(scope);
  // A name given in config (an adopted group's) is kept exactly. Its replacement must then
  // delete first (a second group of one name in a VPC is refused), so `keel plan` lists it.
  const given = label.override(props.role, "securityGroup");
  const name = given ?? label.id(props.role, "securityGroupNamePrefix");
  return new SecurityGroup(scope, id, {
    ...(given !== undefined ? { name: given } : { namePrefix: `${name}-` }),
    description: props.description,
    vpcId: props.vpcId,
    tags: label.resourceTags(name, props.tags),
    lifecycle: { createBeforeDestroy: given === undefined },
  });
}

export interface HttpsClientProps extends ModuleSecurityGroupProps {
  /** The workload's name in rule ids and descriptions, `[a-z0-9-]`. */
  readonly name: string;
  /** What the HTTPS egress rule reaches, for its description. */
  readonly egressDescription: string;
  /** The port the workload serves, when peers may be allowed to it. @default - none */
  readonly defaultPort?: number;
  /** Egress beyond HTTPS, each with its reason (checked by `checkEgress`). @default [] */
  readonly egress?: readonly EgressRule[];
}

/**
 * The group of a workload that calls AWS APIs and the internet over HTTPS
 * (ECS tasks, Lambda functions, App Runner's connector): HTTPS out to
 * anywhere, the `egress` the workload's config decided, nothing in, and
 * `connections` for the peers it is allowed to.
 */
export function httpsClientGroup(scope: Construct, props: HttpsClientProps): { readonly securityGroup: SecurityGroup; readonly connections: Connections } {
  const securityGroup = moduleSecurityGroup(scope, "security-group", props);
  new VpcSecurityGroupEgressRule(scope, "egress-https", {
    securityGroupId: securityGroup.id,
    description: props.egressDescription,
    ipProtocol: "tcp",
    fromPort: 443,
    toPort: 443,
    cidrIpv4: "0.0.0.0/0",
  });
  addEgress(scope, securityGroup.id, props.egress);
  return { securityGroup, connections: new Connections(scope, { name: props.name, securityGroupId: securityGroup.id, defaultPort: props.defaultPort }) };
}
