import { Construct } from "constructs";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { Label, TaggableProps } from "../label";
import { IGrantable, pascalCase } from "../iam";
import { KmsKey } from "./kms-key";
import { suppress } from "../compliance/suppress";

export interface SecretProps extends TaggableProps {
  /** Short name; the secret is `<namespace>-<env>-<name>`. */
  readonly name: string;
  readonly description: string;
  /** The key that encrypts it; its policy must admit Secrets Manager. */
  readonly key: KmsKey;
  /** Days a deleted secret can still be restored, 7-30. */
  readonly recoveryWindowInDays: number;
  /** Why no rotation function rotates it; see SecretSpec. @default - keel check reports secret-rotation */
  readonly rotatedAtSource?: string;
}

/**
 * A Secrets Manager secret created without a value: there is no secret
 * version, so nothing secret reaches the synthesized JSON or the state.
 */
export class Secret extends Construct {
  public readonly resource: SecretsmanagerSecret;
  public readonly secretArn: string;
  public readonly secretName: string;
  private readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: SecretProps) {
    super(scope, id);
    const label = Label.of(this);
    this.secretName = label.id(props.name, "secret");
    this.key = props.key;
    this.resource = new SecretsmanagerSecret(this, "resource", {
      name: this.secretName,
      description: props.description,
      kmsKeyId: props.key.keyArn,
      recoveryWindowInDays: props.recoveryWindowInDays,
      tags: label.resourceTags(this.secretName, props.tags),
    });
    // Only a decision the config wrote down: a secret a team adds is never covered by the module's say-so.
    if (props.rotatedAtSource !== undefined) suppress(this.resource, { rule: "secret-rotation", reason: props.rotatedAtSource });
    this.secretArn = this.resource.arn;
  }

  /** Lets `grantee` read the value, decrypting through Secrets Manager only. */
  public grantRead(grantee: IGrantable): void {
    const name = pascalCase(this.node.id);
    grantee.addToPolicy({
      sid: `Read${name}`,
      actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
      resources: [this.secretArn],
    });
    grantee.addToPolicy({
      sid: `Decrypt${name}`,
      actions: ["kms:Decrypt"],
      resources: [this.key.keyArn],
      conditions: { StringEquals: { "kms:ViaService": Label.of(this).serviceHost("secretsmanager") } },
    });
  }
}
