import { NAME_LIMITS, fitName } from "../label/label";

/**
 * Names both sides of the state backend derive from config: the bootstrap
 * stack creates them, every other stack's backend block uses them. Stacks
 * never read each other's state.
 */

/** Where a stack keeps its state in the bucket. */
export function stateKey(stackId: string): string {
  return `${stackId}/terraform.tfstate`;
}

/** The role in the state account that stacks of `accountId` assume to reach their state. */
export function stateAccessRoleName(namespace: string, accountId: string): string {
  return fitName([namespace, "tfstate-access", accountId], NAME_LIMITS.iamRole);
}

export function stateAccessRoleArn(namespace: string, stateAccountId: string, accountId: string, partition = "aws"): string {
  return `arn:${partition}:iam::${stateAccountId}:role/${stateAccessRoleName(namespace, accountId)}`;
}
