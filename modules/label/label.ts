import { createHash } from "node:crypto";
import { IConstruct } from "constructs";

/**
 * Length limits of physical names, per AWS resource kind. A name longer than
 * its limit is cut and suffixed with a short stable hash of the full name.
 */
export const NAME_LIMITS = {
  default: 255,
  s3Bucket: 63,
  iamRole: 64,
  iamPolicy: 128,
  iamInstanceProfile: 128,
  kmsAlias: 250,
  logGroup: 512,
  securityGroup: 255,
  // Terraform's name_prefix for a security group is at most 100 characters, and Keel adds a dash.
  securityGroupNamePrefix: 99,
  dbCluster: 63,
  dbInstance: 63,
  dbSubnetGroup: 255,
  dbParameterGroup: 255,
  secret: 512,
  ssmDocument: 128,
  dynamodbTable: 255,
  loadBalancer: 32,
  targetGroup: 32,
  ec2Name: 255,
  ecrRepository: 256,
  ecsCluster: 255,
  ecsService: 255,
  taskFamily: 255,
  wafWebAcl: 128,
  lambdaFunction: 64,
  cloudfrontFunction: 64,
  // 80, less the ".fifo" a FIFO queue ends with and the "-dlq" of its dead-letter queue.
  sqsQueue: 71,
  sesConfigurationSet: 64,
  apprunnerService: 40,
  apprunnerVpcConnector: 40,
  apprunnerAutoScaling: 32,
  budget: 100,
} as const;

export type NameKind = keyof typeof NAME_LIMITS;

/** How many hex characters of the hash a shortened name keeps. */
const HASH_LENGTH = 6;

/** Lower-cases, removes every character outside `[-a-z0-9]` and folds dashes. */
export function normalizeName(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/[^-a-z0-9]/g, "")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}

/**
 * Joins parts into one name and fits it to `limit`: a name that is too long
 * keeps its head and gets `-<hash>` of the whole name, so two long names that
 * share a head stay distinct and the same input always gives the same name.
 */
export function fitName(parts: readonly string[], limit: number): string {
  const full = normalizeName(parts.filter((p) => p.length > 0).join("-"));
  if (full.length === 0) {
    throw new Error(`Name parts ${JSON.stringify(parts)} leave nothing once reduced to [-a-z0-9]`);
  }
  if (full.length <= limit) return full;
  if (limit <= HASH_LENGTH + 1) {
    throw new Error(`Name limit ${limit} is too short to hold a hash suffix of ${HASH_LENGTH} characters`);
  }
  const hash = createHash("sha256").update(full).digest("hex").slice(0, HASH_LENGTH);
  const head = full.slice(0, limit - HASH_LENGTH - 1).replace(/-+$/, "");
  return `${head}-${hash}`;
}

/** Every module's props extend this: extra tags on everything the module creates. */
export interface TaggableProps {
  /**
   * Tags merged over the provider's default tags on every resource the module creates.
   * @default {} - the default tags and `Name` only
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Values that become the tags of every resource in a stack. */
export interface LabelTags {
  readonly owner: string;
  readonly costCenter: string;
  readonly dataClassification: string;
}

export interface LabelProps {
  /** Project name, the first part of every name, for example `keel`. */
  readonly namespace: string;
  /** Environment name, the second part of every name, for example `production`. */
  readonly environment: string;
  /** Ownership and classification tags. */
  readonly tags: LabelTags;
  /** The 12-digit account the stack deploys to; ARNs are built from it, not looked up. */
  readonly accountId: string;
  /** The stack's region. */
  readonly region: string;
  /**
   * The AWS partition.
   * @default "aws"
   */
  readonly partition?: string;
}

const labels = new WeakMap<IConstruct, Label>();

/**
 * The one naming and tagging context of a stack, in the style of Cloud Posse's
 * null-label: `<namespace>-<environment>-<name>`, lower-case, fitted to each
 * service's length limit. Modules never build a physical name by hand; they
 * call `Label.of(this).id(...)`.
 */
export class Label {
  /** Finds the label attached to `scope` or to the nearest scope above it. */
  public static of(scope: IConstruct): Label {
    for (const candidate of [...scope.node.scopes].reverse()) {
      const found = labels.get(candidate);
      if (found) return found;
    }
    throw new Error(
      `No Label is attached above '${scope.node.path}': call Label.attach(stack, label) when the stack is created`,
    );
  }

