import * as fs from "node:fs";
import * as path from "node:path";
import { App, TerraformStack } from "cdktf";

/**
 * The file, in a config folder, that pins every stack's Terraform addresses: a
 * renamed construct id replaces a live resource, so a change to an address
 * must show in review. `npm run addresses` writes it; the generic proofs
 * compare against it.
 */
export const ADDRESSES_FILE = "addresses.json";

export type AddressMap = Readonly<Record<string, readonly string[]>>;

/** Every managed resource address of a synthesized stack (`type.name`), sorted. */
export function stackAddresses(json: { resource?: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(json.resource ?? {})
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
    .sort();
}

/** Every stack of an app and its addresses, by stack id. */
export function appAddresses(app: App): Record<string, string[]> {
  const stacks = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
  return Object.fromEntries(stacks.map((s) => [s.node.id, stackAddresses(s.toTerraform() as { resource?: Record<string, Record<string, unknown>> })]).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export interface AddressDrift {
  readonly stack: string;
  /** Pinned but no longer synthesized: Terraform would destroy (or, renamed, replace) them. */
  readonly removed: readonly string[];
  /** Synthesized but not pinned: new resources. */
  readonly added: readonly string[];
}

/**
 * What differs between the pinned addresses and the current ones, for stacks
 * in both. A stack only one side has is a new stack (nothing live yet) or a
 * removed one (its state stays in the bucket): neither moves a resource.
 */
export function addressDrift(pinned: AddressMap, current: AddressMap): AddressDrift[] {
  return Object.keys(current)
    .filter((stack) => pinned[stack] !== undefined)
    .map((stack) => ({
      stack,
      removed: pinned[stack].filter((a) => !current[stack].includes(a)),
      added: current[stack].filter((a) => !pinned[stack].includes(a)),
    }))
    .filter((d) => d.removed.length > 0 || d.added.length > 0);
}

/** Writes the config folder's addresses file (`npm run addresses`): review its diff before you commit it. */
async function main(): Promise<void> {
  const { configDir, loadConfig } = await import("../environments");
  const { buildApp } = await import("../stacks");
  const { ROOT } = await import("./project");
  const dir = configDir();
  const current = appAddresses(buildApp(new App({ skipValidation: true }), loadConfig(dir)));
  // Written into the source folder (not dist/): it is committed with the config.
  const target = path.join(ROOT, path.relative(path.dirname(path.dirname(require.resolve("../environments"))), dir), ADDRESSES_FILE);
  fs.writeFileSync(target, JSON.stringify(current, null, 2) + "\n");
  const total = Object.values(current).reduce((n, a) => n + a.length, 0);
  process.stdout.write(`Pinned ${total} addresses of ${Object.keys(current).length} stacks in ${path.relative(ROOT, target)}; review its diff: a removed or renamed address replaces a live resource.\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
