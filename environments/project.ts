import { ProjectConfig } from "./lib/types";

/** Settings every environment shares: the name prefix and where Terraform state lives. */
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
};

export default project;
