import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, validateEnvironment, validateProject } from "./lib/validate";
import { EnvironmentConfig, ProjectConfig } from "./lib/types";
import { ValidationError, ValidationReport } from "../modules/validation/issue";
import { ciEnvironmentIssues } from "./lib/ci";

export * from "./lib/types";
export * from "./lib/protection";
export * from "./lib/ci";
export { ConfigError, BOOTSTRAP_STACK, ACCOUNT_STACK_PREFIX, accountStackId, environmentTags, validateEnvironment, validateProject } from "./lib/validate";

export { PROJECT_ROOT } from "./lib/root";

/**
 * The folder that holds environments/ and examples/ as they run: the project
 * root from source, dist/ when compiled. Not `__dirname`'s parent alone: in
 * the bundled app (dist/app.js) every module's `__dirname` is dist/ itself.
 */
const CODE_ROOT = path.basename(__dirname) === "environments" ? path.dirname(__dirname) : __dirname;
/** This project's environments/ folder, in the same tree (source or dist/). */
const ENVIRONMENTS_DIR = path.join(CODE_ROOT, "environments");

/** Files in a config folder that are not environments. */
const SUPPORT_FILES = new Set(["index", "project"]);

/** `<env>.adopt.ts`: the adoption list `keel adopt <env>` writes, read as that environment's `adopt`. */
export const ADOPTION_SUFFIX = ".adopt";

export interface LoadedConfig {
  readonly project: ProjectConfig;
  /** Every environment, sorted by name. */
  readonly environments: readonly EnvironmentConfig[];
  /** The config folder relative to the project root, as messages name it (`environments`, `examples/omnirapeutic`). @default "environments" */
  readonly folder?: string;
}

function defaultExport(file: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- environments are discovered at run time
  const loaded: { default?: unknown } = require(file);
  return loaded.default;
}

/**
 * The config folder the app and every keel command use: `environments/`, or
 * the folder `KEEL_CONFIG` names relative to the project root (for example
 * `KEEL_CONFIG=examples/omnirapeutic`, Keel's reference platform).
 */
export function configDir(): string {
  const chosen = process.env.KEEL_CONFIG;
  if (chosen === undefined || chosen === "" || chosen === "environments") return ENVIRONMENTS_DIR;
  // Beside environments/: the project root from source, dist/ when compiled (examples are compiled too).
  const dir = path.resolve(CODE_ROOT, chosen);
  if (!fs.existsSync(path.join(dir, `project${path.extname(__filename)}`))) {
    throw new ConfigError("KEEL_CONFIG", [{ field: "KEEL_CONFIG", value: chosen, allowed: "a folder, relative to the project root, with a project.ts and one file per environment" }]);
  }
  return dir;
}

/**
 * Loads and validates `project.ts` and every environment file in `dir`
 * (`environments/` by default; an example's folder for an example): adding a
 * file adds an environment, nothing else changes. Every environment file is
 * checked before any problem is reported, so one ConfigError (a
 * ValidationReport for several files) lists them all, before any construct
 * exists.
 */
export function loadConfig(dir: string = configDir()): LoadedConfig {
  const { config, errors } = loadConfigReport(dir);
  ValidationReport.collect(errors, (e) => {
    throw e;
  });
  return config;
}

/**
 * `loadConfig`, without throwing for a bad environment file: the valid
 * environments, and every file's errors. The app builds the valid ones too,
 * so one report holds the config errors of some files and the modules'
 * errors of the others. (An invalid project.ts still throws: every
 * environment is checked against it.)
 */
export function loadConfigReport(dir: string = configDir()): { config: LoadedConfig; errors: readonly ValidationError[] } {
  const ext = path.extname(__filename);
  // Beside environments/ at the project root (or in dist/ when compiled): `examples/omnirapeutic`.
  const folder = path.relative(CODE_ROOT, dir).split(path.sep).join("/") || path.basename(dir);
  const project = validateProject(defaultExport(path.join(dir, `project${ext}`)), folder);
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(ext) && !f.endsWith(".d.ts") && !SUPPORT_FILES.has(path.basename(f, ext)))
    .sort();
  const adoptionFiles = files.filter((f) => path.basename(f, ext).endsWith(ADOPTION_SUFFIX));
  const environmentFiles = files.filter((f) => !adoptionFiles.includes(f));
  const environments: EnvironmentConfig[] = [];
  const errors: ValidationError[] = [];
  for (const f of adoptionFiles) {
    const name = path.basename(f, ext).slice(0, -ADOPTION_SUFFIX.length);
    if (!environmentFiles.includes(`${name}${ext}`)) {
      errors.push(new ConfigError(`${folder}/${path.basename(f, ext)}.ts`, [{ field: "(file)", value: f, allowed: `an adoption list beside its environment file: ${folder} has no ${name}.ts` }]));
    }
  }
  for (const f of environmentFiles) {
    try {
      environments.push(validated(f));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      errors.push(error);
    }
  }
  const ciIssues = ciEnvironmentIssues(project, environments);
  if (ciIssues.length > 0) errors.push(new ConfigError(`project settings (${folder}/project.ts)`, ciIssues));
  return { config: { project, environments, folder }, errors };

  function validated(f: string): EnvironmentConfig {
    const name = path.basename(f, ext);
    const raw = defaultExport(path.join(dir, f));
    if (raw === undefined) {
      throw new ConfigError(`${folder}/${name}.ts`, [
        { field: "default export", value: undefined, allowed: "an environment file must `export default` its EnvironmentConfig" },
      ]);
    }
    return validateEnvironment(withAdoptionList(raw, name), name, project, folder);
  }

  /** The environment with its `<env>.adopt.ts` as `adopt`; an environment that also lists `adopt` itself keeps one of the two. */
  function withAdoptionList(raw: unknown, name: string): unknown {
    const file = path.join(dir, `${name}${ADOPTION_SUFFIX}${ext}`);
    if (!fs.existsSync(file) || typeof raw !== "object" || raw === null) return raw;
    if ("adopt" in raw) {
      throw new ConfigError(`environment '${name}' (${folder}/${name}.ts)`, [
        { field: "adopt", value: "(given here and in the adoption list)", allowed: `one adoption list: in ${name}.ts or in ${name}${ADOPTION_SUFFIX}.ts, not both` },
      ]);
    }
    return { ...raw, adopt: defaultExport(file) };
  }
}
