import { Construct } from "constructs";
import { TaggableProps } from "../label";
import { ProtectionProfile } from "../protection";
import { PropsCheck } from "../validation";
import { KmsKey, KmsKeyProps } from "./kms-key";
import { Secret } from "./secret";

/** An application secret, created empty: its value is set outside Terraform. */
export interface SecretSpec {
  /** Short name, `[a-z0-9-]`; the secret is `<namespace>-<env>-<name>`. */
  readonly name: string;
  /** What the secret holds and who sets it. */
  readonly description: string;
  /**
   * Why the secret has no rotation function: who rotates the value where it
   * comes from. It is recorded as this secret's `secret-rotation`
   * suppression, the team's decision in its own config.
   * @default - none: `keel check` reports the secret's missing rotation
   */
  readonly rotatedAtSource?: string;
}

export interface SecurityProps extends TaggableProps {
  /**
   * Application secrets to create, without values.
   * @default []
   */
  readonly secrets?: readonly SecretSpec[];
  /**
   * Days a scheduled key deletion waits, 7-30.
   * @default 30
   */
  readonly keyDeletionWindowInDays?: number;
  /** `preventDestroy` on the keys; `secretRecoveryWindowInDays` on the secrets. */
  readonly protection: Pick<ProtectionProfile, "preventDestroy" | "secretRecoveryWindowInDays">;
}

/** The keys of Omnirapeutic's encryption layout, by purpose, and the backup vault's own. */
export type KeyPurpose = "database" | "logs" | "secrets" | "backup";

/** What each key is for and who may use it. Construct ids and aliases are part of the contract. */
const KEYS: Readonly<Record<KeyPurpose, { readonly id: string } & Omit<KmsKeyProps, "deletionWindowInDays" | "preventDestroy" | "tags">>> = {
  database: {
    id: "database-key",
    purpose: "database",
    description: "Aurora storage, backups, snapshots and Performance Insights",
    viaServices: ["rds"],
  },
  logs: {
    id: "logs-key",
    purpose: "logs-storage",
    description: "CloudWatch log groups, CloudTrail, S3 buckets and EBS volumes",
    servicePrincipals: ["logs", "cloudtrail"],
    viaServices: ["s3", "ec2"],
  },
  secrets: {
    id: "secrets-key",
    purpose: "secrets",
    description: "Secrets Manager secrets, ECR repositories and SNS topics",
    servicePrincipals: ["cloudwatch", "events"],
    viaServices: ["secretsmanager", "ecr", "sns"],
  },
  backup: {
    id: "backup-key",
    purpose: "backup",
    description: "AWS Backup vault: the recovery points AWS Backup encrypts itself (S3); database snapshots keep the database key",
    viaServices: ["backup"],
  },
};

/**
 * Omnirapeutic's encryption layout: one customer-managed key per purpose, and the
 * application's secrets, created empty and encrypted with the secrets key.
 * - `databaseKey`: Aurora storage, snapshots, Performance Insights (through RDS).
 * - `logsKey`: CloudWatch log groups, CloudTrail, S3 buckets and EBS volumes.
 * - `secretsKey`: Secrets Manager (including the RDS-managed master secret), ECR, SNS.
 *
 * A key is created when a module first asks for it, so an environment pays
 * only for the keys its modules use.
 */
export class Security extends Construct {
  /** Secrets by their short name. */
  public readonly secrets: ReadonlyMap<string, Secret>;
  private readonly keys = new Map<KeyPurpose, KmsKey>();
  private readonly props: SecurityProps;

  constructor(scope: Construct, id: string, props: SecurityProps) {
    super(scope, id);
    const specs = props.secrets ?? [];
    const recovery = props.protection.secretRecoveryWindowInDays;
    const check = new PropsCheck("Security")
      .integer("protection.secretRecoveryWindowInDays", recovery, 7, 30)
      .integer("keyDeletionWindowInDays", props.keyDeletionWindowInDays ?? 30, 7, 30)
      .tags("tags", props.tags);
    specs.forEach((spec, i) => {
      check
        .shortName(`secrets.${i}.name`, spec.name)
        .require(specs.findIndex((s) => s.name === spec.name) === i, `secrets.${i}.name`, spec.name, "a name not used by another secret")
        .nonEmpty(`secrets.${i}.description`, spec.description);
    });
    check.done();
    this.props = props;

    const secrets = new Map<string, Secret>();
    for (const spec of specs) {
      secrets.set(
        spec.name,
        new Secret(this, `secret-${spec.name}`, {
          ...spec,
          key: this.secretsKey,
          recoveryWindowInDays: recovery,
          tags: props.tags,
        }),
      );
    }
    this.secrets = secrets;
  }

  public get databaseKey(): KmsKey {
    return this.key("database");
  }

  public get logsKey(): KmsKey {
    return this.key("logs");
  }

  public get secretsKey(): KmsKey {
    return this.key("secrets");
  }

  /** The backup vault's key: kept apart, so that losing a data key does not lose its backups. */
  public get backupKey(): KmsKey {
    return this.key("backup");
  }

  /** The keys created so far, by purpose, in creation order. */
  public get createdKeys(): ReadonlyMap<KeyPurpose, KmsKey> {
    return this.keys;
  }

  private key(purpose: KeyPurpose): KmsKey {
    let key = this.keys.get(purpose);
    if (key === undefined) {
      const { id, ...spec } = KEYS[purpose];
      key = new KmsKey(this, id, {
        ...spec,
        deletionWindowInDays: this.props.keyDeletionWindowInDays,
        preventDestroy: this.props.protection.preventDestroy,
        tags: this.props.tags,
      });
      this.keys.set(purpose, key);
    }
    return key;
  }
}
