import * as fs from "node:fs";
import { createHash } from "node:crypto";
import * as path from "node:path";
import { ROOT } from "../project";

/**
 * What the HCL writer needs from a provider schema: which names in a block
 * body are nested blocks (and how they nest) and which are attributes. A
 * JSON `[]` is an empty list attribute (`ingress = []`) under an attribute,
 * and no blocks at all under a block type; only the schema can tell.
 */
export interface BlockSchema {
  readonly attributes: readonly string[];
  readonly blocks: Readonly<Record<string, NestedBlockSchema>>;
}

export interface NestedBlockSchema extends BlockSchema {
  /** single and group: one block; list and set: zero or more; map: one per label. */
  readonly nesting: "single" | "group" | "list" | "set" | "map";
}

export interface ProviderSchema {
  readonly provider: BlockSchema;
  readonly resources: Readonly<Record<string, BlockSchema>>;
  readonly dataSources: Readonly<Record<string, BlockSchema>>;
}

/**
 * The cache file: trimmed schemas of the providers a project uses, per
 * provider source and version. Each distinct block shape is stored once in
 * `blocks` and referred to by its key: WAF's nested statements repeat the
 * same shapes hundreds of times.
 */
export interface SchemaCache {
  readonly comment: string;
  readonly terraform: string;
  readonly providers: Readonly<
    Record<
      string,
      {
        readonly version: string;
        readonly provider: string;
        readonly resources: Readonly<Record<string, string>>;
        readonly dataSources: Readonly<Record<string, string>>;
      }
    >
  >;
  readonly blocks: Readonly<Record<string, StoredBlock>>;
}

/** A block shape in the cache: attribute names, and each nested block as [nesting, key of its shape]. */
interface StoredBlock {
  readonly a: readonly string[];
  readonly b?: Readonly<Record<string, readonly [NestedBlockSchema["nesting"], string]>>;
}

/** Where the cached schema lives: committed beside this file's source (dist/ holds no JSON). */
export const SCHEMA_CACHE = path.join(ROOT, "tools", "hcl", "provider-schemas.json");

export function loadSchemaCache(file: string = SCHEMA_CACHE): SchemaCache {
  return JSON.parse(fs.readFileSync(file, "utf8")) as SchemaCache;
}

/** One provider's schemas from the cache, by provider address, with the version it was cached at. */
export function cachedProvider(cache: SchemaCache, address: string): { version: string; schema: ProviderSchema } | undefined {
  const entry = cache.providers[address];
  if (entry === undefined) return undefined;
  const resolved = new Map<string, BlockSchema>();
  const resolve = (key: string): BlockSchema => {
    const known = resolved.get(key);
    if (known !== undefined) return known;
    const stored = cache.blocks[key];
    if (stored === undefined) throw new Error(`tools/hcl/provider-schemas.json: block ${key} is missing; run npx keel hcl --update-schema`);
    const blocks: Record<string, NestedBlockSchema> = {};
    const block: BlockSchema = { attributes: stored.a, blocks };
    resolved.set(key, block);
    for (const [name, [nesting, ref]] of Object.entries(stored.b ?? {})) blocks[name] = { nesting, ...resolve(ref) };
    return block;
  };
  const all = (record: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(record).map(([type, key]) => [type, resolve(key)]));
  return { version: entry.version, schema: { provider: resolve(entry.provider), resources: all(entry.resources), dataSources: all(entry.dataSources) } };
}

/** `terraform providers schema -json`'s shape, as far as it is read. */
interface RawBlock {
  readonly attributes?: Readonly<Record<string, unknown>>;
  readonly block_types?: Readonly<Record<string, { readonly nesting_mode: NestedBlockSchema["nesting"]; readonly block: RawBlock }>>;
}
export interface RawSchemas {
  readonly provider_schemas: Readonly<
    Record<
      string,
      {
        readonly provider?: { readonly block?: RawBlock };
        readonly resource_schemas?: Readonly<Record<string, { readonly block: RawBlock }>>;
        readonly data_source_schemas?: Readonly<Record<string, { readonly block: RawBlock }>>;
      }
    >
  >;
}

