import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT, WORK } from "../project";
import { terraform } from "../terraform";
import { convertStack } from "./convert";
import { schemaCacheFor } from "./on-demand";
import { isObject, parseJson } from "./json";
import { RawSchemas, SCHEMA_CACHE, SchemaCache, loadSchemaCache, renderSchemaCache, trimSchemas } from "./schema";

/** The first line of every file keel hcl writes: how an export recognizes (and replaces) its own files. */
const HEADER_PREFIX = "# Converted from cdk.tf.json by `keel hcl`.";

export interface ExportResult {
  readonly files: readonly string[];
  /** Milliseconds: converting, and terraform fmt. */
  readonly convertMs: number;
  readonly fmtMs: number;
  /** Providers whose schema was fetched now, and those read from `.keel/schemas/` (on-demand schemas). */
  readonly fetched: readonly string[];
  readonly local: readonly string[];
}

/**
 * Writes the HCL of one synthesized stack (its cdk.tf.json) into `outDir`,
 * with the lock file and the assets the JSON refers to, then formats it
 * with terraform fmt. Files an earlier export wrote are replaced; any other
 * file in `outDir` is left alone, and one with the same name is refused.
 */
export async function exportHcl(jsonFile: string, outDir: string, cache?: SchemaCache): Promise<ExportResult> {
  const started = Date.now();
  const stack = parseJson(fs.readFileSync(jsonFile, "utf8"));
  if (!isObject(stack)) throw new Error(`${jsonFile}: not a Terraform JSON configuration (expected an object)`);
  // Without a cache given: the committed one, with any provider, version or type it lacks fetched on demand.
  const resolved = cache === undefined ? await schemaCacheFor(stack, loadSchemaCache()) : undefined;
  const files = convertStack(stack, cache ?? resolved!.cache);
  fs.mkdirSync(outDir, { recursive: true });
  for (const entry of fs.readdirSync(outDir)) {
    const file = path.join(outDir, entry);
    if (entry.endsWith(".tf") && fs.readFileSync(file, "utf8").startsWith(HEADER_PREFIX)) fs.rmSync(file);
  }
  const clashes = Object.keys(files).filter((f) => fs.existsSync(path.join(outDir, f)));
  if (clashes.length > 0) throw new Error(`${outDir} already holds ${clashes.join(", ")}, not written by keel hcl: choose an empty --out folder`);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(outDir, name), text);
  const source = path.dirname(jsonFile);
  for (const extra of [".terraform.lock.hcl", "assets"]) {
    if (fs.existsSync(path.join(source, extra))) fs.cpSync(path.join(source, extra), path.join(outDir, extra), { recursive: true });
  }
  const converted = Date.now();
  await terraform(["fmt", "-list=false", "."], { cwd: outDir });
  return { files: Object.keys(files), convertMs: converted - started, fmtMs: Date.now() - converted, fetched: resolved?.fetched ?? [], local: resolved?.local ?? [] };
}

/** The provider version the committed lock file pins for `address`. */
function lockedVersion(address: string): string {
  const lock = fs.readFileSync(path.join(ROOT, ".terraform.lock.hcl"), "utf8");
  const match = new RegExp(`provider "${address.replace(/[.]/g, "\\.")}" \\{\\s*version\\s*=\\s*"([^"]+)"`).exec(lock);
  if (match === null) throw new Error(`.terraform.lock.hcl pins no version of ${address}; run npx keel lock`);
  return match[1];
}

/**
 * The resource and data source types Keel can create: every provider class
 * imported from @cdktf/provider-aws/lib/<name> in the project's TypeScript
 * (modules, stacks and tests), plus Terraform's built-in terraform_data.
 */
export function typesInUse(): { resources: string[]; dataSources: string[] } {
  const resources = new Set<string>(["terraform_data"]);
  const dataSources = new Set<string>();
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (entry.name.endsWith(".ts")) {
        for (const [, lib] of fs.readFileSync(file, "utf8").matchAll(/@cdktf\/provider-aws\/lib\/([a-z0-9-]+)/g)) {
          if (lib === "provider") continue;
          const type = `aws_${lib.replace(/^data-aws-/, "").replace(/-/g, "_")}`;
          (lib.startsWith("data-aws-") ? dataSources : resources).add(type);
        }
      }
    }
  };
  for (const dir of ["modules", "stacks", "examples", "__tests__"]) if (fs.existsSync(path.join(ROOT, dir))) visit(path.join(ROOT, dir));
  return { resources: [...resources].sort(), dataSources: [...dataSources].sort() };
}

/** Regenerates tools/hcl/provider-schemas.json from `terraform providers schema -json` (the provider from the lock file). */
export async function updateSchemaCache(): Promise<{ file: string; resources: number; dataSources: number }> {
  const address = "registry.terraform.io/hashicorp/aws";
  const version = lockedVersion(address);
  const dir = path.join(WORK, "work", "provider-schema");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(ROOT, ".terraform.lock.hcl"), path.join(dir, ".terraform.lock.hcl"));
  fs.writeFileSync(
    path.join(dir, "main.tf.json"),
    JSON.stringify({
      terraform: { required_providers: { aws: { source: "hashicorp/aws", version } } },
      // Terraform reports its built-in provider's schema only when the configuration uses it.
      resource: { terraform_data: { schema: {} } },
    }),
  );
  await terraform(["init", "-input=false", "-no-color"], { cwd: dir });
  const raw = JSON.parse((await terraform(["providers", "schema", "-json"], { cwd: dir })).stdout) as RawSchemas;
  const terraformVersion = (JSON.parse((await terraform(["version", "-json"], { cwd: dir })).stdout) as { terraform_version: string }).terraform_version;
  const types = typesInUse();
  const cache = trimSchemas(raw, { [address]: version }, types, terraformVersion);
  fs.writeFileSync(SCHEMA_CACHE, renderSchemaCache(cache));
  return { file: SCHEMA_CACHE, resources: types.resources.length, dataSources: types.dataSources.length };
}
