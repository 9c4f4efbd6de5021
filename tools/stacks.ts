import * as fs from "node:fs";
import * as path from "node:path";
import { OUT, ROOT, freshDir, workPath } from "./project";
import { OFFLINE_PROVIDER_OVERRIDE, offlineProviderOverride, pool, run, terraform, pluginMirror } from "./terraform";

export { OFFLINE_PROVIDER_OVERRIDE, offlineProviderOverride };
import { PROVIDER_LOCK_FILE } from "../stacks/provider-lock-file";

/** Override files turn a real stack into an offline one; they must never reach cdktf.out. */
const OVERRIDE_FILE = /_override\.tf(\.json)?$|^override\.tf(\.json)?$/;

/** Where `npm run examples` writes the examples (ignored by git). */
export const EXAMPLES_OUT = path.join(ROOT, "examples.out");

export interface SynthOptions {
  /** The examples in `examples/` instead of the environments. @default false */
  readonly examples?: boolean;
  /** Leave the provider lock file out of the stacks (only `npm run lock`, which makes it). @default false */
  readonly withoutProviderLock?: boolean;
  /** Another config folder than `environments/`, relative to the project root (KEEL_CONFIG). @default environments */
  readonly config?: string;
}

/**
 * Runs cdktf.json's app command, tools/app.js (compile when needed, then the bundled app),
 * writing every stack to `outDir`; with `examples`, the examples in
 * `examples/` instead. Returns the stack names from the manifest.
 */
export async function synthesize(outDir: string = OUT, options: SynthOptions = {}): Promise<string[]> {
  const env = {
    CDKTF_OUTDIR: outDir,
    ...(options.examples ? { KEEL_EXAMPLES: "1" } : {}),
    ...(options.withoutProviderLock ? { KEEL_WITHOUT_PROVIDER_LOCK: "1" } : {}),
    ...(options.config !== undefined ? { KEEL_CONFIG: options.config } : {}),
  };
  const synth = await run(process.execPath, [path.join(ROOT, "tools", "app.js")], { cwd: ROOT, env });
  if (synth.code !== 0) throw new Error(synth.output.trim());
  return stackNames(outDir);
}

export function stackNames(outDir: string = OUT): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outDir, "manifest.json"), "utf8")) as {
    stacks: Record<string, unknown>;
  };
  return Object.keys(manifest.stacks).sort();
}

export function stackDir(stack: string, outDir: string = OUT): string {
  const dir = path.join(outDir, "stacks", stack);
  if (!fs.existsSync(path.join(dir, "cdk.tf.json"))) {
    const known = fs.existsSync(path.join(outDir, "manifest.json")) ? stackNames(outDir).join(", ") : "none (synth first)";
    throw new Error(`No synthesized stack '${stack}' in ${outDir}; stacks: ${known}`);
  }
  return dir;
}

/**
 * Copies a synthesized stack into a fresh working copy under .keel/work, so
 * that init, overrides and plans never touch cdktf.out. The lock file comes
 * along; override files and local terraform data do not.
 */
export function stageStack(stack: string, purpose: string, outDir: string = OUT): string {
  const source = stackDir(stack, outDir);
  const target = freshDir(workPath("work", purpose, stack));
  for (const entry of fs.readdirSync(source)) {
    if (entry === ".terraform" || OVERRIDE_FILE.test(entry) || entry.endsWith(".tfstate")) continue;
    fs.cpSync(path.join(source, entry), path.join(target, entry), { recursive: true });
  }
  return target;
}

export interface ValidateResult {
  readonly stack: string;
  readonly output: string;
}

/**
 * `terraform init -backend=false` and `terraform validate` of every stack,
 * two at a time; `onStack` hears of each as it finishes.
 */
export async function validateStacks(outDir: string = OUT, onStack?: (stack: string, milliseconds: number) => void): Promise<ValidateResult[]> {
  return pool(stackNames(outDir), 2, async (stack) => {
    const started = Date.now();
    const dir = stageStack(stack, "validate", outDir);
    await terraform(["init", "-backend=false", "-input=false", "-no-color"], { cwd: dir });
    const result = await terraform(["validate", "-no-color"], { cwd: dir });
    onStack?.(stack, Date.now() - started);
    return { stack, output: result.stdout };
  });
}

