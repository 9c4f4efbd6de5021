import { ModelResource, StackModel, blocks, isFalse, isTrue, num, strings } from "../model";
import { Rule, rule } from "../rule";

const CLUSTERS = ["aws_rds_cluster", "aws_db_instance"];
const INSTANCES = ["aws_rds_cluster_instance", "aws_db_instance"];

/** Usernames every scanner tries first: Security Hub RDS.24 and RDS.25. */
const DEFAULT_ADMIN_NAMES = new Set(["admin", "postgres", "root", "master", "administrator", "sa"]);

/** The instances of a cluster. */
function members(model: StackModel, cluster: ModelResource): readonly ModelResource[] {
  return model.referencing(cluster, "aws_rds_cluster_instance", "cluster_identifier");
}

/** The parameter group a cluster or instance names, when Keel created it. */
function parameterGroup(model: StackModel, r: ModelResource): ModelResource | undefined {
  const attribute = r.type === "aws_rds_cluster" ? "db_cluster_parameter_group_name" : "parameter_group_name";
  return model.referencedBy(r, attribute).find((g) => g.type === "aws_rds_cluster_parameter_group" || g.type === "aws_db_parameter_group");
}

const isPostgres = (r: ModelResource) => String(r.values.engine ?? "").includes("postgres");