const sorted = <T>(record: Readonly<Record<string, T>>): Record<string, T> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * Trims `terraform providers schema -json` to the given resource and data
 * source types (every provider's, by type name), keeping names and nesting
 * only, each distinct block shape once: tens of kilobytes instead of the AWS
 * provider's 13 MB.
 */
export function trimSchemas(
  raw: RawSchemas,
  versions: Readonly<Record<string, string>>,
  want: { readonly resources: readonly string[]; readonly dataSources: readonly string[] },
  terraformVersion: string,
): SchemaCache {
  const byShape = new Map<string, string>();
  const blocks: Record<string, StoredBlock> = {};
  const intern = (block: RawBlock): string => {
    const nested = Object.entries(block.block_types ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, b]) => [name, [b.nesting_mode, intern(b.block)]] as const);
    const stored: StoredBlock = { a: Object.keys(block.attributes ?? {}).sort(), ...(nested.length > 0 ? { b: Object.fromEntries(nested) } : {}) };
    const shape = JSON.stringify(stored);
    let key = byShape.get(shape);
    if (key === undefined) {
      // Keys from the shape itself, so regenerating the cache changes only the shapes that changed.
      key = createHash("sha256").update(shape).digest("hex").slice(0, 10);
      byShape.set(shape, key);
      blocks[key] = stored;
    }
    return key;
  };
  const providers: Record<string, SchemaCache["providers"][string]> = {};
  const found = new Set<string>();
  for (const [address, p] of Object.entries(raw.provider_schemas)) {
    const pick = (all: Readonly<Record<string, { readonly block: RawBlock }>> | undefined, names: readonly string[], kind: string) =>
      sorted(
        Object.fromEntries(
          names
            .filter((n) => all?.[n] !== undefined)
            .map((n) => {
              found.add(`${kind} ${n}`);
              return [n, intern(all![n].block)];
            }),
        ),
      );
    providers[address] = {
      version: versions[address] ?? "builtin",
      provider: intern(p.provider?.block ?? {}),
      resources: pick(p.resource_schemas, want.resources, "resource"),
      dataSources: pick(p.data_source_schemas, want.dataSources, "data"),
    };
  }
  const missing = [...want.resources.map((n) => `resource ${n}`), ...want.dataSources.map((n) => `data ${n}`)].filter((n) => !found.has(n));
  if (missing.length > 0) throw new Error(`Types in no provider's schema: ${missing.join(", ")}`);
  return {
    comment: "Generated by `npx keel hcl --update-schema` from `terraform providers schema -json`, trimmed to the types Keel uses. Do not edit.",
    terraform: terraformVersion,
    providers: sorted(providers),
    blocks: sorted(blocks),
  };
}

/** The cache as a file: one provider or block shape per line, so a refresh reads as a short diff. */
export function renderSchemaCache(cache: SchemaCache): string {
  const section = (record: Readonly<Record<string, unknown>>) =>
    Object.entries(record)
      .map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
      .join(",\n");
  return [
    "{",
    `  "comment": ${JSON.stringify(cache.comment)},`,
    `  "terraform": ${JSON.stringify(cache.terraform)},`,
    `  "providers": {\n${section(cache.providers)}\n  },`,
    `  "blocks": {\n${section(cache.blocks)}\n  }`,
    "}",
    "",
  ].join("\n");
}

/** Terraform's own address for a provider source as written in required_providers ("aws", "hashicorp/aws", ...). */
export function providerAddress(source: string): string {
  const parts = source.split("/");
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
  if (parts.length === 2) return `registry.terraform.io/${source}`;
  return source;
}

/** The provider a resource or data source type belongs to, by its name prefix ("aws_vpc" -> "aws", "terraform_data" -> "terraform"). */
export function providerLocalName(type: string): string {
  return type.split("_")[0];
}

/** Finds a resource's or data source's schema; throws a message that says how to refresh the cache. */
export function typeSchema(providers: ReadonlyMap<string, ProviderSchema>, kind: "resource" | "data", type: string): BlockSchema {
  const provider = providers.get(providerLocalName(type));
  const block = kind === "resource" ? provider?.resources[type] : provider?.dataSources[type];
  if (block === undefined) {
    throw new Error(
      `No cached schema for ${kind === "resource" ? "resource" : "data source"} type ${type}. ` +
        "Import its class in a module, then run `npx keel hcl --update-schema` to refresh tools/hcl/provider-schemas.json.",
    );
  }
  return block;
}
