import { NAME_LIMITS, fitName } from "../label";

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

/**
 * The role in the state account that the CI plan role of `accountId`
 * assumes: read the account's stacks' state, write only their locks.
 */
export function stateReadRoleName(namespace: string, accountId: string): string {
  return fitName([namespace, "tfstate-read", accountId], NAME_LIMITS.iamRole);
}

export function stateReadRoleArn(namespace: string, stateAccountId: string, accountId: string, partition = "aws"): string {
  return `arn:${partition}:iam::${stateAccountId}:role/${stateReadRoleName(namespace, accountId)}`;
}

/**
 * The state key's alias name, `<namespace>-bootstrap-tfstate`: what the
 * bootstrap stack's Label would derive, fixed here so both sides agree.
 */
export function stateKeyAliasName(namespace: string): string {
  return fitName([namespace, "bootstrap", "tfstate"], NAME_LIMITS.kmsAlias);
}

/**
 * The state key by its alias ARN in the state account: known before the key
 * exists (a key ARN holds a random id), pinned to the state account (a bare
 * alias would resolve in whichever account makes the request), and accepted
 * by the S3 backend's `kms_key_id` and by S3 for SSE-KMS.
 */
export function stateKeyAliasArn(namespace: string, stateAccountId: string, region: string, partition = "aws"): string {
  return `arn:${partition}:kms:${region}:${stateAccountId}:alias/${stateKeyAliasName(namespace)}`;
}

/** The object Terraform's S3-native lock (`use_lockfile`) writes beside a stack's state. */
export function stateLockObjectKey(stackId: string): string {
  return `${stateKey(stackId)}.tflock`;
}
