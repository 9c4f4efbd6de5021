import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Label } from "../label";
import { policyDocument } from "../iam";
import { KmsKey } from "../security";
import { PropsCheck } from "../validation";

export interface StateBackendProps {
  /** Globally unique name of the state bucket (validated in the project config). */
  readonly bucketName: string;
  /** Name of the DynamoDB lock table. */
  readonly lockTableName: string;
  /** Days a superseded state version is kept. */
  readonly noncurrentVersionExpirationDays: number;
}

/**
 * What an S3 backend with DynamoDB locking needs: a versioned, KMS-encrypted,
 * private, TLS-only bucket and an encrypted on-demand lock table with
 * point-in-time recovery. All of it is `prevent_destroy`: losing state is
 * losing the map of every environment.
 */
export class StateBackend extends Construct {
  public readonly bucket: S3Bucket;
  public readonly lockTable: DynamodbTable;
  public readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: StateBackendProps) {
    super(scope, id);
    const days = props.noncurrentVersionExpirationDays;
    new PropsCheck("StateBackend")
      .integer("noncurrentVersionExpirationDays", days, 1, 3650)
      .nonEmpty("bucketName", props.bucketName)
      .nonEmpty("lockTableName", props.lockTableName);
    const label = Label.of(this);

    this.key = new KmsKey(this, "key", {
      purpose: "tfstate",
      description: "Encrypts Terraform state objects and the state lock table",
      viaServices: ["s3", "dynamodb"],
    });

    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      forceDestroy: false,
      tags: label.resourceTags(props.bucketName),
      lifecycle: { preventDestroy: true },
    });
    const bucket = this.bucket.id;
    new S3BucketVersioningA(this, "versioning", {
      bucket,
      versioningConfiguration: { status: "Enabled" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.key.keyArn },
          bucketKeyEnabled: true,
        },
      ],
    });
    new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", {
      bucket,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    const bucketArn = `arn:${label.partition}:s3:::${props.bucketName}`;
    new S3BucketPolicy(this, "policy", {
      bucket,
      policy: policyDocument([
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          principal: "*",
          actions: ["s3:*"],
          resources: [bucketArn, `${bucketArn}/*`],
          conditions: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
          sid: "DenyTlsOlderThan12",
          effect: "Deny",
          principal: "*",
          actions: ["s3:*"],
          resources: [bucketArn, `${bucketArn}/*`],
          conditions: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
        },
      ]),
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [
        {
          id: "expire-noncurrent-state-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: days }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });

    this.lockTable = new DynamodbTable(this, "lock-table", {
      name: props.lockTableName,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: this.key.keyArn },
      deletionProtectionEnabled: true,
      tags: label.resourceTags(props.lockTableName),
      lifecycle: { preventDestroy: true },
    });
  }
}