  /** Makes `label` the naming context of `scope` and everything below it. */
  public static attach(scope: IConstruct, label: Label): Label {
    labels.set(scope, label);
    return label;
  }

  public readonly namespace: string;
  public readonly environment: string;
  public readonly accountId: string;
  public readonly region: string;
  public readonly partition: string;
  private readonly tagValues: LabelTags;

  constructor(props: LabelProps) {
    this.namespace = normalizeName(props.namespace);
    this.environment = normalizeName(props.environment);
    if (this.namespace.length === 0 || this.environment.length === 0) {
      throw new Error(
        `Label needs a namespace and an environment made of [-a-z0-9]; got ${JSON.stringify(props.namespace)} and ${JSON.stringify(props.environment)}`,
      );
    }
    this.tagValues = props.tags;
    this.accountId = props.accountId;
    this.region = props.region;
    this.partition = props.partition ?? "aws";
  }

  /**
   * An ARN in this stack's partition, account and region. Known at plan time,
   * so policies that use it show in full in `terraform plan`.
   */
  public arn(service: string, resource: string, options: { readonly region?: string; readonly account?: string } = {}): string {
    const region = options.region ?? this.region;
    const account = options.account ?? this.accountId;
    return `arn:${this.partition}:${service}:${region}:${account}:${resource}`;
  }

  /** The same context in another region: what a stack's us-east-1 scope (CloudFront's certificates and ACLs) names and tags with. */
  public inRegion(region: string): Label {
    return new Label({ namespace: this.namespace, environment: this.environment, tags: this.tagValues, accountId: this.accountId, region, partition: this.partition });
  }

  /** The principal ARN of the account root: "anyone in this account whom IAM allows". */
  public get accountRootArn(): string {
    return `arn:${this.partition}:iam::${this.accountId}:root`;
  }

  /** The DNS suffix of a regional service endpoint or principal, e.g. `logs.us-east-1.amazonaws.com`. */
  public serviceHost(service: string): string {
    return `${service}.${this.region}.amazonaws.com`;
  }

  /** The physical name for `name`, fitted to the limit of `kind`. */
  public id(name: string, kind: NameKind = "default"): string {
    return fitName([this.namespace, this.environment, name], NAME_LIMITS[kind]);
  }

  /** `<namespace>-<environment>`: the prefix every name starts with. */
  public get prefix(): string {
    return fitName([this.namespace, this.environment], NAME_LIMITS.default);
  }

  /** The tags every resource carries, through the provider's `default_tags`. */
  public get tags(): Record<string, string> {
    return {
      Project: this.namespace,
      Environment: this.environment,
      ManagedBy: "keel-cdktf",
      Owner: this.tagValues.owner,
      CostCenter: this.tagValues.costCenter,
      DataClassification: this.tagValues.dataClassification,
    };
  }

  /**
   * Tags for one resource: its `Name`, then each layer merged over the last
   * (a module's `tags` prop, then tags of the resource's own), as
   * terraform-aws-modules' `merge({ Name = ... }, var.tags, var.x_tags)`.
   * The provider's `default_tags` lie under all of them.
   */
  public resourceTags(name: string, ...layers: ReadonlyArray<Readonly<Record<string, string>> | undefined>): Record<string, string> {
    return Object.assign({ Name: name }, ...layers.map((l) => l ?? {}));
  }

  /**
   * The default tags, then `resourceTags`: for tags the provider's
   * `default_tags` never reach, such as a launch template's tag
   * specifications (the volumes and interfaces EC2 creates from it;
   * hashicorp/terraform-provider-aws#19387).
   */
  public explicitTags(name: string, ...layers: ReadonlyArray<Readonly<Record<string, string>> | undefined>): Record<string, string> {
    return { ...this.tags, ...this.resourceTags(name, ...layers) };
  }
}
