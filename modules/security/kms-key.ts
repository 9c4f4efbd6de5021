import { Construct } from "constructs";
import { Lazy } from "cdktf";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { Label, TaggableProps } from "../label";
import { IGrantable, IServiceKey, PolicyStatement, StatementList, pascalCase, policyDocument } from "../iam";
import { PropsCheck } from "../validation";

/**
 * Services that call KMS as themselves (a service principal in the key policy).
 * Each gets only the actions and the encryption-context condition it needs.
 */
export type KeyServicePrincipal = "logs" | "cloudtrail" | "cloudwatch" | "events";

/**
 * Services through which principals of this account may use the key
 * (`kms:ViaService`): IAM still decides who; the key decides through what.
 */
export type KeyViaService =
  | "rds"
  | "secretsmanager"
  | "ecr"
  | "sns"
  | "s3"
  | "dynamodb"
  | "ec2"
  | "ssm"
  | "sqs"
  | "lambda"
  | "backup";

export interface KmsKeyProps extends TaggableProps {
  /** Purpose of the key, e.g. `database`; the alias is `alias/<namespace>-<env>-<purpose>`. */
  readonly purpose: string;
  /** Human description shown in the console. */
  readonly description: string;
  /**
   * The alias name without `alias/`, for a key that others find by a name
   * fixed outside this stack (the state key).
   * @default `<namespace>-<env>-<purpose>` from the Label
   */
  readonly aliasName?: string;
  /**
   * Service principals granted use of the key.
   * @default [] - none
   */
  readonly servicePrincipals?: readonly KeyServicePrincipal[];
  /**
   * Services through which account principals may use the key.
   * @default [] - none
   */
  readonly viaServices?: readonly KeyViaService[];
  /**
   * Days a scheduled deletion waits, 7-30.
   * @default 30
   */
  readonly deletionWindowInDays?: number;
  /**
   * Terraform `prevent_destroy`: a destroy plan fails instead of scheduling the key's deletion.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

const KMS_ALIAS = /^[A-Za-z0-9/_-]{1,250}$/;

const USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

/**
 * What the account (through IAM) may do to the key itself: administer it,
 * never use it. No `kms:CreateGrant` and no cryptographic action: use comes
 * only through the statements below.
 */
const ADMIN_ACTIONS = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:Get*",
  "kms:List*",
  "kms:PutKeyPolicy",
  "kms:RetireGrant",
  "kms:RevokeGrant",
  "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
];

/**
 * A customer-managed KMS key with rotation on, an alias from the Label and an
 * explicit key policy: the account administers it through IAM (so it is never
 * unmanageable), and only the services listed in props may use it.
 */
export class KmsKey extends Construct implements IServiceKey {
  public readonly key: KmsKeyResource;
  public readonly alias: KmsAlias;
  public readonly keyArn: string;
  public readonly keyId: string;
  private readonly policy: StatementList;

