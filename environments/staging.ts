import { EnvironmentConfig } from "./lib/types";
import { ACCOUNT_ID, APPLICATION_SECRETS, REGION } from "./project";

/** Production's shape on its own address range, for rehearsing changes; one NAT gateway, shorter retention. */
const staging: EnvironmentConfig = {
  name: "staging",
  accountId: ACCOUNT_ID,
  region: REGION,
  tags: { costCenter: "clinical-platform", dataClassification: "confidential" },
  protection: "disposable",
  network: {
    cidr: "10.20.0.0/16",
    azs: [`${REGION}a`, `${REGION}b`, `${REGION}c`],
    publicSubnets: ["10.20.1.0/24", "10.20.2.0/24", "10.20.3.0/24"],
    privateSubnets: ["10.20.11.0/24", "10.20.12.0/24", "10.20.13.0/24"],
    databaseSubnets: ["10.20.21.0/24", "10.20.22.0/24", "10.20.23.0/24"],
    enableNatGateway: true,
    singleNatGateway: true,
    createDatabaseNatGatewayRoute: true,
    flowLogRetentionInDays: 90,
  },
  security: { secrets: APPLICATION_SECRETS },
  aurora: { engineVersion: "15.10", logRetentionInDays: 30, pgauditLog: ["ddl", "role", "write"] },
  bastion: { sessionLogRetentionInDays: 90 },
};

export default staging;
