import { Testing, TerraformStack } from "cdktf";
import { Aurora, AuroraProps } from "../modules/aurora";
import { Vpc } from "../modules/vpc";
import { Connections, IConnectable } from "../modules/network";
import { PROTECTION_PROFILES } from "../environments";
import { moduleStack, only, ref, resources, synth } from "./support/module-stack";

const DB_KEY = "arn:aws:kms:us-east-1:111122223333:key/db";
const SECRET_KEY = "arn:aws:kms:us-east-1:111122223333:key/secrets";
const LOG_KEY = "arn:aws:kms:us-east-1:111122223333:key/logs";

function vpcIn(stack: TerraformStack, withData = true): Vpc {
  return new Vpc(stack, "vpc", {
    cidr: "10.0.0.0/16",
    azs: ["us-east-1a", "us-east-1b"],
    privateSubnets: ["10.0.11.0/24", "10.0.12.0/24"],
    databaseSubnets: withData ? ["10.0.21.0/24", "10.0.22.0/24"] : [],
    flowLogRetentionInDays: 30,
    flowLogKmsKeyArn: LOG_KEY,
    protection: PROTECTION_PROFILES.production,
  });
}

type Extra = Partial<Omit<AuroraProps, "network">>;

function props(vpc: Vpc, extra: Extra = {}): AuroraProps {
  return {
    network: vpc,
    protection: PROTECTION_PROFILES.production,
    engineVersion: "15.10",
    minCapacity: 0.5,
    maxCapacity: 1,
    storageKmsKeyArn: DB_KEY,
    secretKmsKeyArn: SECRET_KEY,
    logKmsKeyArn: LOG_KEY,
    logRetentionInDays: 30,
    ...extra,
  };
}

/** A stand-in peer with its own security group, e.g. a service that will reach the database. */
function peer(scope: Aurora, name: string, securityGroupId: string): IConnectable {
  return { connections: new Connections(scope, { name, securityGroupId }) };
}

function build(extra: Extra = {}) {
  const stack = moduleStack();
  const aurora = new Aurora(stack, "aurora", props(vpcIn(stack), extra));
  return { stack, aurora, json: () => synth(stack), text: () => Testing.synth(stack) };
}

