import * as fs from "node:fs";
import * as path from "node:path";
import { App, TerraformStack } from "cdktf";

/** The committed provider lock file, at the project root. */
export const PROVIDER_LOCK_FILE = ".terraform.lock.hcl";

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
