import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Label } from "../label";
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
