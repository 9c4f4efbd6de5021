import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Label, rdsIdentifierProblem } from "../label";
import { IGrantable, ISecretSource, ServiceRole } from "../iam";
import { LogGroup } from "../logs";
import { Connections, moduleSecurityGroup } from "../network";
import { PropsCheck } from "../validation";
import { dailyOverlapsWeekly, parseDailyWindow, parseWeeklyWindow } from "../validation/time-windows";

/**
 * What Aurora PostgreSQL and an RDS PostgreSQL instance share: the port,
 * the closed security group that `allowFrom` opens, the TLS-only parameters,
 * the log group RDS would otherwise make unencrypted, and the Enhanced
 * Monitoring role. Each takes the construct id its caller has always used,
 * so no address moves.
 */
export const POSTGRES_PORT = 5432;

/** Enhanced Monitoring intervals RDS accepts, in seconds (0 turns it off). */
export const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60];

/** A PostgreSQL identifier RDS accepts for a database or user name. */
export const POSTGRES_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/;

/** The group PostgreSQL listens behind: no rule until `allowFrom`, no egress. */
export function postgresSecurityGroup(scope: Construct, role: string, displayName: string, vpcId: string, tags?: Readonly<Record<string, string>>): { securityGroup: SecurityGroup; connections: Connections } {
  const securityGroup = moduleSecurityGroup(scope, "security-group", {
    role,
    description: `PostgreSQL ${POSTGRES_PORT} from granted security groups only; no egress`,
    vpcId,
    tags,
  });
  const connections = new Connections(scope, { name: role, displayName, securityGroupId: securityGroup.id, defaultPort: POSTGRES_PORT, portName: "PostgreSQL" });
  return { securityGroup, connections };
}

/** TLS only, and every connection logged; engines add their own (pgAudit) after these. */
export const TLS_AND_CONNECTION_LOGGING: ReadonlyArray<{ readonly name: string; readonly value: string }> = [
  { name: "rds.force_ssl", value: "1" },
  { name: "log_connections", value: "1" },
  { name: "log_disconnections", value: "1" },
];

/** The PostgreSQL log group RDS exports to, created first so it is encrypted and expires. */
export function postgresLogGroup(scope: Construct, id: string, logGroupName: string, props: { retentionInDays: number; kmsKeyArn: string; preventDestroy: boolean; tags?: Readonly<Record<string, string>> }): LogGroup {
  return new LogGroup(scope, id, { logGroupName, ...props });
}

/** The role RDS Enhanced Monitoring publishes OS metrics with; none when the interval is 0. */
export function monitoringRole(scope: Construct, purpose: string, interval: number, tags?: Readonly<Record<string, string>>): ServiceRole | undefined {
  if (interval === 0) return undefined;
  return new ServiceRole(scope, "monitoring-role", {
    purpose,
    servicePrincipal: "monitoring.rds.amazonaws.com",
    trustConditions: { StringEquals: { "aws:SourceAccount": Label.of(scope).accountId } },
    managedPolicies: {
      "service-role/AmazonRDSEnhancedMonitoringRole": "The service-role policy RDS documents for enhanced monitoring: it writes only to the RDSOSMetrics log group",
    },
    tags,
  });
}

/**
 * The RDS-managed master secret as something a workload may read by ARN
 * (the value never reaches Terraform): `fn` gets `DATABASE_SECRET_ARN`.
 */
export function managedSecret(scope: Construct, name: string, secretArn: string, kmsKeyArn: string): ISecretSource {
  return {
    secretArn,
    grantRead(grantee: IGrantable): void {
      grantee.addToPolicy({ sid: `Read${name}MasterSecret`, actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], resources: [secretArn] });
      grantee.addToPolicy({
        sid: `Decrypt${name}MasterSecret`,
        actions: ["kms:Decrypt"],
        resources: [kmsKeyArn],
        conditions: { StringEquals: { "kms:ViaService": Label.of(scope).serviceHost("secretsmanager") } },
      });
    },
  };
}

