/**
 * Keel's HIPAA conformance pack: AWS managed Config rules that check the
 * resource types Keel creates, each mapped to the HIPAA Security Rule section
 * (45 CFR Part 164) it serves. Built from AWS's "Operational Best Practices
 * for HIPAA Security" mapping, reviewed 2026-11-22; the template is generated
 * from this list (none can be downloaded where Keel is built).
 *
 * Every rule of AWS's mapping that applies to what Keel creates is in the
 * pack, so the audit view shows what AWS's sample pack would. The few that
 * Keel's own design fails on some resources say so (`knownFailure`): the
 * finding is accepted, with its reason, as a `keel check` suppression is.
 */
export interface ConformanceRule {
  /** The AWS managed rule's source identifier. */
  readonly identifier: string;
  /** The HIPAA Security Rule section it serves, e.g. `164.312(a)(2)(iv)`. */
  readonly section: string;
  /** What it checks, in Keel's terms. */
  readonly checks: string;
  /** Why Keel's design fails it on some resources, and what compensates: an accepted finding. @default - Keel passes it */
  readonly knownFailure?: string;
}

const AT_REST = "164.312(a)(2)(iv)";
const ACCESS = "164.312(a)(1)";
const AUDIT = "164.312(b)";
const INTEGRITY = "164.312(c)(1)";
const TRANSMISSION = "164.312(e)(1)";
const IN_TRANSIT = "164.312(e)(2)(ii)";
const AUTHENTICATION = "164.312(d)";
const ACTIVITY_REVIEW = "164.308(a)(1)(ii)(D)";
const BACKUP = "164.308(a)(7)(ii)(A)";
const CONTINGENCY = "164.308(a)(7)(i)";
const MALWARE = "164.308(a)(5)(ii)(B)";

