import { Testing } from "cdktf";
import { Bucket, BucketProps } from "../modules/buckets";
import { ServiceRole } from "../modules/iam";
import { PROTECTION_PROFILES } from "../environments";
import { moduleStack, only, resources, synth } from "./support/module-stack";
import { TEST_KEY } from "./support/network";

const BUCKET = "keel-test-files-111122223333-us-east-1";
const ARN = `arn:aws:s3:::${BUCKET}`;

function build(extra: Partial<BucketProps> = {}) {
  const stack = moduleStack();
  const bucket = new Bucket(stack, "files", { name: "files", encryption: { kmsKeyArn: TEST_KEY }, protection: PROTECTION_PROFILES.production, ...extra });
  return { stack, bucket, json: () => synth(stack) };
}

describe("Bucket", () => {
  const { json: synthesize } = build();
  const json = synthesize();

  it("matches the snapshot", () => {
    const { stack } = build();
    expect(Testing.synth(stack)).toMatchSnapshot();
  });

  it("is named <ns>-<env>-<name>-<account>-<region>; production keeps its objects and prevents destroy, disposable empties it on destroy", () => {
    expect(only(json, "aws_s3_bucket")).toMatchObject({ bucket: BUCKET, force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(only(build({ protection: PROTECTION_PROFILES.disposable }).json(), "aws_s3_bucket")).toMatchObject({ force_destroy: true, lifecycle: { prevent_destroy: false } });
  });

  it("blocks all four kinds of public access", () => {
    expect(only(json, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it("enforces bucket-owner ownership: no ACLs", () => {
    expect(only(json, "aws_s3_bucket_ownership_controls").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
  });

  it("versions objects by default", () => {
    expect(only(json, "aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
  });

  it("encrypts with SSE-KMS under the given key and a bucket key", () => {
    expect(only(json, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: TEST_KEY }, bucket_key_enabled: true },
    ]);
  });

  it("encrypts with SSE-S3 where a writing service supports nothing else", () => {
    expect(only(build({ encryption: "s3-managed" }).json(), "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
  });

  it("refuses plain HTTP and TLS older than 1.2, on the bucket and every object", () => {
    expect(JSON.parse(only(json, "aws_s3_bucket_policy").policy as string).Statement).toEqual([
      { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [ARN, `${ARN}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
      { Sid: "DenyTlsOlderThan12", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [ARN, `${ARN}/*`], Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } } },
    ]);
  });

  it("always aborts incomplete multipart uploads after 7 days, and applies typed lifecycle rules before it", () => {
    const rules = only(
      build({
        lifecycleRules: [
          { id: "archive", prefix: "videos/", transitions: [{ days: 90, storageClass: "GLACIER" }], expirationDays: 365 },
          { id: "old-versions", noncurrentVersionExpirationDays: 30 },
        ],
      }).json(),
      "aws_s3_bucket_lifecycle_configuration",
    ).rule;
    expect(rules).toEqual([
      { id: "archive", status: "Enabled", filter: [{ prefix: "videos/" }], transition: [{ days: 90, storage_class: "GLACIER" }], expiration: [{ days: 365 }] },
      { id: "old-versions", status: "Enabled", filter: [{ prefix: "" }], noncurrent_version_expiration: [{ noncurrent_days: 30 }] },
      { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: [{ prefix: "" }], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] },
    ]);
  });

  it("logs access to a log bucket, which admits only S3 log delivery for this bucket", () => {
    const stack = moduleStack();
    const logs = new Bucket(stack, "logs", { name: "logs", encryption: "s3-managed", protection: PROTECTION_PROFILES.production });
    new Bucket(stack, "files", { name: "files", encryption: { kmsKeyArn: TEST_KEY }, logBucket: logs, protection: PROTECTION_PROFILES.production });
    const out = synth(stack);
    expect(only(out, "aws_s3_bucket_logging")).toMatchObject({ target_bucket: "keel-test-logs-111122223333-us-east-1", target_prefix: `logs/${BUCKET}/` });
    const statements = JSON.parse(resources(out, "aws_s3_bucket_policy").logs_policy.policy as string).Statement;
    expect(statements[2]).toEqual({
      Sid: "LoggingWritesLogsKeelTestFiles111122223333UsEast1",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `arn:aws:s3:::keel-test-logs-111122223333-us-east-1/logs/${BUCKET}/*`,
      Condition: { StringEquals: { "aws:SourceAccount": "111122223333" }, ArnLike: { "aws:SourceArn": ARN } },
    });
  });

  it("adds service writers through allowServiceWrite, scoped to a prefix", () => {
    const { bucket, json: out } = build();
    bucket.allowServiceWrite("delivery.logs.amazonaws.com", "alb/", { StringEquals: { "aws:SourceAccount": "111122223333" } });
    expect(JSON.parse(only(out(), "aws_s3_bucket_policy").policy as string).Statement[2]).toEqual({
      Sid: "DeliveryWritesAlb",
      Effect: "Allow",
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${ARN}/alb/*`,
      Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
    });
  });

  it("grants read or read-write to a role, with its key only through S3", () => {
    const { stack, bucket } = build();
    const role = new ServiceRole(stack, "app", { purpose: "app", servicePrincipal: "ecs-tasks.amazonaws.com" });
    bucket.grantAccess(role, "read-write");
    const statements = JSON.parse(only(synth(stack), "aws_iam_role_policy").policy as string).Statement;
    expect(statements).toEqual([
      { Sid: "ReadWriteFilesObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `${ARN}/*` },
      { Sid: "ListFiles", Effect: "Allow", Action: "s3:ListBucket", Resource: ARN },
      {
        Sid: "UseFilesKey",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: TEST_KEY,
        Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
      },
    ]);
  });

  describe("validation", () => {
    it.each([
      [{ name: "Files" }, "field 'name': value \"Files\" is not allowed: lower-case letters, digits and single dashes"],
      [{ lifecycleRules: [{ id: "x" }] }, "field 'lifecycleRules.0': value \"x\" is not allowed: a rule that does something"],
      [{ lifecycleRules: [{ id: "ia", transitions: [{ days: 10, storageClass: "STANDARD_IA" as const }] }] }, "field 'lifecycleRules.0.transitions.0.days': value 10 is not allowed: at least 30 for STANDARD_IA (S3's minimum)"],
      [{ lifecycleRules: [{ id: "g", transitions: [{ days: 90, storageClass: "GLACIER" as const }], expirationDays: 60 }] }, "field 'lifecycleRules.0.expirationDays': value 60 is not allowed: more days than the transition to GLACIER (90)"],
      [{ lifecycleRules: [{ id: "a", expirationDays: 1 }, { id: "a", expirationDays: 2 }] }, "field 'lifecycleRules (ids).1': value \"a\" is not allowed: each value once"],
      [{ lifecycleRules: [{ id: "abort-incomplete-multipart-uploads", expirationDays: 1 }] }, "not abort-incomplete-multipart-uploads (Keel's own rule)"],
      [{ encryption: { kmsKeyArn: " " } }, "field 'encryption.kmsKeyArn': value \" \" is not allowed: a non-empty string"],
      [{ lifecycleRules: [{ id: "x".repeat(256), expirationDays: 1 }] }, "field 'lifecycleRules.0.id'"],
      [{ lifecycleRules: [{ id: "line\nbreak", expirationDays: 1 }] }, "field 'lifecycleRules.0.id'"],
    ])("rejects %j", (extra, message) => {
      expect(() => build(extra as Partial<BucketProps>)).toThrow(message);
    });

    it.each(["x".repeat(255), "Expire old reports_v2 (90 days)"])("accepts the lifecycle rule id %j, which S3 allows", (id) => {
      const { bucket } = build({ lifecycleRules: [{ id, expirationDays: 90 }] });
      expect(bucket).toBeDefined();
    });

    it("rejects a composed name S3 refuses: a namespace starting with a reserved prefix", () => {
      const stack = moduleStack("test", "sthree");
      expect(() => new Bucket(stack, "files", { name: "files", encryption: "s3-managed", protection: PROTECTION_PROFILES.production })).toThrow(
        "Bucket 'files': field '(bucket name)': value \"sthree-test-files-111122223333-us-east-1\" is not allowed: not starting with sthree-",
      );
    });

    it("rejects a service-write prefix that starts with /", () => {
      const { bucket } = build();
      expect(() => bucket.allowServiceWrite("delivery.logs.amazonaws.com", "/alb/")).toThrow("field 'allowServiceWrite.prefix': value \"/alb/\" is not allowed");
    });
  });
});
