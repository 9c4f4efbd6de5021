/**
 * How hard an environment protects its stateful resources. Each module takes
 * only the fields it reads (`Pick<ProtectionProfile, ...>`), so a new field
 * touches only the modules that need it. The named presets live in
 * `environments/lib/protection.ts`.
 */
export interface ProtectionProfile {
  /** AWS-side deletion protection (RDS and Aurora today). */
  readonly deletionProtection: boolean;
  /** Terraform `prevent_destroy` on databases and KMS keys: a plan that destroys one fails. */
  readonly preventDestroy: boolean;
  /** A final snapshot is taken when a database is deleted. */
  readonly finalSnapshot: boolean;
  /** Days a deleted secret can still be restored, 7-30. */
  readonly secretRecoveryWindowInDays: number;
  /** Terraform `prevent_destroy` on audit log groups: flow logs, database audit logs, session logs. */
  readonly protectAuditLogs: boolean;
  /**
   * A destroy empties what holds objects first: a bucket's objects and versions
   * (`force_destroy`), a repository's images (`force_delete`). Without it, a
   * destroy fails on the first bucket with an access log or repository with an image.
   */
  readonly emptyOnDestroy: boolean;
  /**
   * The backup vault is locked in compliance mode (AWS Backup Vault Lock): after its cooling-off
   * days, no one can delete a recovery point before its retention ends or remove the lock.
   */
  readonly lockBackups: boolean;
}