export const HIPAA_RULES: readonly ConformanceRule[] = [
  { identifier: "CLOUD_TRAIL_ENABLED", section: AUDIT, checks: "a trail records API activity" },
  { identifier: "MULTI_REGION_CLOUD_TRAIL_ENABLED", section: AUDIT, checks: "the trail covers every region" },
  { identifier: "CLOUD_TRAIL_ENCRYPTION_ENABLED", section: AT_REST, checks: "trail log files are encrypted with KMS" },
  { identifier: "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED", section: "164.312(c)(2)", checks: "log files carry digests that prove they were not altered" },
  { identifier: "CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED", section: ACTIVITY_REVIEW, checks: "trail events reach CloudWatch Logs for metric filters" },
  { identifier: "CLOUDWATCH_LOG_GROUP_ENCRYPTED", section: AT_REST, checks: "log groups are encrypted with KMS" },
  { identifier: "S3_BUCKET_PUBLIC_READ_PROHIBITED", section: ACCESS, checks: "no bucket is publicly readable" },
  { identifier: "S3_BUCKET_PUBLIC_WRITE_PROHIBITED", section: ACCESS, checks: "no bucket is publicly writable" },
  { identifier: "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED", section: ACCESS, checks: "every bucket blocks public access" },
  { identifier: "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC", section: ACCESS, checks: "the account blocks public S3 access" },
  { identifier: "S3_BUCKET_SSL_REQUESTS_ONLY", section: TRANSMISSION, checks: "buckets refuse requests without TLS" },
  { identifier: "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED", section: AT_REST, checks: "buckets encrypt objects by default" },
  { identifier: "S3_BUCKET_VERSIONING_ENABLED", section: BACKUP, checks: "buckets keep object versions" },
  { identifier: "RDS_STORAGE_ENCRYPTED", section: AT_REST, checks: "database storage is encrypted" },
  { identifier: "RDS_INSTANCE_PUBLIC_ACCESS_CHECK", section: ACCESS, checks: "no database instance is publicly accessible" },
  { identifier: "RDS_SNAPSHOTS_PUBLIC_PROHIBITED", section: ACCESS, checks: "no database snapshot is public" },
  { identifier: "RDS_CLUSTER_DELETION_PROTECTION_ENABLED", section: CONTINGENCY, checks: "clusters have deletion protection" },
  { identifier: "RDS_CLUSTER_IAM_AUTHENTICATION_ENABLED", section: AUTHENTICATION, checks: "clusters accept IAM database authentication" },
  { identifier: "RDS_LOGGING_ENABLED", section: AUDIT, checks: "databases export their logs" },
  { identifier: "RDS_ENHANCED_MONITORING_ENABLED", section: ACTIVITY_REVIEW, checks: "database instances have Enhanced Monitoring" },
  { identifier: "DB_INSTANCE_BACKUP_ENABLED", section: BACKUP, checks: "automated database backups are on" },
  { identifier: "ENCRYPTED_VOLUMES", section: AT_REST, checks: "attached EBS volumes are encrypted" },
  { identifier: "EC2_EBS_ENCRYPTION_BY_DEFAULT", section: AT_REST, checks: "new EBS volumes are encrypted by default" },
  { identifier: "EC2_IMDSV2_CHECK", section: ACCESS, checks: "instances require IMDSv2" },
  { identifier: "EC2_INSTANCE_NO_PUBLIC_IP", section: TRANSMISSION, checks: "instances have no public IP" },
  { identifier: "EC2_INSTANCE_MANAGED_BY_SSM", section: MALWARE, checks: "instances are managed (patched, reached) by Systems Manager" },
  { identifier: "VPC_FLOW_LOGS_ENABLED", section: AUDIT, checks: "VPCs log their traffic" },
  { identifier: "VPC_DEFAULT_SECURITY_GROUP_CLOSED", section: TRANSMISSION, checks: "default security groups allow nothing" },
  { identifier: "INCOMING_SSH_DISABLED", section: TRANSMISSION, checks: "no security group admits SSH from anywhere" },
  { identifier: "RESTRICTED_INCOMING_TRAFFIC", section: TRANSMISSION, checks: "no security group admits common admin and database ports from anywhere" },
  { identifier: "ELB_DELETION_PROTECTION_ENABLED", section: CONTINGENCY, checks: "load balancers have deletion protection" },
  { identifier: "ELB_LOGGING_ENABLED", section: AUDIT, checks: "load balancers write access logs" },
  { identifier: "ALB_HTTP_DROP_INVALID_HEADER_ENABLED", section: INTEGRITY, checks: "load balancers drop invalid headers" },
  { identifier: "ALB_WAF_ENABLED", section: "164.308(a)(1)(ii)(B)", checks: "load balancers sit behind a web ACL" },
  { identifier: "ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK", section: IN_TRANSIT, checks: "HTTP redirects to HTTPS (fails until alb.certificateArn is set)" },
  { identifier: "WAFV2_LOGGING_ENABLED", section: AUDIT, checks: "web ACLs log requests" },
  { identifier: "CMK_BACKING_KEY_ROTATION_ENABLED", section: AT_REST, checks: "customer-managed keys rotate" },
  { identifier: "KMS_CMK_NOT_SCHEDULED_FOR_DELETION", section: BACKUP, checks: "no key that data depends on is scheduled for deletion" },
  { identifier: "SECRETSMANAGER_USING_CMK", section: AT_REST, checks: "secrets are encrypted with a customer-managed key" },
  { identifier: "SNS_ENCRYPTED_KMS", section: AT_REST, checks: "topics are encrypted with KMS" },
  { identifier: "ECR_PRIVATE_IMAGE_SCANNING_ENABLED", section: MALWARE, checks: "repositories scan images" },
  { identifier: "ECR_PRIVATE_TAG_IMMUTABILITY_ENABLED", section: INTEGRITY, checks: "image tags cannot be moved" },
  { identifier: "ECS_CONTAINERS_READONLY_ACCESS", section: INTEGRITY, checks: "containers have read-only root filesystems" },
  { identifier: "ECS_CONTAINERS_NONPRIVILEGED", section: ACCESS, checks: "containers are not privileged" },
  { identifier: "ECS_TASK_DEFINITION_LOG_CONFIGURATION", section: AUDIT, checks: "task definitions send container logs somewhere" },
  { identifier: "GUARDDUTY_ENABLED_CENTRALIZED", section: "164.308(a)(6)(ii)", checks: "GuardDuty watches the account" },
  { identifier: "IAM_ROOT_ACCESS_KEY_CHECK", section: ACCESS, checks: "the root user has no access keys" },
  { identifier: "ROOT_ACCOUNT_MFA_ENABLED", section: AUTHENTICATION, checks: "the root user has MFA" },
  { identifier: "MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS", section: AUTHENTICATION, checks: "console users have MFA" },
  { identifier: "IAM_PASSWORD_POLICY", section: "164.308(a)(5)(ii)(D)", checks: "the account has a password policy" },
  { identifier: "IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS", section: "164.308(a)(4)(ii)(B)", checks: "no customer policy grants *:*" },
  { identifier: "IAM_USER_NO_POLICIES_CHECK", section: "164.308(a)(4)(ii)(C)", checks: "users get permissions through groups or roles, not attached policies" },
  { identifier: "DYNAMODB_PITR_ENABLED", section: BACKUP, checks: "tables (the state lock table) have point-in-time recovery" },
  { identifier: "SSM_DOCUMENT_NOT_PUBLIC", section: ACCESS, checks: "no Systems Manager document is public" },
  { identifier: "EBS_SNAPSHOT_PUBLIC_RESTORABLE_CHECK", section: ACCESS, checks: "no EBS snapshot is public" },
  {
    identifier: "IAM_NO_INLINE_POLICY_CHECK",
    section: ACCESS,
    checks: "no user, role or group has an inline policy",
    knownFailure: "Keel's roles carry one inline policy each, written by the modules' grant methods and scoped to the resources granted; keel check's IAM rules inspect every statement",
  },
  {
    identifier: "S3_BUCKET_LOGGING_ENABLED",
    section: AUDIT,
    checks: "buckets log their access",
    knownFailure: "The buckets that receive access logs (and CloudTrail's) do not log their own access: logging them to themselves would loop; CloudTrail data events cover the trail bucket",
  },
  {
    identifier: "CW_LOGGROUP_RETENTION_PERIOD_CHECK",
    section: AUDIT,
    checks: "log groups keep events at least a year",
    knownFailure: "Environments with the disposable profile, and workload log groups a team sets shorter (OutreachPass: 30 days), keep less than a year by config; audit log groups keep a year or more",
  },
];

