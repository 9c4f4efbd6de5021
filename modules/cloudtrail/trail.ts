import { Construct } from "constructs";
import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { Label, TaggableProps } from "../label";
import { ServiceRole } from "../iam";
import { LogGroup, checkRetention } from "../logs";
import { Metric, MetricOptions } from "../metrics";
import { ProtectionProfile } from "../protection";
import { Bucket } from "../buckets";
import { PropsCheck } from "../validation";

export interface TrailProps extends TaggableProps {
  /**
   * The KMS key of log files, the bucket and the log group. Its policy must
   * follow AWS's CloudTrail key policy (`cloudtrail` and `logs` service
   * principals) and admit account principals through S3.
   */
  readonly kmsKeyArn: string;
  /**
   * Days log files are kept in the bucket before they expire. HIPAA asks for
   * six years of documentation (45 CFR 164.316(b)(2)).
   * @default 2190 - six years
   */
  readonly retentionDays?: number;
  /**
   * Days before log files move to Glacier Flexible Retrieval.
   * @default 90
   */
  readonly archiveAfterDays?: number;
  /**
   * Days the copy in CloudWatch Logs (for metric filters) is kept.
   * @default 365
   */
  readonly logGroupRetentionInDays?: number;
  /**
   * Buckets (by name) whose object-level reads and writes are recorded as S3 data events.
   * @default [] - management events only
   */
  readonly dataEventBuckets?: readonly string[];
  /** `preventDestroy` on the bucket, `protectAuditLogs` on the log group. */
  readonly protection: Pick<ProtectionProfile, "preventDestroy" | "protectAuditLogs" | "emptyOnDestroy">;
}

/**
 * A multi-region trail of management events (global services included),
 * log file validation on, encrypted with a KMS key, delivered to a bucket
 * from `buckets` that only this trail may write to (`aws:SourceArn`), and to
 * `/aws/cloudtrail/<name>` through a role limited to that group.
 */
export class Trail extends Construct {
  public readonly resource: Cloudtrail;
  public readonly trailName: string;
  public readonly trailArn: string;
  public readonly bucket: Bucket;
  public readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: TrailProps) {
    super(scope, id);
    const retention = props.retentionDays ?? 2190;
    const archive = props.archiveAfterDays ?? 90;
    const check = new PropsCheck("Trail")
      .nonEmpty("kmsKeyArn", props.kmsKeyArn)
      .integer("archiveAfterDays", archive, 30, 3650)
      .integer("retentionDays", retention, archive + 90, 36500)
      .distinct("dataEventBuckets", props.dataEventBuckets ?? [])
      .tags("tags", props.tags);
    checkRetention(check, "logGroupRetentionInDays", props.logGroupRetentionInDays ?? 365).done();
    const label = Label.of(this);
    this.trailName = label.id("trail");
    this.trailArn = label.arn("cloudtrail", `trail/${this.trailName}`);

    this.bucket = new Bucket(this, "bucket", {
      name: "cloudtrail",
      encryption: { kmsKeyArn: props.kmsKeyArn },
      // Glacier Flexible Retrieval has a 90-day minimum, so expiry comes at least 90 days after the move.
      lifecycleRules: [
        { id: "archive-then-expire", transitions: [{ days: archive, storageClass: "GLACIER" }], expirationDays: retention, noncurrentVersionExpirationDays: 30 },
      ],
      protection: props.protection,
      tags: props.tags,
    });
    const fromThisTrail = { "aws:SourceArn": this.trailArn };
    this.bucket.allowServiceAclCheck("cloudtrail.amazonaws.com", { StringEquals: fromThisTrail });
    this.bucket.allowServiceWrite("cloudtrail.amazonaws.com", `AWSLogs/${label.accountId}/`, {
      StringEquals: { ...fromThisTrail, "s3:x-amz-acl": "bucket-owner-full-control" },
    });

    this.logGroup = new LogGroup(this, "log-group", {
      logGroupName: `/aws/cloudtrail/${this.trailName}`,
      retentionInDays: props.logGroupRetentionInDays ?? 365,
      kmsKeyArn: props.kmsKeyArn,
      preventDestroy: props.protection.protectAuditLogs,
      tags: props.tags,
    });
    const role = new ServiceRole(this, "logs-role", {
      purpose: "cloudtrail-logs",
      servicePrincipal: "cloudtrail.amazonaws.com",
      trustConditions: { StringEquals: { "aws:SourceAccount": label.accountId } },
      tags: props.tags,
    });
    this.logGroup.grantWrite(role);

    const dataEvents = props.dataEventBuckets ?? [];
    this.resource = new Cloudtrail(this, "resource", {
      name: this.trailName,
      s3BucketName: this.bucket.bucketName,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      kmsKeyId: props.kmsKeyArn,
      cloudWatchLogsGroupArn: `${this.logGroup.logGroupArn}:*`,
      cloudWatchLogsRoleArn: role.roleArn,
      ...(dataEvents.length > 0
        ? {
            eventSelector: [
              {
                readWriteType: "All",
                includeManagementEvents: true,
                dataResource: [{ type: "AWS::S3::Object", values: dataEvents.map((b) => `arn:${label.partition}:s3:::${b}/`) }],
              },
            ],
          }
        : {}),
      tags: label.resourceTags(this.trailName, props.tags),
      // CloudTrail checks the bucket policy, and writes to the group through the role, at creation.
      dependsOn: [this.bucket.bucketPolicy, role.resource],
    });
  }

  /**
   * Counts the trail's events that match a CloudWatch Logs filter pattern,
   * e.g. security-group changes, for an alarm (CIS-benchmark style).
   */
  public metricEvents(name: string, pattern: string, options?: MetricOptions): Metric {
    return this.logGroup.metricFilter(name, pattern, options);
  }
}