describe("Aurora", () => {
  it("refuses the master user admin (Aurora PostgreSQL's reserved word) and a writer AZ outside the network; accepts postgres and a network AZ", () => {
    expect(() => build({ masterUsername: "admin" })).toThrow("field 'masterUsername': value \"admin\" is not allowed");
    expect(() => build({ writerAvailabilityZone: "us-west-2a" })).toThrow("field 'writerAvailabilityZone'");
    expect(() => build({ masterUsername: "postgres" })).not.toThrow();
    const writer = resources(build({ writerAvailabilityZone: "us-east-1b" }).json(), "aws_rds_cluster_instance").aurora_writer;
    expect(writer.availability_zone).toBe("us-east-1b");
    expect(resources(build().json(), "aws_rds_cluster_instance").aurora_writer.availability_zone).toBeUndefined();
  });

  it("matches the snapshot", () => {
    expect(build().text()).toMatchSnapshot();
  });

  describe("secure defaults", () => {
    const json = build().json();
    const cluster = only(json, "aws_rds_cluster");

    it("is Aurora PostgreSQL Serverless v2 at the given version and capacity", () => {
      expect(cluster).toMatchObject({
        engine: "aurora-postgresql",
        engine_mode: "provisioned",
        engine_version: "15.10",
        serverlessv2_scaling_configuration: { min_capacity: 0.5, max_capacity: 1 },
      });
      expect(only(json, "aws_rds_cluster_instance")).toMatchObject({ instance_class: "db.serverless", publicly_accessible: false });
    });

    it("encrypts storage with the database key", () => {
      expect(cluster).toMatchObject({ storage_encrypted: true, kms_key_id: DB_KEY });
    });

    it("lets RDS manage the master password in Secrets Manager: never a literal", () => {
      expect(cluster).toMatchObject({ manage_master_user_password: true, master_user_secret_kms_key_id: SECRET_KEY });
      expect(cluster).not.toHaveProperty("master_password");
    });

    it("turns on IAM database authentication", () => {
      expect(cluster.iam_database_authentication_enabled).toBe(true);
    });

    it("keeps backups 7 days in a backup window, copying tags to snapshots", () => {
      expect(cluster).toMatchObject({ backup_retention_period: 7, preferred_backup_window: "03:00-04:00", copy_tags_to_snapshot: true });
    });

    it("protects against deletion and takes a final snapshot", () => {
      expect(cluster).toMatchObject({
        deletion_protection: true,
        skip_final_snapshot: false,
        final_snapshot_identifier: "keel-test-aurora-final",
        lifecycle: { prevent_destroy: true },
      });
    });

    it("exports PostgreSQL logs to an encrypted log group with retention, created before the cluster", () => {
      expect(cluster.enabled_cloudwatch_logs_exports).toEqual(["postgresql"]);
      expect(resources(json, "aws_cloudwatch_log_group").aurora_postgresql_log_group).toMatchObject({
        name: "/aws/rds/cluster/keel-test-aurora/postgresql",
        kms_key_id: LOG_KEY,
        retention_in_days: 30,
      });
      expect(cluster.depends_on).toEqual(["aws_cloudwatch_log_group.aurora_postgresql_log_group"]);
    });

    it("forces TLS, logs connections and disconnections, and loads pgAudit through the cluster parameter group", () => {
      const group = only(json, "aws_rds_cluster_parameter_group");
      expect(group.family).toBe("aurora-postgresql15");
      expect(group.parameter).toEqual([
        { name: "rds.force_ssl", value: "1" },
        { name: "log_connections", value: "1" },
        { name: "log_disconnections", value: "1" },
        { name: "shared_preload_libraries", value: "pg_stat_statements,pgaudit", apply_method: "pending-reboot" },
        { name: "pgaudit.log", value: "ddl,role" },
        { name: "pgaudit.role", value: "rds_pgaudit" },
      ]);
      expect(cluster.db_cluster_parameter_group_name).toBe(ref("aws_rds_cluster_parameter_group", "aurora_parameter_group", "name"));
    });

    it("replaces its parameter group create-before-destroy, under a name prefix, so a major upgrade never deletes the group in use", () => {
      const group = only(json, "aws_rds_cluster_parameter_group");
      expect(group).toMatchObject({ name_prefix: "keel-test-aurora-postgresql15-", lifecycle: { create_before_destroy: true } });
      expect(group).not.toHaveProperty("name");
    });

    it("pins the engine version on the cluster only, with automatic minor upgrades off, so maintenance never makes a plan drift", () => {
      expect(cluster).toMatchObject({ engine_version: "15.10", allow_major_version_upgrade: true });
      const instances = Object.values(resources(json, "aws_rds_cluster_instance"));
      expect(instances).toHaveLength(1);
      for (const instance of instances) {
        expect(instance).not.toHaveProperty("engine_version");
        expect(instance.auto_minor_version_upgrade).toBe(false);
      }
    });

    it("runs Enhanced Monitoring through its own role, and encrypts Performance Insights with the database key", () => {
      expect(only(json, "aws_rds_cluster_instance")).toMatchObject({
        monitoring_interval: 60,
        monitoring_role_arn: ref("aws_iam_role", "aurora_monitoring_role", "arn"),
        performance_insights_enabled: true,
        performance_insights_kms_key_id: DB_KEY,
      });
      expect(only(json, "aws_iam_role_policy_attachment").policy_arn).toBe("arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole");
      const trust = JSON.parse(resources(json, "aws_iam_role").aurora_monitoring_role.assume_role_policy as string);
      expect(trust.Statement).toEqual([
        {
          Sid: "TrustedService",
          Effect: "Allow",
          Principal: { Service: "monitoring.rds.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
        },
      ]);
    });

    it("places the cluster in the DB subnet group, behind its own security group with no rules", () => {
      expect(cluster.db_subnet_group_name).toBe(ref("aws_db_subnet_group", "vpc_database_subnet_group", "name"));
      expect(cluster.vpc_security_group_ids).toEqual([ref("aws_security_group", "aurora_security_group", "id")]);
      const group = resources(json, "aws_security_group").aurora_security_group;
      expect(group).not.toHaveProperty("ingress");
      expect(group).not.toHaveProperty("egress");
      expect(resources(json, "aws_vpc_security_group_ingress_rule")).toEqual({});
      expect(resources(json, "aws_vpc_security_group_egress_rule")).toEqual({});
    });
  });

  it("admits 5432 from a granted peer's security group, and nothing else", () => {
    const { aurora, json } = build();
    aurora.allowFrom(peer(aurora, "ecs", "sg-0ecs"));
    const ingress = resources(json(), "aws_vpc_security_group_ingress_rule");
    expect(ingress).toEqual({
      aurora_ingress_from_ecs: expect.objectContaining({
        security_group_id: ref("aws_security_group", "aurora_security_group", "id"),
        ip_protocol: "tcp",
        from_port: 5432,
        to_port: 5432,
        referenced_security_group_id: "sg-0ecs",
      }),
    });
    expect(resources(json(), "aws_vpc_security_group_egress_rule").aurora_ecs_egress_to_aurora).toMatchObject({
      security_group_id: "sg-0ecs",
      from_port: 5432,
      referenced_security_group_id: ref("aws_security_group", "aurora_security_group", "id"),
    });
  });

  it("expresses seed 002 by props alone: 0.5-8 ACU, writer and reader, 30-day backups", () => {
    const json = build({ maxCapacity: 8, readers: 1, backupRetentionPeriod: 30 }).json();
    expect(only(json, "aws_rds_cluster")).toMatchObject({
      serverlessv2_scaling_configuration: { min_capacity: 0.5, max_capacity: 8 },
      backup_retention_period: 30,
    });
    const instances = resources(json, "aws_rds_cluster_instance");
    expect(Object.keys(instances).sort()).toEqual(["aurora_reader_1", "aurora_writer"]);
    expect(instances.aurora_writer).toMatchObject({ identifier: "keel-test-aurora-writer", promotion_tier: 0 });
    expect(instances.aurora_reader_1).toMatchObject({ identifier: "keel-test-aurora-reader-1", promotion_tier: 1 });
  });

  it("expresses seed 004 by props alone: 0.5-16 ACU", () => {
    expect(only(build({ maxCapacity: 16 }).json(), "aws_rds_cluster").serverlessv2_scaling_configuration).toEqual({ min_capacity: 0.5, max_capacity: 16 });
  });

  it("skips the final snapshot and protection only when told to (disposable environments)", () => {
    const cluster = only(build({ protection: PROTECTION_PROFILES.disposable }).json(), "aws_rds_cluster");
    expect(cluster).toMatchObject({ deletion_protection: false, skip_final_snapshot: true, lifecycle: { prevent_destroy: false } });
    expect(cluster).not.toHaveProperty("final_snapshot_identifier");
  });

  describe("validation (before any resource is created)", () => {
    it("rejects readers without a writer", () => {
      expect(() => build({ writer: false, readers: 2 })).toThrow("Aurora: field 'readers': value 2 is not allowed: 0 when writer is false: readers replicate a writer");
    });

    it("rejects a maximum capacity below the minimum", () => {
      expect(() => build({ minCapacity: 4, maxCapacity: 2 })).toThrow("Aurora: field 'maxCapacity': value 2 is not allowed: at least minCapacity (4)");
    });

    it("rejects capacities off the 0.5 ACU grid", () => {
      expect(() => build({ minCapacity: 0.7 })).toThrow("Aurora: field 'minCapacity': value 0.7 is not allowed: 0 to 256 ACU in steps of 0.5");
    });

    it("rejects a log retention CloudWatch does not accept", () => {
      expect(() => build({ logRetentionInDays: 10 })).toThrow("Aurora: field 'logRetentionInDays': value 10 is not allowed: one of 1, 3, 5, 7, 14, 30");
    });

    it("rejects backup retention outside 1-35 days", () => {
      expect(() => build({ backupRetentionPeriod: 0 })).toThrow("Aurora: field 'backupRetentionPeriod': value 0 is not allowed: a whole number from 1 to 35");
    });

    it.each([
      ["15", "an Aurora PostgreSQL 15 release"],
      ["15.9", "an Aurora PostgreSQL 15 release"],
      ["15.10.1", "an Aurora PostgreSQL 15 release"],
      ["16.5", "an Aurora PostgreSQL 16 release"],
      ["12.22", "an Aurora PostgreSQL release of a major that runs Serverless v2"],
      ["19.1", "an Aurora PostgreSQL release of a major that runs Serverless v2"],
    ])("rejects engine version %s, which Aurora has not released for Serverless v2, naming the catalogue", (engineVersion, allowed) => {
      expect(() => build({ engineVersion })).toThrow(`Aurora: field 'engineVersion': value "${engineVersion}" is not allowed: ${allowed} (Keel's catalogue, modules/aurora/versions.ts, reviewed 2026-11-22)`);
    });

    it("lists the releases of the major in the message", () => {
      expect(() => build({ engineVersion: "15.9" })).toThrow("15.2, 15.3, 15.4, 15.5, 15.6, 15.7, 15.8, 15.10, 15.12");
    });

    it.each(["13.15", "14.12", "15.7", "16.3", "17.4"])("lets %s pause at 0 ACU", (engineVersion) => {
      expect(only(build({ engineVersion, minCapacity: 0 }).json(), "aws_rds_cluster").serverlessv2_scaling_configuration).toMatchObject({ min_capacity: 0 });
    });

    it.each(["13.14", "14.11", "15.6", "16.2"])("rejects pausing at 0 ACU on %s, older than auto-pause", (engineVersion) => {
      expect(() => build({ engineVersion, minCapacity: 0 })).toThrow(
        `Aurora: field 'minCapacity': value 0 is not allowed: at least 0.5 on ${engineVersion}: pausing at 0 ACU needs 13.15, 14.12, 15.7, 16.3, 17.4 or later`,
      );
    });

    it.each([
      ["03:00-03:29", "sun:04:30-sun:05:30", "preferredBackupWindow", "03:00-03:29", "a window of at least 30 minutes"],
      ["03:00-04:00", "sun:04:30-sun:04:50", "preferredMaintenanceWindow", "sun:04:30-sun:04:50", "a window of at least 30 minutes"],
      ["04:00-05:00", "sun:04:30-sun:05:30", "preferredBackupWindow", "04:00-05:00", "a window that does not overlap preferredMaintenanceWindow (sun:04:30-sun:05:30) on any day"],
      // Across midnight on both sides: the daily 23:30-00:30 meets Monday 00:00-01:00.
      ["23:30-00:30", "mon:00:00-mon:01:00", "preferredBackupWindow", "23:30-00:30", "a window that does not overlap preferredMaintenanceWindow (mon:00:00-mon:01:00) on any day"],
      // Across the week's end: Sunday 23:00 to Monday 01:00 holds Monday's 00:15.
      ["00:15-00:45", "sun:23:00-mon:01:00", "preferredBackupWindow", "00:15-00:45", "a window that does not overlap preferredMaintenanceWindow (sun:23:00-mon:01:00) on any day"],
    ])("rejects backup %s with maintenance %s (field %s)", (preferredBackupWindow, preferredMaintenanceWindow, field, value, allowed) => {
      expect(() => build({ preferredBackupWindow, preferredMaintenanceWindow })).toThrow(`Aurora: field '${field}': value "${value}" is not allowed: ${allowed}`);
    });

    it.each([
      ["03:00-03:30", "sun:04:30-sun:05:00"],
      ["23:30-00:30", "mon:01:00-mon:02:00"],
      ["05:30-06:00", "sun:04:30-sun:05:30"],
    ])("accepts backup %s beside maintenance %s (adjacent is not overlapping)", (preferredBackupWindow, preferredMaintenanceWindow) => {
      expect(only(build({ preferredBackupWindow, preferredMaintenanceWindow }).json(), "aws_rds_cluster")).toMatchObject({
        preferred_backup_window: preferredBackupWindow,
        preferred_maintenance_window: preferredMaintenanceWindow,
      });
    });

    it("rejects a malformed backup window", () => {
      expect(() => build({ preferredBackupWindow: "3am" })).toThrow("Aurora: field 'preferredBackupWindow': value \"3am\" is not allowed: UTC hh:mm-hh:mm, e.g. 03:00-04:00");
    });

    it("rejects a Performance Insights retention AWS does not offer", () => {
      expect(() => build({ performanceInsightsRetentionPeriod: 30 })).toThrow("allowed: 7, a multiple of 31 from 31 to 713, or 731");
    });

    it("rejects an Enhanced Monitoring interval AWS does not offer", () => {
      expect(() => build({ monitoringInterval: 20 })).toThrow("Aurora: field 'monitoringInterval': value 20 is not allowed: one of 0, 1, 5, 10, 15, 30, 60");
    });

    it("rejects identifiers RDS refuses once composed: a namespace starting with a digit", () => {
      const stack = moduleStack("test", "1st");
      expect(() => new Aurora(stack, "aurora", props(vpcIn(stack)))).toThrow(
        "Aurora: field '(cluster identifier)': value \"1st-test-aurora\" is not allowed: an RDS identifier starting with a letter (RDS refuses a leading digit or dash): change the namespace or environment",
      );
    });

    it("rejects the composed final snapshot identifier too", () => {
      const stack = moduleStack("test", "9");
      expect(() => new Aurora(stack, "aurora", props(vpcIn(stack)))).toThrow("field '(final snapshot identifier)': value \"9-test-aurora-final\"");
    });

    it("skips unresolved tokens (a TerraformVariable) instead of reporting their encoded value", async () => {
      const { TerraformVariable } = await import("cdktf");
      const stack = moduleStack();
      const min = new TerraformVariable(stack, "min_capacity", { type: "number" });
      const retention = new TerraformVariable(stack, "backup_retention", { type: "number" });
      const aurora = new Aurora(stack, "aurora", props(vpcIn(stack), { minCapacity: min.numberValue, backupRetentionPeriod: retention.numberValue }));
      expect(only(synth(stack), "aws_rds_cluster")).toMatchObject({
        serverlessv2_scaling_configuration: { min_capacity: "${var.min_capacity}" },
        backup_retention_period: "${var.backup_retention}",
      });
      expect(aurora.clusterIdentifier).toBe("keel-test-aurora");
    });

    it("still checks the props that are not tokens when others are", async () => {
      const { TerraformVariable } = await import("cdktf");
      const stack = moduleStack();
      const min = new TerraformVariable(stack, "min_capacity", { type: "number" });
      expect(() => new Aurora(stack, "aurora", props(vpcIn(stack), { minCapacity: min.numberValue, backupRetentionPeriod: 0 }))).toThrow(
        "Aurora: field 'backupRetentionPeriod': value 0 is not allowed: a whole number from 1 to 35",
      );
    });

    it("rejects a VPC without data subnets", () => {
      const stack = moduleStack();
      expect(() => new Aurora(stack, "aurora", props(vpcIn(stack, false)))).toThrow(
        "Aurora: field 'network': value \"(no database subnets)\" is not allowed: a network with database subnets, which hold the DB subnet group",
      );
    });
  });
});
