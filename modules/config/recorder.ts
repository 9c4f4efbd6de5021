import { Construct } from "constructs";
import { ConfigConfigurationRecorder } from "@cdktf/provider-aws/lib/config-configuration-recorder";
import { ConfigDeliveryChannel } from "@cdktf/provider-aws/lib/config-delivery-channel";
import { ConfigConfigurationRecorderStatus } from "@cdktf/provider-aws/lib/config-configuration-recorder-status";
import { ConfigConformancePack } from "@cdktf/provider-aws/lib/config-conformance-pack";
import { Label, TaggableProps } from "../label";
import { ServiceRole } from "../iam";
import { ProtectionProfile } from "../protection";
import { Bucket } from "../buckets";
import { PropsCheck } from "../validation";
import { ConformanceRule, HIPAA_RULES, conformancePackTemplate } from "./hipaa-rules";

export interface ConfigRecorderProps extends TaggableProps {
  /** KMS key of the delivery bucket; its policy must admit account principals through S3. */
  readonly kmsKeyArn: string;
  /**
   * Record global resources (IAM) here. Exactly one region of an account
   * should, or each change is recorded once per region.
   */
  readonly recordGlobalResources: boolean;
  /**
   * Days configuration history and snapshots are kept in the bucket.
   * @default 2190 - six years, as the trail
   */
  readonly retentionDays?: number;
  /**
   * Deploy Keel's HIPAA conformance pack.
   * @default true
   */
  readonly hipaaConformancePack?: boolean;
  /** `preventDestroy` on the bucket. */
  readonly protection: Pick<ProtectionProfile, "preventDestroy" | "emptyOnDestroy">;
}

/**
 * AWS Config for one region: a recorder of every supported resource type
 * (global ones where `recordGlobalResources`), its role (the managed
 * `AWS_ConfigRole` plus delivery to its bucket only), a delivery channel to
 * an audit bucket from `buckets`, recording on, and Keel's HIPAA conformance
 * pack, generated from a typed rule list.
 */
export class ConfigRecorder extends Construct {
  public readonly recorder: ConfigConfigurationRecorder;
  public readonly bucket: Bucket;
  public readonly conformancePack?: ConfigConformancePack;
  public readonly rules: readonly ConformanceRule[];

  constructor(scope: Construct, id: string, props: ConfigRecorderProps) {
    super(scope, id);
    const retention = props.retentionDays ?? 2190;
    new PropsCheck("ConfigRecorder").nonEmpty("kmsKeyArn", props.kmsKeyArn).integer("retentionDays", retention, 1, 36500).tags("tags", props.tags).done();
    const label = Label.of(this);
    const name = label.id("config");

    this.bucket = new Bucket(this, "bucket", {
      name: "config",
      encryption: { kmsKeyArn: props.kmsKeyArn },
      lifecycleRules: [{ id: "expire-history", expirationDays: retention, noncurrentVersionExpirationDays: 30 }],
      protection: props.protection,
      tags: props.tags,
    });
    const role = new ServiceRole(this, "role", {
      purpose: "config",
      servicePrincipal: "config.amazonaws.com",
      trustConditions: { StringEquals: { "aws:SourceAccount": label.accountId } },
      managedPolicies: {
        "service-role/AWS_ConfigRole":
          "AWS Config's service-role policy: the read permissions for every resource type Config records, which AWS extends as types are added",
      },
      tags: props.tags,
    });
    this.bucket.grantDelivery(role, `AWSLogs/${label.accountId}/Config/`);

    this.recorder = new ConfigConfigurationRecorder(this, "recorder", {
      name,
      roleArn: role.roleArn,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: props.recordGlobalResources },
    });
    const channel = new ConfigDeliveryChannel(this, "delivery-channel", {
      name,
      s3BucketName: this.bucket.bucketName,
      snapshotDeliveryProperties: { deliveryFrequency: "TwentyFour_Hours" },
      dependsOn: [this.recorder, this.bucket.bucketPolicy],
    });
    const status = new ConfigConfigurationRecorderStatus(this, "status", { name: this.recorder.name, isEnabled: true, dependsOn: [channel] });

    this.rules = (props.hipaaConformancePack ?? true) ? HIPAA_RULES : [];
    if (this.rules.length > 0) {
      this.conformancePack = new ConfigConformancePack(this, "hipaa", {
        name: label.id("hipaa"),
        templateBody: conformancePackTemplate(this.rules),
        dependsOn: [status],
      });
    }
  }
}