/** A local backend and providers that never call AWS: only for offline plans. */
function offlineOverrides(dir: string): Readonly<Record<string, unknown>> {
  return {
    "keel_backend_override.tf.json": { terraform: { backend: { local: { path: "terraform.tfstate" } } } },
    "keel_provider_override.tf.json": offlineProviderOverride(dir),
  };
}

/** Writes Terraform override files into a working copy (never into cdktf.out). */
export function writeOverrides(dir: string, files: Readonly<Record<string, unknown>>): void {
  for (const [file, body] of Object.entries(files)) {
    if (!OVERRIDE_FILE.test(file)) throw new Error(`'${file}' is not an override file name (*_override.tf.json)`);
    fs.writeFileSync(path.join(dir, file), JSON.stringify(body, null, 2) + "\n");
  }
}

export interface PlanResult {
  readonly stack: string;
  readonly planFile: string;
  readonly jsonFile: string;
  /** `terraform show -json` of the saved plan. */
  readonly plan: TerraformPlan;
}

export interface TerraformPlan {
  readonly resource_changes?: ReadonlyArray<{
    readonly address: string;
    readonly type: string;
    readonly change: { readonly actions: readonly string[]; readonly importing?: { readonly id?: string } };
  }>;
}

export interface PlanOptions {
  readonly offline: boolean;
  readonly outDir?: string;
  /**
   * Also run `terraform show -json` of the saved plan (a second provider start).
   * Without it, the plan holds only each change's address, type and actions,
   * from the plan's own machine-readable output.
   * @default true
   */
  readonly show?: boolean;
}

/**
 * Plans one stack and saves the plan, and, unless `show` is false, its JSON.
 * Offline: in a working copy with override files (local backend, fake
 * credentials, no AWS calls). Otherwise: the real plan, in cdktf.out,
 * against the S3 backend. A plan validates the configuration too, so a test that plans a stack need
 * not validate it first: the AWS provider starts once (twice with `show`).
 */
export async function planStack(stack: string, options: PlanOptions): Promise<PlanResult> {
  const outDir = options.outDir ?? OUT;
  let dir: string;
  let planFile: string;
  if (options.offline) {
    dir = stageStack(stack, "plan-offline", outDir);
    writeOverrides(dir, offlineOverrides(dir));
    planFile = path.join(dir, "offline.tfplan");
  } else {
    dir = stackDir(stack, outDir);
    const stale = fs.readdirSync(dir).filter((f) => OVERRIDE_FILE.test(f));
    if (stale.length > 0) {
      throw new Error(`Refusing a real plan of '${stack}': ${dir} holds override files (${stale.join(", ")}) that would change it. Delete them and synth again.`);
    }
    planFile = workPath("plans", `${stack}.tfplan`);
  }
  try {
    return await runPlan(stack, dir, planFile, options);
  } catch (error) {
    const hint = options.offline ? undefined : credentialsHint(stack, dir, error instanceof Error ? error.message : String(error));
    if (hint !== undefined) throw new Error(hint);
    throw error;
  }
}

/** What Terraform and the AWS SDK say when they have no usable credentials. */
const NO_CREDENTIALS = /No valid credential sources found|failed to refresh cached credentials|failed to get shared config profile|NoCredentialProviders|get identity: get credentials|ExpiredToken|InvalidClientTokenId|UnrecognizedClientException/;

/**
 * For a real plan that failed for want of credentials: what is missing, where
 * Keel takes credentials from, and the offline plan that needs none.
 * Undefined when the failure is something else.
 */