/** What RDS refuses at apply: malformed windows, windows under 30 minutes, and a backup window inside the maintenance window. */
export function checkWindows(check: PropsCheck, backupText: string, maintenanceText: string): void {
  const backup = parseDailyWindow(backupText);
  const maintenance = parseWeeklyWindow(maintenanceText);
  check
    .require(backup !== undefined, "preferredBackupWindow", backupText, "UTC hh:mm-hh:mm, e.g. 03:00-04:00")
    .require(backup === undefined || backup.minutes >= 30, "preferredBackupWindow", backupText, "a window of at least 30 minutes (RDS's minimum)")
    .require(maintenance !== undefined, "preferredMaintenanceWindow", maintenanceText, "UTC ddd:hh:mm-ddd:hh:mm, e.g. sun:04:30-sun:05:30")
    .require(maintenance === undefined || maintenance.minutes >= 30, "preferredMaintenanceWindow", maintenanceText, "a window of at least 30 minutes (RDS's minimum)");
  if (backup !== undefined && maintenance !== undefined && backup.minutes >= 30 && maintenance.minutes >= 30) {
    check.require(!dailyOverlapsWeekly(backup, maintenance), "preferredBackupWindow", backupText, `a window that does not overlap preferredMaintenanceWindow (${maintenanceText}) on any day`);
  }
}

/** Days Performance Insights keeps data: 7, a multiple of 31 up to 713, or 731. */
export function checkPerformanceInsightsRetention(check: PropsCheck, days: number): PropsCheck {
  return check.require(days === 7 || days === 731 || (days % 31 === 0 && days >= 31 && days <= 713), "performanceInsightsRetentionPeriod", days, "7, a multiple of 31 from 31 to 713, or 731");
}

/** Where a restored database's data comes from: exactly one of a snapshot and a point in time. */
export interface DatabaseRestoreSource {
  /**
   * A snapshot: its identifier (a manual snapshot's name, an automated `rds:<id>-<date>`, an AWS
   * Backup recovery point `awsbackup:job-<id>`) or, for another account's shared snapshot, its ARN.
   */
  readonly snapshot?: string;
  /** A point in the source's automated backups (continuous backup), up to its backup retention back. */
  readonly pointInTime?: {
    /** The source database's identifier. @default - this module's own (original) database */
    readonly source?: string;
    /** UTC, `YYYY-MM-DDThh:mm:ssZ`, or `latest` for the latest restorable time. */
    readonly time: string;
  };
}

/**
 * A database restored beside the original, then cut over to, then the original retired: three
 * reviewed applies (see the README's restore runbook).
 * - `name`: the restored database is `<original identifier>-<name>`, created from `snapshot` or
 *   `pointInTime` (ForceNew: changing the source or the name replaces the restored database).
 * - `serve: true`: the endpoint, the master secret, the metrics, the alarms, the backup selection and
 *   the outputs follow the restored database, which takes the environment's protection; the
 *   original loses deletion protection and `prevent_destroy`, and keeps its final snapshot.
 * - `retireOriginal: true` (with `serve`): the original leaves config, so the next apply deletes it
 *   and RDS takes its final snapshot `<identifier>-final`.
 * The entry stays in config afterwards: the restored database's source is part of its definition.
 */
export interface DatabaseRestore extends DatabaseRestoreSource {
  /** Suffix of the restored database's identifier: lowercase letters and digits, e.g. `r20261205`. */
  readonly name: string;
  /** @default false */
  readonly serve?: boolean;
  /** @default false */
  readonly retireOriginal?: boolean;
}

const RESTORE_NAME = /^[a-z][a-z0-9]{0,19}$/;
const RESTORE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/** A UTC timestamp RDS accepts as a restore time (a real date, in the past of no check here). */
function restoreTimeProblem(time: string): string | undefined {
  if (time === "latest") return undefined;
  const m = RESTORE_TIME.exec(time);
  if (m === null) return "UTC YYYY-MM-DDThh:mm:ssZ (e.g. 2026-12-05T02:30:00Z), or latest";
  const date = new Date(time);
  return Number.isNaN(date.getTime()) || date.toISOString().replace(".000Z", "Z") !== time ? "a date and time that exists" : undefined;
}

