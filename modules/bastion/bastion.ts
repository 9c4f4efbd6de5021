import { Construct } from "constructs";
import { Lazy, Token } from "cdktf";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { Label, TaggableProps, ssmDocumentNameProblem } from "../label";
import { IGrantable, ISecretSource, PolicyStatement, ServiceRole, policyDocument } from "../iam";
import { SsmDocument } from "@cdktf/provider-aws/lib/ssm-document";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { LogGroup, checkRetention } from "../logs";
import { Connections, IConnectable, INetwork, SUBNET_TIERS, SubnetTier, EgressRule, addEgress, checkEgress, moduleSecurityGroup } from "../network";
import { ProtectionProfile } from "../protection";
import { PropsCheck } from "../validation";
import { SessionPreferences } from "../session-manager";
import { AL2023_PARAMETER, BastionAmi, INSTANCE_FAMILIES, amiArchitecture, instanceTypeArchitecture } from "./constants";
import { suppress } from "../compliance/suppress";

/** A database operators may reach through the bastion: its endpoint, port, and the secret they sign in with. */
export interface TunnelTarget {
  readonly host: string;
  readonly port: number;
  /** The master secret operators read to sign in (`secretsmanager:GetSecretValue`, through the connect policy). */
  readonly secret?: ISecretSource;
}

/** Something with databases behind it (Aurora: the cluster and a restore beside it; RDS: the instance and its restore). */
export interface ITunnelTargets {
  readonly tunnelTargets: readonly TunnelTarget[];
}

export interface BastionProps extends TaggableProps {
  /** The network; the bastion lives in the first subnet of `subnetTier`. */
  readonly network: INetwork;
  /**
   * Which subnet tier the bastion lives in (first AZ). It must reach Session Manager.
   * @default "database" - Omnirapeutic
   */
  readonly subnetTier?: SubnetTier;
  /**
   * Instance type: a size of a family in `INSTANCE_FAMILIES` whose
   * architecture matches the AMI's.
   * @default "t3.micro"
   */
  readonly instanceType?: string;
  /**
   * The AMI.
   * @default { ssmParameter: AL2023_PARAMETER }
   */
  readonly ami?: BastionAmi;
  /**
   * Root volume size in GiB.
   * @default 8
   */
  readonly rootVolumeSize?: number;
  /** KMS key for the root volume. */
  readonly volumeKmsKeyArn: string;
  /** KMS key for the session log group. */
  readonly logKmsKeyArn: string;
  /**
   * Egress beyond HTTPS to anywhere (which the bastion has for Session Manager), each rule
   * with its reason: PostgreSQL to a database outside the VPC, a package mirror's port. @default []
   */
  readonly egress?: readonly EgressRule[];
  /**
   * Days session logs are kept; one of the values CloudWatch accepts.
   * @default 365
   */
  readonly sessionLogRetentionInDays?: number;
  /**
   * Minutes an idle session stays open, 1-60.
   * @default 20
   */
  readonly idleSessionTimeout?: number;
  /** `protectAuditLogs`: `prevent_destroy` on the session log group. */
  readonly protection: Pick<ProtectionProfile, "protectAuditLogs">;
}

/**
 * Omnirapeutic's bastion: an instance with no public IP, no key pair and no
 * ingress, reached only through Session Manager, whose sessions are logged to
 * an encrypted log group through a preferences document of its own.
 * Connect with:
 * `aws ssm start-session --target <instance> --document-name <sessionDocumentName>`.
 */
export class Bastion extends Construct implements IConnectable {
  public readonly connections: Connections;
  public readonly securityGroupId: string;
  public readonly instance: Instance;
  public readonly instanceId: string;
  public readonly sessionDocumentName: string;
  public readonly logGroup: LogGroup;
  /** A managed policy for operators: sessions on this bastion, only through the logging document. */
  public readonly connectPolicy: IamPolicy;
  public readonly connectPolicyArn: string;
  private readonly connectStatements: PolicyStatement[];
  private readonly tunnels: TunnelTarget[] = [];
  /** Roles granted the connect statements: a tunnel allowed later reaches them too. */
  private readonly grantees: IGrantable[] = [];
  private tunnelDocument?: SsmDocument;
  private readonly props: BastionProps;

