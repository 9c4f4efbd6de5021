import { EnvironmentConfig } from "../environments/lib/types";

/**
 * Seed 002, MentalSpace EHR: public, private-with-NAT and isolated database
 * subnets over two AZs, one NAT gateway, and Aurora Serverless v2 PostgreSQL
 * (0.5-8 ACU, a writer and a reader, 30-day backups, PostgreSQL logs kept a
 * year). CloudFront, Cognito, the REST API and the buckets join as their
 * modules land.
 *
 * ⚠ The seed gives no CIDRs; these are Keel's, in CDK's default 10.0.0.0/16.
 * ⚑ The seed's deletion protection is "DISABLED (enable after testing)": this
 *   holds health records, so the example uses the production profile.
 * ⚑ 15.3 is an old minor; whether it can still be created is not checked
 *   offline here. Aurora picks it up as written.
 */
const mentalspace: EnvironmentConfig = {
  name: "mentalspace",
  accountId: "706704660887",
  region: "us-east-1",
  tags: { owner: "mentalspace", costCenter: "mentalspace-ehr", dataClassification: "restricted" },
  protection: "production",
  network: {
    cidr: "10.0.0.0/16",
    azs: ["us-east-1a", "us-east-1b"],
    publicSubnets: ["10.0.1.0/24", "10.0.2.0/24"],
    privateSubnets: ["10.0.11.0/24", "10.0.12.0/24"],
    databaseSubnets: ["10.0.21.0/24", "10.0.22.0/24"],
    enableNatGateway: true,
    singleNatGateway: true, // "NAT Gateway: 1 (cost-optimized)"; the data tier stays isolated
  },
  aurora: {
    engineVersion: "15.3",
    minCapacity: 0.5,
    maxCapacity: 8,
    readers: 1,
    backupRetentionPeriod: 30,
    databaseName: "mentalspaceehr",
    masterUsername: "postgres",
    logRetentionInDays: 365,
  },
};

export default mentalspace;
