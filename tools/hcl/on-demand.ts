import * as fs from "node:fs";
import * as path from "node:path";
import { createHash } from "node:crypto";
import { WORK } from "../project";
import { terraform } from "../terraform";
import { JsonObject, get, isObject } from "./json";
import { RawSchemas, SchemaCache, cachedProvider, providerAddress, providerLocalName, renderSchemaCache, trimSchemas } from "./schema";

/**
 * Schemas for any cdktf output, not only Keel's stacks. The committed cache
 * (tools/hcl/provider-schemas.json) holds the AWS provider's types Keel
 * imports, for speed and offline use. A stack that names another provider,
 * another version, or a type outside that set gets the schema the way
 * Terraform would: `terraform providers schema -json` in a scratch working
 * copy with the stack's own `required_providers` and Keel's CLI config (the
 * local mirror, or the registry). The result is kept under
 * `.keel/schemas/`, one file per provider source and version, so the next
 * conversion is offline and fast.
 */

/** One provider a stack requires, with the types it uses from it. */
export interface NeededProvider {
  /** The local name in required_providers (`aws`, `random`). */
  readonly name: string;
  /** Terraform's address, `registry.terraform.io/hashicorp/random`. */
  readonly address: string;
  /** The version as the JSON writes it (an exact pin or a constraint). */
  readonly version: string;
  readonly source: string;
  readonly resources: readonly string[];
  readonly dataSources: readonly string[];
}

/** What a fetch returns: Terraform's schema output, the versions it installed, its own version. */
export interface FetchedSchemas {
  readonly raw: RawSchemas;
  readonly installed: Readonly<Record<string, string>>;
  readonly terraformVersion: string;
}

export type SchemaFetcher = (providers: readonly NeededProvider[]) => Promise<FetchedSchemas>;

/** The providers a stack's JSON requires and the resource and data source types it uses from each. */
export function neededProviders(stack: JsonObject): NeededProvider[] {
  const terraformBlock = get(stack, "terraform");
  const required = terraformBlock !== undefined && isObject(terraformBlock) ? get(terraformBlock, "required_providers") : undefined;
  const types = (key: string): string[] => {
    const block = get(stack, key);
    return block !== undefined && isObject(block) ? block.entries.map(([t]) => t) : [];
  };
  const resources = types("resource");
  const dataSources = types("data");
  if (required === undefined || !isObject(required)) return [];
  return required.entries.map(([name, requirement]) => {
    const source = isObject(requirement) ? get(requirement, "source") : undefined;
    const version = isObject(requirement) ? get(requirement, "version") : requirement;
    return {
      name,
      source: typeof source === "string" ? source : name,
      address: providerAddress(typeof source === "string" ? source : name),
      version: String(version ?? ""),
      resources: resources.filter((t) => providerLocalName(t) === name).sort(),
      dataSources: dataSources.filter((t) => providerLocalName(t) === name).sort(),
    };
  });
}

/** Whether `cache` holds the provider at the version the stack names, with every type it uses. */
export function covers(cache: SchemaCache, p: NeededProvider): boolean {
  const cached = cachedProvider(cache, p.address);
  if (cached === undefined || cached.version !== p.version) return false;
  return p.resources.every((t) => cached.schema.resources[t] !== undefined) && p.dataSources.every((t) => cached.schema.dataSources[t] !== undefined);
}

/** Where a provider's fetched schema is kept: `.keel/schemas/<address>/<version>.json`. */
export function localSchemaFile(p: Pick<NeededProvider, "address" | "version">, dir = path.join(WORK, "schemas")): string {
  return path.join(dir, ...p.address.split("/"), `${encodeURIComponent(p.version || "any")}.json`);
}

/** Two caches as one: providers of `extra` over `base`'s, block shapes of both (keyed by their content). */
export function mergeCaches(base: SchemaCache, extra: SchemaCache): SchemaCache {
  return { ...base, providers: { ...base.providers, ...extra.providers }, blocks: { ...base.blocks, ...extra.blocks } };
}

