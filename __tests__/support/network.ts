import { TerraformStack } from "cdktf";
import { Vpc, VpcProps } from "../../modules/vpc";
import { PROTECTION_PROFILES } from "../../environments";

/** A key ARN for tests: any module that takes a key gets this one. */
export const TEST_KEY = "arn:aws:kms:us-east-1:111122223333:key/test";

/** Two AZs, all three tiers, a NAT gateway per AZ: the VPC most module tests need. */
export const TEST_VPC_PROPS: VpcProps = {
  cidr: "10.0.0.0/16",
  azs: ["us-east-1a", "us-east-1b"],
  publicSubnets: ["10.0.1.0/24", "10.0.2.0/24"],
  privateSubnets: ["10.0.11.0/24", "10.0.12.0/24"],
  databaseSubnets: ["10.0.21.0/24", "10.0.22.0/24"],
  enableNatGateway: true,
  flowLogKmsKeyArn: TEST_KEY,
  protection: PROTECTION_PROFILES.production,
};

/** A test VPC (one NAT gateway, 30-day flow logs unless `extra` says otherwise), for modules that need a network. */
export function testVpc(stack: TerraformStack, extra: Partial<VpcProps> = {}): Vpc {
  return new Vpc(stack, "vpc", { ...TEST_VPC_PROPS, singleNatGateway: true, flowLogRetentionInDays: 30, ...extra });
}
