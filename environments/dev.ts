import { EnvironmentConfig } from "./lib/types";
import { APPLICATION_SECRETS, BASTION_AMI } from "./lib/shared";

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
  productionGrade: false,
  network: {
    cidr: "10.10.0.0/16",
    azs: ["us-east-1a", "us-east-1b"],
    publicSubnets: ["10.10.1.0/24", "10.10.2.0/24"],
    privateSubnets: ["10.10.11.0/24", "10.10.12.0/24"],
    databaseSubnets: ["10.10.21.0/24", "10.10.22.0/24"],
    enableNatGateway: true,
    singleNatGateway: true,
    createDatabaseNatGatewayRoute: false,
    mapPublicIpOnLaunch: false,
    flowLogRetentionInDays: 30,
    interfaceEndpoints: [],
  },
  secrets: APPLICATION_SECRETS,
  database: {
    engineVersion: "15.10",
    minCapacity: 0.5,
    maxCapacity: 1.0,
    writer: true,
    readers: 0,
    backupRetentionPeriod: 1,
    preferredBackupWindow: "03:00-04:00",
    logRetentionInDays: 7,
    pgauditLog: ["ddl", "role"],
  },
  bastion: {
    enabled: true,
    subnetTier: "private",
    instanceType: "t3.micro",
    ami: BASTION_AMI,
    sessionLogRetentionInDays: 30,
  },
};

export default dev;
