import { Construct } from "constructs";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { RdsClusterParameterGroup } from "@cdktf/provider-aws/lib/rds-cluster-parameter-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Label, TaggableProps, rdsIdentifierProblem } from "../label";
import { IGrantable, ISecretSource } from "../iam";
import { LogGroup, checkRetention } from "../logs";
import { DatabaseRestore, DatabaseRestoreSource, MONITORING_INTERVALS, POSTGRES_NAME, POSTGRES_PORT, TLS_AND_CONNECTION_LOGGING, checkPerformanceInsightsRetention, checkRestore, checkWindows, restoreArguments, managedSecret, monitoringRole, postgresLogGroup, postgresSecurityGroup, restoreProtection } from "../rds/postgres";
import { Metric, MetricOptions, metric } from "../metrics";
import { Connections, IConnectable, INetwork } from "../network";
import { ProtectionProfile } from "../protection";
import { PropsCheck } from "../validation";
import { PGAUDIT_CLASSES, PgauditClass } from "./constants";
import { catalogueHint, catalogueVersion, versionHas } from "./versions";
import { suppressed } from "../compliance/suppress";
import type { IBackupTarget } from "../backup";
import type { TunnelTarget } from "../bastion";

export interface AuroraProps extends TaggableProps {
  /** The network; the cluster lives in its data subnets (its DB subnet group). */
  readonly network: INetwork;
  /**
   * Aurora PostgreSQL version, `<major>.<minor>`, e.g. `15.10`: one of the
   * catalogue in `versions.ts`. Minor versions never upgrade on their own
   * (that would make every later plan propose a downgrade): an upgrade is a
   * change of this value, reviewed in a plan. A new major also needs its
   * parameter group family, which follows from it.
   */
  readonly engineVersion: string;
  /**
   * Serverless v2 minimum capacity in ACU, 0-256 in steps of 0.5. 0 pauses the
   * cluster when idle, which needs 13.15, 14.12, 15.7, 16.3, 17.4 or later.
   * @default 0.5
   */
  readonly minCapacity?: number;
  /**
   * Serverless v2 maximum capacity in ACU, 1-256 in steps of 0.5, at least `minCapacity`.
   * @default 1
   */
  readonly maxCapacity?: number;
  /**
   * Whether the cluster has a writer instance.
   * @default true
   */
  readonly writer?: boolean;
  /**
   * The AZ the writer is created in (one of the network's AZs), as a design
   * draws it. ForceNew: set it before the first apply, or to the AZ the
   * writer already runs in, or the writer is replaced.
   * @default - RDS places it
   */
  readonly writerAvailabilityZone?: string;
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
  /**
   * Days PostgreSQL logs (with pgAudit's) are kept in CloudWatch; one of the values CloudWatch accepts.
   * @default 365
   */
  readonly logRetentionInDays?: number;
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
   * Daily backup window, UTC `hh:mm-hh:mm`: at least 30 minutes, never
   * overlapping the maintenance window.
   * @default "03:00-04:00"
   */
  readonly preferredBackupWindow?: string;
  /**
   * Weekly maintenance window, UTC `ddd:hh:mm-ddd:hh:mm`, at least 30 minutes.
   * @default "sun:04:30-sun:05:30"
   */
  readonly preferredMaintenanceWindow?: string;
  /**
   * RDS deletion protection, a final snapshot `<cluster>-final` on delete, Terraform
   * `prevent_destroy` on the cluster, and `prevent_destroy` on its (pgAudit) log group.
   */
  readonly protection: Pick<ProtectionProfile, "deletionProtection" | "finalSnapshot" | "preventDestroy" | "protectAuditLogs">;
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
  /**
   * A cluster restored beside this one from a snapshot or a point in time, then served from, then
   * the original retired (`DatabaseRestore`; the README's restore runbook). The restored cluster
   * has the same settings, keys, subnets, security group and instances.
   * @default - none
   */
  readonly restore?: DatabaseRestore;
}

const PORT = POSTGRES_PORT;

/**
 * Aurora PostgreSQL Serverless v2: encrypted storage, an RDS-managed master
 * password, IAM authentication, TLS-only connections with pgAudit, PostgreSQL
 * logs in an encrypted log group, Enhanced Monitoring, encrypted Performance
 * Insights, and a security group with no rule but the ones `allowFrom` adds.
 */
