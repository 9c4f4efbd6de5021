import { EnvironmentConfig } from "../environments/lib/types";

/**
 * Seed 004, OutreachPass: everything runs in the account's default VPC,
 * 172.31.0.0/16 over three AZs, whose subnets are all public. Keel creates
 * nothing in that VPC but a DB subnet group over its subnets, for Aurora
 * Serverless v2 PostgreSQL 15.12 (0.5-16 ACU, two instances, 7-day backups,
 * Performance Insights 7 days, PostgreSQL logs 7 days), never publicly
 * accessible. Lambda, the HTTP API, SQS, SES, CloudFront and Cognito join as
 * their modules land.
 *
 * ⚠ The seed gives the VPC as "vpc-default" and no subnet ids: the ids below
 *   are placeholders to replace with the account's own.
 * ⚑ The seed puts Lambda in "private subnets", which a default VPC does not
 *   have; the functions module will place it in the default subnets.
 */
const outreachpass: EnvironmentConfig = {
  name: "outreachpass",
  accountId: "741783034843",
  region: "us-east-1",
  tags: { owner: "outreachpass", costCenter: "outreachpass", dataClassification: "confidential" },
  protection: "production",
  network: {
    vpcId: "vpc-0d0e0f0a0b0c0d0e0",
    cidr: "172.31.0.0/16",
    azs: ["us-east-1a", "us-east-1b", "us-east-1c"],
    publicSubnetIds: ["subnet-0a0000000000000a1", "subnet-0b0000000000000b1", "subnet-0c0000000000000c1"],
    databaseSubnetIds: ["subnet-0a0000000000000a1", "subnet-0b0000000000000b1", "subnet-0c0000000000000c1"],
  },
  aurora: {
    engineVersion: "15.12",
    minCapacity: 0.5,
    maxCapacity: 16,
    readers: 1,
    backupRetentionPeriod: 7,
    performanceInsightsRetentionPeriod: 7,
    databaseName: "outreachpass",
    masterUsername: "outreachpass_admin",
    logRetentionInDays: 7,
  },
};

export default outreachpass;
