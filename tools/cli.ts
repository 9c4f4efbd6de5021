import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { TerraformStack } from "cdktf";
import { ROOT } from "./project";
import * as fs from "node:fs";
import { WORK } from "./project";
import { run, toolEnv } from "./terraform";
import { CostReport, compareCosts, estimate, renderCost, renderCostComparison } from "./review/cost";
import { EXAMPLES_OUT, lockProviders, planStack, stackDir, synthesize, validateStacks } from "./stacks";
import { PlanSummary, renderMarkdown, renderText, summarizePlan } from "./review/plan-summary";
import { ALLOW_DESTROY_LABEL, PLAN_ARTIFACT_DIR } from "./ci/workflows";

/** Exit codes: 0 done, 1 the work failed (config, terraform), 2 the command line was wrong, 3 a check said no. */
const USAGE_ERROR = 2;
const DESTROY_REFUSED = 3;
const CHECK_FAILED = 3;

/** Every reporting command prints text by default, or one of these. */
const FORMAT_OPTIONS = {
  json: { type: "boolean", description: "machine-readable JSON on stdout" },
  markdown: { type: "boolean", description: "Markdown for a pull-request comment" },
} as const;

/** `keel plan`'s exit code: 3 when asked to refuse stateful destroys and there are some. */
export function planExitCode(summary: PlanSummary, failOnDestroy: boolean): number {
  return failOnDestroy && summary.destroysStateful.length > 0 ? DESTROY_REFUSED : 0;
}

function formatConflict(): number {
  process.stderr.write("Choose one of --json and --markdown.\n");
  return USAGE_ERROR;
}

interface Command {
  readonly summary: string;
  /** `usage: npm run <name> -- <this>` */
  readonly usage: string;
  /** More lines for `--help`. */
  readonly details?: string;
  readonly positionals: { readonly min: number; readonly max: number };
  readonly options?: Readonly<Record<string, { readonly type: "boolean" | "string"; readonly description: string }>>;
  run(positionals: string[], flags: Readonly<Record<string, boolean | string | undefined>>): Promise<number>;
}

