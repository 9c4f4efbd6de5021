import { Construct } from "constructs";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { Label, TaggableProps, rdsIdentifierProblem } from "../label";
import { ISecretSource } from "../iam";
import { LogGroup, checkRetention } from "../logs";
import { Metric, MetricOptions, metric } from "../metrics";
import { Connections, EgressRule, IConnectable, INetwork, checkEgress, httpsClientGroup } from "../network";
import { ProtectionProfile } from "../protection";
import { PropsCheck } from "../validation";
import { suppressed } from "../compliance/suppress";
import type { IBackupTarget } from "../backup";
import type { TunnelTarget } from "../bastion";
import { DatabaseRestore, DatabaseRestoreSource, MONITORING_INTERVALS, POSTGRES_NAME, POSTGRES_PORT, TLS_AND_CONNECTION_LOGGING, checkPerformanceInsightsRetention, checkRestore, checkWindows, restoreArguments, managedSecret, monitoringRole, postgresLogGroup, postgresSecurityGroup, restoreProtection } from "./postgres";
import { DB_INSTANCE_CLASS, rdsCatalogueHint, rdsMajor } from "./versions";

/** A security group a future workload attaches to reach the database. */
export interface ClientGroup {
  /** What will use it; its console description (changing it replaces the group). */
  readonly description: string;
  /** Egress beyond HTTPS, each with its reason. @default [] */
  readonly egress?: readonly EgressRule[];
}

export interface RdsInstanceProps extends TaggableProps {
  /** The network; the instance lives in its DB subnet group. */
  readonly network: INetwork;
  /**
   * RDS for PostgreSQL version, `<major>.<minor>` from the catalogue in
   * `versions.ts`. Minors never upgrade on their own: an upgrade is a change
   * of this value, reviewed in a plan.
   */
  readonly engineVersion: string;
  /** @default "db.t4g.small" */
  readonly instanceClass?: string;
  /** @default 20 - GB of gp3, 20-65536 */
  readonly allocatedStorage?: number;
  /**
   * Storage autoscaling ceiling in GB: at least 10% above `allocatedStorage`;
   * 0 turns autoscaling off.
   * @default 100
   */
  readonly maxAllocatedStorage?: number;
  /** A standby in a second AZ with automatic failover. @default false */
  readonly multiAz?: boolean;
  /** KMS key for storage, snapshots and Performance Insights. */
  readonly storageKmsKeyArn: string;
  /** KMS key for the RDS-managed master password secret. */
  readonly secretKmsKeyArn: string;
  /** KMS key for the PostgreSQL log group. */
  readonly logKmsKeyArn: string;
  /** @default 365 */
  readonly logRetentionInDays?: number;
  /** @default "app" */
  readonly databaseName?: string;
  /** Master user; RDS generates and keeps its password in Secrets Manager. @default "dbadmin" */
  readonly masterUsername?: string;
  /** @default 7 - days, 1-35 */
  readonly backupRetentionPeriod?: number;
  /**
   * Security groups for workloads Keel does not run (yet): each is allowed
   * PostgreSQL to the instance and HTTPS out (plus its `egress`), ready to be
   * attached to a service. StartupWebApp's "Backend SG".
   * @default {}
   */
  readonly clientGroups?: Readonly<Record<string, ClientGroup>>;
  /** @default "03:00-04:00" - UTC, at least 30 minutes, not overlapping maintenance */
  readonly preferredBackupWindow?: string;
  /** @default "sun:04:30-sun:05:30" */
  readonly preferredMaintenanceWindow?: string;
  /** @default 60 - seconds; 0 turns Enhanced Monitoring off */
  readonly monitoringInterval?: number;
  /** @default 7 - days: 7, a multiple of 31 up to 713, or 731 */
  readonly performanceInsightsRetentionPeriod?: number;
  /**
   * An instance restored beside this one from a snapshot or a point in time, then served from,
   * then the original retired (`DatabaseRestore`; the README's restore runbook).
   * @default - none
   */
  readonly restore?: DatabaseRestore;
  readonly protection: Pick<ProtectionProfile, "deletionProtection" | "finalSnapshot" | "preventDestroy" | "protectAuditLogs">;
}

/**
 * An RDS for PostgreSQL instance with Aurora's secure defaults: encrypted gp3
 * storage that grows on its own, an RDS-managed master password under a
 * customer key, IAM authentication, TLS-only connections, PostgreSQL logs in
 * an encrypted log group, Enhanced Monitoring, encrypted Performance
 * Insights, and a security group with no rule but those `allowFrom` adds.
 */
