import { Construct } from "constructs";
import { Lazy } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { Label, TaggableProps, s3BucketNameProblem } from "../label";
import { Conditions, IGrantable, Principal, StatementList, pascalCase, policyDocument } from "../iam";
import { ProtectionProfile } from "../protection";
import { PropsCheck } from "../validation";
import { BucketAccess, LifecycleRule, STORAGE_CLASSES } from "./constants";

export interface BucketProps extends TaggableProps {
  /** What the bucket holds, `[a-z0-9-]`: the name is `<namespace>-<env>-<name>-<account>-<region>`. */
  readonly name: string;
  /**
   * How objects are encrypted at rest: SSE-KMS with a key (its policy must
   * admit S3), or SSE-S3 where the writing service supports nothing else
   * (ELB access logs).
   */
  readonly encryption: { readonly kmsKeyArn: string } | "s3-managed";
  /**
   * Keep every version of every object.
   * @default true
   */
  readonly versioned?: boolean;
  /**
   * Lifecycle rules, applied in order.
   * @default [] - only incomplete multipart uploads are aborted after 7 days
   */
  readonly lifecycleRules?: readonly LifecycleRule[];
  /**
   * Server access logs of this bucket go to `logBucket` under `logs/<bucket>/`.
   * @default - none
   */
  readonly logBucket?: Bucket;
  /** `preventDestroy` on the bucket; without it the bucket is still never force-destroyed. */
  readonly protection: Pick<ProtectionProfile, "preventDestroy">;
}

const ACCESS_ACTIONS: Readonly<Record<BucketAccess, readonly string[]>> = {
  read: ["s3:GetObject"],
  "read-write": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
};

/**
 * The one way Keel makes an S3 bucket: all four public-access blocks,
 * owner-enforced ownership (no ACLs), versioning, default encryption, a
 * policy that refuses anything but TLS 1.2+, lifecycle rules from typed
 * props, and optional access logging. Policy statements for services are
 * added with `allowServiceWrite`, never pasted.
 */
export class Bucket extends Construct {
  public readonly resource: S3Bucket;
  public readonly bucketName: string;
  public readonly bucketArn: string;
  /** The bucket policy: what writers that check it first (ELB) depend on. */
  public readonly bucketPolicy: S3BucketPolicy;
  private readonly kmsKeyArn?: string;
  private readonly policy: StatementList;

  constructor(scope: Construct, id: string, props: BucketProps) {
    super(scope, id);
    const label = Label.of(this);
    this.bucketName = label.id(`${props.name}-${label.accountId}-${label.region}`, "s3Bucket");
    validate(props, this.bucketName);
    this.kmsKeyArn = props.encryption === "s3-managed" ? undefined : props.encryption.kmsKeyArn;
    this.bucketArn = `arn:${label.partition}:s3:::${this.bucketName}`;

    this.resource = new S3Bucket(this, "resource", {
      bucket: this.bucketName,
      forceDestroy: false,
      tags: label.resourceTags(this.bucketName, props.tags),
      lifecycle: { preventDestroy: props.protection.preventDestroy },
    });
    const bucket = this.resource.id;
    new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketVersioningA(this, "versioning", {
      bucket,
      versioningConfiguration: { status: (props.versioned ?? true) ? "Enabled" : "Suspended" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      rule: [
        this.kmsKeyArn === undefined
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.kmsKeyArn }, bucketKeyEnabled: true },
      ],
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [...(props.lifecycleRules ?? []).map(lifecycleRule), abortIncompleteUploads()],
    });
    if (props.logBucket !== undefined) {
      new S3BucketLoggingA(this, "logging", { bucket, targetBucket: props.logBucket.bucketName, targetPrefix: `logs/${this.bucketName}/` });
      props.logBucket.allowServiceWrite("logging.s3.amazonaws.com", `logs/${this.bucketName}/`, {
        StringEquals: { "aws:SourceAccount": label.accountId },
        ArnLike: { "aws:SourceArn": this.bucketArn },
      });
    }