export const DATA_RULES: readonly Rule[] = [
  rule({
    id: "rds-storage-encrypted",
    level: "error",
    area: "encryption",
    title: "Databases encrypt storage with a customer-managed KMS key",
    types: CLUSTERS,
    refs: ["checkov CKV_AWS_96", "checkov CKV_AWS_327", "checkov CKV_AWS_16", "Security Hub RDS.3", "cdk-nag AwsSolutions-RDS2"],
    check(r) {
      if (!isTrue(r.values.storage_encrypted)) return "storage_encrypted is not true";
      return r.values.kms_key_id === undefined ? "no kms_key_id: the AWS-managed aws/rds key" : undefined;
    },
  }),
  rule({
    id: "rds-deletion-protection",
    level: "error",
    area: "backup",
    title: "Databases have deletion protection",
    types: CLUSTERS,
    refs: ["checkov CKV_AWS_139", "checkov CKV_AWS_293", "Security Hub RDS.7", "Security Hub RDS.8", "cdk-nag AwsSolutions-RDS10"],
    check(r) {
      return isTrue(r.values.deletion_protection) ? undefined : "deletion_protection is not true";
    },
  }),
  rule({
    id: "rds-backup-retention",
    level: "error",
    area: "backup",
    title: "Databases keep automated backups for at least 7 days",
    types: CLUSTERS,
    refs: ["checkov CKV_AWS_133", "Security Hub RDS.11", "cdk-nag HIPAA.Security-RDSInstanceBackupEnabled"],
    check(r) {
      const days = num(r.values.backup_retention_period) ?? 1;
      return days < 7 ? `backup_retention_period is ${days}` : undefined;
    },
  }),
  rule({
    id: "rds-final-snapshot",
    level: "warning",
    area: "backup",
    title: "Deleting a database takes a final snapshot first",
    types: CLUSTERS,
    refs: ["cdk-nag HIPAA.Security-RDSInstanceBackupEnabled"],
    check(r) {
      if (isTrue(r.values.skip_final_snapshot)) return "skip_final_snapshot is true";
      return r.values.final_snapshot_identifier === undefined ? "no final_snapshot_identifier: Terraform cannot delete it without skipping the snapshot" : undefined;
    },
  }),
  rule({
    id: "rds-iam-authentication",
    level: "warning",
    area: "least-privilege",
    title: "Databases accept IAM authentication, so applications need no password",
    types: CLUSTERS,
    refs: ["checkov CKV_AWS_162", "checkov CKV_AWS_161", "Security Hub RDS.10", "Security Hub RDS.12", "cdk-nag AwsSolutions-RDS6"],
    check(r) {
      return isTrue(r.values.iam_database_authentication_enabled) ? undefined : "iam_database_authentication_enabled is not true";
    },
  }),
  rule({
    id: "rds-copy-tags-to-snapshots",
    level: "warning",
    area: "backup",
    title: "Database snapshots carry the database's tags (owner, data classification)",
    types: [...CLUSTERS, "aws_rds_cluster_instance"],
    refs: ["checkov CKV_AWS_313", "Security Hub RDS.16", "Security Hub RDS.17"],
    check(r) {
      return isTrue(r.values.copy_tags_to_snapshot) ? undefined : "copy_tags_to_snapshot is not true";
    },
  }),
  rule({
    id: "rds-not-public",
    level: "error",
    area: "public-access",
    title: "Database instances are not publicly accessible",
    types: INSTANCES,
    refs: ["checkov CKV_AWS_17", "Security Hub RDS.2"],
    check(r) {
      return isTrue(r.values.publicly_accessible) ? "publicly_accessible is true" : undefined;
    },
  }),
  rule({
    id: "rds-log-exports",
    level: "error",
    area: "logging",
    title: "Databases export their logs to CloudWatch Logs",
    types: CLUSTERS,
    refs: ["checkov CKV_AWS_324", "checkov CKV_AWS_129", "Security Hub RDS.9"],
    check(r) {
      return strings(r.values.enabled_cloudwatch_logs_exports).length === 0 ? "enabled_cloudwatch_logs_exports is empty" : undefined;
    },
  }),
  rule({
    id: "rds-enhanced-monitoring",
    level: "warning",
    area: "logging",
    title: "Database instances have enhanced monitoring",
    types: INSTANCES,
    refs: ["checkov CKV_AWS_118", "Security Hub RDS.6"],
    check(r) {
      return (num(r.values.monitoring_interval) ?? 0) > 0 ? undefined : "monitoring_interval is 0";
    },
  }),
  rule({
    id: "rds-performance-insights-kms",
    level: "error",
    area: "encryption",
    title: "Performance Insights data is encrypted with a customer-managed KMS key",
    types: INSTANCES,
    refs: ["checkov CKV_AWS_354"],
    check(r) {
      if (!isTrue(r.values.performance_insights_enabled)) return undefined;
      return r.values.performance_insights_kms_key_id === undefined ? "Performance Insights uses the AWS-managed key" : undefined;
    },
  }),
  rule({
    id: "rds-auto-minor-version-upgrade",
    level: "warning",
    area: "patching",
    title: "Database instances take minor version upgrades automatically",
    types: INSTANCES,
    refs: ["checkov CKV_AWS_226", "Security Hub RDS.13"],
    check(r) {
      return isFalse(r.values.auto_minor_version_upgrade) ? "auto_minor_version_upgrade is false" : undefined;
    },
  }),
  rule({
    id: "rds-custom-admin-username",
    level: "warning",
    area: "least-privilege",
    title: "Databases use an administrator name other than the engine's well-known default",
    types: CLUSTERS,
    refs: ["Security Hub RDS.24", "Security Hub RDS.25"],
    check(r) {
      const name = r.values.master_username;
      return typeof name === "string" && DEFAULT_ADMIN_NAMES.has(name.toLowerCase()) ? `master_username is ${name}` : undefined;
    },
  }),
  rule({
    id: "rds-managed-master-password",
    level: "error",
    area: "secrets",
    title: "RDS keeps the master password in Secrets Manager under a customer key; no password in Terraform",
    types: CLUSTERS,
    refs: ["checkov CKV_AWS_149", "cdk-nag AwsSolutions-SMG4"],
    check(r) {
      if (r.values.master_password !== undefined || r.values.master_password_wo !== undefined) return "master_password is set: the password is in the plan and in state";
      if (r.values.snapshot_identifier !== undefined || r.values.replication_source_identifier !== undefined) return undefined;
      if (!isTrue(r.values.manage_master_user_password)) return "manage_master_user_password is not true";
      return r.values.master_user_secret_kms_key_id === undefined ? "the managed secret uses the AWS-managed key" : undefined;
    },
  }),
  rule({
    id: "rds-force-ssl",
    level: "error",
    area: "tls",
    title: "PostgreSQL databases refuse connections without TLS (rds.force_ssl = 1)",
    types: CLUSTERS,
    refs: ["checkov CKV2_AWS_69"],
    check(r, model) {
      if (!isPostgres(r) || (r.type === "aws_db_instance" && r.values.cluster_identifier !== undefined)) return undefined;
      const group = parameterGroup(model, r);
      const forced = blocks(group?.values.parameter).some((p) => p.name === "rds.force_ssl" && String(p.value) === "1");
      return forced ? undefined : `${group?.address ?? "the default parameter group"} does not set rds.force_ssl = 1`;
    },
  }),
  rule({
    id: "rds-multi-az",
    level: "warning",
    area: "backup",
    title: "Database clusters have a reader to fail over to",
    types: ["aws_rds_cluster"],
    refs: ["Security Hub RDS.15"],
    check(r, model) {
      const count = members(model, r).length;
      return count < 2 ? `${count} instance(s): a writer failure waits for a new instance` : undefined;
    },
  }),
  rule({
    id: "backup-coverage",
    level: "error",
    area: "backup",
    title: "Databases are in an AWS Backup plan, beside their automated backups",
    types: ["aws_rds_cluster", "aws_db_instance"],
    refs: ["Security Hub RDS.26", "cdk-nag HIPAA.Security-RDSInBackupPlan"],
    check(r, model) {
      return model.referencing(r, "aws_backup_selection", "resources").length === 0
        ? "in no AWS Backup selection: only the automated backups, which go when the database is deleted (add a backup section)"
        : undefined;
    },
  }),
  rule({
    id: "backup-vault-kms",
    level: "error",
    area: "encryption",
    title: "Backup vaults encrypt recovery points with a customer-managed key",
    types: ["aws_backup_vault"],
    refs: ["Security Hub Backup.1", "checkov CKV_AWS_166"],
    check(r) {
      return r.values.kms_key_arn === undefined ? "no kms_key_arn: AWS Backup's own key" : undefined;
    },
  }),
];
