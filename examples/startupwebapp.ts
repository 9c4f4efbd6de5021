import { EnvironmentConfig } from "../environments/lib/types";

/**
 * Seed 001, StartupWebApp: a 2-AZ VPC, 10.0.0.0/16, public 10.0.1.0/24 and
 * 10.0.2.0/24, private 10.0.10.0/24 and 10.0.11.0/24 holding the DB subnet
 * group, and the optional single NAT gateway (in public subnet 1) turned on.
 * The RDS PostgreSQL 16 instance, SNS, 4 alarms and the dashboard join as
 * their modules land. The seed names no account: it shares the state account.
 *
 * ⚑ The seed's bastion security group admits SSH from the operator's IP;
 * Keel's bastion is Session Manager only, with no ingress at all.
 */
const startupwebapp: EnvironmentConfig = {
  name: "startupwebapp",
  accountId: "111122223333",
  region: "us-east-1",
  tags: { owner: "startupwebapp", costCenter: "startupwebapp", dataClassification: "confidential" },
  protection: "production",
  network: {
    cidr: "10.0.0.0/16",
    azs: ["us-east-1a", "us-east-1b"],
    publicSubnets: ["10.0.1.0/24", "10.0.2.0/24"],
    privateSubnets: ["10.0.10.0/24", "10.0.11.0/24"],
    databaseSubnetGroupTier: "private",
    enableNatGateway: true,
    singleNatGateway: true,
  },
};

export default startupwebapp;
