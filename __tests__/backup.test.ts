import * as path from "node:path";
import { Testing } from "cdktf";
import { Backup, BackupProps, DAILY_RULE, scheduleProblem } from "../modules/backup";
import { PROTECTION_PROFILES, loadConfig } from "../environments";
import { EnvironmentStack } from "../stacks";
import { moduleStack, only, resources, synth, thrown } from "./support/module-stack";
import { ROOT } from "../tools/project";

const KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const TOPIC = "arn:aws:sns:us-east-1:111122223333:keel-test-alarms";

function build(props: Partial<BackupProps> = {}, targets: readonly string[] = ["arn:aws:rds:us-east-1:111122223333:cluster:keel-test-aurora"]) {
  const stack = moduleStack();
  const backup = new Backup(stack, "backup", { kmsKeyArn: KEY, alarmTopicArn: TOPIC, protection: PROTECTION_PROFILES.production, ...props });
  for (const arn of targets) backup.protect({ backupArn: arn });
  return { backup, json: synth(stack) };
}

describe("backup module", () => {
  it("keeps recovery points in a vault under its own key, protected from destroy in production", () => {
    const vault = only(build().json, "aws_backup_vault");
    expect(vault).toMatchObject({ name: "keel-test-backup", kms_key_arn: KEY, lifecycle: { prevent_destroy: true } });
  });

  it("locks the vault in compliance mode in production: 3 cooling-off days, the rules' retention as its range", () => {
    expect(only(build().json, "aws_backup_vault_lock_configuration")).toMatchObject({ changeable_for_days: 3, min_retention_days: 35, max_retention_days: 35 });
    expect(resources(build({ protection: PROTECTION_PROFILES.disposable }).json, "aws_backup_vault_lock_configuration")).toEqual({});
  });

  it("runs Keel's daily rule by default: 05:00 UTC, continuous for point-in-time restore, 35 days", () => {
    const rules = only(build().json, "aws_backup_plan").rule as Array<Record<string, unknown>>;
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      rule_name: "daily",
      schedule: DAILY_RULE.schedule,
      start_window: 60,
      completion_window: 480,
      enable_continuous_backup: true,
      lifecycle: { delete_after: 35 },
      target_vault_name: "${aws_backup_vault.backup_vault.name}",
    });
  });

  it("selects exactly the resources the modules hand it, by ARN", () => {
    const arns = ["arn:aws:rds:us-east-1:111122223333:cluster:keel-test-aurora", "arn:aws:s3:::keel-test-files-111122223333-us-east-1"];
    expect(only(build({}, arns).json, "aws_backup_selection")).toMatchObject({ resources: arns, iam_role_arn: "${aws_iam_role.backup_role.arn}", plan_id: "${aws_backup_plan.backup_plan.id}" });
  });

  it("gives AWS Backup AWS's documented managed policies, each with its reason", () => {
    const json = build().json;
    const attached = Object.values(resources(json, "aws_iam_role_policy_attachment")).map((a) => a.policy_arn);
    expect(attached.sort()).toEqual([
      "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
      "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    ]);
    expect(JSON.parse(String(only(json, "aws_iam_role").assume_role_policy)).Statement[0].Principal).toEqual({ Service: "backup.amazonaws.com" });
  });

  it("reports failed, aborted and expired backup and copy jobs to the alarm topic", () => {
    const json = build().json;
    expect(JSON.parse(String(only(json, "aws_cloudwatch_event_rule").event_pattern))).toEqual({
      source: ["aws.backup"],
      "detail-type": ["Backup Job State Change", "Copy Job State Change"],
      detail: { state: ["FAILED", "ABORTED", "EXPIRED"] },
    });
    expect(only(json, "aws_cloudwatch_event_target").arn).toBe(TOPIC);
  });

  it("copies each rule's recovery points to a vault in another region", () => {
    const copy = "arn:aws:backup:us-west-2:111122223333:backup-vault:keel-test-backup-copy";
    const rule = (only(build({ copyToVaultArn: copy }).json, "aws_backup_plan").rule as Array<Record<string, unknown>>)[0];
    expect(rule.copy_action).toEqual([{ destination_vault_arn: copy, lifecycle: { delete_after: 35 } }]);
  });

  it("refuses rules AWS refuses, and a lock that would fail the rules' jobs, naming the field", () => {
    expect(thrown(() => build({ rules: [{ name: "weekly", schedule: "cron(0 6 * * SUN *)", retentionDays: 30 }] }))).toContain(
      "field 'rules.0.schedule': value \"cron(0 6 * * SUN *)\" is not allowed: a ? in day-of-month or day-of-week",
    );
    expect(thrown(() => build({ rules: [{ ...DAILY_RULE, retentionDays: 90 }] }))).toContain("rules.0.retentionDays");
    expect(thrown(() => build({ rules: [{ name: "monthly", schedule: "cron(0 5 1 * ? *)", retentionDays: 100, coldStorageAfterDays: 30 }] }))).toContain(
      "at least coldStorageAfterDays + 90 (120)",
    );
    expect(thrown(() => build({ rules: [{ ...DAILY_RULE, startWindowMinutes: 30 }] }))).toContain("rules.0.startWindowMinutes");
    expect(thrown(() => build({ lock: { minRetentionDays: 40 } }))).toContain("a range that holds every rule's retention (35 days)");
    expect(thrown(() => build({ lock: { changeableForDays: 1 } }))).toContain("lock.changeableForDays");
    expect(thrown(() => build({ copyToVaultArn: "arn:aws:backup:us-east-1:111122223333:backup-vault:same-region" }))).toContain("a vault in another region than us-east-1");
  });

  it("reads AWS's cron shape: six fields, one of day-of-month and day-of-week a ?", () => {
    expect(scheduleProblem("cron(0 5 ? * * *)")).toBeUndefined();
    expect(scheduleProblem("cron(0 6 ? * SUN *)")).toBeUndefined();
    expect(scheduleProblem("rate(1 day)")).toMatch(/^cron\(/);
    expect(scheduleProblem("cron(0 5 * * *)")).toMatch(/six fields/);
  });
});

describe("backups of production and seed 004", () => {
  const built = (folder: string, name: string) => {
    const config = loadConfig(folder);
    return JSON.parse(Testing.synth(new EnvironmentStack(Testing.app(), config.environments.find((e) => e.name === name)!, config.project))) as ReturnType<typeof synth>;
  };

  it("production backs up its Aurora cluster daily into a locked vault under the backup key", () => {
    const json = built(path.join(ROOT, "examples", "omnirapeutic"), "production");
    expect(only(json, "aws_backup_selection").resources).toEqual(["${aws_rds_cluster.aurora.arn}"]);
    expect(only(json, "aws_backup_vault").kms_key_arn).toBe("${aws_kms_key.security_backup_key.arn}");
    expect(only(json, "aws_backup_vault_lock_configuration")).toMatchObject({ changeable_for_days: 3, min_retention_days: 35 });
    expect(only(json, "aws_cloudwatch_event_target").arn).toBe("${aws_sns_topic.alarms.arn}");
  });

  it("seed 004 keeps weekly backups 30 days beside the daily continuous rule, of its cluster and buckets", () => {
    const json = built(path.join(ROOT, "examples"), "outreachpass");
    const rules = only(json, "aws_backup_plan").rule as Array<Record<string, unknown>>;
    expect(rules.map((r) => [r.rule_name, r.schedule, (r.lifecycle as Record<string, unknown>).delete_after, r.enable_continuous_backup])).toEqual([
      ["daily", "cron(0 5 ? * * *)", 35, true],
      ["weekly", "cron(0 6 ? * SUN *)", 30, false],
    ]);
    const selected = only(json, "aws_backup_selection").resources as string[];
    expect(selected[0]).toBe("${aws_rds_cluster.aurora.arn}");
    expect(selected.slice(1).sort()).toEqual(["arn:aws:s3:::outreachpass-dev-artifacts", "arn:aws:s3:::outreachpass-dev-assets", "arn:aws:s3:::outreachpass-dev-frontend", "arn:aws:s3:::outreachpass-dev-uploads"]);
    expect(only(json, "aws_backup_vault_lock_configuration")).toMatchObject({ min_retention_days: 30, max_retention_days: 35 });
  });
});
