import { ELB_LOG_DELIVERY } from "../../alb/constants";
import { ModelResource, StackModel, block, blocks, isFalse, isTrue, num } from "../model";
import { deniesInsecureTransport, publicGrantProblem, statements } from "../policy";
import { Rule, rule } from "../rule";

/** The bucket's companion resource of `type` (its policy, encryption, versioning, ...), if any. */
function companion(model: StackModel, bucket: ModelResource, type: string): ModelResource | undefined {
  return model.referencing(bucket, type, "bucket")[0];
}

const ELB_DELIVERERS = new Set(
  Object.values(ELB_LOG_DELIVERY).map((d) => ("account" in d ? `arn:aws:iam::${d.account}:root` : d.servicePrincipal)),
);

/** ELB writes access logs only to SSE-S3 buckets (Elastic Load Balancing User Guide): such a bucket cannot use a KMS key. */
function receivesElbLogs(model: StackModel, bucket: ModelResource): boolean {
  const policy = statements(companion(model, bucket, "aws_s3_bucket_policy")?.values.policy) ?? [];
  return policy.some((s) => s.effect === "Allow" && s.actions.includes("s3:PutObject") && s.principals.some((p) => ELB_DELIVERERS.has(p)));
}

const PUBLIC_ACCESS_FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"] as const;

function missingFlags(values: Readonly<Record<string, unknown>>): readonly string[] {
  return PUBLIC_ACCESS_FLAGS.filter((f) => !isTrue(values[f]));
}

