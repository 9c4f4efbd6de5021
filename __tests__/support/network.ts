import { TerraformStack } from "cdktf";
import { Vpc, VpcProps } from "../../modules/vpc";
import { PROTECTION_PROFILES } from "../../environments";

/** A key ARN for tests: any module that takes a key gets this one. */
export const TEST_KEY = "arn:aws:kms:us-east-1:111122223333:key/test";

/** A two-AZ VPC with all three tiers and one NAT gateway, for modules that need a network. */
export function testVpc(stack: TerraformStack, extra: Partial<VpcProps> = {}): Vpc {
  return new Vpc(stack, "vpc", {
    cidr: "10.0.0.0/16",
    azs: ["us-east-1a", "us-east-1b"],
    publicSubnets: ["10.0.1.0/24", "10.0.2.0/24"],
    privateSubnets: ["10.0.11.0/24", "10.0.12.0/24"],
    databaseSubnets: ["10.0.21.0/24", "10.0.22.0/24"],
    enableNatGateway: true,
    singleNatGateway: true,
    flowLogRetentionInDays: 30,
    flowLogKmsKeyArn: TEST_KEY,
    protection: PROTECTION_PROFILES.production,
    ...extra,
  });
}