/**
 * The checks RDS makes on a restore, before anything is created. `snapshotArnType` is the ARN's
 * resource type: `cluster-snapshot` for Aurora, `snapshot` for an instance.
 */
export function checkRestore(check: PropsCheck, restore: DatabaseRestore | undefined, original: string, snapshotArnType: "cluster-snapshot" | "snapshot"): void {
  if (restore === undefined) return;
  const sources = [restore.snapshot, restore.pointInTime].filter((s) => s !== undefined).length;
  check
    .require(RESTORE_NAME.test(restore.name ?? ""), "restore.name", restore.name, "1-20 lowercase letters and digits, starting with a letter (the restored identifier is <original>-<name>)")
    .require(sources === 1, "restore", sources === 0 ? "(no source)" : "(snapshot and pointInTime)", "exactly one of snapshot or pointInTime")
    .require(!restore.retireOriginal || restore.serve === true, "restore.retireOriginal", restore.retireOriginal, "only with serve: true: the original is retired after the application has moved to the restored database");
  if (restore.snapshot !== undefined) {
    const arn = new RegExp(`^arn:aws[a-z-]*:rds:[a-z0-9-]+:\\d{12}:${snapshotArnType}:[a-zA-Z][a-zA-Z0-9:-]{0,254}$`);
    const id = /^[a-zA-Z][a-zA-Z0-9:-]{0,254}$/;
    check.require(
      restore.snapshot.startsWith("arn:") ? arn.test(restore.snapshot) : id.test(restore.snapshot) && !restore.snapshot.endsWith("-") && !restore.snapshot.includes("--"),
      "restore.snapshot",
      restore.snapshot,
      `a snapshot identifier (a letter, then letters, digits, hyphens or colons, up to 255; no trailing or double hyphen) or a ${snapshotArnType} ARN`,
    );
  }
  if (restore.pointInTime !== undefined) {
    const problem = restoreTimeProblem(restore.pointInTime.time ?? "");
    check.require(problem === undefined, "restore.pointInTime.time", restore.pointInTime.time, problem ?? "");
    const source = restore.pointInTime.source ?? original;
    const sourceProblem = rdsIdentifierProblem(source, 63);
    check.require(sourceProblem === undefined, "restore.pointInTime.source", source, sourceProblem ?? "");
  }
  const restored = `${original}-${restore.name}`;
  const restoredProblem = rdsIdentifierProblem(restored, 63);
  check.require(restoredProblem === undefined, "(restored identifier)", restored, restoredProblem ?? "");
}

/**
 * What `original` and its restore are given, by their roles: the one that serves takes the
 * environment's protection; the original, once it no longer serves, keeps only its final snapshot;
 * a restore not yet serving is a candidate, deleted freely if it is the wrong one.
 */
export function restoreProtection<P extends { deletionProtection: boolean; preventDestroy: boolean; finalSnapshot: boolean }>(
  profile: P,
  restore: DatabaseRestore | undefined,
): { original: P; restored: P } {
  const serving = restore?.serve === true;
  return {
    original: serving ? { ...profile, deletionProtection: false, preventDestroy: false, finalSnapshot: true } : profile,
    restored: serving ? profile : { ...profile, deletionProtection: false, preventDestroy: false, finalSnapshot: false },
  };
}

/**
 * The provider arguments that create a database from `source` (both ForceNew: a different source
 * is a different database). Clusters and instances name the same things differently.
 */
export function restoreArguments(source: DatabaseRestoreSource, originalIdentifier: string, kind: "cluster" | "instance"): Record<string, unknown> {
  if (source.snapshot !== undefined) return { snapshotIdentifier: source.snapshot };
  if (source.pointInTime === undefined) return {};
  const from = source.pointInTime.source ?? originalIdentifier;
  const when = source.pointInTime.time === "latest" ? { useLatestRestorableTime: true } : kind === "cluster" ? { restoreToTime: source.pointInTime.time } : { restoreTime: source.pointInTime.time };
  return { restoreToPointInTime: kind === "cluster" ? { sourceClusterIdentifier: from, ...when } : { sourceDbInstanceIdentifier: from, ...when } };
}