export class Aurora extends Construct implements IConnectable {
  public readonly resource: RdsCluster;
  public readonly connections: Connections;
  public readonly securityGroup: SecurityGroup;
  public readonly securityGroupId: string;
  /** The serving cluster's identifier: the original's, or the restore's once it serves. */
  public readonly clusterIdentifier: string;
  /** The identifier Keel gives the environment's cluster (the original, before any restore). */
  public readonly originalIdentifier: string;
  public readonly clusterEndpoint: string;
  public readonly clusterReaderEndpoint: string;
  public readonly clusterPort: number = PORT;
  /** ARN of the Secrets Manager secret RDS keeps the master password in. */
  public readonly masterUserSecretArn: string;
  /** The master secret, for workloads that read it at run time (`secret.grantRead(role)`). */
  public readonly masterSecret: ISecretSource;
  public readonly instances: readonly RdsClusterInstance[];
  public readonly logGroup: LogGroup;
  private readonly clusters: RdsCluster[];
  private readonly secretKeyArn: string;

  constructor(scope: Construct, id: string, props: AuroraProps) {
    super(scope, id);
    const label = Label.of(this);
    const major = validate(props, label);
    this.secretKeyArn = props.secretKmsKeyArn;
    const subnetGroupName = props.network.databaseSubnetGroupName ?? "";
    this.originalIdentifier = label.id("aurora", "dbCluster");
    const tags = (name: string): Record<string, string> => label.resourceTags(name, props.tags);

    const { securityGroup, connections } = postgresSecurityGroup(this, "aurora", "Aurora", props.network.vpcId, props.tags);
    this.securityGroup = securityGroup;
    this.securityGroupId = securityGroup.id;
    this.connections = connections;

    // RDS would create this group itself, unencrypted and kept forever; create it first.
    this.logGroup = postgresLogGroup(this, "postgresql-log-group", `/aws/rds/cluster/${this.originalIdentifier}/postgresql`, {
      retentionInDays: props.logRetentionInDays ?? 365,
      kmsKeyArn: props.logKmsKeyArn,
      preventDestroy: props.protection.protectAuditLogs,
      tags: props.tags,
    });

    // The family is in the name and is ForceNew, so a major upgrade replaces
    // the group while the cluster uses it: create the new one first, under a
    // prefix so the two can coexist, then destroy the old.
    const parameterGroup = new RdsClusterParameterGroup(this, "parameter-group", {
      namePrefix: `${label.id(`aurora-postgresql${major}`, "dbParameterGroup")}-`,
      family: `aurora-postgresql${major}`,
      description: "TLS only; pgAudit; connections logged",
      parameter: [
        ...TLS_AND_CONNECTION_LOGGING,
        { name: "shared_preload_libraries", value: "pg_stat_statements,pgaudit", applyMethod: "pending-reboot" },
        { name: "pgaudit.log", value: (props.pgauditLog ?? ["ddl", "role"]).join(",") },
        { name: "pgaudit.role", value: "rds_pgaudit" },
      ],
      tags: tags(label.id(`aurora-postgresql${major}`, "dbParameterGroup")),
      lifecycle: { createBeforeDestroy: true },
    });

    const interval = props.monitoringInterval ?? 60;
    const monitoring = monitoringRole(this, "aurora-monitoring", interval, props.tags);
    const roles = [...((props.writer ?? true) ? ["writer"] : []), ...Array.from({ length: props.readers ?? 0 }, (_, i) => `reader-${i + 1}`)];
    const restore = props.restore;
    const protection = restoreProtection(props.protection, restore);

    // One cluster and its instances, the original's or the restore's: everything but the source is shared.
    const cluster = (id: string, name: string, identifier: string, logGroup: LogGroup, protect: AuroraProps["protection"]): { cluster: RdsCluster; instances: RdsClusterInstance[] } => {
      const skipFinalSnapshot = !protect.finalSnapshot;
      const source: DatabaseRestoreSource = id === "resource" || restore === undefined ? {} : restore;
      const resource = new RdsCluster(this, id, {
        clusterIdentifier: identifier,
        engine: "aurora-postgresql",
        engineMode: "provisioned",
        engineVersion: props.engineVersion,
        // A major version in config is a reviewed upgrade (the parameter group's family follows it).
        allowMajorVersionUpgrade: true,
        databaseName: props.databaseName ?? "app",
        masterUsername: props.masterUsername ?? "dbadmin",
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: props.secretKmsKeyArn,
        iamDatabaseAuthenticationEnabled: true,
        storageEncrypted: true,
        kmsKeyId: props.storageKmsKeyArn,
        port: PORT,
        dbSubnetGroupName: subnetGroupName,
        vpcSecurityGroupIds: [this.securityGroupId],
        dbClusterParameterGroupName: parameterGroup.name,
        serverlessv2ScalingConfiguration: { minCapacity: props.minCapacity ?? 0.5, maxCapacity: props.maxCapacity ?? 1 },
        backupRetentionPeriod: props.backupRetentionPeriod ?? 7,
        preferredBackupWindow: props.preferredBackupWindow ?? "03:00-04:00",
        preferredMaintenanceWindow: props.preferredMaintenanceWindow ?? "sun:04:30-sun:05:30",
        copyTagsToSnapshot: true,
        enabledCloudwatchLogsExports: ["postgresql"],
        deletionProtection: protect.deletionProtection,
        skipFinalSnapshot,
        finalSnapshotIdentifier: skipFinalSnapshot ? undefined : `${identifier}-final`,
        // ForceNew: a different source is a different database.
        ...restoreArguments(source, this.originalIdentifier, "cluster"),
        tags: tags(identifier),
        dependsOn: [logGroup.resource],
        lifecycle: { preventDestroy: protect.preventDestroy },
      });
      const instances = roles.map((role) =>
        suppressed(
          new RdsClusterInstance(this, id === "resource" ? role : `${id}-${role}`, {
            identifier: label.id(`${name}-${role}`, "dbInstance"),
            clusterIdentifier: resource.id,
            instanceClass: "db.serverless",
            // No engine_version: an instance runs its cluster's (provider issue #42578: a version
            // here is upgraded by RDS with the cluster, and then every plan proposes a downgrade).
            engine: "aurora-postgresql",
            publiclyAccessible: false,
            promotionTier: role === "writer" ? 0 : 1,
            ...(role === "writer" && props.writerAvailabilityZone !== undefined ? { availabilityZone: props.writerAvailabilityZone } : {}),
            monitoringInterval: interval,
            monitoringRoleArn: monitoring?.roleArn,
            performanceInsightsEnabled: true,
            performanceInsightsKmsKeyId: props.storageKmsKeyArn,
            performanceInsightsRetentionPeriod: props.performanceInsightsRetentionPeriod ?? 7,
            // Upgrades are config changes of engineVersion, so the cluster never drifts from it.
            autoMinorVersionUpgrade: false,
            copyTagsToSnapshot: true,
            tags: tags(label.id(`${name}-${role}`, "dbInstance")),
          }),
          {
            rule: "rds-auto-minor-version-upgrade",
            reason: "Keel pins the engine version on the cluster; minor upgrades are config changes reviewed in a plan, so the cluster never drifts from it",
          },
        ),
      );
      return { cluster: resource, instances };
    };

    // The original: gone from config once retired (the next apply deletes it, with its final
    // snapshot); its log group stays, since it holds the original's audit trail.
    const original = restore?.retireOriginal ? undefined : cluster("resource", "aurora", this.originalIdentifier, this.logGroup, protection.original);
    const restored =
      restore === undefined
        ? undefined
        : cluster(
            "restore",
            `aurora-${restore.name}`,
            label.id(`aurora-${restore.name}`, "dbCluster"),
            postgresLogGroup(this, "restore-postgresql-log-group", `/aws/rds/cluster/${label.id(`aurora-${restore.name}`, "dbCluster")}/postgresql`, {
              retentionInDays: props.logRetentionInDays ?? 365,
              kmsKeyArn: props.logKmsKeyArn,
              preventDestroy: props.protection.protectAuditLogs,
              tags: props.tags,
            }),
            protection.restored,
          );
    // What the rest of the environment reaches, measures, backs up and outputs: the serving cluster.
    const serving = restore?.serve ? restored! : original!;
    this.clusters = [original, restored].flatMap((c) => (c === undefined ? [] : [c.cluster]));
    this.resource = serving.cluster;
    this.instances = serving.instances;
    this.restoredCluster = restored?.cluster;
    this.clusterIdentifier = restore?.serve ? label.id(`aurora-${restore.name}`, "dbCluster") : this.originalIdentifier;
    this.clusterEndpoint = this.resource.endpoint;
    this.clusterReaderEndpoint = this.resource.readerEndpoint;
    this.masterUserSecretArn = this.resource.masterUserSecret.get(0).secretArn;
    this.masterSecret = managedSecret(this, "Aurora", this.masterUserSecretArn, props.secretKmsKeyArn);
  }

