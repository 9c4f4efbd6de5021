import * as path from "node:path";
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { Aurora, AuroraProps } from "../modules/aurora";
import { RdsInstance } from "../modules/rds";
import { DatabaseRestore } from "../modules/rds/postgres";
import { Vpc } from "../modules/vpc";
import { PROTECTION_PROFILES, loadConfig } from "../environments";
import { EnvironmentStack } from "../stacks";
import { ROOT } from "../tools/project";
import { Body, moduleStack, only, resources, synth, thrown } from "./support/module-stack";

// Restore beside, cut over, retire: a database restored from a snapshot or a
// point in time next to the original, then served from, then the original
// retired, each a config edit reviewed in a plan (README: "Restore a database").

const DB_KEY = "arn:aws:kms:us-east-1:111122223333:key/db";
const SECRET_KEY = "arn:aws:kms:us-east-1:111122223333:key/secrets";
const LOG_KEY = "arn:aws:kms:us-east-1:111122223333:key/logs";

function vpcIn(stack: TerraformStack): Vpc {
  return new Vpc(stack, "vpc", {
    cidr: "10.0.0.0/16",
    azs: ["us-east-1a", "us-east-1b"],
    privateSubnets: ["10.0.11.0/24", "10.0.12.0/24"],
    databaseSubnets: ["10.0.21.0/24", "10.0.22.0/24"],
    flowLogRetentionInDays: 30,
    flowLogKmsKeyArn: LOG_KEY,
    protection: PROTECTION_PROFILES.production,
  });
}

const keys = { storageKmsKeyArn: DB_KEY, secretKmsKeyArn: SECRET_KEY, logKmsKeyArn: LOG_KEY };

function aurora(restore?: DatabaseRestore, extra: Partial<AuroraProps> = {}) {
  const stack = moduleStack();
  const db = new Aurora(stack, "aurora", { network: vpcIn(stack), protection: PROTECTION_PROFILES.production, engineVersion: "15.10", readers: 1, ...keys, restore, ...extra });
  // What the rest of the environment reads, as Terraform will see it.
  for (const [name, value] of Object.entries({ endpoint: db.clusterEndpoint, secret: db.masterUserSecretArn, backup: db.backupArn })) new TerraformOutput(stack, name, { value });
  const json = synth(stack);
  return { db, json, resolve: (name: string) => json.output?.[name]?.value };
}

function rds(restore?: DatabaseRestore) {
  const stack = moduleStack();
  const db = new RdsInstance(stack, "rds", { network: vpcIn(stack), protection: PROTECTION_PROFILES.production, engineVersion: "16.11", ...keys, restore });
  new TerraformOutput(stack, "endpoint", { value: db.endpoint });
  const json = synth(stack);
  return { db, json, resolve: (name: string) => json.output?.[name]?.value };
}

const SNAPSHOT = "rds:keel-test-aurora-2026-12-05-03-00";

