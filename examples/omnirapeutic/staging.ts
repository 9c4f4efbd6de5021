import { EnvironmentConfig } from "../../environments/lib/types";
import { APPLICATION_SECRETS } from "./project";

/** Production's shape on its own address range, for rehearsing changes; one NAT gateway, shorter retention. */
const staging: EnvironmentConfig = {
  name: "staging",
  accountId: "111122223333",
  region: "us-east-1",
  tags: { owner: "platform-team", costCenter: "clinical-platform", dataClassification: "confidential" },
  protection: "disposable",
  network: {
    cidr: "10.20.0.0/16",
    azs: ["us-east-1a", "us-east-1b", "us-east-1c"],
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