  /** The cluster restored beside the original (`restore`), whether or not it serves yet. */
  public readonly restoredCluster?: RdsCluster;

  /** Every cluster in config, for operators' tunnels through a bastion (`bastion.allowTunnelTo(aurora)`). */
  public get tunnelTargets(): TunnelTarget[] {
    return this.clusters.map((c) => ({ host: c.endpoint, port: PORT, secret: c === this.resource ? this.masterSecret : managedSecret(this, c === this.restoredCluster ? "AuroraRestore" : "AuroraOriginal", c.masterUserSecret.get(0).secretArn, this.secretKeyArn) }));
  }

  /** Every cluster in config (the original and a restore beside it), for AWS Backup's selection. */
  public get backupTargets(): IBackupTarget[] {
    return this.clusters.map((c) => ({ backupArn: c.arn }));
  }

  /**
   * Admits PostgreSQL from `peer`'s security group, and lets the peer send to
   * this cluster's group. Again with the same peer does nothing:
   * `aurora.allowFrom(bastion)`.
   */
  public allowFrom(peer: IConnectable): void {
    this.connections.allowFrom(peer);
  }

  /**
   * Lets `grantee` connect as the database user `dbUser` with IAM database
   * authentication (`rds-db:connect`). The user must exist in PostgreSQL
   * with `GRANT rds_iam TO <dbUser>`.
   */
  public grantConnect(grantee: IGrantable, dbUser: string): void {
    new PropsCheck("Aurora")
      .require(DB_USER.test(dbUser) && dbUser !== "rdsadmin", "grantConnect.dbUser", dbUser, "a PostgreSQL user name: a letter, then up to 62 letters, digits or underscores; not rdsadmin")
      .done();
    const label = Label.of(this);
    grantee.addToPolicy({
      sid: `ConnectToAuroraAs${dbUser.replace(/[^A-Za-z0-9]/g, "")}`,
      actions: ["rds-db:connect"],
      resources: [label.arn("rds-db", `dbuser:${this.resource.clusterResourceId}/${dbUser}`)],
    });
  }

