import { EnvironmentConfig } from "./lib/types";

/** Seed 003's production platform: us-east-1, 10.0.0.0/16, three AZs. */
const production: EnvironmentConfig = {
  name: "production",
  accountId: "111122223333",
  region: "us-east-1",
  tags: { owner: "platform-team", costCenter: "clinical-platform", dataClassification: "restricted" },
  network: {
    cidr: "10.0.0.0/16",
    azs: ["us-east-1a", "us-east-1b", "us-east-1c"],
    publicSubnets: ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"],
    privateSubnets: ["10.0.11.0/24", "10.0.12.0/24", "10.0.13.0/24"],
    databaseSubnets: ["10.0.21.0/24", "10.0.22.0/24", "10.0.23.0/24"],
  },
};

export default production;
