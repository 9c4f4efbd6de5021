import { Construct } from "constructs";
import { EbsEncryptionByDefault } from "@cdktf/provider-aws/lib/ebs-encryption-by-default";
import { EbsDefaultKmsKey } from "@cdktf/provider-aws/lib/ebs-default-kms-key";
import { S3AccountPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-account-public-access-block";
import { TaggableProps } from "../label";
import { ProtectionProfile } from "../protection";
import { KmsKey } from "../security";
import { PropsCheck } from "../validation";

export interface AccountBaselineProps extends TaggableProps {
  /**
   * Manage the account-wide S3 public access block from this stack. It is one
   * setting per account, so only the account's home region manages it.
   */
  readonly manageS3PublicAccessBlock: boolean;
  /** `preventDestroy` on the EBS default key: volumes encrypted with it are unreadable without it. */
  readonly protection: Pick<ProtectionProfile, "preventDestroy">;
}

/**
 * The settings every account and region gets once, whatever runs in it:
 * EBS encryption by default under a customer-managed key (regional), and,
 * in the home region, the account's S3 public access block.
 */
export class AccountBaseline extends Construct {
  public readonly ebsKey: KmsKey;
  public readonly s3PublicAccessBlock?: S3AccountPublicAccessBlock;

  constructor(scope: Construct, id: string, props: AccountBaselineProps) {
    super(scope, id);
    new PropsCheck("AccountBaseline").tags("tags", props.tags).done();
    this.ebsKey = new KmsKey(this, "ebs-key", {
      purpose: "ebs-default",
      description: "Default encryption of every new EBS volume and snapshot in this region",
      viaServices: ["ec2"],
      preventDestroy: props.protection.preventDestroy,
      tags: props.tags,
    });
    new EbsDefaultKmsKey(this, "ebs-default-key", { keyArn: this.ebsKey.keyArn });
    new EbsEncryptionByDefault(this, "ebs-encryption-by-default", { enabled: true });
    if (props.manageS3PublicAccessBlock) {
      this.s3PublicAccessBlock = new S3AccountPublicAccessBlock(this, "s3-public-access-block", {
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
    }
  }
}
