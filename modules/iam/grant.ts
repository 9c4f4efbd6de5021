import { PolicyStatement } from "./policy";

/**
 * A principal that modules can grant access to: `logGroup.grantWrite(role)`,
 * `key.grantEncryptDecrypt(role)`, `secret.grantRead(role)`,
 * `aurora.grantConnect(role, user)`. Modules never paste policy JSON into
 * each other's roles; they call these verbs.
 */
export interface IGrantable {
  /** The role's ARN, for key and resource policies that name it. */
  readonly roleArn: string;
  /** A short PascalCase name, unique in the stack, for statement ids in other policies, e.g. `Bastion`. */
  readonly grantName: string;
  /**
   * Adds a statement to the principal's own (identity) policy. The same
   * statement twice is kept once; two different statements with one sid are refused.
   */
  addToPolicy(statement: PolicyStatement): void;
}

/** `vpc-flow-logs` → `VpcFlowLogs`: a name usable in a statement id. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p.length > 0)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join("");
}

/**
 * A KMS key whose policy other modules may add to: how a bucket lets a
 * service it admits (CloudFront) use the bucket's key, without knowing
 * anything else of the key.
 */
export interface IKeyPolicy {
  readonly keyArn: string;
  /** Adds one statement to the key policy (statement ids are unique per key). */
  addToKeyPolicy(statement: PolicyStatement): void;
}

/**
 * A key that a module encrypts its resources with through an AWS service
 * (SQS queues, Lambda environments): the module asks the key to admit that
 * service, so the key policy names only the services its environment uses.
 */
export interface IServiceKey extends IKeyPolicy {
  /** Lets this account's principals use the key through `service` (`kms:ViaService`), and lets the service hold grants on it. */
  allowUseThrough(service: "sqs" | "lambda"): void;
}

/** A secret a workload reads by ARN at run time: `secret.grantRead(role)`. */
export interface ISecretSource {
  readonly secretArn: string;
  grantRead(grantee: IGrantable): void;
}
