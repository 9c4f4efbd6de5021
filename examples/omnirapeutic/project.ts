import { ProjectConfig } from "../../environments/lib/types";
import type { SecretSpec } from "../../modules/security/security";

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
 * Keel's reference platform: seed 003's (Omnirapeutic's) HIPAA-minded ECS,
 * Aurora, ALB and WAF platform in three environments, the design centre the
 * modules are proven on. `environments/` starts as a copy of it; tests pin
 * its values here, never in `environments/`.
 *
 * Settings every environment shares: the name prefix, where Terraform state
 * lives, and every account and region an environment uses (each gets an
 * account stack, deployed before the environments in it, with the account's
 * audit services). Replace the alarm email with your team's address.
 */
const project: ProjectConfig = {
  namespace: "keel",
  tags: { owner: "platform-team", costCenter: "platform", dataClassification: "internal" },
  state: {
    accountId: "111122223333",
    region: "us-east-1",
    bucket: "keel-tfstate-111122223333-us-east-1",
    lockTable: "keel-terraform-locks",
    noncurrentVersionExpirationDays: 90,
    bootstrapStateInBucket: false,
  },
  accounts: [
    {
      accountId: "111122223333",
      regions: ["us-east-1"],
      // Seed 003's audit services: a multi-region trail (six years in S3, HIPAA's documentation
      // rule), AWS Config with the HIPAA conformance pack, GuardDuty, and the account's alarms.
      cloudtrail: {},
      config: {},
      guardduty: {},
      // The seed gives "Cost: 1 alarm" and no figure; 1500 USD a month is Keel's, for the three
      // environments together (seed 000's 50 USD is a single App Runner service).
      alarms: { emails: ["platform-alerts@example.com"], monthlyBudgetUsd: 1500 },
    },
  ],
  // Seed 003's deploy flow: GitHub Actions builds, scans and deploys the images. Keyless here.
  ci: { repository: "omnirapeutic/platform" },
};

export default project;
