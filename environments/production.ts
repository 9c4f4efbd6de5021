import { EnvironmentConfig } from "./lib/types";
import { APPLICATION_SECRETS } from "./lib/shared";

/**
 * Seed 003's production platform. Its numbers are the seed's; the retention
 * days and pgAudit classes are Keel's choices (the seed gives none).
 */
const production: EnvironmentConfig = {
  name: "production",
  accountId: "111122223333",
  region: "us-east-1",
  tags: { owner: "platform-team", costCenter: "clinical-platform", dataClassification: "restricted" },
  protection: "production",
  network: {
    cidr: "10.0.0.0/16",
    azs: ["us-east-1a", "us-east-1b", "us-east-1c"],
    publicSubnets: ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"],
    privateSubnets: ["10.0.11.0/24", "10.0.12.0/24", "10.0.13.0/24"],
    databaseSubnets: ["10.0.21.0/24", "10.0.22.0/24", "10.0.23.0/24"],
    enableNatGateway: true, // one per AZ
    createDatabaseNatGatewayRoute: true, // the data tier is not isolated: NAT of its own AZ
  },
  security: { secrets: APPLICATION_SECRETS },
  aurora: {
    engineVersion: "15.10",
    minCapacity: 0.5,
    maxCapacity: 1.0,
    logRetentionInDays: 90,
    pgauditLog: ["ddl", "role", "write"],
  },
  bastion: {}, // in a data subnet: the module's defaults
};

export default production;