describe("Aurora restore beside the original", () => {
  it("without restore, keeps the original's addresses and creates nothing more", () => {
    const { json } = aurora();
    expect(Object.keys(resources(json, "aws_rds_cluster"))).toEqual(["aurora"]);
    expect(Object.keys(resources(json, "aws_rds_cluster_instance")).sort()).toEqual(["aurora_reader_1", "aurora_writer"]);
    expect(resources(json, "aws_rds_cluster").aurora).not.toHaveProperty("snapshot_identifier");
  });

  it("step 1 (restore): a second cluster from the snapshot, beside the original, with the same settings and instances; the original still serves and keeps its protection", () => {
    const { db, json, resolve } = aurora({ name: "r1", snapshot: SNAPSHOT });
    const clusters = resources(json, "aws_rds_cluster");
    expect(Object.keys(clusters).sort()).toEqual(["aurora", "aurora_restore"]);
    const restored = clusters.aurora_restore;
    expect(restored).toMatchObject({
      cluster_identifier: "keel-test-aurora-r1",
      snapshot_identifier: SNAPSHOT,
      kms_key_id: DB_KEY,
      storage_encrypted: true,
      manage_master_user_password: true,
      iam_database_authentication_enabled: true,
      db_cluster_parameter_group_name: clusters.aurora.db_cluster_parameter_group_name,
      vpc_security_group_ids: clusters.aurora.vpc_security_group_ids,
      db_subnet_group_name: clusters.aurora.db_subnet_group_name,
      // A candidate: deleted freely if it is the wrong one.
      deletion_protection: false,
      skip_final_snapshot: true,
      lifecycle: { prevent_destroy: false },
    });
    expect(restored).not.toHaveProperty("restore_to_point_in_time");
    expect(clusters.aurora).toMatchObject({ deletion_protection: true, skip_final_snapshot: false, lifecycle: { prevent_destroy: true } });
    expect(clusters.aurora).not.toHaveProperty("snapshot_identifier");
    const instances = resources(json, "aws_rds_cluster_instance");
    expect(Object.keys(instances).sort()).toEqual(["aurora_reader_1", "aurora_restore_reader_1", "aurora_restore_writer", "aurora_writer"]);
    expect(instances["aurora_restore_writer"]).toMatchObject({ identifier: "keel-test-aurora-r1-writer", cluster_identifier: "${aws_rds_cluster.aurora_restore.id}", instance_class: "db.serverless" });
    // Its own encrypted log group, created before RDS would make one.
    expect(resources(json, "aws_cloudwatch_log_group")["aurora_restore_postgresql_log_group"]).toMatchObject({ name: "/aws/rds/cluster/keel-test-aurora-r1/postgresql", kms_key_id: LOG_KEY });
    expect(db.clusterIdentifier).toBe("keel-test-aurora");
    expect(resolve("endpoint")).toBe("${aws_rds_cluster.aurora.endpoint}");
  });

  it("restores to a point in time of the original's backups, or to the latest restorable time", () => {
    const at = resources(aurora({ name: "r1", pointInTime: { time: "2026-12-05T02:30:00Z" } }).json, "aws_rds_cluster").aurora_restore;
    expect(at.restore_to_point_in_time).toEqual({ source_cluster_identifier: "keel-test-aurora", restore_to_time: "2026-12-05T02:30:00Z" });
    expect(at).not.toHaveProperty("snapshot_identifier");
    const latest = resources(aurora({ name: "r1", pointInTime: { source: "other-cluster", time: "latest" } }).json, "aws_rds_cluster").aurora_restore;
    expect(latest.restore_to_point_in_time).toEqual({ source_cluster_identifier: "other-cluster", use_latest_restorable_time: true });
  });

  it("step 2 (serve): endpoint, secret, metrics and backup follow the restored cluster, which takes the profile's protection; the original keeps only its final snapshot", () => {
    const { db, json, resolve } = aurora({ name: "r1", snapshot: SNAPSHOT, serve: true });
    const clusters = resources(json, "aws_rds_cluster");
    expect(clusters.aurora_restore).toMatchObject({ deletion_protection: true, skip_final_snapshot: false, final_snapshot_identifier: "keel-test-aurora-r1-final", lifecycle: { prevent_destroy: true } });
    expect(clusters.aurora).toMatchObject({ deletion_protection: false, skip_final_snapshot: false, final_snapshot_identifier: "keel-test-aurora-final", lifecycle: { prevent_destroy: false } });
    expect(db.clusterIdentifier).toBe("keel-test-aurora-r1");
    expect(resolve("endpoint")).toBe("${aws_rds_cluster.aurora_restore.endpoint}");
    expect(resolve("secret")).toBe("${aws_rds_cluster.aurora_restore.master_user_secret[0].secret_arn}");
    expect(resolve("backup")).toBe("${aws_rds_cluster.aurora_restore.arn}");
    expect(db.metricCpuUtilization().dimensions).toEqual({ DBClusterIdentifier: "keel-test-aurora-r1" });
  });

  it("step 3 (retire): the original cluster and its instances leave config; its audit log group stays", () => {
    const { json } = aurora({ name: "r1", snapshot: SNAPSHOT, serve: true, retireOriginal: true });
    expect(Object.keys(resources(json, "aws_rds_cluster"))).toEqual(["aurora_restore"]);
    expect(Object.keys(resources(json, "aws_rds_cluster_instance")).sort()).toEqual(["aurora_restore_reader_1", "aurora_restore_writer"]);
    const logs = resources(json, "aws_cloudwatch_log_group");
    expect(logs["aurora_postgresql-log-group"] ?? logs.aurora_postgresql_log_group).toBeDefined();
    expect(Object.values(logs).map((l: Body) => l.name).filter((n) => String(n).startsWith("/aws/rds/")).sort()).toEqual(["/aws/rds/cluster/keel-test-aurora-r1/postgresql", "/aws/rds/cluster/keel-test-aurora/postgresql"]);
  });

  it("refuses a restore RDS would refuse, naming the field: no source, two sources, a malformed snapshot, a time that does not exist, retiring before serving, a bad name", () => {
    expect(thrown(() => aurora({ name: "r1" }))).toContain("field 'restore': value \"(no source)\" is not allowed: exactly one of snapshot or pointInTime");
    expect(thrown(() => aurora({ name: "r1", snapshot: SNAPSHOT, pointInTime: { time: "latest" } }))).toContain("field 'restore': value \"(snapshot and pointInTime)\"");
    expect(thrown(() => aurora({ name: "r1", snapshot: "my_snapshot" }))).toContain("field 'restore.snapshot': value \"my_snapshot\" is not allowed: a snapshot identifier");
    expect(thrown(() => aurora({ name: "r1", snapshot: "arn:aws:rds:us-east-1:111122223333:snapshot:x" }))).toContain("a cluster-snapshot ARN");
    expect(() => aurora({ name: "r1", snapshot: "arn:aws:rds:us-east-1:444455556666:cluster-snapshot:shared-1" })).not.toThrow();
    expect(() => aurora({ name: "r1", snapshot: "awsbackup:job-0a1b2c3d-4e5f-6789-abcd-ef0123456789" })).not.toThrow();
    expect(thrown(() => aurora({ name: "r1", pointInTime: { time: "2026-02-30T00:00:00Z" } }))).toContain("field 'restore.pointInTime.time': value \"2026-02-30T00:00:00Z\" is not allowed: a date and time that exists");
    expect(thrown(() => aurora({ name: "r1", pointInTime: { time: "2026-12-05 02:30" } }))).toContain("UTC YYYY-MM-DDThh:mm:ssZ");
    expect(thrown(() => aurora({ name: "r1", snapshot: SNAPSHOT, retireOriginal: true }))).toContain("field 'restore.retireOriginal': value true is not allowed: only with serve: true");
    expect(thrown(() => aurora({ name: "R-1", snapshot: SNAPSHOT }))).toContain("field 'restore.name': value \"R-1\" is not allowed: 1-20 lowercase letters and digits");
  });
});

