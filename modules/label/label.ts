import { createHash } from "node:crypto";
import { IConstruct } from "constructs";
import { NAME_LIMITS, NameKind } from "./aws-names";
import { DEFAULT_GLOBAL_PATTERN, DEFAULT_PATTERN, NamingProps, fillPattern, namingIssues } from "./naming";


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
  /** How names are made, and names set by hand. @default - `<namespace>-<environment>-<name>` for everything */
  readonly naming?: NamingProps;
}

/**
 * The names a stack has given, shared by its Label and the Label's copies in
 * other regions: what a `naming.names` key may name, and which names two
 * resources of one kind would share.
 */
class NameRegistry {
  /** `<kind>:<name>` to the physical name it gave. */
  public readonly given = new Map<string, string>();
  private readonly owners = new Map<string, string>();

  public record(kind: NameKind, key: string, value: string): void {
    this.given.set(key, value);
    // A log group's or an EC2 Name tag's name is not unique in AWS; every other kind is.
    if (kind === "default" || kind === "ec2Name") return;
    const owner = this.owners.get(`${kind} ${value}`);
    if (owner !== undefined && owner !== key) {
      throw new Error(`Two ${kind} resources would both be named '${value}' (${owner} and ${key}): change naming.names or naming.pattern so that each has its own name`);
    }
    this.owners.set(`${kind} ${value}`, key);
  }
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
  private readonly naming: NamingProps;
  private readonly registry: NameRegistry;

  constructor(props: LabelProps, registry = new NameRegistry()) {
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
    this.naming = props.naming ?? {};
    const issues = namingIssues(this.naming);
    if (issues.length > 0) {
      throw new Error(`Naming of ${this.namespace}-${this.environment}: ${issues.map((i) => `${i.field} is ${JSON.stringify(i.value)}; allowed: ${i.allowed}`).join("; ")}`);
    }
    this.registry = registry;
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
    return new Label(
      { namespace: this.namespace, environment: this.environment, tags: this.tagValues, accountId: this.accountId, region, partition: this.partition, naming: this.naming },
      this.registry,
    );
  }

  /** The principal ARN of the account root: "anyone in this account whom IAM allows". */
  public get accountRootArn(): string {
    return `arn:${this.partition}:iam::${this.accountId}:root`;
  }

  /** The DNS suffix of a regional service endpoint or principal, e.g. `logs.us-east-1.amazonaws.com`. */
  public serviceHost(service: string): string {
    return `${service}.${this.region}.amazonaws.com`;
  }

  /**
   * The physical name for `name`, fitted to the limit of `kind`: from the
   * naming pattern (`<namespace>-<environment>-<name>` by default), or as
   * `naming.names["<kind>:<name>"]` sets it.
   */
  public id(name: string, kind: NameKind = "default"): string {
    return this.named(kind, name, this.naming.pattern ?? DEFAULT_PATTERN);
  }

  /**
   * The physical name of something AWS names uniquely across all accounts
   * (an S3 bucket): the global pattern, which adds the account and region
   * by default, or `naming.names["<kind>:<name>"]`.
   */
  public globalId(name: string, kind: NameKind): string {
    return this.named(kind, name, this.naming.globalPattern ?? DEFAULT_GLOBAL_PATTERN);
  }

  /**
   * The name `naming.names` sets for `<kind>:<name>`, or undefined: for a
   * module that names differently when a name is given (a security group
   * then gets that exact name instead of a unique prefix).
   */
  public override(name: string, kind: NameKind): string | undefined {
    const key = `${kind}:${normalizeName(name)}`;
    const given = this.naming.names?.[key];
    if (given !== undefined) this.registry.record(kind, key, given);
    return given;
  }

  /** `<namespace>-<environment>` (the pattern without a name): the prefix names and log groups start with. */
  public get prefix(): string {
    return fitName([fillPattern(this.naming.pattern ?? DEFAULT_PATTERN, this.placeholders(""))], NAME_LIMITS.default);
  }

  /** Every `<kind>:<name>` key this stack's resources were named by so far, with the name each gave. */
  public get names(): ReadonlyMap<string, string> {
    return this.registry.given;
  }

  /** Keys of `naming.names` that no resource of the stack was named by: a mistyped key must not sit in config looking like it works. */
  public unusedNames(): string[] {
    return Object.keys(this.naming.names ?? {}).filter((key) => !this.registry.given.has(key));
  }

  private placeholders(name: string): Record<string, string> {
    return { namespace: this.namespace, environment: this.environment, name: normalizeName(name), account: this.accountId, region: this.region };
  }

  private named(kind: NameKind, name: string, pattern: string): string {
    const key = `${kind}:${normalizeName(name)}`;
    const value = this.naming.names?.[key] ?? fitName([fillPattern(pattern, this.placeholders(name))], NAME_LIMITS[kind]);
    this.registry.record(kind, key, value);
    return value;
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
