import { Construct } from "constructs";
import { AccountConfig, EnvironmentConfig, PROTECTION_PROFILES, ProjectConfig, accountStackId, ciStacks } from "../environments";
import { GithubCi } from "../modules/ci";
import { AccountBaseline } from "../modules/account";
import { KmsKey } from "../modules/security";
import { AlarmTopic } from "../modules/alarms";
import { Trail } from "../modules/cloudtrail";
import { ConfigRecorder } from "../modules/config";
import { Detector } from "../modules/guardduty";
import { ApiGatewayLogging } from "../modules/api/account-logging";
import { PropsError } from "../modules/validation";
import { Budget } from "../modules/budgets";
import { KeelStack, configureStack, stateBackend } from "./keel-stack";
import { accountAlarms } from "./account-alarms";

/**
 * The services that exist once per account and region, whatever environments
 * run there. One per account and region in `project.accounts`, id
 * `account-<accountId>-<region>`, deployed after bootstrap and before the
 * environments in it. Environments never read its state: they meet it by
 * names and ARNs derived from config.
 *
 * The home region (the account's first) also holds what is once per account:
 * the S3 public access block and the multi-region trail, and Config records
 * global resources (IAM) there only.
 */
export class AccountStack extends KeelStack {
  public readonly baseline: AccountBaseline;
  public readonly alarmTopic?: AlarmTopic;
  public readonly trail?: Trail;
  public readonly config?: ConfigRecorder;
  public readonly detector?: Detector;
  public readonly ci?: GithubCi;

  /** `environments`: every environment of the project, for the CI roles' trust and state access. */
  constructor(scope: Construct, project: ProjectConfig, account: AccountConfig, region: string, environments: readonly EnvironmentConfig[] = []) {
    const id = accountStackId(account.accountId, region);
    super(scope, id);
    const label = configureStack(this, {
      project,
      // Region in the label: names in an account stack are unique per account even for global services (IAM).
      environment: `account-${region}`,
      accountId: account.accountId,
      region,
      tags: project.tags,
      enforceCompliance: true,
    });
    stateBackend(this, project, id, account.accountId);
    const home = region === account.regions[0];
    const protection = PROTECTION_PROFILES.production;
    const source = `project settings (environments/project.ts)`;
    const at = `accounts.${project.accounts.indexOf(account)}`;
    const section = <T>(name: string, build: () => T): T => {
      try {
        return build();
      } catch (error) {
        if (error instanceof PropsError) throw error.in(source, `${at}.${name}`);
        throw error;
      }
    };

    this.baseline = section("publicBucketPolicies", () =>
      new AccountBaseline(this, "baseline", { manageS3PublicAccessBlock: home, publicBucketPolicies: account.publicBucketPolicies, protection }),
    );
    if (account.apiGatewayLogging === true) new ApiGatewayLogging(this, "apigateway-logging");
    // Budgets are account-wide and global: one, from the home region.
    const budget = account.budget;
    if (budget !== undefined && home) section("budget", () => new Budget(this, "budget", budget));
    this.output("ebs-default-kms-key-arn", this.baseline.ebsKey.keyArn, `KMS key that encrypts new EBS volumes in ${label.region} by default`);
    this.output(
      "session-log-group-name",
      this.baseline.sessionLogGroup.logGroupName,
      `Log group of every Session Manager session in ${label.region} that names no document of its own`,
    );

    // CI's roles are IAM, global: once per account, from the home region.
    const ci = project.ci;
    if (ci !== undefined && home) {
      const stacks = ciStacks(project, environments).filter((s) => s.accountId === account.accountId);
      this.ci = new GithubCi(this, "ci", {
        repository: ci.repository,
        branch: ci.branch,
        createOidcProvider: ci.createOidcProvider,
        applyEnvironments: [...new Set(stacks.map((s) => s.githubEnvironment))],
        state: { accountId: project.state.accountId, region: project.state.region, bucket: project.state.bucket, lockTable: project.state.lockTable, stackIds: stacks.map((s) => s.stack) },
      });
      this.output("ci-plan-role-arn", this.ci.planRole.arn, "Role that pull requests and the main branch assume to plan this account's stacks");
      this.output("ci-apply-role-arn", this.ci.applyRole.arn, "Role that the GitHub environments of this account's stacks assume to apply them");
    }

    const { alarms, cloudtrail, config, guardduty } = account;
    if (alarms === undefined && cloudtrail === undefined && config === undefined && guardduty === undefined) return;
    // One key for the region's audit trail: trail log files, the audit buckets, their log groups and the alarm topic.
    const key = new KmsKey(this, "audit-key", {
      purpose: "audit",
      description: "CloudTrail log files, the audit buckets, their log groups and the alarm topic",
      servicePrincipals: ["logs", "cloudtrail", "cloudwatch", "events"],
      viaServices: ["s3", "sns"],
      preventDestroy: protection.preventDestroy,
    });
    if (alarms !== undefined) {
      const { monthlyBudgetUsd: _budget, ...topic } = alarms;
      this.alarmTopic = section("alarms", () => new AlarmTopic(this, "alarms", { ...topic, kmsKeyArn: key.keyArn }));
      this.output("alarm-topic-arn", this.alarmTopic.topicArn, "The account's alarm topic: CloudTrail metric filters, billing, GuardDuty findings");
    }
    if (cloudtrail !== undefined && home) {
      this.trail = section("cloudtrail", () => new Trail(this, "cloudtrail", { ...cloudtrail, kmsKeyArn: key.keyArn, protection }));
      this.output("cloudtrail-bucket-name", this.trail.bucket.bucketName, "Bucket of the account's CloudTrail log files");
    }
    if (config !== undefined) {
      this.config = section("config", () => new ConfigRecorder(this, "config", { ...config, kmsKeyArn: key.keyArn, recordGlobalResources: home, protection }));
    }
    if (guardduty !== undefined && this.alarmTopic !== undefined) {
      const topicArn = this.alarmTopic.topicArn;
      this.detector = section("guardduty", () => new Detector(this, "guardduty", { ...guardduty, alarmTopicArn: topicArn }));
    }
    if (this.alarmTopic !== undefined) accountAlarms(this, this.alarmTopic, this.trail, region === "us-east-1" ? alarms?.monthlyBudgetUsd : undefined);
  }
}
