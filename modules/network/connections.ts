import { Construct } from "constructs";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { PropsError } from "../validation";

/** Something with a security group that traffic may be allowed from or to. */
export interface IConnectable {
  readonly connections: Connections;
}

export interface ConnectionsProps {
  /** Short name of this side, `[a-z0-9-]`, e.g. `aurora`; used in rule ids and descriptions. */
  readonly name: string;
  /** This side's name in rule descriptions. @default - `name` */
  readonly displayName?: string;
  readonly securityGroupId: string;
  /** The port this side serves; rules for it carry no port in their ids. @default - none: allowFrom needs a port */
  readonly defaultPort?: number;
  /** What the default port carries, in descriptions, e.g. `PostgreSQL`. @default - `TCP <port>` */
  readonly portName?: string;
}

/**
 * The security group of one module and the rules between it and its peers.
 * `allowFrom(peer, port)` admits TCP `port` from the peer's group and lets
 * the peer's group send to this one (its egress may be closed otherwise).
 */
export class Connections {
  private readonly allowed = new Map<string, string>();

  public readonly name: string;
  public readonly securityGroupId: string;
  public readonly defaultPort?: number;

  /** @param scope where the rules are created: the module that owns the group */
  constructor(
    private readonly scope: Construct,
    private readonly props: ConnectionsProps,
  ) {
    this.name = props.name;
    this.securityGroupId = props.securityGroupId;
    this.defaultPort = props.defaultPort;
  }

  /**
   * Admits TCP `port` (the default port when omitted) from `peer`. Calling it
   * again with the same peer and port does nothing; two different peers with
   * one name are refused.
   */
  public allowFrom(peer: IConnectable, port?: number, description?: string): void {
    const target = port ?? this.defaultPort;
    const other = peer.connections;
    if (target === undefined || !Number.isInteger(target) || target < 1 || target > 65535) {
      throw new PropsError(this.name, [{ field: `allowFrom(${other.name}).port`, value: target, allowed: "a TCP port from 1 to 65535" }]);
    }
    const key = `${other.name}:${target}`;
    const known = this.allowed.get(key);
    if (known === other.securityGroupId) return;
    if (known !== undefined) {
      throw new PropsError(this.name, [
        { field: `allowFrom(${other.name})`, value: other.name, allowed: `a peer name not already used by another security group: give each peer a distinct name` },
      ]);
    }
    this.allowed.set(key, other.securityGroupId);
    const suffix = target === this.defaultPort ? "" : `-${target}`;
    new VpcSecurityGroupIngressRule(this.scope, `ingress-from-${other.name}${suffix}`, {
      securityGroupId: this.securityGroupId,
      description: description ?? `${this.describePort(target)} from ${other.name}`,
      ipProtocol: "tcp",
      fromPort: target,
      toPort: target,
      referencedSecurityGroupId: other.securityGroupId,
    });
    new VpcSecurityGroupEgressRule(this.scope, `${other.name}-egress-to-${this.name}${suffix}`, {
      securityGroupId: other.securityGroupId,
      description: `${this.describePort(target)} to ${this.props.displayName ?? this.name}`,
      ipProtocol: "tcp",
      fromPort: target,
      toPort: target,
      referencedSecurityGroupId: this.securityGroupId,
    });
  }

  private describePort(port: number): string {
    return port === this.defaultPort && this.props.portName !== undefined ? this.props.portName : `TCP ${port}`;
  }
}
