import { ProjectConfig } from "../environments/lib/types";

/**
 * The seed examples' shared settings. Each example is another team's system,
 * in its own account as its seed gives it (seed 001 names none, so it shares
 * the state account); their backends reach the state bucket through the
 * roles bootstrap would create. `npm run examples` builds their account
 * stacks and environment stacks (no bootstrap), into examples.out/.
 */
const project: ProjectConfig = {
  namespace: "example",
  tags: { owner: "keel-examples", costCenter: "examples", dataClassification: "internal" },
  state: {
    accountId: "111122223333",
    region: "us-east-1",
    bucket: "example-tfstate-111122223333-us-east-1",
    lockTable: "example-terraform-locks",
    noncurrentVersionExpirationDays: 90,
    bootstrapStateInBucket: true,
  },
  accounts: [
    { accountId: "111122223333", regions: ["us-east-1"] },
    // Seed 000's billing alert: $50 a month.
    { accountId: "059364397483", regions: ["us-east-1"], budget: { monthlyLimitUsd: 50, emails: ["billing@happypillar.example"] } },
    // Seed 002's REST API logs execution at INFO: the account's API Gateway CloudWatch role.
    // Deployed from a workstation with this account's own SSO profile.
    // Its checklist claims "Audit logs (CloudWatch, CloudTrail)", and it holds health records:
    // the multi-region trail, kept six years (HIPAA's documentation rule, Keel's default).
    { accountId: "706704660887", regions: ["us-east-1"], apiGatewayLogging: true, profile: "mentalspace-admin", cloudtrail: {} },
    {
      accountId: "741783034843",
      regions: ["us-east-1"],
      // Deployed by CI, which assumes this role in the account from its own identity.
      roleArn: "arn:aws:iam::741783034843:role/outreachpass-deploy",
      // "CloudTrail: All API calls logged", "2-year retention for compliance".
      cloudtrail: { retentionDays: 730 },
      // Seed 004's assets bucket is public-read by design; the account block must admit public policies.
      publicBucketPolicies: {
        reason: "OutreachPass serves QR codes, avatars and logos to wallet passes and e-mail clients that cannot sign requests",
        expires: "2027-05-31",
      },
    },
  ],
  // The examples are planned and applied from one repository's GitHub Actions, keyless in every
  // account. Production-profile stacks wait in their GitHub environment for a reviewer.
  ci: { repository: "keel-examples/seeds" },
};

export default project;
