import { Construct } from "constructs";
import { Lazy } from "cdktf";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault";
import { BackupVaultLockConfiguration } from "@cdktf/provider-aws/lib/backup-vault-lock-configuration";
import { BackupPlan, BackupPlanRule } from "@cdktf/provider-aws/lib/backup-plan";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { Label, TaggableProps } from "../label";
import { PropsCheck } from "../validation";
import { ProtectionProfile } from "../protection";
import { ServiceRole } from "../iam/service-role";

/** What AWS Backup can protect: a module's data store, by its ARN (an Aurora cluster, an RDS instance, a bucket). */
export interface IBackupTarget {
  readonly backupArn: string;
}

/** One scheduled backup of every protected resource. */
export interface BackupRule {
  /** The rule's name, 1-50 of `[a-zA-Z0-9-_.]` (AWS Backup's RuleName). */
  readonly name: string;
  /** When it runs, as AWS Backup takes it: `cron(<min> <hour> <day-of-month> <month> <day-of-week> <year>)`, UTC. */
  readonly schedule: string;
  /**
   * Minutes after the scheduled time a job may start before it is cancelled; at least 60.
   * @default 60
   */
  readonly startWindowMinutes?: number;
  /**
   * Minutes a started job may run before it is cancelled; more than the start window.
   * @default 480
   */
  readonly completionWindowMinutes?: number;
  /** Days a recovery point is kept. */
  readonly retentionDays: number;
  /**
   * Days before a recovery point moves to cold storage, where the resource supports it; it must
   * then stay there 90 days (retention at least this plus 90).
   * @default - never
   */
  readonly coldStorageAfterDays?: number;
  /**
   * Continuous backup for point-in-time restore, where the resource supports it (Aurora, RDS,
   * S3); its retention is at most 35 days.
   * @default false
   */
  readonly continuous?: boolean;
}

/** Keel's production default: every day at 05:00 UTC, continuous for point-in-time restore, kept 35 days. */
export const DAILY_RULE: BackupRule = { name: "daily", schedule: "cron(0 5 ? * * *)", retentionDays: 35, continuous: true };

/** AWS Backup Vault Lock in compliance mode: recovery points cannot be deleted before `minRetentionDays`, by anyone. */
export interface VaultLockProps {
  /**
   * Days before the lock can no longer be changed or removed, at least 3 (AWS's cooling-off
   * period). Afterwards not even the account's root user or AWS can remove it.
   * @default 3
   */
  readonly changeableForDays?: number;
  /** @default - the shortest retention of the rules */
  readonly minRetentionDays?: number;
  /** @default - the longest retention of the rules */
  readonly maxRetentionDays?: number;
}

export interface BackupProps extends TaggableProps {
  /** @default [DAILY_RULE] */
  readonly rules?: readonly BackupRule[];
  /**
   * A vault in another region (its ARN) that each rule copies its recovery points to, kept as
   * long as in this vault.
   * @default - no copy
   */
  readonly copyToVaultArn?: string;
  /**
   * The vault's lock. With the production profile the vault is locked in compliance mode; the
   * settings change its numbers.
   * @default - the profile's: locked with the defaults when `lockBackups`
   */
  readonly lock?: VaultLockProps;
  /** The key the vault encrypts recovery points with (those AWS Backup encrypts itself). */
  readonly kmsKeyArn: string;
  /** Where failed, aborted and expired backup and copy jobs are reported. */
  readonly alarmTopicArn?: string;
  readonly protection: Pick<ProtectionProfile, "preventDestroy" | "lockBackups">;
}

const RULE_NAME = /^[a-zA-Z0-9\-_.]{1,50}$/;
/** A region's ARN of a backup vault: the copy's destination. */
const VAULT_ARN = /^arn:aws[a-z-]*:backup:([a-z0-9-]+):\d{12}:backup-vault:[a-zA-Z0-9\-_]{2,50}$/;

/** What is wrong with an AWS Backup cron expression, or undefined. */
export function scheduleProblem(schedule: string): string | undefined {
  const fields = /^cron\((.+)\)$/.exec(schedule)?.[1].trim().split(/\s+/);
  if (fields === undefined || fields.length !== 6) return "cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>), six fields, UTC";
  if (fields[2] !== "?" && fields[4] !== "?") return "a ? in day-of-month or day-of-week (AWS cron takes one of the two)";
  return undefined;
}