/** Progress goes to stderr, so stdout carries only results. */
function progress(message: string): void {
  process.stderr.write(`keel: ${message}\n`);
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

async function synthWithProgress(outDir?: string, examples = false): Promise<string[]> {
  const started = Date.now();
  progress(`synthesizing ${examples ? "the examples" : "every stack"}...`);
  const stacks = await synthesize(outDir, { examples });
  progress(`synthesized ${stacks.join(", ")} (${seconds(started)})`);
  return stacks;
}

/**
 * The stacks the app will synthesize, from the config alone (no synth):
 * bootstrap, one account stack per account and region, one per environment.
 */
async function knownStacks(): Promise<string[]> {
  const { BOOTSTRAP_STACK, accountStackId, loadConfig } = await import("../environments");
  const { project, environments } = loadConfig();
  return [
    BOOTSTRAP_STACK,
    ...project.accounts.flatMap((a) => a.regions.map((r) => accountStackId(a.accountId, r))),
    ...environments.map((e) => e.name),
  ];
}

/** The names of the environments and the examples, from their folders. */
async function environmentNames(): Promise<{ environments: string[]; examples: string[] }> {
  const { loadConfig } = await import("../environments");
  // Beside this file: dist/examples when compiled, examples/ when run from source.
  const examplesDir = path.join(__dirname, "..", "examples");
  return {
    environments: loadConfig().environments.map((e) => e.name),
    examples: loadConfig(examplesDir).environments.map((e) => e.name),
  };
}

/**
 * The app command's script at `root`: tools/app.js compiles and runs the bundle in one process.
 * A checkout of a commit older than it is compiled here and runs its dist/app.js or dist/main.js.
 */
function appCommand(root: string): string {
  const app = path.join(root, "tools", "app.js");
  if (fs.existsSync(app)) return app;
  const compiled = spawnSync(process.execPath, [path.join(root, "tools", "compile.js")], { cwd: root, encoding: "utf8" });
  if (compiled.status !== 0) throw new Error(`Compiling ${root} failed:\n${compiled.stdout}${compiled.stderr}`);
  return path.join(root, "dist", fs.existsSync(path.join(root, "dist", "app.js")) ? "app.js" : "main.js");
}

/**
 * Synthesizes the project at `root` (this one, or a checkout of another commit) into a work
 * folder of its own, never cdktf.out; returns that output folder.
 */
async function synthAt(root: string, example: boolean, purpose: string): Promise<string> {
  const outDir = path.join(WORK, "work", purpose, path.basename(root), example ? "examples" : "environments");
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  progress(`synthesizing ${example ? "the examples" : "every stack"}${root === ROOT ? "" : ` at ${path.basename(root)}`}...`);
  const app = await run(process.execPath, [appCommand(root)], {
    cwd: root,
    env: { CDKTF_OUTDIR: outDir, ...(example ? { KEEL_EXAMPLES: "1" } : {}) },
  });
  if (app.code !== 0) throw new Error(app.output.trim());
  return outDir;
}

/** Synthesizes the project at `root` and prices one stack. */
async function costAt(root: string, name: string, example: boolean): Promise<CostReport> {
  const outDir = await synthAt(root, example, "cost");
  const stack = JSON.parse(fs.readFileSync(path.join(outDir, "stacks", name, "cdk.tf.json"), "utf8"));
  const { loadConfig } = await import("../environments");
  const config = (example ? loadConfig(path.join(__dirname, "..", "examples")) : loadConfig()).environments.find((e) => e.name === name);
  return estimate(stack, config?.usage);
}

/** A clean checkout of `ref` under the work folder (a git worktree, with this project's node_modules). */
async function checkout(ref: string): Promise<string> {
  const sha = await run("git", ["rev-parse", "--verify", `${ref}^{commit}`], { cwd: ROOT });
  if (sha.code !== 0) throw new Error(`'${ref}' is not a commit in this repository: ${sha.stderr.trim()}`);
  const dir = path.join(WORK, "work", "compare", sha.stdout.trim().slice(0, 12));
  if (!fs.existsSync(path.join(dir, "cdktf.json"))) {
    fs.rmSync(dir, { recursive: true, force: true });
    await run("git", ["worktree", "prune"], { cwd: ROOT });
    const added = await run("git", ["worktree", "add", "--detach", dir, sha.stdout.trim()], { cwd: ROOT });
    if (added.code !== 0) throw new Error(`git worktree add failed: ${added.stderr.trim()}`);
    if (!fs.existsSync(path.join(dir, "node_modules"))) fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  }
  return dir;
}

/**
 * The stacks `keel check` looks at, built in-process as synth would build
 * them (nothing is written): every stack of the app, or one of them, or one
 * example. Each comes with the config file that declares it.
 */
async function stacksToCheck(name: string | undefined): Promise<{ stack: TerraformStack; source: string }[]> {
  const { App, TerraformStack } = await import("cdktf");
  const { buildApp, buildEnvironments } = await import("../stacks");
  const { loadConfig } = await import("../environments");
  const { examples } = await environmentNames();
  const example = name !== undefined && examples.includes(name);
  const app = example
    ? buildEnvironments(new App({ skipValidation: true }), loadConfig(path.join(__dirname, "..", "examples")), "examples")
    : buildApp(new App({ skipValidation: true }), loadConfig());
  const own = loadConfig();
  const environments = new Set(own.environments.map((e) => e.name));
  return app.node.children
    .filter((c): c is TerraformStack => c instanceof TerraformStack)
    .filter((s) => name === undefined || s.node.id === name)
    .map((stack) => ({
      stack,
      source: example ? `examples/${stack.node.id}.ts` : `${own.folder}/${environments.has(stack.node.id) ? stack.node.id : "project"}.ts`,
    }));
}

/**
 * Whether `name` is an example (true) or a stack of the app (false); for
 * neither, says so on stderr with the list of both, before anything is
 * synthesized, and gives the usage error's exit code.
 */
async function stackKind(name: string): Promise<boolean | number> {
  const known = await knownStacks();
  const { examples } = await environmentNames();
  // The config's own stacks first: a team's environment may share an example's name.
  if (known.includes(name)) return false;
  if (examples.includes(name)) return true;
  process.stderr.write(`Unknown stack '${name}'. Stacks: ${known.join(", ")}; examples: ${examples.join(", ")}\n`);
  return USAGE_ERROR;
}

/**
 * The cdk.tf.json that hcl and diagram read: the --from file as given, or a
 * stack or example of this project, synthesized first. A usage error's exit
 * code (after saying why on stderr) when neither exists.
 */
async function synthesizedJson(name: string | undefined, from: string | undefined): Promise<string | number> {
  if (from !== undefined) {
    if (fs.existsSync(from)) return from;
    process.stderr.write(`--from ${from}: no such file\n`);
    return USAGE_ERROR;
  }
  const stack = name ?? "";
  const example = await stackKind(stack);
  if (typeof example === "number") return example;
  await synthWithProgress(example ? EXAMPLES_OUT : undefined, example);
  return path.join(stackDir(stack, example ? EXAMPLES_OUT : undefined), "cdk.tf.json");
}

/** Runs the real cdktf CLI with Keel's environment (CLI config, no telemetry). */
function cdktf(args: readonly string[]): number {
  const bin = path.join(ROOT, "node_modules", ".bin", "cdktf");
  const result = spawnSync(bin, args, { cwd: ROOT, env: toolEnv(), stdio: "inherit" });
  return result.status ?? 1;
}

/** `synth` and `examples`: the app into its output folder, the stacks named on stdout. */
function synthCommand(summary: string, examples: boolean): Command {
  return {
    summary,
    usage: "",
    positionals: { min: 0, max: 0 },
    async run() {
      const stacks = await synthWithProgress(examples ? EXAMPLES_OUT : undefined, examples);
      process.stdout.write(`Synthesized ${stacks.join(", ")} into ${examples ? "examples.out" : "cdktf.out"}/stacks/\n`);
      return 0;
    },
  };
}

/** Where an environment's deployed state is read: its backend, or its sandbox working copy (--sandbox). */
async function liveEnvironment(
  name: string,
  sandbox: boolean,
): Promise<number | { live: import("./ops").LiveStack; environment: import("../environments").EnvironmentConfig; profile?: string; example: boolean }> {
  const example = await stackKind(name);
  if (typeof example === "number") return example;
  const { loadConfig, configDir } = await import("../environments");
  const config = loadConfig(example ? path.join(__dirname, "..", "examples") : configDir());
  const environment = config.environments.find((e) => e.name === name);
  if (environment === undefined) {
    process.stderr.write(`'${name}' is not an environment (bootstrap and account stacks have no database, bastion or outputs to show)\n`);
    return USAGE_ERROR;
  }
  const profile = config.project.accounts.find((a) => a.accountId === environment.accountId)?.profile;
  if (sandbox) {
    const { sandboxDir } = await import("./sandbox/run");
    return { live: { stack: name, dir: path.join(sandboxDir(example ? "examples" : "environments"), name), source: "sandbox" }, environment, profile, example };
  }
  if (example) {
    process.stderr.write(`'${name}' is an example: its state lives in its team's account. Try it against the emulator: npx keel sandbox --examples ${name} --keep, then --sandbox\n`);
    return USAGE_ERROR;
  }
  await synthWithProgress();
  return { live: { stack: name, dir: stackDir(name), source: "backend" }, environment, profile, example };
}

const COMMANDS: Readonly<Record<string, Command>> = {
  synth: synthCommand("every stack into cdktf.out/ (the app directly; `cdktf synth` does the same, slower)", false),
  examples: synthCommand("the examples (examples/) into examples.out/", true),
  validate: {
    summary: "synth, then terraform init -backend=false + validate of every stack",
    usage: "",
    positionals: { min: 0, max: 0 },
    async run() {
      await synthWithProgress();
      const started = Date.now();
      const results = await validateStacks(undefined, (stack, ms) => progress(`validated ${stack} (${(ms / 1000).toFixed(1)} s)`));
      for (const r of results) process.stdout.write(`${r.stack}: ${r.output.trim()}\n`);
      progress(`validated ${results.length} stacks (${seconds(started)})`);
      return 0;
    },
  },
  plan: {
    summary: "synth, then terraform plan of one stack, summarized: stateful destroys first, counts by type, changed attributes",
    usage: "<stack> [--offline] [--fail-on-destroy] [--json | --markdown]",
    details: [
      "  <stack>     bootstrap, account-<accountId>-<region>, an environment, or an example (planned offline)",
      "  Saves the plan and its `terraform show -json` (stdout only, so TF_LOG never corrupts it).",
      "  A replacement counts as a destroy. --markdown fits one pull-request comment (65,535 characters).",
    ].join("\n"),
    positionals: { min: 1, max: 1 },
    options: {
      offline: { type: "boolean", description: "no AWS and no backend: local state, fake credentials, overrides in a working copy" },
      "fail-on-destroy": { type: "boolean", description: "exit 3 when a stateful resource would be replaced or deleted" },
      ...FORMAT_OPTIONS,
    },
    async run([stack], flags) {
      const example = await stackKind(stack);
      if (typeof example === "number") return example;
      if (flags.json && flags.markdown) return formatConflict();
      // The examples live in other seeds' accounts: only an offline plan makes sense here.
      const offline = flags.offline === true || example;
      await synthWithProgress(example ? EXAMPLES_OUT : undefined, example);
      progress(`planning ${stack}${offline ? " offline" : " against the S3 backend"}...`);
      const started = Date.now();
      const result = await planStack(stack, { offline, outDir: example ? EXAMPLES_OUT : undefined });
      progress(`planned ${stack} (${seconds(started)}); plan ${path.relative(ROOT, result.planFile)}, JSON ${path.relative(ROOT, result.jsonFile)}`);
      const summary = summarizePlan(result.plan);
      if (flags.json) process.stdout.write(JSON.stringify({ stack, planFile: path.relative(ROOT, result.planFile), ...summary }, null, 2) + "\n");
      else process.stdout.write(flags.markdown ? renderMarkdown(summary) : renderText(summary));
      const code = planExitCode(summary, flags["fail-on-destroy"] === true);
      if (code !== 0) progress(`${summary.destroysStateful.length} stateful resource(s) would be destroyed (--fail-on-destroy)`);
      return code;
    },
  },
  adopt: {
    summary: "find the existing AWS resources an environment would create, by the names Keel gives them, and write <env>.adopt.ts",
    usage: "<environment | example> [--json]",
    details: [
      "  Read-only AWS calls (Describe, Get, List, Head) with the standard credential chain, in the environment's",
      "  account (its profile from project.accounts, else AWS_PROFILE or the default chain) and region; the",
      "  credentials must be that account's. Writes the adoption list beside the environment file, for review:",
      "  `keel plan <env>` then shows each import and the settings it changes. Prints what it found, what does",
      "  not exist (Keel creates it), and what it cannot look up (set those by hand in the list).",
    ].join("\n"),
    positionals: { min: 1, max: 1 },
    options: { json: FORMAT_OPTIONS.json },
    async run([name], flags) {
      const example = await stackKind(name);
      if (typeof example === "number") return example;
      const { loadConfig, configDir, ADOPTION_SUFFIX, PROJECT_ROOT } = await import("../environments");
      const folder = example ? path.join(__dirname, "..", "examples") : configDir();
      const config = loadConfig(folder);
      const environment = config.environments.find((e) => e.name === name);
      if (environment === undefined) {
        process.stderr.write(`'${name}' is not an environment: keel adopt looks up an environment's resources\n`);
        return USAGE_ERROR;
      }
      const { checkAccount, discover, renderAdoptReport, typesImportFrom, writeAdoptionList } = await import("./adopt");
      const account = config.project.accounts.find((a) => a.accountId === environment.accountId);
      const context = { accountId: environment.accountId, region: environment.region, ...(account?.profile !== undefined ? { profile: account.profile } : {}) };
      await checkAccount(context);
      const outDir = example ? EXAMPLES_OUT : undefined;
      await synthWithProgress(outDir, example);
      const stack = JSON.parse(fs.readFileSync(path.join(stackDir(name, outDir), "cdk.tf.json"), "utf8"));
      progress(`looking up ${name}'s resources in account ${context.accountId}, ${context.region}...`);
      const report = await discover(name, stack, context);
      // The source folder (not dist/): the list is reviewed and committed beside the environment file.
      const sourceFolder = path.join(PROJECT_ROOT, path.relative(path.join(__dirname, ".."), folder));
      const file = path.join(sourceFolder, `${name}${ADOPTION_SUFFIX}.ts`);
      writeAdoptionList(file, report, typesImportFrom(sourceFolder, PROJECT_ROOT), new Date().toISOString().slice(0, 10));
      const shown = path.relative(PROJECT_ROOT, file);
      process.stdout.write(flags.json ? JSON.stringify({ file: shown, ...report }, null, 2) + "\n" : renderAdoptReport(report, shown));
      return 0;
    },
  },
  names: {
    summary: "every physical name an environment gives, by the key naming.names sets it with",
    usage: "<environment | example> [--json]",
    positionals: { min: 1, max: 1 },
    options: { json: FORMAT_OPTIONS.json },
    async run([name], flags) {
      const example = await stackKind(name);
      if (typeof example === "number") return example;
      const found = (await stacksToCheck(name)).find((s) => s.stack.node.id === name);
      const { EnvironmentStack } = await import("../stacks");
      if (found === undefined || !(found.stack instanceof EnvironmentStack)) {
        process.stderr.write(`'${name}' is not an environment: only environments take naming.names\n`);
        return USAGE_ERROR;
      }
      const names = [...found.stack.label.names.entries()].sort(([a], [b]) => a.localeCompare(b));
      if (flags.json) process.stdout.write(JSON.stringify(Object.fromEntries(names), null, 2) + "\n");
      else for (const [key, value] of names) process.stdout.write(`${key.padEnd(48)} ${value}\n`);
      return 0;
    },
  },
  cost: {
    summary: "monthly estimate of one environment or example, per resource and in total, offline, from a dated price table",
    usage: "<environment | example> [--compare <git-ref>] [--json | --markdown]",
    details: [
      "  Prices the stack just synthesized with tools/review/prices.ts (us-east-1, on-demand, dated, sourced)",
      "  and the environment's `usage` assumptions (printed with every estimate). Unpriced resources are listed.",
      "  --compare prices the same environment at another commit and shows the difference per resource.",
    ].join("\n"),
    positionals: { min: 1, max: 1 },
    options: { compare: { type: "string", description: "a git ref to compare with (branch, tag or commit)" }, ...FORMAT_OPTIONS },
    async run([name], flags) {
      if (flags.json && flags.markdown) return formatConflict();
      const { environments, examples } = await environmentNames();
      if (!environments.includes(name) && !examples.includes(name)) {
        process.stderr.write(`Unknown environment '${name}'. Environments: ${environments.join(", ")}; examples: ${examples.join(", ")}\n`);
        return USAGE_ERROR;
      }
      const isExample = examples.includes(name);
      const report = await costAt(ROOT, name, isExample);
      const ref = typeof flags.compare === "string" ? flags.compare : undefined;
      if (ref === undefined) {
        process.stdout.write(flags.json ? JSON.stringify({ environment: name, ...report }, null, 2) + "\n" : renderCost(report, flags.markdown === true));
        return 0;
      }
      progress(`pricing ${name} at ${ref}...`);
      const before = await costAt(await checkout(ref), name, isExample);
      const diff = compareCosts(before, report);
      if (flags.json) {
        process.stdout.write(JSON.stringify({ environment: name, ref, before: before.total, after: report.total, ...diff }, null, 2) + "\n");
      } else {
        process.stdout.write(renderCostComparison(name, ref, before, report, flags.markdown === true));
      }
      return 0;
    },
  },
  check: {
    summary: "compliance of every stack, or of one stack or example, against Keel's rule pack: findings, suppressions, reasons",
    usage: "[<stack | example>] [--json | --markdown | --sarif] | --list-rules [--json]",
    details: [
      "  <stack>     bootstrap, account-<accountId>-<region>, an environment, or an example; all stacks of the app when omitted",
      "  The same check runs in every synth: an error finding that no suppression holds stops the synth of a",
      "  stack protected as production (and of the bootstrap and account stacks). Exit code 3 when one would.",
      "  Suppressions live next to the resource: suppress(construct, ...) in a module, or `suppressions` in an environment.",
    ].join("\n"),
    positionals: { min: 0, max: 1 },
    options: {
      sarif: { type: "boolean", description: "SARIF 2.1.0 for code-scanning tools on stdout" },
      "list-rules": { type: "boolean", description: "the rules, their levels and what each corresponds to (checkov, cdk-nag, Security Hub)" },
      ...FORMAT_OPTIONS,
    },
    async run([name], flags) {
      const { RULES, checkStack, isEnforced } = await import("../modules/compliance");
      const report = await import("./review/compliance");
      if ([flags.json, flags.markdown, flags.sarif].filter((f) => f === true).length > 1) {
        process.stderr.write("Choose one of --json, --markdown and --sarif.\n");
        return USAGE_ERROR;
      }
      if (flags["list-rules"]) {
        if (name !== undefined || flags.markdown || flags.sarif) {
          process.stderr.write("--list-rules takes no stack, and only --json.\n");
          return USAGE_ERROR;
        }
        process.stdout.write(report.renderRules(RULES, flags.json === true));
        return 0;
      }
      if (name !== undefined) {
        const known = await stackKind(name);
        if (typeof known === "number") return known;
      }
      const { complianceDate } = await import("../stacks/keel-stack");
      const today = complianceDate();
      const started = Date.now();
      const stacks = await stacksToCheck(name);
      progress(`checking ${stacks.map((s) => s.stack.node.id).join(", ")} against ${RULES.length} rules (suppressions judged on ${today})...`);
      const reports = stacks.map(({ stack }) => checkStack(stack, { enforced: isEnforced(stack), today }));
      progress(`checked ${reports.reduce((n, r) => n + r.resources, 0)} resources (${seconds(started)})`);
      const sources = new Map(stacks.map((s) => [s.stack.node.id, s.source]));
      if (flags.sarif) process.stdout.write(JSON.stringify(report.toSarif(reports, RULES, (stack) => sources.get(stack) ?? "environments/project.ts"), null, 2) + "\n");
      else if (flags.json) process.stdout.write(JSON.stringify({ today, rules: RULES.length, summary: report.summarize(reports), stacks: reports }, null, 2) + "\n");
      else process.stdout.write(flags.markdown ? report.renderMarkdown(reports, RULES.length) : report.renderText(reports, RULES.length));
      const stopping = report.summarize(reports).blocking;
      if (stopping > 0) progress(`${stopping} error finding(s) would stop synth`);
      return stopping > 0 ? CHECK_FAILED : 0;
    },
  },
  hcl: {
    summary: "export a stack as Terraform-native HCL (.tf files) that plans exactly like its JSON, for a team that works only in Terraform",
    usage: "<stack> --out <dir> | --from <cdk.tf.json> --out <dir> | --update-schema",
    details: [
      "  <stack>     bootstrap, account-<accountId>-<region>, an environment, or an example (synthesized first)",
      "  --from      any cdktf output: a cdk.tf.json (its lock file and assets come along)",
      "  Writes one file per top-level construct plus providers.tf, backend.tf and outputs.tf, formatted by terraform fmt.",
      "  Blocks and attributes come from the AWS provider schema cached in tools/hcl/provider-schemas.json;",
      "  --update-schema refreshes it from `terraform providers schema -json` after a module imports a new type.",
      "  A stack with another provider, version or type gets that provider's schema from `terraform providers",
      "  schema -json` (the local mirror or the registry), kept in .keel/schemas/ per provider source and version.",
    ].join("\n"),
    positionals: { min: 0, max: 1 },
    options: {
      out: { type: "string", description: "the folder to write (files an earlier export wrote are replaced; others are refused)" },
      from: { type: "string", description: "a synthesized cdk.tf.json to convert instead of a stack of this project" },
      "update-schema": { type: "boolean", description: "regenerate tools/hcl/provider-schemas.json and exit" },
    },
    async run([name], flags) {
      const hcl = await import("./hcl/export");
      if (flags["update-schema"]) {
        if (name !== undefined || flags.from !== undefined || flags.out !== undefined) {
          process.stderr.write("--update-schema takes no stack, --from or --out.\n");
          return USAGE_ERROR;
        }
        const updated = await hcl.updateSchemaCache();
        process.stdout.write(`Wrote ${path.relative(ROOT, updated.file)}: ${updated.resources} resource and ${updated.dataSources} data source types; commit it.\n`);
        return 0;
      }
      const from = typeof flags.from === "string" ? flags.from : undefined;
      const out = typeof flags.out === "string" ? flags.out : undefined;
      if (out === undefined || (from === undefined) === (name === undefined)) {
        process.stderr.write("Give a stack or --from <cdk.tf.json>, and --out <dir>.\n");
        return USAGE_ERROR;
      }
      const jsonFile = await synthesizedJson(name, from);
      if (typeof jsonFile === "number") return jsonFile;
      const result = await hcl.exportHcl(jsonFile, path.resolve(out));
      if (result.fetched.length > 0) progress(`fetched the schema of ${result.fetched.join(", ")} (kept in .keel/schemas/)`);
      if (result.local.length > 0) progress(`used the kept schema of ${result.local.join(", ")} (.keel/schemas/)`);
      progress(`converted in ${(result.convertMs / 1000).toFixed(2)} s, terraform fmt in ${(result.fmtMs / 1000).toFixed(2)} s`);
      process.stdout.write(`Wrote ${result.files.length} files to ${out}: ${result.files.join(", ")}\n`);
      return 0;
    },
  },
  diagram: {
    summary: "draw a stack's architecture as SVG: region, VPC, AZ and subnet tier as nested boxes, with request and traffic edges",
    usage: "<stack> --out <file.svg> [--dot] [--png] | --from <cdk.tf.json> --out <file.svg> [--dot] [--png]",
    details: [
      "  <stack>     bootstrap, account-<accountId>-<region>, an environment, or an example (synthesized first)",
      "  Edges: security-group rules with their ports, listener rules, routes to NAT and internet gateways, integrations.",
      "  Laid out by Graphviz compiled to WebAssembly; the same stack always gives the same bytes.",
    ].join("\n"),
    positionals: { min: 0, max: 1 },
    options: {
      out: { type: "string", description: "the SVG file to write" },
      from: { type: "string", description: "a synthesized cdk.tf.json to draw instead of a stack of this project" },
      dot: { type: "boolean", description: "also write the Graphviz source beside it (<file>.dot)" },
      png: { type: "boolean", description: "also write a PNG beside it (<file>.png), rendered in-process by resvg" },
    },
    async run([name], flags) {
      const from = typeof flags.from === "string" ? flags.from : undefined;
      const out = typeof flags.out === "string" ? flags.out : undefined;
      if (out === undefined || (from === undefined) === (name === undefined)) {
        process.stderr.write("Give a stack or --from <cdk.tf.json>, and --out <file.svg>.\n");
        return USAGE_ERROR;
      }
      const jsonFile = await synthesizedJson(name, from);
      if (typeof jsonFile === "number") return jsonFile;
      const { drawStack } = await import("./diagram/render");
      const started = Date.now();
      const drawn = await drawStack(jsonFile, name ?? path.basename(path.dirname(jsonFile)));
      fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
      fs.writeFileSync(out, drawn.svg);
      if (flags.dot) fs.writeFileSync(out.replace(/\.svg$/, "") + ".dot", drawn.dot);
      const png = out.replace(/\.svg$/, "") + ".png";
      if (flags.png) {
        const { toPng } = await import("./diagram/render");
        fs.writeFileSync(png, await toPng(drawn.svg));
      }
      progress(`drew ${drawn.model.edges.length} edges in ${seconds(started)}`);
      process.stdout.write(`Wrote ${out}${flags.png ? ` and ${png}` : ""}\n`);
      return 0;
    },
  },
  artifacts: {
    summary: "what a stack's workloads run that Terraform does not build (Lambda packages, images), and the first-deploy steps",
    usage: "<stack> [--json]",
    details: [
      "  <stack>     an environment or an example (synthesized first)",
      "  Lists each artifact that lives in a store the same stack creates: a first apply cannot contain it.",
      "  First deploy: apply the stores with the printed -target flags, publish the artifacts, then apply everything.",
    ].join("\n"),
    positionals: { min: 1, max: 1 },
    options: { json: FORMAT_OPTIONS.json },
    async run([name], flags) {
      const jsonFile = await synthesizedJson(name, undefined);
      if (typeof jsonFile === "number") return jsonFile;
      const { artifactStores, stackArtifacts } = await import("./artifacts");
      const artifacts = stackArtifacts(JSON.parse(fs.readFileSync(jsonFile, "utf8")) as Parameters<typeof stackArtifacts>[0]);
      const stores = artifactStores(artifacts);
      if (flags.json) {
        process.stdout.write(JSON.stringify({ stack: name, artifacts, stores }, null, 2) + "\n");
        return 0;
      }
      if (artifacts.length === 0) {
        process.stdout.write(`${name}: every workload's artifact is built by Terraform or lives outside the stack; one apply deploys it.\n`);
        return 0;
      }
      const lines = [`${name}: ${artifacts.length} artifact(s) live in stores this stack creates, so its first apply cannot contain them:`];
      for (const a of artifacts) lines.push(`  ${a.workload} needs ${a.kind === "object" ? `the object ${a.name} in ${a.store}` : `the image tag ${a.name} in ${a.store}`}; without it ${a.withoutIt}`);
      lines.push(
        "",
        "First deploy, in this order:",
        `  1. apply the stores alone:  terraform -chdir=${path.relative(ROOT, path.dirname(jsonFile))} apply ${stores.map((s) => `-target=${s}`).join(" ")}`,
        "  2. publish each artifact (CI's build: upload the package, push the image with its tag)",
        `  3. plan and apply everything: npx keel plan ${name}, then apply the saved plan`,
        "Later deploys need none of this: the stores and the artifacts exist.",
      );
      process.stdout.write(lines.join("\n") + "\n");
      return 0;
    },
  },
  diff: {
    summary: "what a change does to one stack's Terraform, offline: its synthesized JSON against another commit's, by address and attribute",
    usage: "<stack | example> <git-ref> [--emulator] [--json | --markdown]",
    details: [
      "  Synthesizes the working tree and <git-ref> (a clean worktree under .keel/) and compares the stack's",
      "  resources and outputs, the way cdk diff reads templates: added, removed, changed attributes. A removed",
      "  stateful resource is flagged; a changed one is marked, since only keel plan (with state) knows whether",
      "  Terraform replaces it. --markdown fits one pull-request comment.",
      "  --emulator: Terraform's own plan instead, with no AWS account. Applies <git-ref>'s stack (and its account",
      "  stack) to the local emulator, then plans the working tree's against that state: replacements and what",
      "  forces them show. Minutes, not seconds (the README gives production's time). Updates the emulator alone",
      "  causes (tools/sandbox/gaps.ts) are left out and counted.",
    ].join("\n"),
    positionals: { min: 2, max: 2 },
    options: { ...FORMAT_OPTIONS, emulator: { type: "boolean", description: "plan the change against <git-ref> applied to the local emulator" } },
    async run([name, ref], flags) {
      if (flags.json && flags.markdown) return formatConflict();
      const example = await stackKind(name);
      if (typeof example === "number") return example;
      const base = await checkout(ref);
      const read = (out: string): import("./review/diff").StackJson => {
        const file = path.join(out, "stacks", name, "cdk.tf.json");
        return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as import("./review/diff").StackJson) : {};
      };
      const baseOut = await synthAt(base, example, "diff");
      const headOut = await synthAt(ROOT, example, "diff");
      if (flags.emulator === true) {
        const { planAgainstBase } = await import("./sandbox/against");
        const result = await planAgainstBase({ project: example ? "examples" : "environments", stack: name, baseOut, headOut, dir: path.join(WORK, "sandbox", `diff-${name}`), onProgress: progress });
        const summary = summarizePlan(result.plan as Parameters<typeof summarizePlan>[0]);
        progress(`base applied in ${result.seconds.applyBase.toFixed(0)} s, change planned in ${result.seconds.plan.toFixed(0)} s (${result.seconds.total.toFixed(0)} s in all)`);
        const note = `Planned against ${ref} as applied to the local emulator (moto).${result.gapOnly.length > 0 ? ` ${result.gapOnly.length} update(s) only the emulator causes are left out.` : ""}\n`;
        if (flags.json) process.stdout.write(JSON.stringify({ stack: name, ref, gapOnly: result.gapOnly, seconds: result.seconds, ...summary }, null, 2) + "\n");
        else process.stdout.write(`${flags.markdown ? `### \`keel diff --emulator\`: ${name} against ${ref}\n\n` : ""}${note}${flags.markdown ? "\n" : ""}${flags.markdown ? renderMarkdown(summary) : renderText(summary)}`);
        return 0;
      }
      const before = read(baseOut);
      const after = read(headOut);
      const { diffStacks, renderDiff } = await import("./review/diff");
      const result = diffStacks(name, before, after);
      process.stdout.write(flags.json ? JSON.stringify({ ref, ...result }, null, 2) + "\n" : renderDiff(result, ref, flags.markdown === true));
      return 0;
    },
  },
  changed: {
    summary: "the stacks whose synthesized JSON differs from another commit's, one per line in deploy order: the CI matrix",
    usage: "<git-ref> [--examples] [--json]",
    positionals: { min: 1, max: 1 },
    options: { examples: { type: "boolean", description: "the examples instead of the environments" }, json: FORMAT_OPTIONS.json },
    async run([ref], flags) {
      const example = flags.examples === true;
      const base = await checkout(ref);
      const beforeOut = await synthAt(base, example, "changed");
      const afterOut = await synthAt(ROOT, example, "changed");
      const { changedStacks } = await import("./review/diff");
      const { BOOTSTRAP_STACK, ACCOUNT_STACK_PREFIX } = await import("../environments");
      // Deploy order: bootstrap, the account stacks, then the environments.
      const rank = (s: string): string => `${s === BOOTSTRAP_STACK ? 0 : s.startsWith(ACCOUNT_STACK_PREFIX) ? 1 : 2}${s}`;
      const stacks = changedStacks(beforeOut, afterOut).sort((a, b) => (rank(a) < rank(b) ? -1 : 1));
      process.stdout.write(flags.json ? JSON.stringify({ ref, stacks }, null, 2) + "\n" : stacks.map((s) => `${s}\n`).join(""));
      return 0;
    },
  },
  ci: {
    summary: "CI/CD from project.ci: write the GitHub workflows, and the steps they run (matrix, plan, reviewed-run, apply, drift)",
    usage: "[write | check | matrix <git-ref> | matrix --all | plan <stack> --base <git-ref> | reviewed-run <stack> | apply <stack> --reviewed <dir> | drift <stack> | deploy-role <env> | deploy <env> [--workload <name> --tag <tag>]]",
    details: [
      "  write (default)   writes .github/workflows/keel-{plan,apply,drift}.yml from project.ci",
      "  check             exit 3 when the committed workflows differ from what write would write",
      "  matrix <ref>      synth into cdktf.out, then the stacks whose JSON differs from <ref>'s, per wave, as JSON",
      "                    (--all: every stack; --graph: the job graph as text; --github-output: to $GITHUB_OUTPUT)",
      "  plan <stack>      in a pull request's job: plan the synthesized stack, price it against --base, comment once",
      `                    per stack (updated on each push), keep the plan in ${PLAN_ARTIFACT_DIR}/. Exit 3 when a stateful resource`,
      `                    would be destroyed and the pull request has no '${ALLOW_DESTROY_LABEL}' label`,
      "  reviewed-run      in an apply job: the run of the plan workflow whose artifact holds the stack's reviewed plan",
      "  apply <stack>     synth, plan, and apply that plan only if it equals the reviewed one; else exit 4, applying nothing",
      "  drift <stack>     refresh-only plan; on drift open or update the stack's issue (label keel-drift) and exit 2",
      "  deploy-role <env> the environment's CI deploy role and region (for configure-aws-credentials)",
      "  deploy <env>      lists the workloads CI rolls out; with --workload and --tag: build and push (--build), wait for",
      "                    the scan (critical findings stop it), a task-definition revision with only the image changed,",
      "                    update the service and wait until stable; Lambda: new code (--package); App Runner: new image",
    ].join("\n"),
    positionals: { min: 0, max: 2 },
    options: {
      all: { type: "boolean", description: "matrix: every stack, for the drift check" },
      graph: { type: "boolean", description: "matrix: print the job graph of a pull request and of its merge" },
      "github-output": { type: "boolean", description: "write name=value lines to $GITHUB_OUTPUT" },
      base: { type: "string", description: "plan: the pull request's base, for the cost comparison" },
      reviewed: { type: "string", description: "apply: the folder holding the reviewed plan's JSON" },
      workload: { type: "string", description: "deploy: the workload, by its Terraform name (ecs_api)" },
      tag: { type: "string", description: "deploy: the image tag or package version (the commit)" },
      build: { type: "string", description: "deploy: a docker build context to build and push first" },
      package: { type: "string", description: "deploy: a Lambda function's zip" },
    },
    async run([sub = "write", stack], flags) {
      const { loadConfig } = await import("../environments");
      const { project, environments } = loadConfig();
      const ciTools = await import("./ci/workflows");
      const output = (text: string): void => {
        const file = process.env.GITHUB_OUTPUT;
        if (flags["github-output"] === true && file !== undefined && file !== "") fs.appendFileSync(file, text);
        else process.stdout.write(text);
      };
      if (sub === "write" || sub === "check") {
        if (project.ci === undefined) {
          process.stderr.write("project.ci is not set in environments/project.ts: there are no workflows to write (README, CI/CD).\n");
          return sub === "check" ? 0 : USAGE_ERROR;
        }
        const files = ciTools.workflows({ project, environments });
        const dir = path.join(ROOT, ".github", "workflows");
        const stale = Object.entries(files).filter(([f, text]) => !fs.existsSync(path.join(dir, f)) || fs.readFileSync(path.join(dir, f), "utf8") !== text);
        if (sub === "check") {
          for (const [f] of stale) process.stderr.write(`.github/workflows/${f} differs from what \`npx keel ci\` writes: run it and commit\n`);
          return stale.length > 0 ? CHECK_FAILED : 0;
        }
        fs.mkdirSync(dir, { recursive: true });
        for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
        process.stdout.write(Object.keys(files).map((f) => `${stale.some(([s]) => s === f) ? "wrote" : "unchanged"} .github/workflows/${f}\n`).join(""));
        return 0;
      }
      const { ciMatrix, githubOutputs, renderJobGraph } = await import("./ci/matrix");
      if (sub === "matrix") {
        const ref = stack;
        if ((ref === undefined) === (flags.all !== true)) {
          process.stderr.write("Give a git ref to compare with, or --all.\n");
          return USAGE_ERROR;
        }
        await synthWithProgress();
        let changed: readonly string[] | "all" = "all";
        // A first push or a force push has no usable `before` (GitHub sends forty zeros): everything runs.
        if (ref !== undefined && !/^0+$/.test(ref)) {
          const { changedStacks } = await import("./review/diff");
          const beforeOut = await synthAt(await checkout(ref), false, "ci-matrix");
          changed = changedStacks(beforeOut, path.join(ROOT, "cdktf.out"));
        }
        const matrix = ciMatrix(project, environments, changed);
        if (flags.graph === true) process.stdout.write(`pull request:\n${renderJobGraph(matrix, "pull_request")}\nmerge:\n${renderJobGraph(matrix, "push")}`);
        else if (flags["github-output"] === true) output(githubOutputs(matrix));
        else process.stdout.write(JSON.stringify(matrix, null, 2) + "\n");
        return 0;
      }
      if (stack === undefined) {
        process.stderr.write(`keel ci ${sub} needs a stack.\n`);
        return USAGE_ERROR;
      }
      if (sub === "deploy-role" || sub === "deploy") {
        const environment = environments.find((e) => e.name === stack);
        if (environment === undefined) {
          process.stderr.write(`'${stack}' is not an environment: ${environments.map((e) => e.name).join(", ")}\n`);
          return USAGE_ERROR;
        }
        await synthWithProgress();
        const json = JSON.parse(fs.readFileSync(path.join(stackDir(stack), "cdk.tf.json"), "utf8")) as { resource?: Record<string, Record<string, Record<string, unknown>>> };
        const roleName = json.resource?.aws_iam_role?.ci_deploy?.name;
        if (sub === "deploy-role") {
          if (roleName === undefined) {
            process.stderr.write(`${stack} has no CI deploy role: it needs project.ci and a workload with deployedBy: "ci".\n`);
            return 1;
          }
          output(`role-arn=arn:aws:iam::${environment.accountId}:role/${String(roleName)}\nregion=${environment.region}\n`);
          return 0;
        }
        const { deployTargets, deploy, DeployStopped } = await import("./ci/deploy");
        const targets = deployTargets(json);
        const workload = typeof flags.workload === "string" ? flags.workload : undefined;
        const tag = typeof flags.tag === "string" ? flags.tag : undefined;
        if (workload === undefined || tag === undefined) {
          process.stdout.write(targets.map((t) => `${t.workload}  (${t.kind})\n`).join("") || `${stack} has no workload with deployedBy: "ci"\n`);
          return workload === undefined && tag === undefined ? 0 : USAGE_ERROR;
        }
        const target = targets.find((t) => t.workload === workload);
        if (target === undefined) {
          process.stderr.write(`'${workload}' is not a workload CI deploys in ${stack}: ${targets.map((t) => t.workload).join(", ") || "(none)"}\n`);
          return USAGE_ERROR;
        }
        const { awsDeployApi } = await import("./ci/deploy-aws");
        const api = awsDeployApi(environment.region);
        try {
          const context = typeof flags.build === "string" && flags.build !== "" ? flags.build : undefined;
          if (target.kind !== "lambda" && context !== undefined) progress(`pushed ${await api.pushImage(target.repository, tag, context)}`);
          const zipFile = typeof flags.package === "string" && flags.package !== "" ? flags.package : undefined;
          const zip = zipFile === undefined ? undefined : fs.readFileSync(zipFile);
          process.stdout.write(`${await deploy(api, target, { tag, zip }, { onProgress: progress })}\n`);
          return 0;
        } catch (error) {
          if (error instanceof DeployStopped) {
            process.stderr.write(`${error.message}\n`);
            return CHECK_FAILED;
          }
          throw error;
        }
      }
      const entry = ciMatrix(project, environments, "all").all.find((e) => e.stack === stack);
      if (entry === undefined && ["plan", "reviewed-run", "apply", "drift"].includes(sub)) {
        process.stderr.write(`'${stack}' is not a stack CI deploys: ${ciMatrix(project, environments, "all").all.map((e) => e.stack).join(", ")}\n`);
        return USAGE_ERROR;
      }
      const github = await import("./ci/github");
      if (sub === "plan") {
        const result = await planStack(stack, { offline: false });
        const summary = summarizePlan(result.plan);
        const sections = [`### \`${stack}\`: plan\n`, renderMarkdown(summary)];
        const base = typeof flags.base === "string" ? flags.base : undefined;
        if (base !== undefined && environments.some((e) => e.name === stack)) {
          const after = estimate(JSON.parse(fs.readFileSync(path.join(stackDir(stack), "cdk.tf.json"), "utf8")), environments.find((e) => e.name === stack)?.usage);
          const before = await costAt(await checkout(base), stack, false);
          sections.push(renderCostComparison(stack, base, before, after, true));
        }
        const event = github.pullRequestEvent();
        const allowed = event.labels.includes(ALLOW_DESTROY_LABEL);
        const code = planExitCode(summary, !allowed);
        if (summary.destroysStateful.length > 0) {
          sections.push(allowed ? `Label \`${ALLOW_DESTROY_LABEL}\` is set: the stateful destroys above are allowed.\n` : `**Stopped:** a stateful resource would be destroyed. Add the label \`${ALLOW_DESTROY_LABEL}\` if that is intended.\n`);
        }
        const body = sections.join("\n");
        const dir = path.join(ROOT, PLAN_ARTIFACT_DIR);
        fs.mkdirSync(dir, { recursive: true });
        fs.copyFileSync(result.planFile, path.join(dir, `${stack}.tfplan`));
        fs.copyFileSync(result.jsonFile, path.join(dir, `${stack}.plan.json`));
        fs.writeFileSync(path.join(dir, `${stack}.md`), body);
        if (event.number !== undefined) progress(`${await github.stickyComment(github.githubContext(), event.number, stack, body)} the comment for ${stack} on pull request #${event.number}`);
        else process.stdout.write(body);
        return code;
      }
      if (sub === "reviewed-run") {
        const sha = process.env.GITHUB_SHA ?? "";
        const id = sha === "" ? undefined : await github.reviewedRun(github.githubContext(), sha, stack, ciTools.WORKFLOW_FILES.plan);
        progress(id === undefined ? `no reviewed plan of ${stack} for ${sha || "this commit"}` : `the reviewed plan of ${stack} is in run ${id}`);
        output(`run-id=${id ?? ""}\n`);
        return 0;
      }
      if (sub === "apply") {
        const reviewedFile = path.join(typeof flags.reviewed === "string" ? flags.reviewed : path.join(ROOT, ".keel", "reviewed"), `${stack}.plan.json`);
        if (!fs.existsSync(reviewedFile)) {
          process.stderr.write(`No reviewed plan of ${stack} (${path.relative(ROOT, reviewedFile)}): a change reaches ${stack} only through a pull request whose plan job kept its plan. Nothing applied.\n`);
          return 4;
        }
        await synthWithProgress();
        const result = await planStack(stack, { offline: false });
        const { planDifferences } = await import("./ci/reviewed");
        const differences = planDifferences(JSON.parse(fs.readFileSync(reviewedFile, "utf8")), result.plan);
        if (differences.length > 0) {
          process.stderr.write(`The plan of ${stack} now differs from the reviewed plan; nothing applied. Open a pull request to review it:\n${differences.map((d) => `  ${d}\n`).join("")}`);
          return 4;
        }
        progress(`the plan of ${stack} is the reviewed plan; applying it`);
        const applied = await run("terraform", ["apply", "-input=false", "-no-color", result.planFile], { cwd: stackDir(stack) });
        process.stdout.write(applied.output);
        return applied.code === 0 ? 0 : 1;
      }
      if (sub === "drift") {
        await synthWithProgress();
        const { refreshOnlyDrift } = await import("./ops");
        const dir = stackDir(stack);
        const { terraform } = await import("./terraform");
        await terraform(["init", "-input=false", "-no-color"], { cwd: dir });
        const drift = await refreshOnlyDrift({ stack, dir, source: "backend" });
        if (drift.length === 0) {
          progress(`${stack}: no drift`);
          return 0;
        }
        const body = [`The nightly refresh-only plan of \`${stack}\` found changes made outside Terraform:`, "", ...drift.map((d) => `- \`${d.address}\`: ${d.attributes.join(", ")}`), "", `Run \`npx keel status ${stack}\` to see it, then either apply the stack (Terraform puts its settings back) or change the config to what it should be.`].join("\n");
        const report = await github.reportDrift(github.githubContext(), stack, body);
        progress(`${stack}: drift in ${drift.length} resource(s); ${report.action} issue #${report.number}`);
        return 2;
      }
      process.stderr.write(`Unknown ci step '${sub}'.\n`);
      return USAGE_ERROR;
    },
  },
  status: {
    summary: "what an environment runs now, read-only: the last apply, the resources in state, drift, the outputs a person needs, the cost",
    usage: "<environment> [--sandbox] [--no-drift] [--json]",
    details: [
      "  Reads the stack's state from its S3 backend (the standard credential chain; the account's profile), or with",
      "  --sandbox from its working copy applied to the local emulator (npx keel sandbox <env> --keep first).",
      "  Drift is `terraform plan -refresh-only -detailed-exitcode`: every resource read back, nothing written.",
      "  Exit 0 whether or not it drifted (the report says); 1 when the state cannot be read.",
    ].join("\n"),
    positionals: { min: 1, max: 1 },
    options: {
      sandbox: { type: "boolean", description: "the sandbox's working copy and emulator instead of the backend" },
      "no-drift": { type: "boolean", description: "skip the refresh-only plan (fast; no AWS reads beyond the state)" },
      json: FORMAT_OPTIONS.json,
    },
    async run([name], flags) {
      const found = await liveEnvironment(name, flags.sandbox === true);
      if (typeof found === "number") return found;
      const ops = await import("./ops");
      progress(`reading ${name}'s state from ${found.live.source === "sandbox" ? found.live.dir : "its backend"}...`);
      const pulled = await ops.pullState(found.live);
      let drift: import("./ops").Drift[] | undefined;
      if (flags["no-drift"] !== true) {
        const started = Date.now();
        progress(`checking drift (terraform plan -refresh-only)...`);
        drift = await ops.refreshOnlyDrift(found.live);
        progress(`checked drift (${seconds(started)})`);
      }
      const stackJson = JSON.parse(fs.readFileSync(path.join(found.live.dir, "cdk.tf.json"), "utf8"));
      const report = ops.statusReport(found.live, pulled, drift, estimate(stackJson, found.environment.usage).total);
      process.stdout.write(flags.json ? JSON.stringify(report, null, 2) + "\n" : ops.renderStatus(report));
      return 0;
    },
  },
  "db-shell": {
    summary: "a psql session to an environment's database through the bastion: Session Manager port forwarding, logged in CloudTrail",
    usage: "<environment> [--restored] [--local-port <port>] [--print | --json] [--sandbox]",
    details: [
      "  Finds the bastion, its tunnel document and the database endpoint in the stack's outputs, and starts",
      "  `aws ssm start-session` with Keel's port-forwarding document (the database's endpoints only). Prints the",
      "  psql line for another terminal: the master user signs in with the password RDS keeps in Secrets Manager,",
      "  fetched by that line, never printed. Needs the AWS CLI v2 and its Session Manager plugin.",
      "  --restored reaches the database restored beside the original (aurora.restore / rds.restore).",
    ].join("\n"),
    positionals: { min: 1, max: 1 },
    options: {
      restored: { type: "boolean", description: "the restored database beside the original instead of the serving one" },
      "local-port": { type: "string", description: "the local port the tunnel listens on (default 15432)" },
      print: { type: "boolean", description: "print the session command and the psql line; start nothing" },
      sandbox: { type: "boolean", description: "read the outputs from the sandbox's working copy instead of the backend" },
      json: FORMAT_OPTIONS.json,
    },
    async run([name], flags) {
      const localPort = Number(flags["local-port"] ?? "15432");
      if (!Number.isInteger(localPort) || localPort < 1 || localPort > 65535) {
        process.stderr.write(`--local-port ${String(flags["local-port"])}: a port from 1 to 65535\n`);
        return USAGE_ERROR;
      }
      const found = await liveEnvironment(name, flags.sandbox === true);
      if (typeof found === "number") return found;
      const env = found.environment;
      if (env.bastion === undefined) {
        process.stderr.write(`${name} has no bastion: db-shell reaches the database through Session Manager on the bastion. Add a \`bastion\` section to ${name}'s environment file, review keel plan ${name}, and apply.\n`);
        return 1;
      }
      const section = env.aurora !== undefined ? "aurora" : env.rds !== undefined ? "rds" : undefined;
      if (section === undefined) {
        process.stderr.write(`${name} has no database: neither an \`aurora\` nor an \`rds\` section.\n`);
        return 1;
      }
      const dbConfig = section === "aurora" ? env.aurora! : env.rds!;
      if (flags.restored && dbConfig.restore === undefined) {
        process.stderr.write(`${name} has no ${section}.restore: --restored reaches a database restored beside the original.\n`);
        return USAGE_ERROR;
      }
      const starting = flags.print !== true && flags.json !== true;
      const ops = await import("./ops");
      if (starting) {
        const missing = ops.missingTools();
        if (missing.length > 0) {
          process.stderr.write(`db-shell needs, on this machine:\n${missing.map((m) => `  - ${m}`).join("\n")}\n(--print shows the commands without starting anything.)\n`);
          return 1;
        }
      }
      const { state } = await ops.pullState(found.live);
      const plan = ops.shellPlan(name, state, { engine: section, databaseName: dbConfig.databaseName ?? "app", masterUsername: dbConfig.masterUsername ?? "dbadmin", port: 5432 }, { region: env.region, profile: found.profile, localPort, restored: flags.restored === true });
      if (flags.json) {
        process.stdout.write(JSON.stringify(plan, null, 2) + "\n");
        return 0;
      }
      process.stdout.write(`${plan.psql}\n`);
      if (!starting) {
        process.stdout.write(`aws ${plan.command.join(" ")}\n`);
        return 0;
      }
      progress(`tunnel: 127.0.0.1:${localPort} -> ${plan.host}:${plan.port} through ${plan.target} (${plan.document}); run the psql line above in another terminal; Ctrl-C ends the session`);
      const session = spawnSync("aws", plan.command, { stdio: "inherit", env: process.env });
      return session.status ?? 1;
    },
  },
  teardown: {
    summary: "destroy an environment: at once when disposable; a production one only once switched to the decommission profile",
    usage: "<environment> [--yes] [--sandbox]",
    details: [
      "  disposable    terraform destroy of the whole stack.",
      "  production    refused (exit 3): set protection: \"decommission\" in its file, review keel plan, apply, run again.",
      "  decommission  the backup vault, its lock and the database and backup keys leave the state (terraform state rm)",
      "                and stay in AWS with the recovery points and final snapshots; everything else is destroyed.",
      "  Terraform asks for confirmation unless --yes.",
    ].join("\n"),
    positionals: { min: 1, max: 1 },
    options: {
      yes: { type: "boolean", description: "no confirmation prompt (terraform destroy -auto-approve)" },
      sandbox: { type: "boolean", description: "the sandbox's working copy and emulator instead of the backend" },
    },
    async run([name], flags) {
      const found = await liveEnvironment(name, flags.sandbox === true);
      if (typeof found === "number") return found;
      const profile = found.environment.protection;
      if (profile === "production") {
        process.stderr.write(
          [
            `${name} is protected as production: its databases, keys and audit logs refuse a destroy (prevent_destroy, deletion protection).`,
            `To retire it deliberately: set protection: "decommission" in ${name}'s environment file; review \`npx keel plan ${name}\``,
            "(deletion protection goes off; final snapshots stay on); apply it; then run keel teardown again.",
          ].join("\n") + "\n",
        );
        return DESTROY_REFUSED;
      }
      const ops = await import("./ops");
      const { state } = await ops.pullState(found.live);
      const stillProtected = (state.resources ?? []).filter((r) => ["aws_rds_cluster", "aws_db_instance"].includes(r.type)).filter((r) => r.instances.some((i) => (i as { attributes?: { deletion_protection?: boolean } }).attributes?.deletion_protection === true));
      if (stillProtected.length > 0) {
        process.stderr.write(`${stillProtected.map((r) => `${r.type}.${r.name}`).join(", ")} still has deletion protection in AWS: apply the ${profile} profile first (npm run cdktf -- deploy ${name}), then run keel teardown again.\n`);
        return DESTROY_REFUSED;
      }
      if (profile === "decommission") {
        const kept = await ops.forgetRetained(found.live.dir);
        progress(`kept in AWS, out of Terraform's state: ${kept.join(", ") || "nothing"}`);
      }
      progress(`destroying ${name}...`);
      const destroyed = spawnSync("terraform", [`-chdir=${found.live.dir}`, "destroy", "-input=" + String(flags.yes !== true), ...(flags.yes ? ["-auto-approve"] : [])], { stdio: "inherit", env: toolEnv() });
      return destroyed.status ?? 1;
    },
  },
  sandbox: {
    summary: "apply every stack to a local AWS emulator (moto), plan each again, and with --destroy tear it down as its profile says",
    usage: "[<stack>...] [--examples] [--destroy] [--keep] [--json]",
    details: [
      "  <stack>     only these stacks (in deploy order); every stack when omitted",
      "  One moto server per account on 127.0.0.1 (tools/sandbox/moto_server.py, moto 5.2.1, patched in process where",
      "  moto answers unlike AWS); each stack gets a provider override with every endpoint pointing at it and a",
      "  local backend under .keel/sandbox/. Accounts run in parallel; bootstrap and account stacks before environments.",
      "  The second plan must be empty but for tools/sandbox/gaps.ts, the reviewed list of what moto cannot show.",
      "  Exit 3 when an apply fails, the second plan changes anything unexplained, or a teardown goes wrong.",
    ].join("\n"),
    positionals: { min: 0, max: Infinity },
    options: {
      examples: { type: "boolean", description: "the examples (with their account stacks) instead of the environments" },
      destroy: { type: "boolean", description: "then destroy: disposable stacks completely; protected ones must be refused, environments then go as decommissioned" },
      keep: { type: "boolean", description: "leave the emulators running and print their endpoints, until Ctrl-C" },
      json: FORMAT_OPTIONS.json,
    },
    async run(stacks, flags) {
      const { runSandbox } = await import("./sandbox/run");
      const { renderSandboxReport, sandboxProblems } = await import("./sandbox/report");
      const { EmulatorMissingError } = await import("./sandbox/emulator");
      let sandbox;
      try {
        sandbox = await runSandbox({
          project: flags.examples ? "examples" : "environments",
          stacks: stacks.length > 0 ? stacks : undefined,
          destroy: flags.destroy === true,
          keep: flags.keep === true,
          onProgress: progress,
        });
      } catch (error) {
        if (error instanceof EmulatorMissingError) {
          process.stderr.write(`${error.message}\n`);
          return 1;
        }
        throw error;
      }
      const { report } = sandbox;
      process.stdout.write(flags.json ? JSON.stringify(report, null, 2) + "\n" : renderSandboxReport(report));
      const problems = sandboxProblems(report);
      for (const p of problems) progress(`problem: ${p}`);
      if (flags.keep) {
        for (const e of report.emulators) {
          process.stderr.write(`keel: account ${e.account}: ${e.endpoint} (pid ${e.pid}): AWS_ACCESS_KEY_ID=keel-sandbox AWS_SECRET_ACCESS_KEY=keel-sandbox aws --endpoint-url ${e.endpoint} --region us-east-1 ...\n`);
        }
        progress("the emulators keep running; Ctrl-C stops them");
        await new Promise<never>(() => undefined);
      }
      return problems.length > 0 ? CHECK_FAILED : 0;
    },
  },
  lock: {
    summary: "refresh the committed provider lock file .terraform.lock.hcl (synth copies it into every stack)",
    usage: "",
    positionals: { min: 0, max: 0 },
    async run() {
      progress("synthesizing every stack without the lock file...");
      await synthesize(undefined, { withoutProviderLock: true });
      progress("terraform providers lock...");
      const lockFile = await lockProviders();
      await synthWithProgress();
      process.stdout.write(`Wrote ${path.relative(ROOT, lockFile)}; commit it. Every stack in cdktf.out/ now uses it.\n`);
      return 0;
    },
  },
  cdktf: {
    summary: "any cdktf command, with Keel's Terraform CLI config (arguments pass through: `npm run cdktf -- deploy dev`)",
    usage: "<cdktf arguments...>",
    positionals: { min: 0, max: Infinity },
    async run(args) {
      return cdktf(args);
    },
  },
  bench: {
    summary: "time and peak memory of synth, tests and validate",
    usage: "",
    positionals: { min: 0, max: 0 },
    async run() {
      const { bench } = await import("./bench");
      await bench();
      return 0;
    },
  },
};

function overview(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return ["usage: npx keel <command> [arguments] [--help]   (or: npm run <command> -- [arguments])", "", "Keel tools (the file 'help' has the whole tour):", ...lines].join("\n");
}

function commandHelp(name: string, command: Command): string {
  const options = Object.entries(command.options ?? {}).map(([flag, o]) => `  --${(o.type === "string" ? `${flag} <value>` : flag).padEnd(17)} ${o.description}`);
  return [
    `usage: npx keel ${name}${command.usage ? ` ${command.usage}` : ""}`,
    "",
    command.summary,
    ...(command.details ? ["", command.details] : []),
    ...(options.length > 0 ? ["", "options:", ...options] : []),
    `  --help, -h   this message`,
  ].join("\n");
}

/** Parses and runs one command line; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(`${overview()}\n`);
    return USAGE_ERROR;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${overview()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`Unknown command '${name}'.\n${overview()}\n`);
    return USAGE_ERROR;
  }
  // cdktf's own arguments pass through untouched, --help included.
  if (name === "cdktf") return command.run([...rest], {});

  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { help: { type: "boolean", short: "h" }, ...(command.options ?? {}) },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${commandHelp(name, command)}\n`);
    return USAGE_ERROR;
  }
  if (parsed.values.help) {
    process.stdout.write(`${commandHelp(name, command)}\n`);
    return 0;
  }
  const { min, max } = command.positionals;
  if (parsed.positionals.length < min || parsed.positionals.length > max) {
    const problem = parsed.positionals.length < min ? "Missing arguments" : `Unexpected arguments: ${parsed.positionals.slice(max).join(" ")}`;
    process.stderr.write(`${problem}.\n${commandHelp(name, command)}\n`);
    return USAGE_ERROR;
  }
  return command.run(parsed.positionals, parsed.values as Record<string, boolean | string | undefined>);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      // Config and terraform errors carry the whole story in their message.
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
