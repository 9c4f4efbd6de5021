import * as fs from "node:fs";
import * as path from "node:path";
import { spawn } from "node:child_process";
import { WORK, workPath } from "./project";

/** The local provider mirror on machines without registry access. */
export const DEFAULT_MIRROR = "/opt/tf-plugins";

/** The mirror to use: KEEL_TF_PLUGIN_MIRROR if set, else /opt/tf-plugins if it exists. */
export function pluginMirror(): string | undefined {
  const configured = process.env.KEEL_TF_PLUGIN_MIRROR ?? DEFAULT_MIRROR;
  return fs.existsSync(configured) ? configured : undefined;
}

function hclString(value: string): string {
  return JSON.stringify(value);
}

/**
 * The text of Keel's Terraform CLI config: providers from the filesystem
 * mirror when there is one, otherwise from the registry with a plugin cache
 * in `cacheDir` (inside the project).
 */
export function cliConfigText(mirror: string | undefined, cacheDir: string): string {
  const body = mirror
    ? [
        "# Written by Keel (tools/terraform.ts): providers come from the local mirror.",
        "provider_installation {",
        "  filesystem_mirror {",
        `    path    = ${hclString(mirror)}`,
        '    include = ["registry.terraform.io/*/*"]',
        "  }",
        "  direct {",
        '    exclude = ["registry.terraform.io/*/*"]',
        "  }",
        "}",
      ]
    : [
        "# Written by Keel (tools/terraform.ts): no local mirror, so providers come from the registry.",
        `plugin_cache_dir = ${hclString(cacheDir)}`,
      ];
  return body.join("\n") + "\n";
}

/** Writes Keel's Terraform CLI config into the work folder (only if it changed) and returns its path. */
export function writeCliConfig(): string {
  const file = workPath("terraform.rc");
  const cacheDir = path.join(WORK, "plugin-cache");
  fs.mkdirSync(cacheDir, { recursive: true });
  const text = cliConfigText(pluginMirror(), cacheDir);
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) fs.writeFileSync(file, text);
  return file;
}

/** The environment every terraform and cdktf that Keel runs gets. */
export function toolEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TF_CLI_CONFIG_FILE: writeCliConfig(),
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
  };
}

export interface RunResult {
  readonly code: number;
  /** What the command wrote to stdout: the only stream a machine-readable result (show -json, state pull) is read from. */
  readonly stdout: string;
  /** What it wrote to stderr: diagnostics and, with TF_LOG, Terraform's logs. */
  readonly stderr: string;
  /** Both, in arrival order: for people (error messages), never for parsing. */
  readonly output: string;
}

export interface RunOptions {
  readonly cwd: string;
  /** Stream stdout to this process's stdout and stderr to its stderr, as well as capturing them. @default false */
  readonly echo?: boolean;
  /** Extra environment variables. @default - none */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Runs a command with Keel's tool environment. stdout and stderr are kept
 * apart, so TF_LOG at any level never reaches a parsed result. With
 * KEEL_TIMING=<file>, each command's wall time is appended to that file: how
 * test and CI time is measured (never asserted).
 */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd: options.cwd, env: { ...toolEnv(), ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const both: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => {
      out.push(chunk);
      both.push(chunk);
      if (options.echo) process.stdout.write(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err.push(chunk);
      both.push(chunk);
      if (options.echo) process.stderr.write(chunk);
    });
    child.on("error", reject);
    const text = (chunks: Buffer[]): string => Buffer.concat(chunks).toString("utf8");
    child.on("close", (code) => {
      if (process.env.KEEL_TIMING) fs.appendFileSync(process.env.KEEL_TIMING, `${Date.now() - started}ms ${command} ${args.join(" ")}\n`);
      resolve({ code: code ?? 1, stdout: text(out), stderr: text(err), output: text(both) });
    });
  });
}

/** Thrown when terraform fails; carries its output so a test failure shows why. */
export class TerraformError extends Error {
  constructor(args: readonly string[], cwd: string, result: RunResult, echoed: boolean) {
    super(`terraform ${args.join(" ")} failed (exit ${result.code}) in ${cwd}${echoed ? " (output above)" : `:\n${result.output}`}`);
    this.name = "TerraformError";
  }
}

/** Runs terraform and throws TerraformError unless it succeeds. */
export async function terraform(args: readonly string[], options: RunOptions): Promise<RunResult> {
  const result = await run("terraform", ["-chdir=" + options.cwd, ...args], { ...options, cwd: path.dirname(options.cwd) });
  if (result.code !== 0) throw new TerraformError(args, options.cwd, result, options.echo ?? false);
  return result;
}

/** Runs `tasks` with at most `limit` at once, keeping their order in the result. */
export async function pool<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A provider that never calls AWS: fake credentials and every lookup skipped. Offline runs only. */
export const OFFLINE_PROVIDER_OVERRIDE = {
  provider: {
    aws: {
      access_key: "keel-offline-plan",
      secret_key: "keel-offline-plan",
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
      // With no account lookup the provider sees account "", which no allow-list admits.
      allowed_account_ids: null,
      // An account's profile or role (project.accounts) would need real credentials. An override
      // replaces nested blocks only with blocks: a role ARN of "" is the provider's "no role".
      profile: null,
      assume_role: [{ role_arn: "" }],
    },
  },
} as const;

/**
 * The offline provider settings for every AWS provider of the stack in
 * `dir`: the default one and each alias (the us-east-1 provider a stack
 * with CloudFront has), since an override file matches providers by alias.
 */
export function offlineProviderOverride(dir: string): unknown {
  const synthesized = JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8")) as { provider?: { aws?: ReadonlyArray<{ alias?: string }> } };
  const aliases = (synthesized.provider?.aws ?? []).flatMap((p) => (p.alias === undefined ? [] : [p.alias]));
  if (aliases.length === 0) return OFFLINE_PROVIDER_OVERRIDE;
  const settings = OFFLINE_PROVIDER_OVERRIDE.provider.aws;
  return { provider: { aws: [settings, ...aliases.map((alias) => ({ alias, ...settings }))] } };
}
