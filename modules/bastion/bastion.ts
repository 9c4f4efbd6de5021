import { Construct } from "constructs";
import { Token } from "cdktf";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { SsmDocument } from "@cdktf/provider-aws/lib/ssm-document";
import { Label } from "../label";
import { ServiceRole } from "../iam";
import { LogGroup, checkRetention } from "../logs";
import { PropsCheck, PropsError } from "../validation";
import { SubnetTier, Vpc } from "../vpc";

/**
 * Where the bastion's AMI comes from. Neither calls AWS at plan time.
 * - `ssmParameter`: EC2 resolves the public parameter when the instance launches
 *   (`resolve:ssm:` in the launch template); later AMIs take effect on replacement.
 * - `imageId`: a pinned AMI id.
 */
export type BastionAmi = { readonly ssmParameter: string } | { readonly imageId: string };

/** Amazon Linux 2023, x86_64: the default AMI parameter. */
export const AL2023_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

export interface BastionProps {
  readonly vpc: Vpc;
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
  /** Days session logs are kept; one of the values CloudWatch accepts. */
  readonly sessionLogRetentionInDays: number;
  /**
   * Minutes an idle session stays open, 1-60.
   * @default 20
   */
  readonly idleSessionTimeout?: number;
}

/**
 * Seed 003's bastion: an instance with no public IP, no key pair and no
 * ingress, reached only through Session Manager, whose sessions are logged to
 * an encrypted log group through a preferences document of its own.
 * Connect with:
 * `aws ssm start-session --target <instance> --document-name <sessionDocumentName>`.
 */
export class Bastion extends Construct {
  public readonly peerName = "bastion";
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

    const group = new SecurityGroup(this, "security-group", {
      name: label.id("bastion", "securityGroup"),
      description: "Bastion: no ingress (Session Manager only); HTTPS out",
      vpcId: props.vpc.vpcId,
      tags: label.resourceTags(label.id("bastion", "securityGroup")),
    });
    this.securityGroupId = group.id;
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
      retentionInDays: props.sessionLogRetentionInDays,
      kmsKeyArn: props.logKmsKeyArn,
    });

    const role = new ServiceRole(this, "role", {
      purpose: "bastion",
      servicePrincipal: "ec2.amazonaws.com",
      managedPolicies: ["AmazonSSMManagedInstanceCore"],
      statements: [
        {
          sid: "WriteSessionLogs",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: [this.logGroup.logGroupArn, `${this.logGroup.logGroupArn}:*`],
        },
        {
          // Session Manager checks the group's encryption before it streams.
          sid: "CheckSessionLogGroupEncryption",
          actions: ["logs:DescribeLogGroups"],
          resources: [label.arn("logs", "log-group:*")],
        },
      ],
    });
    const profile = new IamInstanceProfile(this, "instance-profile", {
      name: label.id("bastion", "iamInstanceProfile"),
      role: role.roleName,
      tags: label.resourceTags(label.id("bastion", "iamInstanceProfile")),
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
      tags: label.resourceTags(label.id("bastion-session-preferences", "ssmDocument")),
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
        { resourceType: "instance", tags: label.resourceTags(name) },
        { resourceType: "volume", tags: label.resourceTags(name) },
      ],
      tags: label.resourceTags(name),
    });

    this.instance = new Instance(this, "resource", {
      launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
      subnetId: props.vpc.subnetIds(tier)[0],
      associatePublicIpAddress: false,
      vpcSecurityGroupIds: [group.id],
      tags: label.resourceTags(name),
    });
    this.instanceId = this.instance.id;
  }
}

function validate(props: BastionProps, tier: SubnetTier, ami: BastionAmi): void {
  const check = new PropsCheck("Bastion");
  check
    .require(props.vpc.subnetIds(tier).length > 0, "subnetTier", tier, "a tier the VPC has subnets in")
    .integer("rootVolumeSize", props.rootVolumeSize ?? 8, 8, 100)
    .integer("idleSessionTimeout", props.idleSessionTimeout ?? 20, 1, 60)
    .nonEmpty("volumeKmsKeyArn", props.volumeKmsKeyArn)
    .nonEmpty("logKmsKeyArn", props.logKmsKeyArn);
  if ("imageId" in ami) {
    check.require(/^ami-[0-9a-f]{8,17}$/.test(ami.imageId), "ami.imageId", ami.imageId, "an AMI id such as ami-0123456789abcdef0");
  } else {
    check.require(ami.ssmParameter.startsWith("/"), "ami.ssmParameter", ami.ssmParameter, "an SSM parameter path starting with /");
  }
  checkRetention("Bastion", "sessionLogRetentionInDays", props.sessionLogRetentionInDays);
  if (!props.vpc.reachesSessionManager(tier)) {
    throw new PropsError(
      "Bastion",
      "subnetTier",
      tier,
      `a tier that reaches Session Manager: the ${tier} subnets have no NAT route and the VPC lacks the interface endpoints ssm, ssmmessages and ec2messages`,
    );
  }
}