  constructor(scope: Construct, id: string, props: KmsKeyProps) {
    super(scope, id);
    const label = Label.of(this);
    const window = props.deletionWindowInDays ?? 30;
    const check = new PropsCheck(`KmsKey '${props.purpose}'`)
      .integer("deletionWindowInDays", window, 7, 30)
      .require(
        (props.servicePrincipals ?? []).length + (props.viaServices ?? []).length > 0,
        "servicePrincipals/viaServices",
        [],
        "at least one service that uses the key: a key nobody may use is a mistake",
      )
      .tags("tags", props.tags);
    const name = props.aliasName ?? label.id(props.purpose, "kmsAlias");
    check
      .require(KMS_ALIAS.test(name) && !name.startsWith("aws/"), "aliasName", name, "1-250 of [A-Za-z0-9/_-], not starting aws/ (AWS reserves alias/aws/)")
      .done();
    this.policy = new StatementList(`KmsKey '${props.purpose}'`);
    for (const statement of keyPolicy(label, props)) this.policy.add(statement);

    this.key = new KmsKeyResource(this, "resource", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: window,
      // Rendered at synth, so grants made after construction are in it.
      policy: Lazy.stringValue({ produce: () => policyDocument(this.policy.statements) }),
      tags: label.resourceTags(name, props.tags),
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    this.alias = new KmsAlias(this, "alias", { name: `alias/${name}`, targetKeyId: this.key.keyId });
    this.keyArn = this.key.arn;
    this.keyId = this.key.keyId;
  }

  /**
   * Lets `grantee` encrypt and decrypt with this key directly, by naming its
   * role in the key policy (the account itself may not use the key, so an
   * IAM policy alone would not do).
   */
  public addToKeyPolicy(statement: PolicyStatement): void {
    this.policy.add(statement);
  }

  /**
   * Admits `service` after construction, for a module that encrypts through
   * it: the same use-and-grant statements `viaServices` gives, one pair per
   * service, added once however many resources ask.
   */
  public allowUseThrough(service: "sqs" | "lambda"): void {
    const label = Label.of(this);
    const through = { "kms:CallerAccount": label.accountId, "kms:ViaService": label.serviceHost(service) };
    const name = pascalCase(service);
    this.policy.add({ sid: `AccountUseThrough${name}`, principal: { AWS: label.accountRootArn }, actions: USE_ACTIONS, resources: ["*"], conditions: { StringEquals: through } });
    this.policy.add({
      sid: `${name}HoldsGrants`,
      principal: { AWS: label.accountRootArn },
      actions: ["kms:CreateGrant"],
      resources: ["*"],
      conditions: { StringEquals: through, Bool: { "kms:GrantIsForAWSResource": "true" } },
    });
  }

  public grantEncryptDecrypt(grantee: IGrantable): void {
    this.policy.add({
      sid: `${grantee.grantName}EncryptsAndDecrypts`,
      principal: { AWS: grantee.roleArn },
      actions: USE_ACTIONS,
      resources: ["*"],
    });
  }
}

function keyPolicy(label: Label, props: KmsKeyProps): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    {
      sid: "AccountAdministersKey",
      principal: { AWS: label.accountRootArn },
      actions: ADMIN_ACTIONS,
      resources: ["*"],
    },
  ];
  for (const service of props.servicePrincipals ?? []) statements.push(...servicePrincipalStatements(label, service));
  const via = props.viaServices ?? [];
  if (via.length > 0) {
    const throughServices = {
      "kms:CallerAccount": label.accountId,
      "kms:ViaService": via.map((s) => label.serviceHost(s)),
    };
    statements.push(
      {
        sid: "AccountUseThroughServices",
        principal: { AWS: label.accountRootArn },
        actions: USE_ACTIONS.concat(["kms:ListGrants"]),
        resources: ["*"],
        conditions: { StringEquals: throughServices },
      },
      {
        // RDS, EBS and others hold the key through grants; only for AWS resources.
        sid: "AccountGrantsToServiceResources",
        principal: { AWS: label.accountRootArn },
        actions: ["kms:CreateGrant"],
        resources: ["*"],
        conditions: { StringEquals: throughServices, Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
    );
  }
  return statements;
}

function servicePrincipalStatements(label: Label, service: KeyServicePrincipal): PolicyStatement[] {
  switch (service) {
    case "logs":
      // As CloudWatch Logs documents it: every action under the log-group encryption context.
      return [
        {
          sid: "CloudWatchLogsEncryptsLogGroups",
          principal: { Service: label.serviceHost("logs") },
          actions: USE_ACTIONS,
          resources: ["*"],
          conditions: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": label.arn("logs", "log-group:*") } },
        },
      ];
    case "cloudtrail": {
      // As CloudTrail documents it: DescribeKey carries no encryption context,
      // so it needs a statement of its own; both are limited to this account's
      // trails by aws:SourceArn (a multi-region trail's ARN names its home region).
      const trails = { "aws:SourceArn": label.arn("cloudtrail", "trail/*") };
      return [
        {
          sid: "CloudTrailEncryptsTrails",
          principal: { Service: "cloudtrail.amazonaws.com" },
          actions: ["kms:GenerateDataKey*"],
          resources: ["*"],
          conditions: {
            ArnLike: trails,
            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": label.arn("cloudtrail", "trail/*", { region: "*" }) },
          },
        },
        {
          sid: "CloudTrailDescribesKey",
          principal: { Service: "cloudtrail.amazonaws.com" },
          actions: ["kms:DescribeKey"],
          resources: ["*"],
          conditions: { ArnLike: trails },
        },
      ];
    }
    case "cloudwatch":
    case "events":
      // CloudWatch alarms and EventBridge publish to SNS topics encrypted with this key.
      return [
        {
          sid: service === "cloudwatch" ? "CloudWatchPublishesToTopics" : "EventBridgePublishesToTopics",
          principal: { Service: `${service}.amazonaws.com` },
          actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
          resources: ["*"],
          conditions: { StringEquals: { "aws:SourceAccount": label.accountId } },
        },
      ];
  }
}