export class RdsInstance extends Construct implements IConnectable {
  public readonly resource: DbInstance;
  public readonly connections: Connections;
  public readonly securityGroupId: string;
  /** The serving instance's identifier: the original's, or the restore's once it serves. */
  public readonly instanceIdentifier: string;
  /** The identifier Keel gives the environment's instance (the original, before any restore). */
  public readonly originalIdentifier: string;
  /** The instance restored beside the original (`restore`), whether or not it serves yet. */
  public readonly restoredInstance?: DbInstance;
  public readonly endpoint: string;
  public readonly port = POSTGRES_PORT;
  public readonly masterUserSecretArn: string;
  public readonly masterSecret: ISecretSource;
  public readonly logGroup: LogGroup;
  private readonly instances: DbInstance[];
  private readonly secretKeyArn: string;

  constructor(scope: Construct, id: string, props: RdsInstanceProps) {
    super(scope, id);
    const label = Label.of(this);
    this.originalIdentifier = label.id("rds", "dbInstance");
    this.secretKeyArn = props.secretKmsKeyArn;
    const major = validate(props, this.originalIdentifier);
    const tags = (name: string): Record<string, string> => label.resourceTags(name, props.tags);
    const { securityGroup, connections } = postgresSecurityGroup(this, "rds", "RDS", props.network.vpcId, props.tags);
    this.securityGroupId = securityGroup.id;
    this.connections = connections;
    this.logGroup = postgresLogGroup(this, "postgresql-log-group", `/aws/rds/instance/${this.originalIdentifier}/postgresql`, {
      retentionInDays: props.logRetentionInDays ?? 365,
      kmsKeyArn: props.logKmsKeyArn,
      preventDestroy: props.protection.protectAuditLogs,
      tags: props.tags,
    });
    // Family in the name and ForceNew: a major upgrade makes the new group before the old goes.
    const groupName = label.id(`rds-postgres${major}`, "dbParameterGroup");
    const parameterGroup = new DbParameterGroup(this, "parameter-group", {
      namePrefix: `${groupName}-`,
      family: `postgres${major}`,
      description: "TLS only; connections logged",
      parameter: [...TLS_AND_CONNECTION_LOGGING],
      tags: tags(groupName),
      lifecycle: { createBeforeDestroy: true },
    });
    const interval = props.monitoringInterval ?? 60;
    const monitoring = monitoringRole(this, "rds-monitoring", interval, props.tags);
    const restore = props.restore;
    const protection = restoreProtection(props.protection, restore);
    // One instance, the original's or the restore's: everything but the source is shared.
    const instance = (id: string, identifier: string, logGroup: LogGroup, protect: RdsInstanceProps["protection"]): DbInstance => {
      const skipFinalSnapshot = !protect.finalSnapshot;
      const source: DatabaseRestoreSource = id === "resource" || restore === undefined ? {} : restore;
      return suppressed(
        new DbInstance(this, id, {
          identifier: identifier,
          engine: "postgres",
          engineVersion: props.engineVersion,
          allowMajorVersionUpgrade: true,
          autoMinorVersionUpgrade: false,
          instanceClass: props.instanceClass ?? "db.t4g.small",
          allocatedStorage: props.allocatedStorage ?? 20,
          maxAllocatedStorage: props.maxAllocatedStorage ?? 100,
          storageType: "gp3",
          storageEncrypted: true,
          kmsKeyId: props.storageKmsKeyArn,
          // From a snapshot, the database and master user are the snapshot's (RDS takes neither).
          ...(source.snapshot === undefined ? { dbName: props.databaseName ?? "app", username: props.masterUsername ?? "dbadmin" } : {}),
          manageMasterUserPassword: true,
          masterUserSecretKmsKeyId: props.secretKmsKeyArn,
          iamDatabaseAuthenticationEnabled: true,
          port: POSTGRES_PORT,
          dbSubnetGroupName: props.network.databaseSubnetGroupName ?? "",
          vpcSecurityGroupIds: [securityGroup.id],
          parameterGroupName: parameterGroup.name,
          multiAz: props.multiAz ?? false,
          publiclyAccessible: false,
          backupRetentionPeriod: props.backupRetentionPeriod ?? 7,
          backupWindow: props.preferredBackupWindow ?? "03:00-04:00",
          maintenanceWindow: props.preferredMaintenanceWindow ?? "sun:04:30-sun:05:30",
          copyTagsToSnapshot: true,
          enabledCloudwatchLogsExports: ["postgresql"],
          monitoringInterval: interval,
          monitoringRoleArn: monitoring?.roleArn,
          performanceInsightsEnabled: true,
          performanceInsightsKmsKeyId: props.storageKmsKeyArn,
          performanceInsightsRetentionPeriod: props.performanceInsightsRetentionPeriod ?? 7,
          deletionProtection: protect.deletionProtection,
          skipFinalSnapshot,
          finalSnapshotIdentifier: skipFinalSnapshot ? undefined : `${identifier}-final`,
          // ForceNew: a different source is a different database.
          ...restoreArguments(source, this.originalIdentifier, "instance"),
          tags: tags(identifier),
          dependsOn: [logGroup.resource],
          lifecycle: { preventDestroy: protect.preventDestroy },
        }),
        {
          rule: "rds-auto-minor-version-upgrade",
          reason: "Keel pins the engine version; minor upgrades are config changes reviewed in a plan, so the instance never drifts from it",
        },
      );
    };
    // The original: gone from config once retired (the next apply deletes it, with its final
    // snapshot); its log group stays, since it holds the original's audit trail.
    const original = restore?.retireOriginal ? undefined : instance("resource", this.originalIdentifier, this.logGroup, protection.original);
    const restoredIdentifier = restore === undefined ? undefined : label.id(`rds-${restore.name}`, "dbInstance");
    this.restoredInstance =
      restore === undefined || restoredIdentifier === undefined
        ? undefined
        : instance(
            "restore",
            restoredIdentifier,
            postgresLogGroup(this, "restore-postgresql-log-group", `/aws/rds/instance/${restoredIdentifier}/postgresql`, {
              retentionInDays: props.logRetentionInDays ?? 365,
              kmsKeyArn: props.logKmsKeyArn,
              preventDestroy: props.protection.protectAuditLogs,
              tags: props.tags,
            }),
            protection.restored,
          );
    // What the rest of the environment reaches, measures, backs up and outputs: the serving instance.
    this.resource = restore?.serve ? this.restoredInstance! : original!;
    this.instances = [original, this.restoredInstance].flatMap((i) => (i === undefined ? [] : [i]));
    this.instanceIdentifier = restore?.serve ? restoredIdentifier! : this.originalIdentifier;
    this.endpoint = this.resource.address;
    this.masterUserSecretArn = this.resource.masterUserSecret.get(0).secretArn;
    this.masterSecret = managedSecret(this, "Rds", this.masterUserSecretArn, props.secretKmsKeyArn);
    for (const [name, group] of Object.entries(props.clientGroups ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      const scope = new Construct(this, `client-${name}`);
      const client = httpsClientGroup(scope, { role: name, name, description: group.description, vpcId: props.network.vpcId, tags: props.tags, egressDescription: "HTTPS to AWS APIs and the services the workload calls", egress: group.egress });
      this.allowFrom(client);
      this.clientGroupIds.set(name, client.securityGroup.id);
    }
  }

  /** The `clientGroups`' security group ids, by name. */
  public readonly clientGroupIds = new Map<string, string>();

  /** Every instance in config, for operators' tunnels through a bastion (`bastion.allowTunnelTo(rds)`). */
  public get tunnelTargets(): TunnelTarget[] {
    return this.instances.map((i) => ({ host: i.address, port: POSTGRES_PORT, secret: i === this.resource ? this.masterSecret : managedSecret(this, i === this.restoredInstance ? "RdsRestore" : "RdsOriginal", i.masterUserSecret.get(0).secretArn, this.secretKeyArn) }));
  }

  /** Every instance in config (the original and a restore beside it), for AWS Backup's selection. */
  public get backupTargets(): IBackupTarget[] {
    return this.instances.map((i) => ({ backupArn: i.arn }));
  }

  /** The serving instance, for AWS Backup's selection (`backup.protect(rds)`). */
  public get backupArn(): string {
    return this.resource.arn;
  }

  /** Admits PostgreSQL from `peer`'s security group: `rds.allowFrom(service)`. */
  public allowFrom(peer: IConnectable): void {
    this.connections.allowFrom(peer);
  }

  /** An instance metric (namespace AWS/RDS, dimension DBInstanceIdentifier). */
  public metric(metricName: string, statistic: Metric["statistic"], options?: MetricOptions): Metric {
    return metric("AWS/RDS", metricName, { DBInstanceIdentifier: this.instanceIdentifier }, statistic, options);
  }

  public metricCpuUtilization(options?: MetricOptions): Metric {
    return this.metric("CPUUtilization", "Average", options);
  }

  public metricDatabaseConnections(options?: MetricOptions): Metric {
    return this.metric("DatabaseConnections", "Maximum", options);
  }

  /** Bytes of memory available. */
  public metricFreeableMemory(options?: MetricOptions): Metric {
    return this.metric("FreeableMemory", "Minimum", options);
  }

  /** Bytes of storage left (an instance has it; Aurora does not). */
  public metricFreeStorageSpace(options?: MetricOptions): Metric {
    return this.metric("FreeStorageSpace", "Minimum", options);
  }

  public metricReadLatency(options?: MetricOptions): Metric {
    return this.metric("ReadLatency", "Average", options);
  }

  public metricWriteLatency(options?: MetricOptions): Metric {
    return this.metric("WriteLatency", "Average", options);
  }

  /** Bytes read per second. */
  public metricReadThroughput(options?: MetricOptions): Metric {
    return this.metric("ReadThroughput", "Average", options);
  }

  /** Bytes written per second. */
  public metricWriteThroughput(options?: MetricOptions): Metric {
    return this.metric("WriteThroughput", "Average", options);
  }
}

/** Checks every prop before anything is created; returns the engine's major version. */
function validate(props: RdsInstanceProps, identifier: string): string {
  const check = new PropsCheck("RdsInstance");
  for (const [what, name] of [
    ["instance identifier", identifier],
    ["final snapshot identifier", `${identifier}-final`],
  ]) {
    const problem = rdsIdentifierProblem(name);
    check.require(problem === undefined, `(${what})`, name, problem ?? "");
  }
  checkRestore(check, props.restore, identifier, "snapshot");
  const major = rdsMajor(props.engineVersion);
  check.require(major !== undefined, "engineVersion", props.engineVersion, rdsCatalogueHint(props.engineVersion));
  const instanceClass = props.instanceClass ?? "db.t4g.small";
  const allocated = props.allocatedStorage ?? 20;
  const max = props.maxAllocatedStorage ?? 100;
  check
    .require(DB_INSTANCE_CLASS.test(instanceClass), "instanceClass", instanceClass, "an RDS instance class such as db.t4g.small, db.t3.small or db.m7g.large")
    .integer("allocatedStorage", allocated, 20, 65536)
    .require(max === 0 || (Number.isInteger(max) && max >= Math.ceil((allocated * 11) / 10) && max <= 65536), "maxAllocatedStorage", max, `0 (no autoscaling) or a whole number of GB from ${Math.ceil((allocated * 11) / 10)} (10% above allocatedStorage, RDS's minimum) to 65536`)
    .integer("backupRetentionPeriod", props.backupRetentionPeriod ?? 7, 1, 35)
    .require(POSTGRES_NAME.test(props.databaseName ?? "app"), "databaseName", props.databaseName, "a letter, then up to 62 letters, digits or underscores")
    .require(POSTGRES_NAME.test(props.masterUsername ?? "dbadmin") && !["rdsadmin", "postgres"].includes(props.masterUsername ?? ""), "masterUsername", props.masterUsername, "a letter, then up to 62 letters, digits or underscores; not rdsadmin or postgres, which RDS reserves")
    .oneOf("monitoringInterval", props.monitoringInterval ?? 60, MONITORING_INTERVALS);
  checkPerformanceInsightsRetention(check, props.performanceInsightsRetentionPeriod ?? 7);
  for (const [name, group] of Object.entries(props.clientGroups ?? {})) {
    check.shortName(`clientGroups.${name}`, name).require(/^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/.test(group.description), `clientGroups.${name}.description`, group.description, "1-255 characters a security group description takes (letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*)");
    checkEgress(check, `clientGroups.${name}.egress`, group.egress);
  }
  checkWindows(check, props.preferredBackupWindow ?? "03:00-04:00", props.preferredMaintenanceWindow ?? "sun:04:30-sun:05:30");
  checkRetention(check, "logRetentionInDays", props.logRetentionInDays ?? 365)
    .nonEmpty("storageKmsKeyArn", props.storageKmsKeyArn)
    .nonEmpty("secretKmsKeyArn", props.secretKmsKeyArn)
    .nonEmpty("logKmsKeyArn", props.logKmsKeyArn)
    .require(props.network.databaseSubnetGroupName !== undefined, "network", "(no database subnets)", "a network with a DB subnet group: give databaseSubnets or databaseSubnetGroupTier")
    .tags("tags", props.tags)
    .done();
  return major ?? "";
}
