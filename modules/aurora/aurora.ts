import { Construct } from "constructs";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { RdsClusterParameterGroup } from "@cdktf/provider-aws/lib/rds-cluster-parameter-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { Label } from "../label";
import { ServiceRole } from "../iam";
import { LogGroup, checkRetention } from "../logs";
import { PropsCheck, PropsError } from "../validation";
import { Vpc } from "../vpc";

/** Something with a security group that may be granted network access. */
export interface SecurityGroupPeer {
  /** Short name used in rule ids and descriptions, e.g. `bastion`. */
  readonly peerName: string;
  readonly securityGroupId: string;
}

/** The pgAudit classes Aurora PostgreSQL accepts in `pgaudit.log`. */
export const PGAUDIT_CLASSES = ["read", "write", "function", "role", "ddl", "misc", "misc_set", "all"] as const;
export type PgauditClass = (typeof PGAUDIT_CLASSES)[number];

export interface AuroraProps {
  /** The VPC; the cluster lives in its data subnets (DB subnet group). */
  readonly vpc: Vpc;
  /** Aurora PostgreSQL version, `<major>.<minor>`, e.g. `15.10`. */
  readonly engineVersion: string;
  /** Serverless v2 minimum capacity in ACU, 0-256 in steps of 0.5. */
  readonly minCapacity: number;
  /** Serverless v2 maximum capacity in ACU, 1-256 in steps of 0.5, at least `minCapacity`. */
  readonly maxCapacity: number;
  /**
   * Whether the cluster has a writer instance.
   * @default true
   */
  readonly writer?: boolean;
  /**
   * Number of reader instances (needs a writer).
   * @default 0
   */
  readonly readers?: number;
  /** KMS key for storage, snapshots and Performance Insights. */
  readonly storageKmsKeyArn: string;
  /** KMS key for the RDS-managed master password secret. */
  readonly secretKmsKeyArn: string;
  /** KMS key for the PostgreSQL log group. */
  readonly logKmsKeyArn: string;
  /** Days PostgreSQL logs are kept in CloudWatch; one of the values CloudWatch accepts. */
  readonly logRetentionInDays: number;
  /**
   * Name of the initial database.
   * @default "app"
   */
  readonly databaseName?: string;
  /**
   * Master user name; its password is generated and kept by RDS in Secrets Manager.
   * @default "dbadmin"
   */
  readonly masterUsername?: string;
  /**
   * Days automated backups are kept, 1-35.
   * @default 7
   */
  readonly backupRetentionPeriod?: number;
  /**
   * Daily backup window, UTC `hh:mm-hh:mm`.
   * @default "03:00-04:00"
   */
  readonly preferredBackupWindow?: string;
  /**
   * Weekly maintenance window, UTC `ddd:hh:mm-ddd:hh:mm`.
   * @default "sun:04:30-sun:05:30"
   */
  readonly preferredMaintenanceWindow?: string;
  /**
   * RDS deletion protection.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Skip the final snapshot when the cluster is deleted.
   * @default false - a final snapshot `<cluster>-final` is taken
   */
  readonly skipFinalSnapshot?: boolean;
  /**
   * Terraform `prevent_destroy` on the cluster.
   * @default true
   */
  readonly preventDestroy?: boolean;
  /**
   * Statement classes pgAudit logs.
   * @default ["ddl", "role"]
   */
  readonly pgauditLog?: readonly PgauditClass[];
  /**
   * Enhanced Monitoring interval in seconds (0 turns it off).
   * @default 60
   */
  readonly monitoringInterval?: number;
  /**
   * Days Performance Insights data is kept: 7, a multiple of 31 up to 713, or 731.
   * @default 7
   */
  readonly performanceInsightsRetentionPeriod?: number;
}

const PORT = 5432;
const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60];
const BACKUP_WINDOW = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;
const MAINTENANCE_WINDOW = /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/;

/**
 * Aurora PostgreSQL Serverless v2: encrypted storage, an RDS-managed master
 * password, IAM authentication, TLS-only connections with pgAudit, PostgreSQL
 * logs in an encrypted log group, Enhanced Monitoring, encrypted Performance
 * Insights, and a security group with no rule but the ones `allowFrom` adds.
 */
