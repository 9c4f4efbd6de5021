import type { TerraformStack } from "cdktf";

/** A resource's attributes as synthesized: snake_case names, nested blocks as objects or lists. */
export type Values = Readonly<Record<string, unknown>>;

/** One resource of a synthesized stack, as the rules see it. */
export interface ModelResource {
  readonly type: string;
  readonly name: string;
  /** The Terraform address, `aws_s3_bucket.alb_access_logs`: what a reviewer sees in a plan. */
  readonly address: string;
  /** The construct path, `production/alb/access-logs/resource`: where suppressions are found. */
  readonly path: string;
  readonly values: Values;
}

interface SynthesizedResource {
  readonly "//"?: { readonly metadata?: { readonly path?: string } };
  readonly [attribute: string]: unknown;
}

/** A synthesized stack's `resource` block: type, then name, then attributes. */
export type ResourceBlock = Readonly<Record<string, Readonly<Record<string, SynthesizedResource>>>>;

/**
 * The resources of one stack exactly as `cdk.tf.json` will hold them, with
 * the lookups the rules need: by address, by type, and who references whom.
 */
export class StackModel {
  public readonly resources: readonly ModelResource[];
  private readonly byAddress: ReadonlyMap<string, ModelResource>;
  private readonly texts = new Map<string, string>();

  constructor(
    public readonly stack: string,
    block: ResourceBlock,
  ) {
    const resources: ModelResource[] = [];
    for (const type of Object.keys(block).sort()) {
      for (const name of Object.keys(block[type]).sort()) {
        const { "//": meta, ...values } = block[type][name];
        resources.push({ type, name, address: `${type}.${name}`, path: meta?.metadata?.path ?? `${stack}/${name}`, values });
      }
    }
    this.resources = resources;
    this.byAddress = new Map(resources.map((r) => [r.address, r]));
  }

  /** The model of a stack, from the same resolved JSON synth writes. */
  public static of(stack: TerraformStack): StackModel {
    const json = stack.toTerraform() as { resource?: ResourceBlock };
    return new StackModel(stack.node.id, json.resource ?? {});
  }

  public get(address: string): ModelResource | undefined {
    return this.byAddress.get(address);
  }

  public ofType(type: string): readonly ModelResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** Resources of `type` whose attributes (or only `attribute`) reference `target`. */
  public referencing(target: ModelResource, type: string, attribute?: string): readonly ModelResource[] {
    return this.ofType(type).filter((r) => mentions(this.text(r, attribute), target.address));
  }

  /** The resources that `resource`'s attribute references. */
  public referencedBy(resource: ModelResource, attribute: string): readonly ModelResource[] {
    const text = this.text(resource, attribute);
    return [...text.matchAll(REFERENCE)].map((m) => this.byAddress.get(m[1])).filter((r): r is ModelResource => r !== undefined);
  }

  private text(resource: ModelResource, attribute?: string): string {
    const key = `${resource.address}|${attribute ?? ""}`;
    let text = this.texts.get(key);
    if (text === undefined) {
      text = JSON.stringify(attribute === undefined ? resource.values : resource.values[attribute]) ?? "";
      this.texts.set(key, text);
    }
    return text;
  }
}

/** `${aws_kms_key.logs.arn}`, `${aws_s3_bucket.logs.id}`: a reference to another resource's attribute. */
const REFERENCE = /\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)[.}[]/g;

function mentions(text: string, address: string): boolean {
  return text.includes(`\${${address}.`) || text.includes(`\${${address}}`);
}

/** True for `true` and `"true"`: cdktf writes some provider booleans as strings. */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

/** False only when explicitly false: `false` or `"false"`. */
export function isFalse(value: unknown): boolean {
  return value === false || value === "false";
}

/** A nested block as a list, whether synthesized as one object, a list, or absent. */
export function blocks(value: unknown): readonly Values[] {
  if (Array.isArray(value)) return value.filter((v): v is Values => typeof v === "object" && v !== null);
  return typeof value === "object" && value !== null ? [value as Values] : [];
}

/** The first (usually only) nested block. */
export function block(value: unknown): Values | undefined {
  return blocks(value)[0];
}

/** A number, including a number written as a string. */
export function num(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

/** A list of strings from a string, a list, or nothing. */
export function strings(value: unknown): readonly string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
