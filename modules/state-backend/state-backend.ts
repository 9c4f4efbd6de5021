import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Label, s3BucketNameProblem } from "../label";
import { PolicyStatement, policyDocument } from "../iam";
import { KmsKey } from "../security";
import { PropsCheck } from "../validation";
import { stateAccessRoleName, stateKeyAliasName, stateReadRoleName } from "./names";
import { stateAccessStatements } from "./statements";

/** Another account whose stacks keep their state in this bucket. */
export interface StateAccount {
  /** The 12-digit account id. */
  readonly accountId: string;
  /** Ids of the stacks deployed from that account; each may use only its own state and lock. */
  readonly stackIds: readonly string[];
  /**
   * The account's CI plan role (`project.ci`): it gets a role of its own,
   * `<namespace>-tfstate-read-<account>`, that reads the stacks' state and
   * writes only their locks. The access role stays for whoever applies.
   * @default - no read role
   */
  readonly ciPlanRoleArn?: string;
}

export interface StateBackendProps {
  /** Globally unique name of the state bucket (validated in the project config). */
  readonly bucketName: string;
  /** Name of the DynamoDB lock table. */
  readonly lockTableName: string;
  /** Days a superseded state version is kept. */
  readonly noncurrentVersionExpirationDays: number;
  /**
   * Accounts other than this one whose stacks keep state here. Each gets a
   * role (`<namespace>-tfstate-access-<account>`) its principals may assume,
   * limited to its own stacks' state objects and lock items.
   * @default [] - single-account: no role
   */
  readonly otherAccounts?: readonly StateAccount[];
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
    const check = new PropsCheck("StateBackend")
      .integer("noncurrentVersionExpirationDays", days, 1, 3650)
      .require(s3BucketNameProblem(props.bucketName) === undefined, "bucketName", props.bucketName, s3BucketNameProblem(props.bucketName) ?? "")
      .nonEmpty("lockTableName", props.lockTableName);
    (props.otherAccounts ?? []).forEach((a, i) =>
      check
        .require(/^\d{12}$/.test(a.accountId), `otherAccounts.${i}.accountId`, a.accountId, "a 12-digit account id")
        .require(a.stackIds.length > 0, `otherAccounts.${i}.stackIds`, a.stackIds, "at least one stack")
        .require(a.ciPlanRoleArn === undefined || a.ciPlanRoleArn.split(":")[4] === a.accountId, `otherAccounts.${i}.ciPlanRoleArn`, a.ciPlanRoleArn, `a role in account ${a.accountId}`),
    );
    check.done();
    const label = Label.of(this);

    this.key = new KmsKey(this, "key", {
      purpose: "tfstate",
      aliasName: stateKeyAliasName(label.namespace),
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
        {
          // A write that names an encryption must name SSE-KMS: Terraform's
          // `encrypt = true` without `kms_key_id` would send AES256, which
          // overrides the bucket default. A write that names none gets the default.
          sid: "DenyStateWritesNotEncryptedWithKms",
          effect: "Deny",
          principal: "*",
          actions: ["s3:PutObject"],
          resources: [`${bucketArn}/*`],
          conditions: {
            Null: { "s3:x-amz-server-side-encryption": "false" },
            StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
          },
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

    for (const account of props.otherAccounts ?? []) this.accessRole(label, props, account);
  }

  /**
   * A role the other account's principals assume to reach their stacks'
   * state: objects by key, lock items by `dynamodb:LeadingKeys`, and the key
   * through S3 and DynamoDB. With a CI plan role, a second role that only
   * that role may assume, which reads state and writes only the locks.
   */
  private accessRole(label: Label, props: StateBackendProps, account: StateAccount): void {
    const role = (id: string, name: string, description: string, trust: PolicyStatement, write: boolean): void => {
      const resource = new IamRole(this, id, { name, description, assumeRolePolicy: policyDocument([trust]), tags: label.resourceTags(name) });
      new IamRolePolicy(this, `${id}-policy`, {
        name,
        role: resource.id,
        policy: policyDocument(
          stateAccessStatements({
            partition: label.partition,
            bucket: props.bucketName,
            lockTableArn: label.arn("dynamodb", `table/${props.lockTableName}`),
            stackIds: account.stackIds,
            write,
            key: { resources: [this.key.keyArn], conditions: { StringEquals: { "kms:ViaService": [label.serviceHost("s3"), label.serviceHost("dynamodb")] } } },
          }),
        ),
      });
    };
    const root = `arn:${label.partition}:iam::${account.accountId}:root`;
    role(
      `access-role-${account.accountId}`,
      stateAccessRoleName(label.namespace, account.accountId),
      `Terraform state of account ${account.accountId}'s stacks: ${account.stackIds.join(", ")}`,
      { sid: "StacksOfAccount", principal: { AWS: root }, actions: ["sts:AssumeRole"] },
      true,
    );
    if (account.ciPlanRoleArn === undefined) return;
    // The account root with a condition, not the role's ARN as principal: IAM refuses a principal
    // that does not exist yet, and bootstrap is applied before the account stack creates the role.
    role(
      `read-role-${account.accountId}`,
      stateReadRoleName(label.namespace, account.accountId),
      `Read-only Terraform state of account ${account.accountId}'s stacks, for its CI plan role: reads state, writes only locks`,
      {
        sid: "CiPlanRoleOfAccount",
        principal: { AWS: root },
        actions: ["sts:AssumeRole", "sts:TagSession"],
        conditions: { ArnEquals: { "aws:PrincipalArn": account.ciPlanRoleArn } },
      },
      false,
    );
  }
}