export class Aurora extends Construct {
  public readonly resource: RdsCluster;
  public readonly securityGroup: SecurityGroup;
  public readonly securityGroupId: string;
  public readonly clusterIdentifier: string;
  public readonly clusterEndpoint: string;
  public readonly clusterReaderEndpoint: string;
  public readonly clusterPort: number = PORT;
  /** ARN of the Secrets Manager secret RDS keeps the master password in. */
  public readonly masterUserSecretArn: string;
  public readonly instances: readonly RdsClusterInstance[];
  public readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: AuroraProps) {
    super(scope, id);
    const major = validate(props);
    const label = Label.of(this);
    const subnetGroup = props.vpc.databaseSubnetGroup;
    if (subnetGroup === undefined) {
      throw new PropsError("Aurora", "vpc", "(a VPC without databaseSubnets)", "a VPC with data subnets, which hold the DB subnet group");
    }
    this.clusterIdentifier = label.id("aurora", "dbCluster");

    this.securityGroup = new SecurityGroup(this, "security-group", {
      name: label.id("aurora", "securityGroup"),
      description: `PostgreSQL ${PORT} from granted security groups only; no egress`,
      vpcId: props.vpc.vpcId,
      tags: label.resourceTags(label.id("aurora", "securityGroup")),
    });
    this.securityGroupId = this.securityGroup.id;

    // RDS would create this group itself, unencrypted and kept forever; create it first.
    this.logGroup = new LogGroup(this, "postgresql-log-group", {
      logGroupName: `/aws/rds/cluster/${this.clusterIdentifier}/postgresql`,
      retentionInDays: props.logRetentionInDays,
      kmsKeyArn: props.logKmsKeyArn,
    });

    const parameterGroup = new RdsClusterParameterGroup(this, "parameter-group", {
      name: label.id(`aurora-postgresql${major}`, "dbParameterGroup"),
      family: `aurora-postgresql${major}`,
      description: "TLS only; pgAudit",
      parameter: [
        { name: "rds.force_ssl", value: "1" },
        { name: "shared_preload_libraries", value: "pg_stat_statements,pgaudit", applyMethod: "pending-reboot" },
        { name: "pgaudit.log", value: (props.pgauditLog ?? ["ddl", "role"]).join(",") },
        { name: "pgaudit.role", value: "rds_pgaudit" },
      ],
      tags: label.resourceTags(label.id(`aurora-postgresql${major}`, "dbParameterGroup")),
    });

    const skipFinalSnapshot = props.skipFinalSnapshot ?? false;
    this.resource = new RdsCluster(this, "resource", {
      clusterIdentifier: this.clusterIdentifier,
      engine: "aurora-postgresql",
      engineMode: "provisioned",
      engineVersion: props.engineVersion,
      databaseName: props.databaseName ?? "app",
      masterUsername: props.masterUsername ?? "dbadmin",
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: props.secretKmsKeyArn,
      iamDatabaseAuthenticationEnabled: true,
      storageEncrypted: true,
      kmsKeyId: props.storageKmsKeyArn,
      port: PORT,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroupId],
      dbClusterParameterGroupName: parameterGroup.name,
      serverlessv2ScalingConfiguration: { minCapacity: props.minCapacity, maxCapacity: props.maxCapacity },
      backupRetentionPeriod: props.backupRetentionPeriod ?? 7,
      preferredBackupWindow: props.preferredBackupWindow ?? "03:00-04:00",
      preferredMaintenanceWindow: props.preferredMaintenanceWindow ?? "sun:04:30-sun:05:30",
      copyTagsToSnapshot: true,
      enabledCloudwatchLogsExports: ["postgresql"],
      deletionProtection: props.deletionProtection ?? true,
      skipFinalSnapshot,
      finalSnapshotIdentifier: skipFinalSnapshot ? undefined : `${this.clusterIdentifier}-final`,
      tags: label.resourceTags(this.clusterIdentifier),
      dependsOn: [this.logGroup.resource],
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    this.clusterEndpoint = this.resource.endpoint;
    this.clusterReaderEndpoint = this.resource.readerEndpoint;
    this.masterUserSecretArn = this.resource.masterUserSecret.get(0).secretArn;

    const interval = props.monitoringInterval ?? 60;
    const monitoringRole =
      interval > 0
        ? new ServiceRole(this, "monitoring-role", {
            purpose: "aurora-monitoring",
            servicePrincipal: "monitoring.rds.amazonaws.com",
            trustConditions: { StringEquals: { "aws:SourceAccount": label.accountId } },
            managedPolicies: ["service-role/AmazonRDSEnhancedMonitoringRole"],
          })
        : undefined;

    const roles = [...((props.writer ?? true) ? ["writer"] : []), ...Array.from({ length: props.readers ?? 0 }, (_, i) => `reader-${i + 1}`)];
    this.instances = roles.map(
      (role) =>
        new RdsClusterInstance(this, role, {
          identifier: label.id(`aurora-${role}`, "dbInstance"),
          clusterIdentifier: this.resource.id,
          instanceClass: "db.serverless",
          engine: "aurora-postgresql",
          engineVersion: props.engineVersion,
          publiclyAccessible: false,
          promotionTier: role === "writer" ? 0 : 1,
          monitoringInterval: interval,
          monitoringRoleArn: monitoringRole?.roleArn,
          performanceInsightsEnabled: true,
          performanceInsightsKmsKeyId: props.storageKmsKeyArn,
          performanceInsightsRetentionPeriod: props.performanceInsightsRetentionPeriod ?? 7,
          autoMinorVersionUpgrade: true,
          copyTagsToSnapshot: true,
          tags: label.resourceTags(label.id(`aurora-${role}`, "dbInstance")),
        }),
    );
  }

  /**
   * Admits PostgreSQL from `peer`'s security group, and lets the peer send to
   * this cluster's group (the peer's egress may be closed otherwise). One call
   * per peer: `aurora.allowFrom(bastion)`.
   */
  public allowFrom(peer: SecurityGroupPeer): void {
    new VpcSecurityGroupIngressRule(this, `ingress-from-${peer.peerName}`, {
      securityGroupId: this.securityGroupId,
      description: `PostgreSQL from ${peer.peerName}`,
      ipProtocol: "tcp",
      fromPort: PORT,
      toPort: PORT,
      referencedSecurityGroupId: peer.securityGroupId,
    });
    new VpcSecurityGroupEgressRule(this, `${peer.peerName}-egress-to-aurora`, {
      securityGroupId: peer.securityGroupId,
      description: `PostgreSQL to Aurora`,
      ipProtocol: "tcp",
      fromPort: PORT,
      toPort: PORT,
      referencedSecurityGroupId: this.securityGroupId,
    });
  }
}

