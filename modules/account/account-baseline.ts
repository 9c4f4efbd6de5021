import { Construct } from "constructs";
import { EbsEncryptionByDefault } from "@cdktf/provider-aws/lib/ebs-encryption-by-default";
import { EbsDefaultKmsKey } from "@cdktf/provider-aws/lib/ebs-default-kms-key";
import { S3AccountPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-account-public-access-block";
import { Label, TaggableProps } from "../label";
import { LogGroup, checkRetention } from "../logs";
import { DEFAULT_SESSION_DOCUMENT, SessionPreferences } from "../session-manager";
import { ProtectionProfile } from "../protection";
import { KmsKey } from "../security";
import { PropsCheck } from "../validation";
import { suppress } from "../compliance/suppress";
import type { PublicRead } from "../buckets/constants";

export interface AccountBaselineProps extends TaggableProps {
  /**
   * Manage the account-wide S3 public access block from this stack. It is one
   * setting per account, so only the account's home region manages it.
   */
  readonly manageS3PublicAccessBlock: boolean;
  /**
   * Let buckets of this account have public policies (a `publicRead` bucket):
   * the account block then still refuses public ACLs, and the written reason
   * is what `keel check` prints for the account block.
   * @default - public policies blocked account-wide
   */
  readonly publicBucketPolicies?: PublicRead;
  /**
   * `preventDestroy` on the keys (volumes and logs encrypted with them are
   * unreadable without them); `protectAuditLogs` on the session log group.
   */
  readonly protection: Pick<ProtectionProfile, "preventDestroy" | "protectAuditLogs">;
  /**
   * Days the region's Session Manager session logs are kept; one of the values CloudWatch accepts.
   * @default 365
   */
  readonly sessionLogRetentionInDays?: number;
}

/**
 * The settings every account and region gets once, whatever runs in it:
 * EBS encryption by default under a customer-managed key (regional); the
 * region's Session Manager defaults (`SSM-SessionManagerRunShell`), so a
 * session that names no document is logged too; and, in the home region,
 * the account's S3 public access block.
 */
export class AccountBaseline extends Construct {
  public readonly ebsKey: KmsKey;
  public readonly s3PublicAccessBlock?: S3AccountPublicAccessBlock;
  public readonly sessionLogsKey: KmsKey;
  public readonly sessionLogGroup: LogGroup;
  public readonly sessionPreferences: SessionPreferences;

  constructor(scope: Construct, id: string, props: AccountBaselineProps) {
    super(scope, id);
    const retention = props.sessionLogRetentionInDays ?? 365;
    checkRetention(new PropsCheck("AccountBaseline"), "sessionLogRetentionInDays", retention).tags("tags", props.tags).done();
    this.ebsKey = new KmsKey(this, "ebs-key", {
      purpose: "ebs-default",
      description: "Default encryption of every new EBS volume and snapshot in this region",
      viaServices: ["ec2"],
      preventDestroy: props.protection.preventDestroy,
      tags: props.tags,
    });
    new EbsDefaultKmsKey(this, "ebs-default-key", { keyArn: this.ebsKey.keyArn });
    new EbsEncryptionByDefault(this, "ebs-encryption-by-default", { enabled: true });

    // Without this, `aws ssm start-session --target i-...` uses defaults that may log nothing.
    const label = Label.of(this);
    this.sessionLogsKey = new KmsKey(this, "session-logs-key", {
      purpose: "session-logs",
      description: "Session Manager session logs of this region",
      servicePrincipals: ["logs"],
      preventDestroy: props.protection.preventDestroy,
      tags: props.tags,
    });
    this.sessionLogGroup = new LogGroup(this, "session-log-group", {
      logGroupName: `/aws/ssm/${label.prefix}-sessions`,
      retentionInDays: retention,
      kmsKeyArn: this.sessionLogsKey.keyArn,
      preventDestroy: props.protection.protectAuditLogs,
      tags: props.tags,
    });
    this.sessionPreferences = new SessionPreferences(this, "session-preferences", {
      documentName: DEFAULT_SESSION_DOCUMENT,
      description: `Session Manager defaults for ${label.region}: every session logged to ${this.sessionLogGroup.logGroupName}`,
      logGroupName: this.sessionLogGroup.logGroupName,
      tags: props.tags,
    });

    if (props.manageS3PublicAccessBlock) {
      const open = props.publicBucketPolicies;
      this.s3PublicAccessBlock = new S3AccountPublicAccessBlock(this, "s3-public-access-block", {
        blockPublicAcls: true,
        blockPublicPolicy: open === undefined,
        ignorePublicAcls: true,
        restrictPublicBuckets: open === undefined,
      });
      if (open !== undefined) {
        suppress(this.s3PublicAccessBlock, { rule: "s3-account-public-access-block", reason: open.reason, ...(open.expires === undefined ? {} : { expires: open.expires }) });
      }
    }
  }
}