    this.policy = new StatementList(`Bucket '${props.name}'`);
    const everything = [this.bucketArn, `${this.bucketArn}/*`];
    this.policy.add({
      sid: "DenyInsecureTransport",
      effect: "Deny",
      principal: "*",
      actions: ["s3:*"],
      resources: everything,
      conditions: { Bool: { "aws:SecureTransport": "false" } },
    });
    this.policy.add({
      sid: "DenyTlsOlderThan12",
      effect: "Deny",
      principal: "*",
      actions: ["s3:*"],
      resources: everything,
      conditions: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
    });
    this.bucketPolicy = new S3BucketPolicy(this, "policy", {
      bucket,
      // Rendered at synth, so service writers added later are in it.
      policy: Lazy.stringValue({ produce: () => policyDocument(this.policy.statements) }),
    });
  }

  /**
   * Lets a service principal (e.g. `delivery.logs.amazonaws.com`, or an
   * account principal for ELB's older regions) put objects under `prefix`,
   * only when `conditions` hold.
   */
  public allowServiceWrite(principal: string | { readonly AWS: string }, prefix: string, conditions?: Conditions): void {
    new PropsCheck(`Bucket '${this.node.id}'`)
      .require(/^[A-Za-z0-9!_.*'()/-]*$/.test(prefix) && !prefix.startsWith("/"), "allowServiceWrite.prefix", prefix, "a key prefix of S3-safe characters, not starting with /")
      .done();
    const who: Principal = typeof principal === "string" ? { Service: principal } : principal;
    const name = typeof principal === "string" ? principal.split(".")[0] : "Account";
    this.policy.add({
      sid: `${pascalCase(name)}Writes${pascalCase(prefix) || "Objects"}`,
      principal: who,
      actions: ["s3:PutObject"],
      resources: [`${this.bucketArn}/${prefix}*`],
      ...(conditions === undefined ? {} : { conditions }),
    });
  }

  /**
   * Lets a service principal read the bucket's ACL, which log-delivering
   * services (CloudTrail, Config) check before they write.
   */
  public allowServiceAclCheck(principal: string, conditions?: Conditions): void {
    this.policy.add({
      sid: `${pascalCase(principal.split(".")[0])}ChecksAcl`,
      principal: { Service: principal },
      actions: ["s3:GetBucketAcl"],
      resources: [this.bucketArn],
      ...(conditions === undefined ? {} : { conditions }),
    });
  }

  /**
   * Lets `grantee` deliver objects under `prefix` (and check the ACL first),
   * with the key through S3 when the bucket has one: a service role such as
   * AWS Config's, which writes as itself.
   */
  public grantDelivery(grantee: IGrantable, prefix: string): void {
    const name = pascalCase(this.node.id);
    grantee.addToPolicy({ sid: `Deliver${name}Objects`, actions: ["s3:PutObject"], resources: [`${this.bucketArn}/${prefix}*`] });
    grantee.addToPolicy({ sid: `Check${name}Acl`, actions: ["s3:GetBucketAcl"], resources: [this.bucketArn] });
    if (this.kmsKeyArn !== undefined) {
      grantee.addToPolicy({
        sid: `Encrypt${name}Objects`,
        actions: ["kms:GenerateDataKey"],
        resources: [this.kmsKeyArn],
        conditions: { StringEquals: { "kms:ViaService": Label.of(this).serviceHost("s3") } },
      });
    }
  }

  /** Lets `grantee` read (or read and write) objects, with the key through S3 when the bucket has one. */
  public grantAccess(grantee: IGrantable, access: BucketAccess): void {
    const name = pascalCase(this.node.id);
    grantee.addToPolicy({ sid: `${access === "read" ? "Read" : "ReadWrite"}${name}Objects`, actions: ACCESS_ACTIONS[access], resources: [`${this.bucketArn}/*`] });
    grantee.addToPolicy({ sid: `List${name}`, actions: ["s3:ListBucket"], resources: [this.bucketArn] });
    if (this.kmsKeyArn !== undefined) {
      grantee.addToPolicy({
        sid: `Use${name}Key`,
        actions: access === "read" ? ["kms:Decrypt"] : ["kms:Decrypt", "kms:GenerateDataKey"],
        resources: [this.kmsKeyArn],
        conditions: { StringEquals: { "kms:ViaService": Label.of(this).serviceHost("s3") } },
      });
    }
  }
}

function lifecycleRule(rule: LifecycleRule): S3BucketLifecycleConfigurationRule {
  return {
    id: rule.id,
    status: "Enabled",
    filter: [{ prefix: rule.prefix ?? "" }],
    ...(rule.transitions ? { transition: rule.transitions.map((t) => ({ days: t.days, storageClass: t.storageClass })) } : {}),
    ...(rule.expirationDays !== undefined ? { expiration: [{ days: rule.expirationDays }] } : {}),
    ...(rule.noncurrentVersionExpirationDays !== undefined ? { noncurrentVersionExpiration: [{ noncurrentDays: rule.noncurrentVersionExpirationDays }] } : {}),
  };
}

/** Always: incomplete multipart uploads cost storage and are never useful after a week. */
function abortIncompleteUploads(): S3BucketLifecycleConfigurationRule {
  return { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: [{ prefix: "" }], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] };
}

