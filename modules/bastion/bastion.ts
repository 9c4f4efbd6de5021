import { Construct } from "constructs";
import { Token } from "cdktf";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { SsmDocument } from "@cdktf/provider-aws/lib/ssm-document";
import { Label, TaggableProps } from "../label";
import { ServiceRole } from "../iam";
import { LogGroup, checkRetention } from "../logs";
import { Connections, IConnectable, INetwork, SUBNET_TIERS, SubnetTier, moduleSecurityGroup } from "../network";
import { ProtectionProfile } from "../protection";
import { PropsCheck } from "../validation";
import { AL2023_PARAMETER, BastionAmi } from "./constants";

export interface BastionProps extends TaggableProps {
  /** The network; the bastion lives in the first subnet of `subnetTier`. */
  readonly network: INetwork;
  /**
   * Which subnet tier the bastion lives in (first AZ). It must reach Session Manager.
   * @default "database" - seed 003
   */
  readonly subnetTier?: SubnetTier;
  /**
   * Instance type.
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
 * Seed 003's bastion: an instance with no public IP, no key pair and no
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

  constructor(scope: Construct, id: string, props: BastionProps) {
    super(scope, id);
    const tier = props.subnetTier ?? "database";
    const ami = props.ami ?? { ssmParameter: AL2023_PARAMETER };
    validate(props, tier, ami);
    const label = Label.of(this);
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
      managedPolicies: ["AmazonSSMManagedInstanceCore"],
      tags: props.tags,
    });
    // Session Manager streams through the instance's role, and checks the group's encryption first.
    this.logGroup.grantWrite(role);
    const profile = new IamInstanceProfile(this, "instance-profile", {
      name: label.id("bastion", "iamInstanceProfile"),
      role: role.roleName,
      tags: tags(label.id("bastion", "iamInstanceProfile")),
    });

    const document = new SsmDocument(this, "session-preferences", {
      name: label.id("bastion-session-preferences", "ssmDocument"),
      documentType: "Session",
      documentFormat: "JSON",
      content: JSON.stringify({
        schemaVersion: "1.0",
        description: `Session Manager preferences for ${name}: sessions logged to ${this.logGroup.logGroupName}`,
        sessionType: "Standard_Stream",
        inputs: {
          cloudWatchLogGroupName: this.logGroup.logGroupName,
          cloudWatchEncryptionEnabled: true,
          cloudWatchStreamingEnabled: true,
          s3BucketName: "",
          runAsEnabled: false,
          idleSessionTimeout: String(props.idleSessionTimeout ?? 20),
          shellProfile: { linux: "" },
        },
      }),
      tags: tags(label.id("bastion-session-preferences", "ssmDocument")),
    });
    this.sessionDocumentName = document.name;

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
      // The psql client, so the bastion can reach Aurora; from the AL2023 repositories (S3).
      userData: Buffer.from("#!/bin/bash\ndnf install -y postgresql15\n").toString("base64"),
      tagSpecifications: [
        { resourceType: "instance", tags: tags(name) },
        { resourceType: "volume", tags: tags(name) },
      ],
      tags: tags(name),
    });

    this.instance = new Instance(this, "resource", {
      launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
      subnetId: props.network.subnetIds(tier)[0],
      associatePublicIpAddress: false,
      vpcSecurityGroupIds: [group.id],
      tags: tags(name),
    });
    this.instanceId = this.instance.id;
  }
}

function validate(props: BastionProps, tier: SubnetTier, ami: BastionAmi): void {
  const check = new PropsCheck("Bastion");
  check
    .oneOf("subnetTier", tier, SUBNET_TIERS)
    .integer("rootVolumeSize", props.rootVolumeSize ?? 8, 8, 100)
    .integer("idleSessionTimeout", props.idleSessionTimeout ?? 20, 1, 60)
    .nonEmpty("volumeKmsKeyArn", props.volumeKmsKeyArn)
    .nonEmpty("logKmsKeyArn", props.logKmsKeyArn)
    .nonEmpty("instanceType", props.instanceType ?? "t3.micro")
    .tags("tags", props.tags);
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
        `a tier that reaches Session Manager: the ${tier} subnets have no route to the internet and the network lacks the interface endpoints ssm, ssmmessages and ec2messages`,
      );
    }
  }
  check.done();
}