describe("RDS instance restore beside the original", () => {
  it("restores from a snapshot beside the original (without the database name and user, which come from the snapshot), then serves, then retires the original", () => {
    const one = rds({ name: "r1", snapshot: "rds:keel-test-rds-2026-12-05-03-00" });
    const instances = resources(one.json, "aws_db_instance");
    expect(Object.keys(instances).sort()).toEqual(["rds", "rds_restore"]);
    expect(instances.rds_restore).toMatchObject({ identifier: "keel-test-rds-r1", snapshot_identifier: "rds:keel-test-rds-2026-12-05-03-00", kms_key_id: DB_KEY, deletion_protection: false, skip_final_snapshot: true });
    expect(instances.rds_restore).not.toHaveProperty("db_name");
    expect(instances.rds_restore).not.toHaveProperty("username");
    expect(instances.rds).toMatchObject({ db_name: "app", username: "dbadmin", deletion_protection: true, lifecycle: { prevent_destroy: true } });
    expect(one.resolve("endpoint")).toBe("${aws_db_instance.rds.address}");

    const two = rds({ name: "r1", snapshot: "rds:keel-test-rds-2026-12-05-03-00", serve: true });
    expect(resources(two.json, "aws_db_instance").rds).toMatchObject({ deletion_protection: false, skip_final_snapshot: false, lifecycle: { prevent_destroy: false } });
    expect(two.resolve("endpoint")).toBe("${aws_db_instance.rds_restore.address}");
    expect(two.db.instanceIdentifier).toBe("keel-test-rds-r1");

    const three = rds({ name: "r1", snapshot: "rds:keel-test-rds-2026-12-05-03-00", serve: true, retireOriginal: true });
    expect(Object.keys(resources(three.json, "aws_db_instance"))).toEqual(["rds_restore"]);
  });

  it("restores to a point in time of the original's backups, keeping the database name and user", () => {
    const restored = resources(rds({ name: "pitr", pointInTime: { time: "2026-12-05T02:30:00Z" } }).json, "aws_db_instance").rds_restore;
    expect(restored.restore_to_point_in_time).toEqual({ source_db_instance_identifier: "keel-test-rds", restore_time: "2026-12-05T02:30:00Z" });
    expect(restored).toMatchObject({ db_name: "app", username: "dbadmin" });
  });

  it("refuses an Aurora cluster snapshot's ARN for an instance", () => {
    expect(thrown(() => rds({ name: "r1", snapshot: "arn:aws:rds:us-east-1:111122223333:cluster-snapshot:x" }))).toContain("field 'restore.snapshot'");
  });
});

