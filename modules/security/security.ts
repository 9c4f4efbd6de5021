import { Construct } from "constructs";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { Label } from "../label";
import { PropsCheck } from "../validation";
import { KmsKey } from "./kms-key";

/** An application secret, created empty: its value is set outside Terraform. */
export interface SecretSpec {
  /** Short name, `[a-z0-9-]`; the secret is `<namespace>-<env>-<name>`. */
  readonly name: string;
  /** What the secret holds and who sets it. */
  readonly description: string;
}

export interface SecurityProps {
  /**
   * Application secrets to create, without values.
   * @default []
   */
  readonly secrets?: readonly SecretSpec[];
  /**
   * Days a deleted secret can still be restored, 7-30.
   * @default 30
   */
  readonly secretRecoveryWindowInDays?: number;
  /**
   * Days a scheduled key deletion waits, 7-30.
   * @default 30
   */
  readonly keyDeletionWindowInDays?: number;
  /**
   * Terraform `prevent_destroy` on the keys.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

const SECRET_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Seed 003's encryption layout: one customer-managed key per purpose, and the
 * application's secrets, created empty and encrypted with the secrets key.
 * - `databaseKey`: Aurora storage, snapshots, Performance Insights (through RDS).
 * - `logsKey`: CloudWatch log groups, CloudTrail, S3 buckets and EBS volumes.
 * - `secretsKey`: Secrets Manager (including the RDS-managed master secret), ECR, SNS.
 *
 * No secret value is ever written: there is no `aws_secretsmanager_secret_version`,
 * so nothing secret reaches the synthesized JSON or the state.
 */
export class Security extends Construct {
  public readonly databaseKey: KmsKey;
  public readonly logsKey: KmsKey;
  public readonly secretsKey: KmsKey;
  /** Secrets by their short name. */
  public readonly secrets: ReadonlyMap<string, SecretsmanagerSecret>;

  constructor(scope: Construct, id: string, props: SecurityProps = {}) {
    super(scope, id);
    const specs = props.secrets ?? [];
    const recovery = props.secretRecoveryWindowInDays ?? 30;
    const check = new PropsCheck("Security").integer("secretRecoveryWindowInDays", recovery, 7, 30);
    specs.forEach((spec, i) => {
      check
        .require(SECRET_NAME.test(spec.name), `secrets[${i}].name`, spec.name, "lower-case letters, digits and single dashes")
        .require(specs.findIndex((s) => s.name === spec.name) === i, `secrets[${i}].name`, spec.name, "a name not used by another secret")
        .nonEmpty(`secrets[${i}].description`, spec.description);
    });
    const label = Label.of(this);
    const keyProps = { deletionWindowInDays: props.keyDeletionWindowInDays, preventDestroy: props.preventDestroy };

    this.databaseKey = new KmsKey(this, "database-key", {
      ...keyProps,
      purpose: "database",
      description: "Aurora storage, backups, snapshots and Performance Insights",
      viaServices: ["rds"],
    });
    this.logsKey = new KmsKey(this, "logs-key", {
      ...keyProps,
      purpose: "logs-storage",
      description: "CloudWatch log groups, CloudTrail, S3 buckets and EBS volumes",
      servicePrincipals: ["logs", "cloudtrail"],
      viaServices: ["s3", "ec2"],
    });
    this.secretsKey = new KmsKey(this, "secrets-key", {
      ...keyProps,
      purpose: "secrets",
      description: "Secrets Manager secrets, ECR repositories and SNS topics",
      servicePrincipals: ["cloudwatch", "events"],
      viaServices: ["secretsmanager", "ecr", "sns"],
    });

    const secrets = new Map<string, SecretsmanagerSecret>();
    for (const spec of specs) {
      const name = label.id(spec.name, "secret");
      secrets.set(
        spec.name,
        new SecretsmanagerSecret(this, `secret-${spec.name}`, {
          name,
          description: spec.description,
          kmsKeyId: this.secretsKey.keyArn,
          recoveryWindowInDays: recovery,
          tags: label.resourceTags(name),
        }),
      );
    }
    this.secrets = secrets;
  }
}