  /** A cluster metric (namespace AWS/RDS, dimension DBClusterIdentifier). */
  public metric(metricName: string, statistic: Metric["statistic"], options?: MetricOptions): Metric {
    return metric("AWS/RDS", metricName, { DBClusterIdentifier: this.clusterIdentifier }, statistic, options);
  }

  /** CPU of the cluster's instances, percent. */
  public metricCpuUtilization(options?: MetricOptions): Metric {
    return this.metric("CPUUtilization", "Average", options);
  }

  /** Open client connections. */
  public metricDatabaseConnections(options?: MetricOptions): Metric {
    return this.metric("DatabaseConnections", "Maximum", options);
  }

  /** Memory available to the instances, bytes. */
  public metricFreeableMemory(options?: MetricOptions): Metric {
    return this.metric("FreeableMemory", "Minimum", options);
  }

  /** Serverless v2 capacity used, percent of `maxCapacity`. */
  public metricAcuUtilization(options?: MetricOptions): Metric {
    return this.metric("ACUUtilization", "Average", options);
  }

  /** The cluster, for AWS Backup's selection (`backup.protect(aurora)`). */
  public get backupArn(): string {
    return this.resource.arn;
  }

  /** Average time per disk read, seconds. */
  public metricReadLatency(options?: MetricOptions): Metric {
    return this.metric("ReadLatency", "Average", options);
  }

  /** Average time per disk write, seconds. */
  public metricWriteLatency(options?: MetricOptions): Metric {
    return this.metric("WriteLatency", "Average", options);
  }
}

const DB_USER = POSTGRES_NAME;

