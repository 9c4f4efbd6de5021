import type { Conditions, PolicyStatement } from "../iam";
import { stateKey, stateLockObjectKey } from "./names";

/** Which state a principal reaches, and how the state key is named to it. */
export interface StateAccessScope {
  readonly partition: string;
  readonly bucket: string;
  /** The lock table's ARN. */
  readonly lockTableArn: string;
  /** The stacks whose state and locks the principal may use. */
  readonly stackIds: readonly string[];
  /** Write the state objects too (who applies), or only read them (a plan). Locks are written either way. */
  readonly write: boolean;
  /** The state key: by ARN where the key is known, by alias where it is not. */
  readonly key: { readonly resources: readonly string[]; readonly conditions: Conditions };
}

/**
 * The one list of statements that lets a principal use some stacks' state:
 * list the bucket, read (and, to apply, write) their state objects, take and
 * release both locks (the `.tflock` object and the DynamoDB item, by
 * `dynamodb:LeadingKeys`), and use the state key through S3 and DynamoDB.
 * Bootstrap's cross-account roles and the CI plan role share it.
 */
export function stateAccessStatements(scope: StateAccessScope): PolicyStatement[] {
  const bucketArn = `arn:${scope.partition}:s3:::${scope.bucket}`;
  const keys = scope.stackIds.map(stateKey);
  return [
    { sid: "ListStateBucket", actions: ["s3:ListBucket"], resources: [bucketArn] },
    {
      sid: scope.write ? "ReadWriteOwnState" : "ReadOwnState",
      actions: scope.write ? ["s3:GetObject", "s3:PutObject"] : ["s3:GetObject"],
      resources: keys.map((k) => `${bucketArn}/${k}`),
    },
    {
      sid: "LockOwnStateWithLockfile",
      actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      resources: scope.stackIds.map((stack) => `${bucketArn}/${stateLockObjectKey(stack)}`),
    },
    {
      sid: "LockOwnState",
      actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
      resources: [scope.lockTableArn],
      conditions: {
        "ForAllValues:StringEquals": {
          "dynamodb:LeadingKeys": keys.flatMap((k) => [`${scope.bucket}/${k}`, `${scope.bucket}/${k}-md5`]),
        },
      },
    },
    {
      sid: "UseStateKeyThroughS3AndDynamoDB",
      actions: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
      resources: [...scope.key.resources],
      conditions: scope.key.conditions,
    },
  ];
}