describe("a restore in an environment", () => {
  const production = (restore: DatabaseRestore, suppressionsMoved = false) => {
    const config = loadConfig(path.join(ROOT, "examples", "omnirapeutic"));
    const env = config.environments.find((e) => e.name === "production")!;
    // The runbook's step 3: a suppression of the original's address moves to the restore's.
    const suppressions = suppressionsMoved ? env.suppressions?.map((s) => (s.resource === "aws_rds_cluster.aurora" ? { ...s, resource: "aws_rds_cluster.aurora_restore" } : s)) : env.suppressions;
    return JSON.parse(Testing.synth(new EnvironmentStack(Testing.app(), { ...env, suppressions, aurora: { ...env.aurora!, restore } }, config.project))) as ReturnType<typeof synth>;
  };

  it("is backed up from its first apply beside the original, and the outputs follow what serves", () => {
    const beside = production({ name: "r1", snapshot: SNAPSHOT });
    expect(only(beside, "aws_backup_selection").resources).toEqual(["${aws_rds_cluster.aurora.arn}", "${aws_rds_cluster.aurora_restore.arn}"]);
    expect(beside.output?.aurora_cluster_endpoint?.value).toBe("${aws_rds_cluster.aurora.endpoint}");
    // A suppression left on the retired original is a config error that names it.
    expect(thrown(() => production({ name: "r1", snapshot: SNAPSHOT, serve: true, retireOriginal: true }))).toContain("field 'suppressions.1.resource': value \"aws_rds_cluster.aurora\" is not allowed");
    const serving = production({ name: "r1", snapshot: SNAPSHOT, serve: true, retireOriginal: true }, true);
    expect(only(serving, "aws_backup_selection").resources).toEqual(["${aws_rds_cluster.aurora_restore.arn}"]);
    expect(serving.output?.aurora_cluster_endpoint?.value).toBe("${aws_rds_cluster.aurora_restore.endpoint}");
    // The alarms watch the serving cluster.
    const cpu = Object.values(resources(serving, "aws_cloudwatch_metric_alarm")).find((a) => a.metric_name === "CPUUtilization" && JSON.stringify(a.dimensions ?? {}).includes("DBClusterIdentifier"));
    expect(cpu?.dimensions).toEqual({ DBClusterIdentifier: "omnirapeutic-production-aurora-r1" });
  });
});