export function credentialsHint(stack: string, dir: string, message: string): string | undefined {
  if (!NO_CREDENTIALS.test(message)) return undefined;
  let account = "its account";
  try {
    const json = JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8")) as { provider?: { aws?: ReadonlyArray<{ allowed_account_ids?: readonly string[]; profile?: string }> } };
    const ids = json.provider?.aws?.[0]?.allowed_account_ids;
    if (ids !== undefined && ids.length > 0) account = `account ${ids[0]}`;
  } catch {
    // the folder's JSON is unreadable: name no account
  }
  const said = message.split("\n").find((l) => NO_CREDENTIALS.test(l))?.trim() ?? "";
  return [
    `No usable AWS credentials to plan '${stack}' in ${account} (Terraform: ${said.replace(/^[│╷╵\s]*(Error: )?/, "")}).`,
    "Keel uses the default credential chain (AWS_PROFILE or AWS_ACCESS_KEY_ID, SSO, an instance or CI role) unless the account's entry in project.accounts sets `profile` or `roleArn`.",
    `Sign in (e.g. aws sso login --profile <profile>) and retry, or run 'keel plan ${stack} --offline' for a plan that needs no AWS: local state, no refresh.`,
  ].join("\n");
}

async function runPlan(stack: string, dir: string, planFile: string, options: PlanOptions): Promise<PlanResult> {
  await terraform(["init", "-input=false", "-no-color"], { cwd: dir });
  const jsonFile = planFile.replace(/\.tfplan$/, ".json");
  const planArgs = ["plan", "-input=false", "-no-color", "-lock=" + String(!options.offline), `-out=${planFile}`];
  if (options.show === false) {
    // Terraform's machine-readable progress names every planned change: enough to count by type,
    // without a second provider start for `show -json`.
    const streamed = await terraform([...planArgs, "-json"], { cwd: dir });
    return { stack, planFile, jsonFile, plan: { resource_changes: plannedChanges(streamed.stdout) } };
  }
  await terraform(planArgs, { cwd: dir });
  const shown = await terraform(["show", "-json", "-no-color", planFile], { cwd: dir });
  fs.writeFileSync(jsonFile, shown.stdout);
  return { stack, planFile, jsonFile, plan: JSON.parse(shown.stdout) as TerraformPlan };
}

/** The `planned_change` messages of `terraform plan -json`, as plan resource changes (actions only). */
export function plannedChanges(stream: string): NonNullable<TerraformPlan["resource_changes"]> {
  const changes: Array<{ address: string; type: string; change: { actions: string[]; importing?: { id?: string } } }> = [];
  for (const line of stream.split("\n")) {
    if (!line.startsWith("{")) continue;
    const message = JSON.parse(line) as { type?: string; change?: { resource: { addr: string; resource_type: string }; action: string; importing?: { id?: string } } };
    if (message.type !== "planned_change" || message.change === undefined) continue;
    const action = message.change.action;
    changes.push({
      address: message.change.resource.addr,
      type: message.change.resource.resource_type,
      change: { actions: action === "replace" ? ["delete", "create"] : [action], ...(message.change.importing !== undefined ? { importing: message.change.importing } : {}) },
    });
  }
  return changes;
}

/**
 * Refreshes the committed provider lock file (`.terraform.lock.hcl` at the
 * root), which synth copies into every stack. Terraform merges: hashes
 * already recorded stay, and this machine's platforms are added. With a
 * local mirror the hashes come from it (its platforms only); with the
 * registry, for Linux and macOS on amd64 and arm64.
 */
export async function lockProviders(outDir: string = OUT): Promise<string> {
  const mirror = pluginMirror();
  const platforms = mirror
    ? fs.readdirSync(path.join(mirror, "registry.terraform.io", "hashicorp", "aws")).flatMap((v) =>
        fs.readdirSync(path.join(mirror, "registry.terraform.io", "hashicorp", "aws", v)),
      )
    : ["linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64"];
  const args = ["providers", "lock", ...(mirror ? [`-fs-mirror=${mirror}`] : []), ...[...new Set(platforms)].map((p) => `-platform=${p}`)];
  // Every stack requires the same provider, so one stack's lock is every stack's.
  const dir = stageStack(stackNames(outDir)[0], "lock", outDir);
  const lockFile = path.join(ROOT, PROVIDER_LOCK_FILE);
  if (fs.existsSync(lockFile)) fs.copyFileSync(lockFile, path.join(dir, PROVIDER_LOCK_FILE));
  await terraform(args, { cwd: dir, echo: true });
  fs.copyFileSync(path.join(dir, PROVIDER_LOCK_FILE), lockFile);
  return lockFile;
}