/** Checks every prop before anything is created; returns the engine's major version. */
function validate(props: AuroraProps, label: Label): string {
  const check = new PropsCheck("Aurora");
  // The identifiers Keel composes from the namespace and environment, as RDS will see them.
  const cluster = label.id("aurora", "dbCluster");
  for (const [what, name] of [
    ["cluster identifier", cluster],
    ["final snapshot identifier", `${cluster}-final`],
    ["writer identifier", label.id("aurora-writer", "dbInstance")],
  ]) {
    const problem = rdsIdentifierProblem(name, 63);
    check.require(problem === undefined, `(${what})`, name, problem ?? "");
  }
  checkRestore(check, props.restore, cluster, "cluster-snapshot");
  const version = catalogueVersion(props.engineVersion);
  check.require(version !== undefined, "engineVersion", props.engineVersion, catalogueHint(props.engineVersion));
  const halfStep = (n: number): boolean => Number.isFinite(n) && Math.round(n * 2) === n * 2;
  const min = props.minCapacity ?? 0.5;
  const max = props.maxCapacity ?? 1;
  check
    .require(halfStep(min) && min >= 0 && min <= 256, "minCapacity", min, "0 to 256 ACU in steps of 0.5")
    .require(halfStep(max) && max >= 1 && max <= 256, "maxCapacity", max, "1 to 256 ACU in steps of 0.5")
    .require(max >= min, "maxCapacity", max, `at least minCapacity (${min})`)
    .integer("readers", props.readers ?? 0, 0, 15)
    .require((props.writer ?? true) || (props.readers ?? 0) === 0, "readers", props.readers, "0 when writer is false: readers replicate a writer")
    .integer("backupRetentionPeriod", props.backupRetentionPeriod ?? 7, 1, 35)
    .require(
      min !== 0 || version === undefined || versionHas(props.engineVersion, "autoPause"),
      "minCapacity",
      min,
      `at least 0.5 on ${props.engineVersion}: pausing at 0 ACU needs 13.15, 14.12, 15.7, 16.3, 17.4 or later`,
    )
    .require(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/.test(props.databaseName ?? "app"), "databaseName", props.databaseName, "a letter, then up to 62 letters, digits or underscores")
    .require(
      /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/.test(props.masterUsername ?? "dbadmin") && !["rdsadmin", "admin"].includes(props.masterUsername ?? ""),
      "masterUsername",
      props.masterUsername,
      "a letter, then up to 62 letters, digits or underscores; not rdsadmin (RDS's) nor admin, which Aurora PostgreSQL refuses as a reserved word (CreateDBCluster: InvalidParameterValue)",
    )
    .require(
      props.writerAvailabilityZone === undefined || props.network.azs.includes(props.writerAvailabilityZone),
      "writerAvailabilityZone",
      props.writerAvailabilityZone,
      `one of the network's AZs: ${props.network.azs.join(", ")}`,
    )
    .oneOf("monitoringInterval", props.monitoringInterval ?? 60, MONITORING_INTERVALS);
  checkWindows(check, props.preferredBackupWindow ?? "03:00-04:00", props.preferredMaintenanceWindow ?? "sun:04:30-sun:05:30");
  checkPerformanceInsightsRetention(check, props.performanceInsightsRetentionPeriod ?? 7);
  const pgaudit = props.pgauditLog ?? ["ddl", "role"];
  check.require(pgaudit.length > 0, "pgauditLog", pgaudit, "at least one class");
  pgaudit.forEach((c, i) => check.oneOf(`pgauditLog.${i}`, c, PGAUDIT_CLASSES));
  checkRetention(check, "logRetentionInDays", props.logRetentionInDays ?? 365)
    .distinct("pgauditLog", pgaudit)
    .nonEmpty("storageKmsKeyArn", props.storageKmsKeyArn)
    .nonEmpty("secretKmsKeyArn", props.secretKmsKeyArn)
    .nonEmpty("logKmsKeyArn", props.logKmsKeyArn)
    .require(
      props.network.databaseSubnetGroupName !== undefined,
      "network",
      "(no database subnets)",
      "a network with database subnets, which hold the DB subnet group: give network.databaseSubnets (or databaseSubnetIds of an existing network)",
    )
    .tags("tags", props.tags);
  if (version !== undefined) {
    // The parameter group's name as the cluster will have it: the key `keel names` lists is the one used.
    const group = label.id(`aurora-postgresql${version.major}`, "dbParameterGroup");
    const problem = rdsIdentifierProblem(group, 255);
    check.require(problem === undefined, "(parameter group name)", group, problem ?? "");
  }
  check.done();
  return version?.major ?? "";
}
