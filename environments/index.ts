import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, validateEnvironment, validateProject } from "./lib/validate";
import { EnvironmentConfig, ProjectConfig } from "./lib/types";

export * from "./lib/types";
export * from "./lib/protection";
export { ConfigError, BOOTSTRAP_STACK, ACCOUNT_STACK_PREFIX, accountStackId, validateEnvironment, validateProject } from "./lib/validate";

/** Files in a config folder that are not environments. */
const SUPPORT_FILES = new Set(["index", "project"]);

export interface LoadedConfig {
  readonly project: ProjectConfig;
  /** Every environment, sorted by name. */
  readonly environments: readonly EnvironmentConfig[];
}

function defaultExport(file: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- environments are discovered at run time
  const loaded: { default?: unknown } = require(file);
  return loaded.default;
}

/**
 * Loads and validates `project.ts` and every environment file in `dir`
 * (`environments/` by default; `examples/` for the seed examples): adding a
 * file adds an environment, nothing else changes. Throws ConfigError before
 * any construct exists.
 */
export function loadConfig(dir: string = __dirname): LoadedConfig {
  const ext = path.extname(__filename);
  const folder = path.basename(dir);
  const project = validateProject(defaultExport(path.join(dir, `project${ext}`)), folder);
  const environments = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(ext) && !f.endsWith(".d.ts") && !SUPPORT_FILES.has(path.basename(f, ext)))
    .sort()
    .map((f) => {
      const name = path.basename(f, ext);
      const raw = defaultExport(path.join(dir, f));
      if (raw === undefined) {
        throw new ConfigError(`${folder}/${name}.ts`, [
          { field: "default export", value: undefined, allowed: "an environment file must `export default` its EnvironmentConfig" },
        ]);
      }
      return validateEnvironment(raw, name, project, folder);
    });
  return { project, environments };
}