/** The rules Keel's design fails on some resources, with why: the accepted findings of the pack. */
export const ACCEPTED_CONFORMANCE_FAILURES: ReadonlyArray<{ readonly rule: string; readonly reason: string }> = HIPAA_RULES.filter((r) => r.knownFailure !== undefined).map((r) => ({
  rule: ruleName(r.identifier),
  reason: r.knownFailure!,
}));

/** `CLOUD_TRAIL_ENABLED` → `cloud-trail-enabled`: the rule's name in the pack. */
export function ruleName(identifier: string): string {
  return identifier.toLowerCase().replace(/_/g, "-");
}

/**
 * The conformance pack template, generated from the rules: one
 * `AWS::Config::ConfigRule` per rule, owned by AWS. JSON is valid YAML, so
 * the pack takes it as its template body.
 */
export function conformancePackTemplate(rules: readonly ConformanceRule[]): string {
  const resources = Object.fromEntries(
    rules.map((rule) => [
      ruleName(rule.identifier).replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase()),
      {
        Type: "AWS::Config::ConfigRule",
        Properties: {
          ConfigRuleName: ruleName(rule.identifier),
          Description: `HIPAA ${rule.section}: ${rule.checks}`,
          Source: { Owner: "AWS", SourceIdentifier: rule.identifier },
        },
      },
    ]),
  );
  return JSON.stringify({ Resources: resources });
}