  constructor(scope: Construct, id: string, props: BastionProps) {
    super(scope, id);
    this.props = props;
    const tier = props.subnetTier ?? "database";
    const ami = props.ami ?? { ssmParameter: AL2023_PARAMETER };
    const label = Label.of(this);
    validate(props, tier, ami, label);
    const name = label.id("bastion", "ec2Name");
    const tags = (n: string): Record<string, string> => label.resourceTags(n, props.tags);

    const group = moduleSecurityGroup(this, "security-group", {
      role: "bastion",
      description: "Bastion: no ingress (Session Manager only); HTTPS out",
      vpcId: props.network.vpcId,
      tags: props.tags,
    });
    this.securityGroupId = group.id;
    this.connections = new Connections(this, { name: "bastion", securityGroupId: group.id });
    new VpcSecurityGroupEgressRule(this, "egress-https", {
      securityGroupId: group.id,
      description: "HTTPS to Session Manager, AWS APIs and package repositories",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
    });
    addEgress(this, group.id, props.egress);

    this.logGroup = new LogGroup(this, "session-log-group", {
      logGroupName: `/aws/ssm/${label.prefix}-bastion-sessions`,
      retentionInDays: props.sessionLogRetentionInDays ?? 365,
      kmsKeyArn: props.logKmsKeyArn,
      preventDestroy: props.protection.protectAuditLogs,
      tags: props.tags,
    });

    const role = new ServiceRole(this, "role", {
      purpose: "bastion",
      servicePrincipal: "ec2.amazonaws.com",
      managedPolicies: {
        AmazonSSMManagedInstanceCore:
          "The SSM agent's own policy: AWS updates it as the agent gains APIs, and a hand-copied list would cut sessions off silently",
      },
      tags: props.tags,
    });
    // Session Manager streams through the instance's role, and checks the group's encryption first.
    this.logGroup.grantWrite(role);
    const profile = new IamInstanceProfile(this, "instance-profile", {
      name: label.id("bastion", "iamInstanceProfile"),
      role: role.roleName,
      tags: tags(label.id("bastion", "iamInstanceProfile")),
    });

    const document = new SessionPreferences(this, "session-preferences", {
      documentName: label.id("bastion-session-preferences", "ssmDocument"),
      description: `Session Manager preferences for ${name}: sessions logged to ${this.logGroup.logGroupName}`,
      logGroupName: this.logGroup.logGroupName,
      idleSessionTimeout: props.idleSessionTimeout,
      tags: props.tags,
    });
    this.sessionDocumentName = document.documentName;

    const template = new LaunchTemplate(this, "launch-template", {
      name: label.id("bastion", "ec2Name"),
      imageId: "ssmParameter" in ami ? `resolve:ssm:${ami.ssmParameter}` : ami.imageId,
      instanceType: props.instanceType ?? "t3.micro",
      iamInstanceProfile: { arn: profile.arn },
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: {
            volumeSize: props.rootVolumeSize ?? 8,
            volumeType: "gp3",
            encrypted: "true",
            kmsKeyId: props.volumeKmsKeyArn,
            deleteOnTermination: "true",
          },
        },
      ],
      userData: Buffer.from(USER_DATA).toString("base64"),
      // Provider default tags never reach what EC2 creates from a template: spell them out.
      tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
        resourceType,
        tags: label.explicitTags(name, props.tags),
      })),
      tags: tags(name),
    });

    this.instance = new Instance(this, "resource", {
      launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
      subnetId: props.network.subnetIds(tier)[0],
      associatePublicIpAddress: false,
      vpcSecurityGroupIds: [group.id],
      tags: tags(name),
      // The user data lives in the launch template, whose new version replaces the instance.
      // Without this, every plan after the first apply shows an in-place user_data update
      // (stop, modify, start): the provider re-hashes the hash it stored when the instance
      // itself sets no user data (hashicorp/terraform-provider-aws#30825, found by the emulator tier).
      lifecycle: { ignoreChanges: ["user_data"] },
    });
    suppress(this.instance, {
      rule: "ec2-detailed-monitoring",
      reason: "An operator's Session Manager host with no workload: five-minute metrics suffice; shell sessions are logged, and CloudTrail records every session",
    });
    this.instanceId = this.instance.id;

    this.connectStatements = [
      {
        // Without the document check, a plain `start-session --target` would use the
        // account's default document, which may not log.
        sid: "StartLoggedSessionsOnBastion",
        actions: ["ssm:StartSession"],
        resources: [label.arn("ec2", `instance/${this.instanceId}`), label.arn("ssm", `document/${document.documentName}`)],
        conditions: { BoolIfExists: { "ssm:SessionDocumentAccessCheck": "true" } },
      },
      {
        sid: "ManageOwnSessions",
        actions: ["ssm:TerminateSession", "ssm:ResumeSession"],
        // `$$` keeps Terraform from reading the IAM variable as an interpolation.
        resources: [label.arn("ssm", "session/$${aws:userid}-*")],
      },
    ];
    this.connectPolicy = new IamPolicy(this, "connect-policy", {
      name: label.id("bastion-connect", "iamPolicy"),
      description: `Session Manager sessions on ${name}, only through ${document.documentName}, which logs them`,
      // Lazy: allowTunnelTo adds statements after construction.
      policy: Lazy.stringValue({ produce: () => policyDocument(this.connectStatements) }),
      tags: tags(label.id("bastion-connect", "iamPolicy")),
    });
    this.connectPolicyArn = this.connectPolicy.arn;
  }

  /**
   * Lets `grantee` open Session Manager sessions on the bastion, only with
   * the logging session document (`ssm:SessionDocumentAccessCheck`), and end
   * or resume its own sessions. People get the same through
   * `connectPolicyArn`, attached to their role or permission set.
   */
  public grantConnect(grantee: IGrantable): void {
    for (const statement of this.connectStatements) grantee.addToPolicy(statement);
    this.grantees.push(grantee);
  }

  /** The port-forwarding document (`allowTunnelTo`); undefined until a database is allowed. */
  public get tunnelDocumentName(): string | undefined {
    return this.tunnelDocument?.name;
  }

  /**
   * Lets operators forward a local port to `databases`' endpoints through the bastion, and only
   * to them: a Session Manager document of Keel's own (sessionType Port, like AWS's
   * AWS-StartPortForwardingSessionToRemoteHost) whose `host` and `portNumber` take only these
   * values, allowed by the connect policy, and read the databases' master secrets to sign in.
   * `keel db-shell <env>` starts it. Session Manager does not log the bytes of a port session
   * (AWS documents logging for shell sessions only); CloudTrail records each StartSession with
   * its document, target and host, and PostgreSQL logs the connection (log_connections, pgAudit).
   */
  public allowTunnelTo(databases: ITunnelTargets): void {
    for (const target of databases.tunnelTargets) {
      this.tunnels.push(target);
      if (target.secret !== undefined) target.secret.grantRead(this.operators);
    }
    if (this.tunnelDocument !== undefined) return;
    const label = Label.of(this);
    const name = label.id("bastion-db-tunnel", "ssmDocument");
    this.tunnelDocument = new SsmDocument(this, "db-tunnel", {
      name,
      documentType: "Session",
      documentFormat: "JSON",
      content: Lazy.stringValue({
        produce: () =>
          JSON.stringify({
            schemaVersion: "1.0",
            description: "Port forwarding to the environment's databases only, through the bastion",
            sessionType: "Port",
            parameters: {
              host: { type: "String", description: "A database endpoint of this environment", allowedValues: this.tunnels.map((t) => t.host) },
              portNumber: { type: "String", description: "The database port", allowedValues: [...new Set(this.tunnels.map((t) => String(t.port)))] },
              localPortNumber: { type: "String", description: "The local port (0 picks one)", allowedPattern: "^([0-9]|[1-9][0-9]{1,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$", default: "0" },
            },
            properties: { type: "LocalPortForwarding", host: "{{ host }}", portNumber: "{{ portNumber }}", localPortNumber: "{{ localPortNumber }}" },
          }),
      }),
      tags: label.resourceTags(name, this.props.tags),
    });
    this.operators.addToPolicy({
      sid: "StartDatabaseTunnelsOnBastion",
      actions: ["ssm:StartSession"],
      resources: [label.arn("ec2", `instance/${this.instanceId}`), label.arn("ssm", `document/${name}`)],
      conditions: { BoolIfExists: { "ssm:SessionDocumentAccessCheck": "true" } },
    });
  }

  /** The connect policy, as a grantee of the databases' secrets. */
  private get operators(): IGrantable {
    return {
      roleArn: "",
      grantName: "Operators",
      addToPolicy: (statement: PolicyStatement) => {
        if (this.connectStatements.some((s) => s.sid === statement.sid)) return;
        this.connectStatements.push(statement);
        for (const grantee of this.grantees) grantee.addToPolicy(statement);
      },
    };
  }
}

