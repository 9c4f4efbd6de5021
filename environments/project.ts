import { ProjectConfig } from "./lib/types";
import type { SecretSpec } from "../modules/security/security";

// Making Keel yours starts here (README, "Make it yours"): these values are the only place your
// organisation's names, account, region and e-mail appear. The project below and every
// environment file derive from them.

/** The first part of every physical name and the Project tag: short, lowercase, `[a-z0-9-]`. */
export const NAMESPACE = "keel";
/** The AWS account the environments run in, and where Terraform state lives. */
export const ACCOUNT_ID = "111122223333";
/** The region of the state bucket and of the environments. */
export const REGION = "us-east-1";
/** The GitHub repository that plans and applies these stacks (README, CI/CD): `owner/name`, as GitHub spells it. */
export const GITHUB_REPOSITORY = "example-org/keel";
/** Who gets the account's and production's alarms. */
export const ALARM_EMAILS: readonly string[] = ["platform-alerts@example.com"];

/** The application's secrets: the same names everywhere, values set per environment outside Terraform. */
export const APPLICATION_SECRETS: readonly SecretSpec[] = [
  {
    name: "api-keys",
    description: "Third-party API keys used by the api service; set by the platform team",
    rotatedAtSource: "Issued by the third parties and rotated in their consoles; the platform team sets the new value here",
  },
  {
    name: "session-signing-key",
    description: "Key that signs web sessions; rotated by the platform team",
    rotatedAtSource: "The platform team rotates it on its own schedule, keeping the previous key valid for a day",
  },
];

/**
 * Settings every environment shares: the name prefix, the tags every
 * environment starts from, where Terraform state lives, and every account
 * and region an environment uses (each gets an account stack, deployed
 * before the environments in it, with the account's audit services).
 */
const project: ProjectConfig = {
  namespace: NAMESPACE,
  // Every environment's tags start from these; an environment's `tags` override one by one.
  tags: { owner: "platform-team", costCenter: "platform", dataClassification: "internal" },
  state: {
    accountId: ACCOUNT_ID,
    region: REGION,
    // S3 bucket names are global: the account and region keep yours from colliding with anyone's.
    bucket: `${NAMESPACE}-tfstate-${ACCOUNT_ID}-${REGION}`,
    lockTable: `${NAMESPACE}-terraform-locks`,
    noncurrentVersionExpirationDays: 90,
    bootstrapStateInBucket: false,
  },
  accounts: [
    {
      accountId: ACCOUNT_ID,
      regions: [REGION],
      // The account's audit services: a multi-region trail (six years in S3, HIPAA's documentation
      // rule), AWS Config with the HIPAA conformance pack, GuardDuty, and the account's alarms.
      cloudtrail: {},
      config: {},
      guardduty: {},
      // A monthly budget for every environment in the account together; alarms go to ALARM_EMAILS.
      alarms: { emails: ALARM_EMAILS, monthlyBudgetUsd: 1500 },
    },
  ],
  // Keyless CI from GitHub Actions: `npx keel ci` writes .github/workflows/ from this. Each stack
  // applies in the GitHub environment of its own name; give `production` required reviewers.
  ci: { repository: GITHUB_REPOSITORY },
};

export default project;
