import { ProjectConfig } from "./lib/types";

/**
 * Settings every environment shares: the name prefix, where Terraform state
 * lives, and every account and region an environment uses (each gets an
 * account stack, deployed before the environments in it).
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
  accounts: [{ accountId: "111122223333", regions: ["us-east-1"] }],
};

export default project;