/**
 * Runs `terraform providers schema -json` for the providers in a scratch
 * working copy under `.keel/work/`, with their sources and versions as the
 * stack writes them.
 */
export const terraformSchemaFetcher: SchemaFetcher = async (providers) => {
  const required = Object.fromEntries(providers.map((p) => [p.name, { source: p.source, ...(p.version !== "" ? { version: p.version } : {}) }]));
  const key = createHash("sha256").update(JSON.stringify(required)).digest("hex").slice(0, 12);
  const dir = path.join(WORK, "work", "provider-schema", key);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({ terraform: { required_providers: required } }, null, 2));
  await terraform(["init", "-input=false", "-no-color", "-backend=false"], { cwd: dir });
  const raw = JSON.parse((await terraform(["providers", "schema", "-json"], { cwd: dir })).stdout) as RawSchemas;
  const version = JSON.parse((await terraform(["version", "-json"], { cwd: dir })).stdout) as { terraform_version: string; provider_selections?: Record<string, string> };
  return { raw, installed: version.provider_selections ?? {}, terraformVersion: version.terraform_version };
};

export interface SchemaResolution {
  readonly cache: SchemaCache;
  /** Providers whose schema came from the committed cache, from `.keel/schemas/`, and from terraform now. */
  readonly committed: readonly string[];
  readonly local: readonly string[];
  readonly fetched: readonly string[];
}

/**
 * The schema cache a stack converts with: the committed one where it covers
 * the stack, else a provider's kept schema, else one fetched now (and kept).
 * A kept or fetched schema holds every type of its provider, so a later
 * stack with other types of it needs no new fetch.
 */
export async function schemaCacheFor(
  stack: JsonObject,
  committed: SchemaCache,
  options: { readonly dir?: string; readonly fetch?: SchemaFetcher } = {},
): Promise<SchemaResolution> {
  const dir = options.dir ?? path.join(WORK, "schemas");
  let cache = committed;
  const result = { committed: [] as string[], local: [] as string[], fetched: [] as string[] };
  const missing: NeededProvider[] = [];
  for (const p of neededProviders(stack)) {
    if (covers(committed, p)) {
      result.committed.push(p.address);
      continue;
    }
    const file = localSchemaFile(p, dir);
    const kept = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as SchemaCache) : undefined;
    if (kept !== undefined && covers(kept, p)) {
      cache = mergeCaches(cache, kept);
      result.local.push(p.address);
    } else {
      missing.push(p);
    }
  }
  if (missing.length > 0) {
    const fetched = await (options.fetch ?? terraformSchemaFetcher)(missing);
    for (const p of missing) {
      const schemas = fetched.raw.provider_schemas[p.address];
      if (schemas === undefined) throw new Error(`terraform providers schema -json gave no schema for ${p.address} ${p.version}`);
      const own: RawSchemas = { provider_schemas: { [p.address]: schemas } };
      // Every type of the provider, so the kept file serves any later stack that uses it.
      const trimmed = trimSchemas(
        own,
        { [p.address]: p.version },
        { resources: Object.keys(schemas.resource_schemas ?? {}), dataSources: Object.keys(schemas.data_source_schemas ?? {}) },
        fetched.terraformVersion,
      );
      const kept: SchemaCache = { ...trimmed, comment: `Fetched by keel hcl for ${p.address} ${p.version} (installed ${fetched.installed[p.address] ?? "?"}) from \`terraform providers schema -json\`.` };
      if (!covers(kept, p)) {
        const absent = [...p.resources, ...p.dataSources].filter((t) => kept.providers[p.address]?.resources[t] === undefined && kept.providers[p.address]?.dataSources[t] === undefined);
        throw new Error(`${p.address} ${p.version} has no type ${absent.join(", ")}: the stack uses a type its provider does not define`);
      }
      const file = localSchemaFile(p, dir);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, renderSchemaCache(kept));
      cache = mergeCaches(cache, kept);
      result.fetched.push(p.address);
    }
  }
  return { cache, ...result };
}
