import { EnvironmentConfig } from "../environments/lib/types";

/**
 * Seed 000, Nora (happypillar): phase 1 as built. A 2-AZ VPC, 10.0.0.0/16,
 * with public subnets for App Runner and private subnets for RDS, and no NAT
 * gateway; the database subnet group is over the private subnets, and the
 * ECR repository phase 5 deploys from. App Runner,
 * RDS, the audio bucket and the billing alert join as their modules land.
 *
 * ⚑ The seed says App Runner needs the internet gateway for its outbound
 * calls; with a VPC connector App Runner's egress goes through the VPC, whose
 * private subnets have no NAT. The apprunner module will decide.
 */
const nora: EnvironmentConfig = {
  name: "nora",
  accountId: "059364397483",
  region: "us-east-1",
  tags: { owner: "nora", costCenter: "nora", dataClassification: "restricted" },
  protection: "production",
  network: {
    cidr: "10.0.0.0/16",
    azs: ["us-east-1a", "us-east-1b"],
    publicSubnets: ["10.0.1.0/24", "10.0.2.0/24"],
    privateSubnets: ["10.0.10.0/24", "10.0.11.0/24"],
    databaseSubnetGroupTier: "private",
  },
  // Phase 5: "ECR Repository (container registry)" for the App Runner service.
  ecr: { repositories: ["nora"] },
};

export default nora;