export const STORAGE_RULES: readonly Rule[] = [
  rule({
    id: "s3-block-public-access",
    level: "error",
    area: "public-access",
    title: "S3 buckets have a public access block with all four settings on",
    types: ["aws_s3_bucket"],
    refs: ["checkov CKV2_AWS_6", "checkov CKV_AWS_53", "checkov CKV_AWS_54", "checkov CKV_AWS_55", "checkov CKV_AWS_56", "Security Hub S3.8", "cdk-nag AwsSolutions-S2"],
    check(r, model) {
      const block = companion(model, r, "aws_s3_bucket_public_access_block");
      if (block === undefined) return "no aws_s3_bucket_public_access_block for this bucket";
      const missing = missingFlags(block.values);
      return missing.length > 0 ? `${block.address} leaves ${missing.join(", ")} off` : undefined;
    },
  }),
  rule({
    id: "s3-account-public-access-block",
    level: "error",
    area: "public-access",
    title: "The account-wide S3 public access block has all four settings on",
    types: ["aws_s3_account_public_access_block"],
    refs: ["Security Hub S3.1"],
    check(r) {
      const missing = missingFlags(r.values);
      return missing.length > 0 ? `${missing.join(", ")} off` : undefined;
    },
  }),
  rule({
    id: "s3-kms-encryption",
    level: "error",
    area: "encryption",
    title: "S3 buckets encrypt by default with a customer-managed KMS key (ELB access-log buckets excepted: ELB writes only SSE-S3)",
    types: ["aws_s3_bucket"],
    refs: ["checkov CKV_AWS_145", "Security Hub S3.17", "cdk-nag HIPAA.Security-S3DefaultEncryptionKMS"],
    check(r, model) {
      const config = companion(model, r, "aws_s3_bucket_server_side_encryption_configuration");
      const defaults = blocks(config?.values.rule).map((x) => block(x.apply_server_side_encryption_by_default));
      const algorithm = defaults[0]?.sse_algorithm;
      if (algorithm === "AES256" && receivesElbLogs(model, r)) return undefined;
      if (config === undefined || algorithm === undefined) return "no default encryption configuration";
      if (typeof algorithm === "string" && algorithm.startsWith("aws:kms") && defaults[0]?.kms_master_key_id !== undefined) return undefined;
      return `default encryption is ${String(algorithm)}${algorithm === "aws:kms" ? " with the AWS-managed key (no kms_master_key_id)" : ""}, not a customer-managed KMS key`;
    },
  }),
  rule({
    id: "s3-tls-only",
    level: "error",
    area: "tls",
    title: "S3 bucket policies deny requests that do not use TLS (aws:SecureTransport false)",
    types: ["aws_s3_bucket"],
    refs: ["Security Hub S3.5", "cdk-nag AwsSolutions-S10", "cdk-nag HIPAA.Security-S3BucketSSLRequestsOnly"],
    check(r, model) {
      const policy = statements(companion(model, r, "aws_s3_bucket_policy")?.values.policy);
      if (policy === undefined) return "no bucket policy denying aws:SecureTransport false";
      return deniesInsecureTransport(policy) ? undefined : "the bucket policy has no Deny on aws:SecureTransport false";
    },
  }),
  rule({
    id: "s3-versioning",
    level: "error",
    area: "backup",
    title: "S3 buckets keep object versions (versioning Enabled)",
    types: ["aws_s3_bucket"],
    refs: ["checkov CKV_AWS_21", "Security Hub S3.14", "cdk-nag HIPAA.Security-S3BucketVersioningEnabled"],
    check(r, model) {
      const status = block(companion(model, r, "aws_s3_bucket_versioning")?.values.versioning_configuration)?.status;
      return status === "Enabled" ? undefined : `versioning is ${status === undefined ? "not configured" : String(status)}`;
    },
  }),
  rule({
    id: "s3-acls-disabled",
    level: "warning",
    area: "public-access",
    title: "S3 buckets disable ACLs (object ownership BucketOwnerEnforced)",
    types: ["aws_s3_bucket"],
    refs: ["Security Hub S3.12", "checkov CKV2_AWS_65"],
    check(r, model) {
      const ownership = block(companion(model, r, "aws_s3_bucket_ownership_controls")?.values.rule)?.object_ownership;
      return ownership === "BucketOwnerEnforced" ? undefined : `object ownership is ${String(ownership ?? "not configured")}`;
    },
  }),
  rule({
    id: "s3-lifecycle",
    level: "warning",
    area: "logging",
    title: "S3 buckets have a lifecycle configuration (retention and old versions expire)",
    types: ["aws_s3_bucket"],
    refs: ["Security Hub S3.13", "checkov CKV2_AWS_61"],
    check(r, model) {
      return companion(model, r, "aws_s3_bucket_lifecycle_configuration") === undefined ? "no lifecycle configuration" : undefined;
    },
  }),
  rule({
    id: "s3-access-logging",
    level: "warning",
    area: "logging",
    title: "S3 buckets log server access to another bucket",
    types: ["aws_s3_bucket"],
    refs: ["checkov CKV_AWS_18", "Security Hub S3.9", "cdk-nag AwsSolutions-S1"],
    check(r, model) {
      return companion(model, r, "aws_s3_bucket_logging") === undefined ? "no server access logging (aws_s3_bucket_logging)" : undefined;
    },
  }),
  rule({
    id: "s3-no-public-policy",
    level: "error",
    area: "public-access",
    title: "S3 bucket policies grant nothing to everyone (Principal * without a condition)",
    types: ["aws_s3_bucket_policy"],
    refs: ["checkov CKV_AWS_70", "Security Hub S3.2", "Security Hub S3.3"],
    check: (r) => publicGrantProblem(r.values.policy),
  }),
  rule({
    id: "kms-key-rotation",
    level: "error",
    area: "key-rotation",
    title: "Symmetric KMS keys rotate their key material every year",
    types: ["aws_kms_key"],
    refs: ["checkov CKV_AWS_7", "Security Hub KMS.4", "cdk-nag AwsSolutions-KMS5"],
    check(r) {
      const spec = r.values.customer_master_key_spec;
      if (spec !== undefined && spec !== "SYMMETRIC_DEFAULT") return undefined;
      return isTrue(r.values.enable_key_rotation) ? undefined : "enable_key_rotation is not true";
    },
  }),
  rule({
    id: "kms-no-public-key-policy",
    level: "error",
    area: "public-access",
    title: "KMS key policies grant nothing to everyone (Principal * without a condition)",
    types: ["aws_kms_key"],
    refs: ["checkov CKV_AWS_33"],
    check: (r) => publicGrantProblem(r.values.policy),
  }),
  rule({
    id: "kms-key-enabled",
    level: "error",
    area: "encryption",
    title: "KMS keys are enabled (a disabled key makes everything it encrypts unreadable)",
    types: ["aws_kms_key"],
    refs: ["checkov CKV_AWS_227"],
    check(r) {
      return isFalse(r.values.is_enabled) ? "is_enabled is false" : undefined;
    },
  }),
  rule({
    id: "kms-deletion-window",
    level: "warning",
    area: "backup",
    title: "KMS keys wait the full 30 days before deletion",
    types: ["aws_kms_key"],
    refs: ["Security Hub KMS.3"],
    check(r) {
      const days = num(r.values.deletion_window_in_days) ?? 30;
      return days < 30 ? `deletion_window_in_days is ${days}` : undefined;
    },
  }),
  rule({
    id: "dynamodb-point-in-time-recovery",
    level: "error",
    area: "backup",
    title: "DynamoDB tables have point-in-time recovery",
    types: ["aws_dynamodb_table"],
    refs: ["checkov CKV_AWS_28", "Security Hub DynamoDB.2", "cdk-nag HIPAA.Security-DynamoDBPITREnabled"],
    check(r) {
      return isTrue(block(r.values.point_in_time_recovery)?.enabled) ? undefined : "point_in_time_recovery is not enabled";
    },
  }),
  rule({
    id: "dynamodb-kms",
    level: "error",
    area: "encryption",
    title: "DynamoDB tables are encrypted with a customer-managed KMS key",
    types: ["aws_dynamodb_table"],
    refs: ["checkov CKV_AWS_119"],
    check(r) {
      const sse = block(r.values.server_side_encryption);
      return isTrue(sse?.enabled) && sse?.kms_key_arn !== undefined ? undefined : "server_side_encryption names no customer-managed key";
    },
  }),
  rule({
    id: "dynamodb-deletion-protection",
    level: "error",
    area: "backup",
    title: "DynamoDB tables have deletion protection",
    types: ["aws_dynamodb_table"],
    refs: ["Security Hub DynamoDB.6"],
    check(r) {
      return isTrue(r.values.deletion_protection_enabled) ? undefined : "deletion_protection_enabled is not true";
    },
  }),
  rule({
    id: "secret-kms",
    level: "error",
    area: "encryption",
    title: "Secrets Manager secrets are encrypted with a customer-managed KMS key",
    types: ["aws_secretsmanager_secret"],
    refs: ["checkov CKV_AWS_149"],
    check(r) {
      return r.values.kms_key_id === undefined ? "no kms_key_id: the AWS-managed aws/secretsmanager key" : undefined;
    },
  }),
  rule({
    id: "secret-rotation",
    level: "warning",
    area: "secrets",
    title: "Secrets Manager secrets rotate automatically",
    types: ["aws_secretsmanager_secret"],
    refs: ["checkov CKV2_AWS_57", "Security Hub SecretsManager.1", "cdk-nag AwsSolutions-SMG4"],
    check(r, model) {
      return model.referencing(r, "aws_secretsmanager_secret_rotation", "secret_id").length === 0 ? "no aws_secretsmanager_secret_rotation" : undefined;
    },
  }),
  rule({
    id: "logs-kms",
    level: "error",
    area: "encryption",
    title: "CloudWatch log groups are encrypted with a customer-managed KMS key",
    types: ["aws_cloudwatch_log_group"],
    refs: ["checkov CKV_AWS_158", "cdk-nag HIPAA.Security-CloudWatchLogGroupEncrypted"],
    check(r) {
      return r.values.kms_key_id === undefined ? "no kms_key_id" : undefined;
    },
  }),
  rule({
    id: "logs-retention-set",
    level: "error",
    area: "logging",
    title: "CloudWatch log groups state their retention",
    types: ["aws_cloudwatch_log_group"],
    refs: ["checkov CKV_AWS_66", "cdk-nag HIPAA.Security-CloudWatchLogGroupRetentionPeriod"],
    check(r) {
      return r.values.retention_in_days === undefined ? "no retention_in_days" : undefined;
    },
  }),
  rule({
    id: "logs-retention-one-year",
    level: "warning",
    area: "logging",
    title: "CloudWatch log groups keep events for at least a year",
    types: ["aws_cloudwatch_log_group"],
    refs: ["checkov CKV_AWS_338"],
    check(r) {
      const days = num(r.values.retention_in_days);
      return days !== undefined && days > 0 && days < 365 ? `retention_in_days is ${days}` : undefined;
    },
  }),
  rule({
    id: "ebs-default-encryption",
    level: "error",
    area: "encryption",
    title: "EBS encryption by default is on in the account and region",
    types: ["aws_ebs_encryption_by_default"],
    refs: ["Security Hub EC2.7", "checkov CKV_AWS_106"],
    check(r) {
      return isFalse(r.values.enabled) ? "enabled is false" : undefined;
    },
  }),
  rule({
    id: "ecr-scan-on-push",
    level: "error",
    area: "ecr",
    title: "ECR repositories scan images on push",
    types: ["aws_ecr_repository"],
    refs: ["checkov CKV_AWS_163", "Security Hub ECR.1"],
    check(r) {
      return isTrue(block(r.values.image_scanning_configuration)?.scan_on_push) ? undefined : "scan_on_push is not true";
    },
  }),
  rule({
    id: "ecr-immutable-tags",
    level: "error",
    area: "ecr",
    title: "ECR repositories have immutable tags",
    types: ["aws_ecr_repository"],
    refs: ["checkov CKV_AWS_51", "Security Hub ECR.2"],
    check(r) {
      return r.values.image_tag_mutability === "IMMUTABLE" ? undefined : `image_tag_mutability is ${String(r.values.image_tag_mutability ?? "MUTABLE (the default)")}`;
    },
  }),
  rule({
    id: "ecr-lifecycle-policy",
    level: "warning",
    area: "ecr",
    title: "ECR repositories have a lifecycle policy",
    types: ["aws_ecr_repository"],
    refs: ["Security Hub ECR.3"],
    check(r, model) {
      return model.referencing(r, "aws_ecr_lifecycle_policy", "repository").length === 0 ? "no aws_ecr_lifecycle_policy" : undefined;
    },
  }),
  rule({
    id: "ecr-kms",
    level: "error",
    area: "encryption",
    title: "ECR repositories are encrypted with a customer-managed KMS key",
    types: ["aws_ecr_repository"],
    refs: ["checkov CKV_AWS_136"],
    check(r) {
      const config = block(r.values.encryption_configuration);
      return config?.encryption_type === "KMS" && config.kms_key !== undefined ? undefined : "encryption is AES256 or the AWS-managed key";
    },
  }),
  rule({
    id: "ecr-no-public-policy",
    level: "error",
    area: "public-access",
    title: "ECR repository policies grant nothing to everyone",
    types: ["aws_ecr_repository_policy"],
    refs: ["checkov CKV_AWS_32"],
    check: (r) => publicGrantProblem(r.values.policy),
  }),
];
