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
import { S3BucketCorsConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-cors-configuration";
import { S3BucketIntelligentTieringConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-intelligent-tiering-configuration";
import { Label, TaggableProps, s3BucketNameProblem } from "../label";
import { Conditions, IGrantable, IKeyPolicy, Principal, StatementList, pascalCase, policyDocument } from "../iam";
import { ProtectionProfile } from "../protection";
import { PropsCheck } from "../validation";
import { suppress } from "../compliance/suppress";
import { BucketAccess, CORS_METHODS, CorsRule, IntelligentTiering, LifecycleRule, PublicRead, STORAGE_CLASSES, StaticSite } from "./constants";

export interface BucketProps extends TaggableProps {
  /** What the bucket holds, `[a-z0-9-]`: the name is `<namespace>-<env>-<name>-<account>-<region>`. */
  readonly name: string;
  /**
   * How objects are encrypted at rest: SSE-KMS with a key (its policy must
   * admit S3), or SSE-S3 where the writing service supports nothing else
   * (ELB access logs). Given as `{ kmsKey }`, the bucket can also let the
   * services it admits (CloudFront) use the key.
   */
  readonly encryption: { readonly kmsKeyArn: string } | { readonly kmsKey: IKeyPolicy } | "s3-managed";
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
  /**
   * Browser origins that may call the bucket directly (presigned uploads).
   * @default [] - no CORS configuration
   */
  readonly cors?: readonly CorsRule[];
  /**
   * Moves objects to Intelligent-Tiering on upload, and optionally on to its archive tiers.
   * @default - objects stay in the classes lifecycle rules give them
   */
  readonly intelligentTiering?: IntelligentTiering;
  /**
   * The bucket holds a static site: a distribution in front of it serves
   * these documents (the S3 website endpoint, HTTP-only and public, is never
   * enabled).
   * @default - not a site
   */
  readonly website?: StaticSite;
  /**
   * Anyone may read every object: a written decision, shown by `keel check`.
   * Needs `encryption: "s3-managed"` (anonymous readers cannot use a KMS key)
   * and an account whose public access block admits public bucket policies.
   * @default - private: all four public access blocks on
   */
  readonly publicRead?: PublicRead;
  /** `preventDestroy` on the bucket; without it the bucket is still never force-destroyed. */
  readonly protection: Pick<ProtectionProfile, "preventDestroy" | "emptyOnDestroy">;
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
  /**
   * The same name as a reference to the bucket resource: a resource that
   * names the bucket by it is created after the bucket (a function whose
   * package lives here), where the plain `bucketName` orders nothing.
   */
  public readonly nameReference: string;
  /** The bucket policy: what writers that check it first (ELB) depend on. */
  public readonly bucketPolicy: S3BucketPolicy;
  /** The bucket's REST endpoint, `<bucket>.s3.<region>.amazonaws.com`: what a CloudFront origin names. */
  public readonly regionalDomainName: string;
  /** The static site it holds, if any. */
  public readonly website?: StaticSite;
  /** The key of SSE-KMS, when the bucket has one. */
  public readonly kmsKeyArn?: string;
  private readonly key?: IKeyPolicy;
  private readonly policy: StatementList;

  constructor(scope: Construct, id: string, props: BucketProps) {
    super(scope, id);
    const label = Label.of(this);
    this.bucketName = label.globalId(props.name, "s3Bucket");
    validate(props, this.bucketName);
    this.key = props.encryption !== "s3-managed" && "kmsKey" in props.encryption ? props.encryption.kmsKey : undefined;
    this.kmsKeyArn = props.encryption === "s3-managed" ? undefined : "kmsKey" in props.encryption ? props.encryption.kmsKey.keyArn : props.encryption.kmsKeyArn;
    this.bucketArn = `arn:${label.partition}:s3:::${this.bucketName}`;
    this.website = props.website;

    this.resource = new S3Bucket(this, "resource", {
      bucket: this.bucketName,
      forceDestroy: props.protection.emptyOnDestroy,
      tags: label.resourceTags(this.bucketName, props.tags),
      lifecycle: { preventDestroy: props.protection.preventDestroy },
    });
    this.regionalDomainName = this.resource.bucketRegionalDomainName;
    this.nameReference = this.resource.bucket;
    const bucket = this.resource.id;
    const open = props.publicRead !== undefined;
    new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: !open,
      ignorePublicAcls: true,
      restrictPublicBuckets: !open,
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
    const tiering = props.intelligentTiering;
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [
        ...(props.lifecycleRules ?? []).map(lifecycleRule),
        ...(tiering === undefined ? [] : [lifecycleRule({ id: "intelligent-tiering", transitions: [{ days: 0, storageClass: "INTELLIGENT_TIERING" }] })]),
        abortIncompleteUploads(),
      ],
    });
    if (tiering !== undefined && (tiering.archiveAccessDays !== undefined || tiering.deepArchiveAccessDays !== undefined)) {
      new S3BucketIntelligentTieringConfiguration(this, "intelligent-tiering", {
        bucket,
        name: "archive",
        status: "Enabled",
        tiering: [
          ...(tiering.archiveAccessDays === undefined ? [] : [{ accessTier: "ARCHIVE_ACCESS", days: tiering.archiveAccessDays }]),
          ...(tiering.deepArchiveAccessDays === undefined ? [] : [{ accessTier: "DEEP_ARCHIVE_ACCESS", days: tiering.deepArchiveAccessDays }]),
        ],
      });
    }
    if ((props.cors ?? []).length > 0) {
      new S3BucketCorsConfiguration(this, "cors", {
        bucket,
        corsRule: (props.cors ?? []).map((rule) => ({
          allowedOrigins: [...rule.allowedOrigins],
          allowedMethods: [...rule.allowedMethods],
          allowedHeaders: [...(rule.allowedHeaders ?? [])],
          exposeHeaders: [...(rule.exposeHeaders ?? ["ETag"])],
          maxAgeSeconds: rule.maxAgeSeconds ?? 3000,
        })),
      });
    }
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
    if (props.publicRead !== undefined) {
      this.policy.add({ sid: "PublicReadGetObject", principal: "*", actions: ["s3:GetObject"], resources: [`${this.bucketArn}/*`] });
      const { reason, expires } = props.publicRead;
      const decided = { reason, ...(expires === undefined ? {} : { expires }) };
      suppress(
        this,
        { rule: "s3-no-public-policy", ...decided },
        { rule: "s3-block-public-access", ...decided },
        { rule: "s3-kms-encryption", ...decided, reason: `${reason} (public objects cannot be SSE-KMS: anonymous readers cannot use a key)` },
      );
    }
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
   * Lets a service principal (`cloudfront.amazonaws.com`) read objects when
   * `conditions` hold (`aws:SourceArn` of one distribution), and decrypt them
   * with the bucket's key under the same conditions. `name` tells the
   * statements apart.
   */
  public allowServiceRead(principal: string, name: string, conditions: Conditions): void {
    const who = pascalCase(principal.split(".")[0]);
    this.policy.add({ sid: `${who}Reads${pascalCase(name)}`, principal: { Service: principal }, actions: ["s3:GetObject"], resources: [`${this.bucketArn}/*`], conditions });
    if (this.kmsKeyArn === undefined) return;
    if (this.key === undefined) {
      throw new Error(`Bucket '${this.node.id}': ${principal} must decrypt its objects, so the bucket needs its key as encryption.kmsKey (a key whose policy it can add to), not only its ARN`);
    }
    this.key.addToKeyPolicy({ sid: `${who}Decrypts${pascalCase(this.node.id)}For${pascalCase(name)}`, principal: { Service: principal }, actions: ["kms:Decrypt"], resources: ["*"], conditions });
  }

  /**
   * Lets CloudWatch Logs' delivery service (vended logs, V2: CloudFront
   * access logs) write to the bucket and check its ACL, for this account's
   * deliveries from `sourceRegion` only, with the bucket's key when it has
   * one. The statements are the ones AWS documents, so it has no reason to
   * append its own to the policy (which the next apply would remove). Give
   * log delivery a bucket of its own: it may write anywhere in it.
   */
  public allowLogDelivery(sourceRegion: string): void {
    const label = Label.of(this);
    const conditions: Conditions = {
      StringEquals: { "aws:SourceAccount": label.accountId },
      ArnLike: { "aws:SourceArn": label.arn("logs", "*", { region: sourceRegion }) },
    };
    this.allowServiceWrite("delivery.logs.amazonaws.com", "", {
      StringEquals: { "aws:SourceAccount": label.accountId, "s3:x-amz-acl": "bucket-owner-full-control" },
      ArnLike: conditions.ArnLike,
    });
    this.allowServiceAclCheck("delivery.logs.amazonaws.com", conditions);
    if (this.kmsKeyArn === undefined) return;
    if (this.key === undefined) {
      throw new Error(`Bucket '${this.node.id}': log delivery must encrypt with the bucket's key, so the bucket needs it as encryption.kmsKey, not only its ARN`);
    }
    this.key.addToKeyPolicy({
      sid: `LogDeliveryEncrypts${pascalCase(this.node.id)}`,
      principal: { Service: "delivery.logs.amazonaws.com" },
      actions: ["kms:GenerateDataKey*"],
      resources: ["*"],
      conditions,
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

  /** The bucket, for AWS Backup's selection (`backup.protect(bucket)`; S3 backups need versioning, which every Keel bucket has). */
  public get backupArn(): string {
    return this.bucketArn;
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

  /**
   * Lets each Cognito identity of an identity pool's role use only its own
   * prefix, `<prefix><identity id>/`: the `${cognito-identity.amazonaws.com:sub}`
   * policy variable, escaped so Terraform passes it to IAM as written.
   */
  public grantPerIdentityAccess(grantee: IGrantable, access: BucketAccess, prefix = ""): void {
    const name = pascalCase(this.node.id);
    const own = `${prefix}$\${cognito-identity.amazonaws.com:sub}`;
    grantee.addToPolicy({ sid: `${access === "read" ? "Read" : "ReadWrite"}Own${name}Objects`, actions: ACCESS_ACTIONS[access], resources: [`${this.bucketArn}/${own}/*`] });
    grantee.addToPolicy({ sid: `ListOwn${name}Objects`, actions: ["s3:ListBucket"], resources: [this.bucketArn], conditions: { StringLike: { "s3:prefix": [`${own}/*`] } } });
    if (this.kmsKeyArn !== undefined) {
      grantee.addToPolicy({
        sid: `Use${name}Key`,
        actions: access === "read" ? ["kms:Decrypt"] : ["kms:Decrypt", "kms:GenerateDataKey"],
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
    .shortName("name", props.name)
    .require(nameProblem === undefined, "(bucket name)", bucketName, nameProblem ?? "")
    .tags("tags", props.tags);
  if (props.encryption !== "s3-managed" && "kmsKeyArn" in props.encryption) check.nonEmpty("encryption.kmsKeyArn", props.encryption.kmsKeyArn);
  validateFeatures(check, props);
  const rules = props.lifecycleRules ?? [];
  check.distinct("lifecycleRules (ids)", rules.map((r) => r.id));
  rules.forEach((rule, i) => {
    const at = `lifecycleRules.${i}`;
    // S3 takes any ID of at most 255 characters (PutBucketLifecycleConfiguration); control characters would not survive the XML.
    check.require(/^[^\p{Cc}]{1,255}$/u.test(rule.id) && rule.id !== "abort-incomplete-multipart-uploads", `${at}.id`, rule.id, "1-255 characters, no control characters; not abort-incomplete-multipart-uploads (Keel's own rule)");
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

const ORIGIN = /^(\*|https:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?|http:\/\/localhost(:\d{1,5})?)$/;
const DOCUMENT = /^[A-Za-z0-9!_.*'()/-]{1,1024}$/;

/** CORS, Intelligent-Tiering, the static site and public read, as S3 accepts them. */
function validateFeatures(check: PropsCheck, props: BucketProps): void {
  (props.cors ?? []).forEach((rule, i) => {
    const at = `cors.${i}`;
    check.require(rule.allowedOrigins.length > 0, `${at}.allowedOrigins`, rule.allowedOrigins, "at least one origin");
    rule.allowedOrigins.forEach((o, j) => check.require(ORIGIN.test(o), `${at}.allowedOrigins.${j}`, o, "https://host[:port] (one leading *. allowed), *, or http://localhost[:port]"));
    check.require(rule.allowedMethods.length > 0, `${at}.allowedMethods`, rule.allowedMethods, `at least one of ${CORS_METHODS.join(", ")}`);
    rule.allowedMethods.forEach((m, j) => check.oneOf(`${at}.allowedMethods.${j}`, m, CORS_METHODS));
    check.integer(`${at}.maxAgeSeconds`, rule.maxAgeSeconds ?? 3000, 0, 86400);
  });
  check.require((props.cors ?? []).length <= 100, "cors", (props.cors ?? []).length, "at most 100 rules (S3's limit)");
  const tiering = props.intelligentTiering;
  if (tiering?.archiveAccessDays !== undefined) check.integer("intelligentTiering.archiveAccessDays", tiering.archiveAccessDays, 90, 730);
  if (tiering?.deepArchiveAccessDays !== undefined) {
    check.integer("intelligentTiering.deepArchiveAccessDays", tiering.deepArchiveAccessDays, 180, 730);
    if (tiering.archiveAccessDays !== undefined) {
      check.require(tiering.deepArchiveAccessDays > tiering.archiveAccessDays, "intelligentTiering.deepArchiveAccessDays", tiering.deepArchiveAccessDays, `more days than archiveAccessDays (${tiering.archiveAccessDays})`);
    }
  }
  if (props.website !== undefined) {
    check.require(DOCUMENT.test(props.website.indexDocument) && !props.website.indexDocument.startsWith("/"), "website.indexDocument", props.website.indexDocument, "an object key such as index.html, not starting with /");
    if (props.website.errorDocument !== undefined) {
      check.require(DOCUMENT.test(props.website.errorDocument) && !props.website.errorDocument.startsWith("/"), "website.errorDocument", props.website.errorDocument, "an object key such as 404.html, not starting with /");
    }
  }
  if (props.publicRead !== undefined) {
    check
      .require(props.publicRead.reason.trim().length >= 20, "publicRead.reason", props.publicRead.reason, "a written reason of at least 20 characters: why everyone may read every object")
      .require(props.encryption === "s3-managed", "encryption", props.encryption === "s3-managed" ? props.encryption : "SSE-KMS", '"s3-managed" for a public-read bucket: anonymous readers cannot decrypt SSE-KMS objects');
  }
}
