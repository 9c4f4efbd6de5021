import * as fs from "node:fs";
import * as path from "node:path";
import { App, TerraformStack } from "cdktf";

import { PROVIDER_LOCK_FILE } from "./provider-lock-file";

export { PROVIDER_LOCK_FILE };

/**
 * Copies the committed provider lock file into every synthesized stack, so
 * `terraform init` in any stack (cdktf deploy, npm run plan, a Terraform-only
 * team's own init) installs exactly the provider builds the repository
 * records, instead of writing a fresh lock into the ignored `cdktf.out/`.
 */
export function copyProviderLock(app: App, lockFile: string): void {
  if (!fs.existsSync(lockFile)) {
    throw new Error(`The provider lock file ${lockFile} is missing: run 'npm run lock' and commit it`);
  }
  const stacks = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
  for (const stack of stacks) {
    const dir = path.join(app.outdir, "stacks", stack.node.id);
    fs.copyFileSync(lockFile, path.join(dir, PROVIDER_LOCK_FILE));
  }
}

/**
 * Removes every folder under `<outdir>/stacks/` that is not a stack of `app`:
 * a renamed account or a deleted environment must not leave a stack behind
 * that a later `terraform apply` in that folder could still run. Returns what
 * it removed. Only folders that look like synthesized stacks (with a
 * cdk.tf.json) are touched.
 */
export function removeStaleStacks(app: App): string[] {
  const root = path.join(app.outdir, "stacks");
  if (!fs.existsSync(root)) return [];
  const current = new Set(app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack).map((s) => s.node.id));
  const stale = fs.readdirSync(root).filter((name) => !current.has(name) && fs.existsSync(path.join(root, name, "cdk.tf.json")));
  for (const name of stale) fs.rmSync(path.join(root, name), { recursive: true, force: true });
  return stale.sort();
}
