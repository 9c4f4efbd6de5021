import { EnvironmentConfig } from "./lib/types";
import { APPLICATION_SECRETS, BASTION_AMI } from "./lib/shared";

/**
 * Seed 003's production platform: us-east-1, 10.0.0.0/16 over three AZs, a NAT
 * gateway per AZ (data subnets routed to it too), Aurora PostgreSQL 15.10 at
 * 0.5-1.0 ACU with 7-day backups, and a Session Manager bastion in a data subnet.
 */
const production: EnvironmentConfig = {
  name: "production",
  accountId: "111122223333",
  region: "us-east-1",
  tags: { owner: "platform-team", costCenter: "clinical-platform", dataClassification: "restricted" },
  productionGrade: true,
  network: {
    cidr: "10.0.0.0/16",
    azs: ["us-east-1a", "us-east-1b", "us-east-1c"],
    publicSubnets: ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"],
    privateSubnets: ["10.0.11.0/24", "10.0.12.0/24", "10.0.13.0/24"],
    databaseSubnets: ["10.0.21.0/24", "10.0.22.0/24", "10.0.23.0/24"],
    enableNatGateway: true,
    singleNatGateway: false,
    createDatabaseNatGatewayRoute: true,
    mapPublicIpOnLaunch: false,
    flowLogRetentionInDays: 365,
    interfaceEndpoints: [],
  },
  secrets: APPLICATION_SECRETS,
  database: {
    engineVersion: "15.10",
    minCapacity: 0.5,
    maxCapacity: 1.0,
    writer: true,
    readers: 0,
    backupRetentionPeriod: 7,
    preferredBackupWindow: "03:00-04:00",
    logRetentionInDays: 90,
    pgauditLog: ["ddl", "role", "write"],
  },
  bastion: {
    enabled: true,
    subnetTier: "database",
    instanceType: "t3.micro",
    ami: BASTION_AMI,
    sessionLogRetentionInDays: 365,
  },
};

export default production;
