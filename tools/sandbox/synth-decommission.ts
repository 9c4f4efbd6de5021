import * as path from "node:path";
import { App } from "cdktf";
import { loadConfig } from "../../environments";
import { PROVIDER_LOCK_FILE, buildAccountsAndEnvironments, buildApp, copyProviderLock } from "../../stacks";
import { ROOT } from "../project";

/**
 * The deliberate teardown path, in a scratch copy: the same config with every
 * environment switched to the `decommission` protection profile, synthesized
 * into `outDir` (never cdktf.out). This is the edit a team makes by hand in
 * its environment file before it destroys a production-profile environment;
 * the sandbox applies it and then tears down as `keel teardown` does.
 *
 * usage: node dist/tools/sandbox/synth-decommission.js <environments|examples> <outDir>
 */
function main(folder: string, outDir: string): void {
  const examples = folder === "examples";
  const loaded = examples ? loadConfig(path.join(__dirname, "..", "..", "examples")) : loadConfig();
  const config = { ...loaded, environments: loaded.environments.map((e) => ({ ...e, protection: "decommission" as const })) };
  const app = new App({ outdir: outDir });
  if (examples) buildAccountsAndEnvironments(app, config, "examples");
  else buildApp(app, config);
  app.synth();
  copyProviderLock(app, path.join(ROOT, PROVIDER_LOCK_FILE));
}

if (require.main === module) {
  const [folder, outDir] = process.argv.slice(2);
  if ((folder !== "environments" && folder !== "examples") || outDir === undefined) {
    process.stderr.write("usage: synth-decommission.js <environments|examples> <outDir>\n");
    process.exit(2);
  }
  main(folder, path.resolve(outDir));
}