function validate(props: BucketProps, bucketName: string): void {
  const check = new PropsCheck(`Bucket '${props.name}'`);
  const nameProblem = s3BucketNameProblem(bucketName);
  check
    .require(/^[a-z0-9]+(-[a-z0-9]+)*$/.test(props.name), "name", props.name, "lower-case letters, digits and single dashes")
    .require(nameProblem === undefined, "(bucket name)", bucketName, nameProblem ?? "")
    .tags("tags", props.tags);
  if (props.encryption !== "s3-managed") check.nonEmpty("encryption.kmsKeyArn", props.encryption.kmsKeyArn);
  const rules = props.lifecycleRules ?? [];
  check.distinct("lifecycleRules (ids)", rules.map((r) => r.id));
  rules.forEach((rule, i) => {
    const at = `lifecycleRules.${i}`;
    check.require(/^[A-Za-z0-9-]{1,255}$/.test(rule.id) && rule.id !== "abort-incomplete-multipart-uploads", `${at}.id`, rule.id, "1-255 letters, digits and dashes; not abort-incomplete-multipart-uploads (Keel's own rule)");
    check.require(
      rule.transitions !== undefined || rule.expirationDays !== undefined || rule.noncurrentVersionExpirationDays !== undefined,
      at,
      rule.id,
      "a rule that does something: transitions, expirationDays or noncurrentVersionExpirationDays",
    );
    (rule.transitions ?? []).forEach((t, j) => {
      check.oneOf(`${at}.transitions.${j}.storageClass`, t.storageClass, STORAGE_CLASSES).integer(`${at}.transitions.${j}.days`, t.days, 0, 36500);
      // S3 refuses a transition to STANDARD_IA or ONEZONE_IA before 30 days.
      if (t.storageClass === "STANDARD_IA" || t.storageClass === "ONEZONE_IA") {
        check.require(t.days >= 30, `${at}.transitions.${j}.days`, t.days, `at least 30 for ${t.storageClass} (S3's minimum)`);
      }
      if (rule.expirationDays !== undefined) {
        check.require(rule.expirationDays > t.days, `${at}.expirationDays`, rule.expirationDays, `more days than the transition to ${t.storageClass} (${t.days})`);
      }
    });
    if (rule.expirationDays !== undefined) check.integer(`${at}.expirationDays`, rule.expirationDays, 1, 36500);
    if (rule.noncurrentVersionExpirationDays !== undefined) {
      check.integer(`${at}.noncurrentVersionExpirationDays`, rule.noncurrentVersionExpirationDays, 1, 36500);
    }
  });
  check.done();
}