/** Checks every prop before anything is created; returns the engine's major version. */
function validate(props: AuroraProps): string {
  const check = new PropsCheck("Aurora");
  const version = /^(\d+)\.(\d+)$/.exec(props.engineVersion);
  check.require(version !== null, "engineVersion", props.engineVersion, "an Aurora PostgreSQL version <major>.<minor>, e.g. 15.10");
  const halfStep = (n: number): boolean => Number.isFinite(n) && Math.round(n * 2) === n * 2;
  check
    .require(halfStep(props.minCapacity) && props.minCapacity >= 0 && props.minCapacity <= 256, "minCapacity", props.minCapacity, "0 to 256 ACU in steps of 0.5")
    .require(halfStep(props.maxCapacity) && props.maxCapacity >= 1 && props.maxCapacity <= 256, "maxCapacity", props.maxCapacity, "1 to 256 ACU in steps of 0.5")
    .require(props.maxCapacity >= props.minCapacity, "maxCapacity", props.maxCapacity, `at least minCapacity (${props.minCapacity})`)
    .integer("readers", props.readers ?? 0, 0, 15)
    .require((props.writer ?? true) || (props.readers ?? 0) === 0, "readers", props.readers, "0 when writer is false: readers replicate a writer")
    .integer("backupRetentionPeriod", props.backupRetentionPeriod ?? 7, 1, 35)
    .require(BACKUP_WINDOW.test(props.preferredBackupWindow ?? "03:00-04:00"), "preferredBackupWindow", props.preferredBackupWindow, "UTC hh:mm-hh:mm")
    .require(
      MAINTENANCE_WINDOW.test(props.preferredMaintenanceWindow ?? "sun:04:30-sun:05:30"),
      "preferredMaintenanceWindow",
      props.preferredMaintenanceWindow,
      "UTC ddd:hh:mm-ddd:hh:mm, e.g. sun:04:30-sun:05:30",
    )
    .require(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/.test(props.databaseName ?? "app"), "databaseName", props.databaseName, "a letter, then up to 62 letters, digits or underscores")
    .require(
      /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/.test(props.masterUsername ?? "dbadmin") && props.masterUsername !== "rdsadmin",
      "masterUsername",
      props.masterUsername,
      "a letter, then up to 62 letters, digits or underscores; not rdsadmin, which RDS reserves",
    )
    .oneOf("monitoringInterval", props.monitoringInterval ?? 60, MONITORING_INTERVALS);
  const pi = props.performanceInsightsRetentionPeriod ?? 7;
  check.require(pi === 7 || pi === 731 || (pi % 31 === 0 && pi >= 31 && pi <= 713), "performanceInsightsRetentionPeriod", pi, "7, a multiple of 31 from 31 to 713, or 731");
  const pgaudit = props.pgauditLog ?? ["ddl", "role"];
  check.require(pgaudit.length > 0, "pgauditLog", pgaudit, "at least one class");
  pgaudit.forEach((c, i) => check.oneOf(`pgauditLog[${i}]`, c, PGAUDIT_CLASSES));
  checkRetention("Aurora", "logRetentionInDays", props.logRetentionInDays);
  check
    .nonEmpty("storageKmsKeyArn", props.storageKmsKeyArn)
    .nonEmpty("secretKmsKeyArn", props.secretKmsKeyArn)
    .nonEmpty("logKmsKeyArn", props.logKmsKeyArn);
  return version?.[1] ?? "";
}
