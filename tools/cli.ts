import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "./project";
import { toolEnv } from "./terraform";
import { EXAMPLES_OUT, lockProviders, planStack, synthesize, validateStacks } from "./stacks";
import { PlanSummary, renderMarkdown, renderText, summarizePlan } from "./review/plan-summary";

/** Exit codes: 0 done, 1 the work failed (config, terraform), 2 the command line was wrong, 3 a check said no. */
const USAGE_ERROR = 2;
const DESTROY_REFUSED = 3;

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
  readonly options?: Readonly<Record<string, { readonly type: "boolean"; readonly description: string }>>;
  run(positionals: string[], flags: Readonly<Record<string, boolean | undefined>>): Promise<number>;
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
  progress(`synthesizing ${examples ? "the seed examples" : "every stack"}...`);
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

/** Runs the real cdktf CLI with Keel's environment (CLI config, no telemetry). */
function cdktf(args: readonly string[]): number {
  const bin = path.join(ROOT, "node_modules", ".bin", "cdktf");
  const result = spawnSync(bin, args, { cwd: ROOT, env: toolEnv(), stdio: "inherit" });
  return result.status ?? 1;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  synth: {
    summary: "every stack into cdktf.out/ (the app directly; `cdktf synth` does the same, slower)",
    usage: "",
    positionals: { min: 0, max: 0 },
    async run() {
      const stacks = await synthWithProgress();
      process.stdout.write(`Synthesized ${stacks.join(", ")} into cdktf.out/stacks/\n`);
      return 0;
    },
  },
  examples: {
    summary: "the seed examples (examples/) into examples.out/",
    usage: "",
    positionals: { min: 0, max: 0 },
    async run() {
      const stacks = await synthWithProgress(EXAMPLES_OUT, true);
      process.stdout.write(`Synthesized ${stacks.join(", ")} into examples.out/stacks/\n`);
      return 0;
    },
  },
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
      "  <stack>     bootstrap, account-<accountId>-<region>, or an environment (checked against the config before synth)",
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
      const known = await knownStacks();
      if (!known.includes(stack)) {
        process.stderr.write(`Unknown stack '${stack}'. Stacks: ${known.join(", ")}\n`);
        return USAGE_ERROR;
      }
      if (flags.json && flags.markdown) return formatConflict();
      await synthWithProgress();
      const offline = flags.offline ?? false;
      progress(`planning ${stack}${offline ? " offline" : " against the S3 backend"}...`);
      const started = Date.now();
      const result = await planStack(stack, { offline });
      progress(`planned ${stack} (${seconds(started)}); plan ${path.relative(ROOT, result.planFile)}, JSON ${path.relative(ROOT, result.jsonFile)}`);
      const summary = summarizePlan(result.plan);
      if (flags.json) process.stdout.write(JSON.stringify({ stack, planFile: path.relative(ROOT, result.planFile), ...summary }, null, 2) + "\n");
      else process.stdout.write(flags.markdown ? renderMarkdown(summary) : renderText(summary));
      const code = planExitCode(summary, flags["fail-on-destroy"] ?? false);
      if (code !== 0) progress(`${summary.destroysStateful.length} stateful resource(s) would be destroyed (--fail-on-destroy)`);
      return code;
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
  const options = Object.entries(command.options ?? {}).map(([flag, o]) => `  --${flag.padEnd(10)} ${o.description}`);
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
  return command.run(parsed.positionals, parsed.values as Record<string, boolean | undefined>);
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
