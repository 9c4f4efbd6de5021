import { EnvironmentConfig } from "./lib/types";
import { APPLICATION_SECRETS } from "./lib/shared";

/**
 * A cheaper two-AZ copy for day-to-day work; holds no real patient data. One
 * NAT gateway, isolated data subnets (seed 002's layout), so the bastion
 * lives in a private subnet, and short retention.
 */
const dev: EnvironmentConfig = {
  name: "dev",
  accountId: "111122223333",
  region: "us-east-1",
  tags: { owner: "platform-team", costCenter: "engineering", dataClassification: "internal" },
  protection: "disposable",
  network: {
    cidr: "10.10.0.0/16",
    azs: ["us-east-1a", "us-east-1b"],
    publicSubnets: ["10.10.1.0/24", "10.10.2.0/24"],
    privateSubnets: ["10.10.11.0/24", "10.10.12.0/24"],
    databaseSubnets: ["10.10.21.0/24", "10.10.22.0/24"],
    enableNatGateway: true,
    singleNatGateway: true,
    flowLogRetentionInDays: 30,
  },
  security: { secrets: APPLICATION_SECRETS },
  aurora: { engineVersion: "15.10", backupRetentionPeriod: 1, logRetentionInDays: 7 },
  bastion: { subnetTier: "private", sessionLogRetentionInDays: 30 },
};

export default dev;