/**
 * Installs the psql client (from the AL2023 repositories, through S3). It
 * fails loudly (cloud-init marks the script failed; the reason is in
 * /var/log/cloud-init-output.log), and retries, since the network may not be
 * ready on first boot.
 */
const USER_DATA = `#!/bin/bash
set -euo pipefail
for attempt in 1 2 3 4 5; do
  if dnf install -y postgresql15; then exit 0; fi
  echo "keel: dnf install postgresql15 failed (attempt $attempt of 5)" >&2
  sleep $((attempt * 15))
done
echo "keel: could not install postgresql15; see above" >&2
exit 1
`;

function validate(props: BastionProps, tier: SubnetTier, ami: BastionAmi, label: Label): void {
  const check = new PropsCheck("Bastion");
  const documentName = label.id("bastion-session-preferences", "ssmDocument");
  const documentProblem = ssmDocumentNameProblem(documentName);
  check.require(documentProblem === undefined, "(session document name)", documentName, documentProblem ?? "");
  const tunnelName = label.id("bastion-db-tunnel", "ssmDocument");
  const tunnelProblem = ssmDocumentNameProblem(tunnelName);
  check.require(tunnelProblem === undefined, "(tunnel document name)", tunnelName, tunnelProblem ?? "");
  check
    .oneOf("subnetTier", tier, SUBNET_TIERS)
    .integer("rootVolumeSize", props.rootVolumeSize ?? 8, 8, 100)
    .integer("idleSessionTimeout", props.idleSessionTimeout ?? 20, 1, 60)
    .nonEmpty("volumeKmsKeyArn", props.volumeKmsKeyArn)
    .nonEmpty("logKmsKeyArn", props.logKmsKeyArn)
    .tags("tags", props.tags);
  const instanceType = props.instanceType ?? "t3.micro";
  const typeArchitecture = instanceTypeArchitecture(instanceType);
  const imageArchitecture = amiArchitecture(ami);
  check
    .require(
      typeArchitecture !== undefined,
      "instanceType",
      instanceType,
      `a size of a family Keel supports (modules/bastion/constants.ts): ${Object.keys(INSTANCE_FAMILIES).join(", ")}, e.g. t3.micro`,
    )
    .require(
      "imageId" in ami || imageArchitecture !== undefined,
      "ami.ssmParameter",
      "ssmParameter" in ami ? ami.ssmParameter : "",
      "a parameter whose name ends in its architecture, _x86_64 or _arm64 (or give imageId with architecture)",
    );
  if (typeArchitecture !== undefined && imageArchitecture !== undefined) {
    check.require(typeArchitecture === imageArchitecture, "instanceType", instanceType, `an ${imageArchitecture} type, the AMI's architecture (${instanceType} is ${typeArchitecture})`);
  }
  if ("imageId" in ami) {
    check.require(/^ami-[0-9a-f]{8,17}$/.test(ami.imageId), "ami.imageId", ami.imageId, "an AMI id such as ami-0123456789abcdef0");
  } else {
    check.require(ami.ssmParameter.startsWith("/"), "ami.ssmParameter", ami.ssmParameter, "an SSM parameter path starting with /");
  }
  checkRetention(check, "sessionLogRetentionInDays", props.sessionLogRetentionInDays ?? 365);
  if (SUBNET_TIERS.includes(tier)) {
    if (props.network.subnetIds(tier).length === 0) {
      check.require(false, "subnetTier", tier, "a tier the network has subnets in");
    } else {
      check.require(
        props.network.reachesSessionManager(tier),
        "subnetTier",
        tier,
        tier === "public"
          ? "a tier that reaches Session Manager: the bastion has no public IP, so a public subnet's internet gateway does not carry its traffic; use a tier with a NAT route, or add the interface endpoints ssm, ssmmessages and ec2messages"
          : `a tier that reaches Session Manager: the ${tier} subnets have no NAT route and the network lacks the interface endpoints ssm, ssmmessages and ec2messages`,
      );
    }
  }
  checkEgress(check, "egress", props.egress);
  check.done();
}
