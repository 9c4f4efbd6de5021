import { Construct } from "constructs";
import { AccountConfig, PROTECTION_PROFILES, ProjectConfig, accountStackId } from "../environments";
import { AccountBaseline } from "../modules/account";
import { KeelStack, configureStack, stateBackend } from "./keel-stack";

/**
 * The services that exist once per account and region, whatever environments
 * run there. One per account and region in `project.accounts`, id
 * `account-<accountId>-<region>`, deployed after bootstrap and before the
 * environments in it. Environments never read its state: they meet it by
 * names and ARNs derived from config.
 */
export class AccountStack extends KeelStack {
  public readonly baseline: AccountBaseline;

  constructor(scope: Construct, project: ProjectConfig, account: AccountConfig, region: string) {
    const id = accountStackId(account.accountId, region);
    super(scope, id);
    const label = configureStack(this, {
      project,
      // Region in the label: names in an account stack are unique per account even for global services (IAM).
      environment: `account-${region}`,
      accountId: account.accountId,
      region,
      tags: project.tags,
    });
    stateBackend(this, project, id, account.accountId);
    this.baseline = new AccountBaseline(this, "baseline", {
      manageS3PublicAccessBlock: region === account.regions[0],
      protection: PROTECTION_PROFILES.production,
    });
    this.output("ebs-default-kms-key-arn", this.baseline.ebsKey.keyArn, `KMS key that encrypts new EBS volumes in ${label.region} by default`);
    this.output(
      "session-log-group-name",
      this.baseline.sessionLogGroup.logGroupName,
      `Log group of every Session Manager session in ${label.region} that names no document of its own`,
    );
  }
}