/**
 * AWS Backup for an environment's data stores: a vault under its own key
 * (locked in compliance mode in production), a plan of rules, one selection
 * of the resources the modules hand it (`protect`), the service role with
 * AWS's documented managed policies, and an EventBridge rule that reports
 * failed, aborted and expired jobs to the alarm topic.
 */
export class Backup extends Construct {
  public readonly vault: BackupVault;
  public readonly plan: BackupPlan;
  public readonly vaultName: string;
  public readonly vaultArn: string;
  public readonly planId: string;
  public readonly role: ServiceRole;
  /** The lock, when the vault has one. */
  public readonly lock?: BackupVaultLockConfiguration;
  private readonly protectedArns: string[] = [];

  constructor(scope: Construct, id: string, props: BackupProps) {
    super(scope, id);
    const label = Label.of(this);
    const rules = props.rules ?? [DAILY_RULE];
    const check = new PropsCheck("Backup").require(rules.length > 0, "rules", rules, "at least one rule").tags("tags", props.tags);
    rules.forEach((r, i) => {
      const start = r.startWindowMinutes ?? 60;
      const completion = r.completionWindowMinutes ?? 480;
      check
        .require(RULE_NAME.test(r.name), `rules.${i}.name`, r.name, "1-50 of [a-zA-Z0-9-_.]")
        .require(rules.findIndex((o) => o.name === r.name) === i, `rules.${i}.name`, r.name, "a name no other rule has")
        .require(scheduleProblem(r.schedule) === undefined, `rules.${i}.schedule`, r.schedule, scheduleProblem(r.schedule) ?? "")
        .integer(`rules.${i}.startWindowMinutes`, start, 60, 100_000)
        .require(Number.isInteger(completion) && completion > start, `rules.${i}.completionWindowMinutes`, completion, `whole minutes, more than the start window (${start})`)
        .integer(`rules.${i}.retentionDays`, r.retentionDays, 1, r.continuous ? 35 : 36_500);
      if (r.coldStorageAfterDays !== undefined) {
        check
          .integer(`rules.${i}.coldStorageAfterDays`, r.coldStorageAfterDays, 1, 36_500)
          .require(
            r.retentionDays >= r.coldStorageAfterDays + 90,
            `rules.${i}.retentionDays`,
            r.retentionDays,
            `at least coldStorageAfterDays + 90 (${r.coldStorageAfterDays + 90}): AWS keeps a recovery point in cold storage 90 days`,
          )
          .require(!r.continuous, `rules.${i}.coldStorageAfterDays`, r.coldStorageAfterDays, "none on a continuous rule: continuous backups do not move to cold storage");
      }
    });
    const retentions = rules.map((r) => r.retentionDays);
    const locked = props.lock !== undefined || props.protection.lockBackups;
    const lock = { changeableForDays: 3, minRetentionDays: Math.min(...retentions), maxRetentionDays: Math.max(...retentions), ...props.lock };
    if (locked) {
      check
        .integer("lock.changeableForDays", lock.changeableForDays, 3, 36_500)
        .integer("lock.minRetentionDays", lock.minRetentionDays, 1, 36_500)
        .require(lock.maxRetentionDays >= lock.minRetentionDays, "lock.maxRetentionDays", lock.maxRetentionDays, `at least minRetentionDays (${lock.minRetentionDays})`)
        .require(
          retentions.every((d) => d >= lock.minRetentionDays && d <= lock.maxRetentionDays),
          "lock",
          lock,
          `a range that holds every rule's retention (${retentions.join(", ")} days): a job whose retention the lock refuses fails`,
        );
    }
    const copyRegion = props.copyToVaultArn === undefined ? undefined : VAULT_ARN.exec(props.copyToVaultArn)?.[1];
    if (props.copyToVaultArn !== undefined) {
      check
        .require(copyRegion !== undefined, "copyToVaultArn", props.copyToVaultArn, "a backup vault ARN, arn:aws:backup:<region>:<account>:backup-vault:<name>")
        .require(copyRegion !== label.region, "copyToVaultArn", props.copyToVaultArn, `a vault in another region than ${label.region}: a copy beside the original survives nothing more`);
    }
    check.done();

    this.vaultName = label.id("backup", "backupVault");
    this.vault = new BackupVault(this, "vault", {
      name: this.vaultName,
      kmsKeyArn: props.kmsKeyArn,
      tags: label.resourceTags(this.vaultName, props.tags),
      lifecycle: { preventDestroy: props.protection.preventDestroy },
    });
    this.vaultArn = this.vault.arn;
    if (locked) {
      this.lock = new BackupVaultLockConfiguration(this, "lock", {
        backupVaultName: this.vault.name,
        changeableForDays: lock.changeableForDays,
        minRetentionDays: lock.minRetentionDays,
        maxRetentionDays: lock.maxRetentionDays,
      });
    }

    const planName = label.id("backup", "backupPlan");
    this.plan = new BackupPlan(this, "plan", {
      name: planName,
      rule: rules.map(
        (r): BackupPlanRule => ({
          ruleName: r.name,
          targetVaultName: this.vault.name,
          schedule: r.schedule,
          startWindow: r.startWindowMinutes ?? 60,
          completionWindow: r.completionWindowMinutes ?? 480,
          enableContinuousBackup: r.continuous ?? false,
          lifecycle: { deleteAfter: r.retentionDays, ...(r.coldStorageAfterDays !== undefined ? { coldStorageAfter: r.coldStorageAfterDays } : {}) },
          recoveryPointTags: label.tags,
          ...(props.copyToVaultArn !== undefined ? { copyAction: [{ destinationVaultArn: props.copyToVaultArn, lifecycle: { deleteAfter: r.retentionDays } }] } : {}),
        }),
      ),
      tags: label.resourceTags(planName, props.tags),
    });
    this.planId = this.plan.id;

    this.role = new ServiceRole(this, "role", {
      purpose: "backup",
      servicePrincipal: "backup.amazonaws.com",
      managedPolicies: {
        "service-role/AWSBackupServiceRolePolicyForBackup": "AWS Backup's documented policy for taking backups of every supported service; AWS keeps it current as services are added",
        "service-role/AWSBackupServiceRolePolicyForRestores": "AWS Backup's documented policy for restores, which create resources of every supported service",
        AWSBackupServiceRolePolicyForS3Backup: "AWS Backup's documented policy for S3 backups (bucket reads, EventBridge rules for continuous backup), separate from the general one",
        AWSBackupServiceRolePolicyForS3Restore: "AWS Backup's documented policy for S3 restores (object writes and KMS use in the target bucket)",
      },
      tags: props.tags,
    });

    new BackupSelection(this, "selection", {
      name: label.id("backup", "backupSelection"),
      planId: this.plan.id,
      iamRoleArn: this.role.roleArn,
      // The modules' own ARNs, handed over with `protect`: no tag selection to type or forget.
      resources: Lazy.listValue({ produce: () => [...this.protectedArns] }),
    });

    if (props.alarmTopicArn !== undefined) {
      const name = label.id("backup-job-failures");
      const rule = new CloudwatchEventRule(this, "job-failures", {
        name,
        description: "AWS Backup backup and copy jobs that failed, were aborted or expired, to the alarm topic",
        eventPattern: JSON.stringify({
          source: ["aws.backup"],
          "detail-type": ["Backup Job State Change", "Copy Job State Change"],
          detail: { state: ["FAILED", "ABORTED", "EXPIRED"] },
        }),
        tags: label.resourceTags(name, props.tags),
      });
      new CloudwatchEventTarget(this, "job-failures-to-alarm-topic", { rule: rule.name, arn: props.alarmTopicArn, targetId: "alarm-topic" });
    }
  }

  /** Adds a data store (an Aurora cluster, an RDS instance, a bucket) to the plan's selection. */
  public protect(target: IBackupTarget): void {
    this.protectedArns.push(target.backupArn);
  }

  /** The ARNs protected so far. */
  public get protectedResources(): readonly string[] {
    return this.protectedArns;
  }
}
