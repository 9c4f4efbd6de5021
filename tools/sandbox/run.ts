import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT, WORK, freshDir } from "../project";
import { RunResult, run, terraform } from "../terraform";
import { plannedChanges, synthesize } from "../stacks";
import { PROVIDER_LOCK_FILE } from "../../stacks/provider-lock";
import { Artifact, artifactStores, stackArtifacts } from "../artifacts";
import { Emulator, ExistingZone, serverErrors, startEmulator } from "./emulator";
import { ACCOUNT_STACK_PREFIX, BOOTSTRAP_STACK, loadConfig } from "../../environments";
import { placeholderZip, putImage, putObject } from "./publish";
import { forgetRetained } from "../ops";
import { sandboxOverride } from "./override";
import { ResourceChange, ShownPlan, Skipped, StackJson, secondPlanChanges, unexplained, withoutMissingApis } from "./changes";

export type SandboxProject = "environments" | "examples";

export interface SandboxOptions {
  /** Keel's own environments (with bootstrap and the account stacks), or the examples (with theirs). */
  readonly project: SandboxProject;
  /** Tear every stack down after the second plan, as its protection profile allows. @default false */
  readonly destroy?: boolean;
  /** Only these stacks (and nothing else is applied). @default every stack */
  readonly stacks?: readonly string[];
  /** Progress lines (stderr in the CLI). */
  readonly onProgress?: (line: string) => void;
  /** Terraform's -parallelism: the emulator answers fast, so the provider's own waits set the pace. @default 32 */
  readonly parallelism?: number;
  /** Leave the emulators running; the caller stops them with `stop()`. @default false */
  readonly keep?: boolean;
  /** The folder for synthesized stacks, working copies, state and emulator logs (emptied first). @default .keel/sandbox/<project> */
  readonly dir?: string;
  /**
   * Called for each environment after its second plan and before its teardown, with its working
   * copy and its account's emulator: day-two checks on a live stack (keel status, drift).
   */
  /**
   * Stacks already synthesized (a folder holding `stacks/<name>/cdk.tf.json`): applied as they are,
   * with no synth. `keel diff --emulator` applies another commit's stacks this way.
   * @default - synthesize the working tree
   */
  readonly outDir?: string;
  /** Plan each stack again after its apply. @default true */
  readonly secondPlan?: boolean;
  readonly afterApply?: (stack: { readonly name: string; readonly dir: string; readonly endpoint: string; readonly ok: boolean }) => Promise<void>;
}

export type StackKind = "bootstrap" | "account" | "environment";

export interface StepTiming {
  readonly seconds: number;
}

export interface ApplyResult extends StepTiming {
  readonly ok: boolean;
  /** Managed resource instances the stack should have in state after this apply (the missing-API ones left out). */
  readonly planned: number;
  /** Managed resources in state afterwards. */
  readonly applied: number;
  readonly errors: readonly string[];
}

export interface DestroyResult extends StepTiming {
  /** complete: nothing left; refused: prevent_destroy stopped it before anything was destroyed; failed: anything else. */
  readonly result: "complete" | "refused" | "failed";
  /**
   * The resources terraform named as refused by prevent_destroy, sorted. Terraform stops
   * planning what depends on a refused resource, so this can be a subset of `protected`.
   */
  readonly refused: readonly string[];
  /** The resources the synthesized stack marks prevent_destroy, sorted: `refused` is within it. */
  readonly protected: readonly string[];
  /** How many resources were in state before the destroy: a refused destroy leaves every one. */
  readonly before: number;
  /** What is still in state afterwards. (`seconds`, for a refused environment, includes its decommission apply and destroy.) */
  readonly remaining: readonly string[];
  readonly errors: readonly string[];
  /**
   * For a refused environment: the same stack switched to the decommission profile, applied, the
   * resources a decommission keeps taken out of the state (`retained`), then destroyed.
   */
  readonly decommissioned?: { readonly apply: ApplyResult; readonly retained: readonly string[]; readonly destroy: DestroyResult };
}

/** The first-deploy step for workloads whose artifacts live in stores the same stack creates (see tools/artifacts.ts). */
export interface ArtifactStage extends StepTiming {
  readonly stores: readonly string[];
  /** What was published into them, as CI would: `s3://bucket/key` and `repository:tag`. */
  readonly published: readonly string[];
  /** The stores applied alone before everything (the first-deploy order), where an apply would fail without an artifact. */
  readonly apply?: ApplyResult;
}

export interface StackReport {
  readonly stack: string;
  readonly account: string;
  readonly kind: StackKind;
  readonly skipped: readonly Skipped[];
  /** Present when the stack's workloads need artifacts in stores it creates: applied and filled first. */
  readonly artifacts?: ArtifactStage;
  readonly apply: ApplyResult;
  /** The second plan, right after the apply: what would still change, path by path. */
  readonly secondPlan?: StepTiming & { readonly changes: readonly ResourceChange[]; readonly unexplained: number };
  readonly destroy?: DestroyResult;
}

export interface SandboxReport {
  readonly project: SandboxProject;
  readonly emulators: ReadonlyArray<{
    readonly account: string;
    readonly endpoint: string;
    readonly pid: number;
    /** Requests the emulator answered with a 5xx (its action log's lines): a moto fault the SDK may have hidden by retrying. */
    readonly serverErrors: readonly string[];
  }>;
  readonly stacks: readonly StackReport[];
  readonly seconds: number;
}

export interface SandboxRun {
  readonly report: SandboxReport;
  /** Stops the emulators that `keep` left running (a no-op otherwise). */
  stop(): Promise<void>;
}

/** Resources whose configuration differs between two syntheses of one stack (added ones too), as -target addresses. */
export function changedResources(before: StackJson, after: StackJson): string[] {
  const body = (stack: StackJson, type: string, name: string): string | undefined => {
    const value = stack.resource?.[type]?.[name] as Record<string, unknown> | undefined;
    if (value === undefined) return undefined;
    const { ["//"]: _metadata, ...rest } = value;
    return JSON.stringify(rest);
  };
  const changed: string[] = [];
  for (const [type, byName] of Object.entries(after.resource ?? {})) {
    for (const name of Object.keys(byName)) if (body(before, type, name) !== body(after, type, name)) changed.push(`${type}.${name}`);
  }
  return changed.sort();
}

/** Where a project's sandbox lives: synthesized stacks, working copies with their local state, emulator logs. */
export function sandboxDir(project: SandboxProject): string {
  // KEEL_SANDBOX_ROOT: another root, for tests that must not touch a sandbox a person keeps.
  return path.join(process.env.KEEL_SANDBOX_ROOT ?? path.join(WORK, "sandbox"), project);
}

function stackKind(stack: string): StackKind {
  if (stack === BOOTSTRAP_STACK) return "bootstrap";
  return stack.startsWith(ACCOUNT_STACK_PREFIX) ? "account" : "environment";
}

function readStack(file: string): StackJson {
  return JSON.parse(fs.readFileSync(file, "utf8")) as StackJson;
}

/** The account a stack is applied in: the account its providers admit. */
export function stackAccount(stack: StackJson, name: string): string {
  const accounts = new Set((stack.provider?.aws ?? []).flatMap((p) => p.allowed_account_ids ?? []));
  if (accounts.size !== 1) throw new Error(`Stack ${name} names ${accounts.size} accounts in allowed_account_ids; the sandbox needs exactly one`);
  return [...accounts][0];
}

function managedAddresses(stack: StackJson): string[] {
  return Object.entries(stack.resource ?? {}).flatMap(([type, blocks]) => Object.keys(blocks).map((name) => `${type}.${name}`));
}

/** The addresses the stack marks `prevent_destroy`, sorted. */
export function preventDestroyAddresses(stack: StackJson): string[] {
  return Object.entries(stack.resource ?? {})
    .flatMap(([type, blocks]) =>
      Object.entries(blocks)
        .filter(([, body]) => (body as { lifecycle?: { prevent_destroy?: boolean } }).lifecycle?.prevent_destroy === true)
        .map(([name]) => `${type}.${name}`),
    )
    .sort();
}

interface Diagnostic {
  readonly severity: string;
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
}

/** The error diagnostics of a `-json` terraform run, one line each. */
function diagnostics(result: RunResult): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const line of result.stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const message = JSON.parse(line) as { type?: string; diagnostic?: Diagnostic };
    if (message.type === "diagnostic" && message.diagnostic?.severity === "error") found.push(message.diagnostic);
  }
  return found;
}

/**
 * How many managed resource instances a `-json` run planned to create (or delete), or to import;
 * a replacement counts as both a create and a delete, so nets nothing.
 */
function plannedActions(result: RunResult, action: "create" | "delete" | "import"): number {
  return plannedChanges(result.stdout).filter(
    (c) => !c.address.startsWith("data.") && (action === "import" ? c.change.importing !== undefined && !c.change.actions.includes("create") : c.change.actions.includes(action)),
  ).length;
}

function describe(d: Diagnostic): string {
  const detail = (d.detail ?? "").replace(/\s+/g, " ").trim();
  return `${d.address ? `${d.address}: ` : ""}${d.summary}${detail ? `: ${detail.slice(0, 400)}` : ""}`;
}

async function stateList(dir: string): Promise<string[]> {
  const listed = await run("terraform", [`-chdir=${dir}`, "state", "list"], { cwd: ROOT });
  if (listed.code !== 0) return [];
  return listed.stdout
    .split("\n")
    .filter((a) => a !== "" && !a.startsWith("data."))
    .sort();
}

/** Writes the stack (as the emulator can take it) and its override into its working copy. */
export function stage(dir: string, source: string, endpoint: string): { stack: StackJson; skipped: Skipped[] } {
  const synthesized = readStack(path.join(source, "cdk.tf.json"));
  const { stack, skipped } = withoutMissingApis(synthesized);
  fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(stack, null, 2));
  fs.copyFileSync(path.join(ROOT, PROVIDER_LOCK_FILE), path.join(dir, PROVIDER_LOCK_FILE));
  fs.writeFileSync(path.join(dir, "keel_sandbox_override.tf.json"), JSON.stringify(sandboxOverride(stack, endpoint, path.join(dir, "terraform.tfstate")), null, 2) + "\n");
  return { stack, skipped };
}

/** Runs one terraform step with -json, keeping its machine-readable log beside the working copy (`<step>.jsonl`). */
async function step(dir: string, name: string, args: readonly string[]): Promise<RunResult> {
  const result = await run("terraform", [`-chdir=${dir}`, ...args, "-input=false", "-json"], { cwd: ROOT });
  fs.writeFileSync(path.join(dir, `${name}.jsonl`), result.stdout);
  return result;
}

export async function apply(dir: string, parallelism: number, name = "apply", targets: readonly string[] = [], refresh = true): Promise<ApplyResult> {
  const started = Date.now();
  const before = (await stateList(dir)).length;
  const result = await step(dir, name, ["apply", "-auto-approve", `-parallelism=${parallelism}`, `-refresh=${refresh}`, ...targets.map((t) => `-target=${t}`)]);
  const errors = diagnostics(result).map(describe);
  if (result.code !== 0 && errors.length === 0) errors.push(result.stderr.trim() || `terraform apply exited ${result.code}`);
  const applied = (await stateList(dir)).length;
  // Resource instances, as the plan counts them (for_each and count expand): what should be in state afterwards.
  const planned = before + plannedActions(result, "create") + plannedActions(result, "import") - plannedActions(result, "delete");
  return { ok: result.code === 0, planned, applied, errors, seconds: (Date.now() - started) / 1000 };
}

export async function secondPlan(dir: string, stack: StackJson): Promise<NonNullable<StackReport["secondPlan"]>> {
  const started = Date.now();
  const planFile = path.join(dir, "second.tfplan");
  await terraform(["plan", "-input=false", "-no-color", "-lock=false", `-out=${planFile}`], { cwd: dir });
  const shown = await terraform(["show", "-json", "-no-color", planFile], { cwd: dir });
  fs.writeFileSync(path.join(dir, "second-plan.json"), shown.stdout);
  const changes = secondPlanChanges(JSON.parse(shown.stdout) as ShownPlan, stack);
  return { changes, unexplained: unexplained(changes).length, seconds: (Date.now() - started) / 1000 };
}

const PREVENT_DESTROY = /Resource (\S+) has lifecycle\.prevent_destroy set/;

async function destroy(dir: string, stack: StackJson, parallelism: number, name = "destroy", refresh = true): Promise<DestroyResult> {
  const started = Date.now();
  const before = (await stateList(dir)).length;
  const result = await step(dir, name, ["destroy", "-auto-approve", `-parallelism=${parallelism}`, `-refresh=${refresh}`]);
  const found = diagnostics(result);
  const refused = found.flatMap((d) => PREVENT_DESTROY.exec((d.detail ?? "").replace(/\s+/g, " "))?.[1] ?? []).sort();
  const others = found.filter((d) => !PREVENT_DESTROY.test((d.detail ?? "").replace(/\s+/g, " ")));
  const remaining = await stateList(dir);
  const outcome =
    result.code === 0 && remaining.length === 0 ? "complete" : refused.length > 0 && others.length === 0 && remaining.length === before ? "refused" : "failed";
  return {
    result: outcome,
    refused,
    protected: preventDestroyAddresses(stack),
    before,
    remaining,
    errors: others.map(describe),
    seconds: (Date.now() - started) / 1000,
  };
}

/** A resource's attributes in a working copy's local state. */
function stateAttributes(dir: string, address: string): Record<string, unknown> {
  const state = JSON.parse(fs.readFileSync(path.join(dir, "terraform.tfstate"), "utf8")) as {
    resources: Array<{ mode: string; type: string; name: string; instances: Array<{ attributes: Record<string, unknown> }> }>;
  };
  const [type, name] = address.split(".");
  const found = state.resources.find((r) => r.mode === "managed" && r.type === type && r.name === name);
  if (found === undefined) throw new Error(`${address} is not in ${dir}'s state`);
  return found.instances[0].attributes;
}

/** Publishes each artifact into its store, as CI would: a package object, or an image under its tag. */
async function publishArtifacts(dir: string, artifacts: readonly Artifact[], endpoint: string): Promise<string[]> {
  const published: string[] = [];
  for (const artifact of artifacts) {
    const store = stateAttributes(dir, artifact.store);
    if (artifact.kind === "object") {
      await putObject(endpoint, String(store.bucket), artifact.name, placeholderZip());
      published.push(`s3://${String(store.bucket)}/${artifact.name}`);
    } else {
      await putImage(endpoint, String(store.name), artifact.name);
      published.push(`${String(store.name)}:${artifact.name}`);
    }
  }
  return [...new Set(published)];
}

/**
 * What the config names as already existing in an account, which the
 * emulator must hold before the apply: the Route 53 zones of `dns` sections.
 */
function existingZones(project: SandboxProject): Array<ExistingZone & { account: string }> {
  // Beside this file: dist/environments when compiled, environments/ when run from source.
  const config = project === "examples" ? loadConfig(path.join(__dirname, "..", "..", "examples")) : loadConfig();
  const zones = config.environments.flatMap((e) => (e.dns === undefined ? [] : [{ account: e.accountId, id: e.dns.zoneId, name: e.dns.zoneName }]));
  return [...new Map(zones.map((z) => [`${z.account} ${z.id}`, z])).values()];
}

/** A promise that runs `make` once, on first use. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

/**
 * Applies every stack of a project to the local AWS emulator, in deploy
 * order, plans each again and, with `destroy`, tears it down as its
 * protection profile says. One moto server per account on 127.0.0.1;
 * accounts run in parallel, and within an account bootstrap and the account
 * stacks come first, then every environment at once; one terraform process
 * per stack at a time.
 */
export async function runSandbox(options: SandboxOptions): Promise<SandboxRun> {
  const started = Date.now();
  const say = options.onProgress ?? (() => undefined);
  const parallelism = options.parallelism ?? 32;
  const root = freshDir(options.dir ?? sandboxDir(options.project));
  const outDir = options.outDir ?? path.join(root, "out");
  let all: string[];
  if (options.outDir === undefined) {
    say(`synthesizing ${options.project}...`);
    all = await synthesize(outDir, { examples: options.project === "examples" });
  } else {
    all = fs.readdirSync(path.join(outDir, "stacks")).filter((s) => fs.existsSync(path.join(outDir, "stacks", s, "cdk.tf.json")));
  }
  const wanted = options.stacks ?? all;
  const unknown = wanted.filter((s) => !all.includes(s));
  if (unknown.length > 0) throw new Error(`Unknown stack(s) ${unknown.join(", ")}; stacks: ${all.join(", ")}`);

  const zones = existingZones(options.project);
  const byAccount = new Map<string, string[]>();
  for (const name of wanted) {
    const account = stackAccount(readStack(path.join(outDir, "stacks", name, "cdk.tf.json")), name);
    byAccount.set(account, [...(byAccount.get(account) ?? []), name]);
  }

  const decommissionOut = once(async () => {
    const dir = path.join(root, "decommission-out");
    const synth = await run(process.execPath, [path.join(ROOT, "dist", "tools", "sandbox", "synth-decommission.js"), options.project, dir], { cwd: ROOT });
    if (synth.code !== 0) throw new Error(`Synthesizing the decommission copy failed:\n${synth.output}`);
    return dir;
  });

  const emulators: Emulator[] = [];
  const logOf = (account: string): string => path.join(root, `moto-${account}.log`);
  const reports: StackReport[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(emulators.map((e) => e.stop()));
  };

  type Mutable = { -readonly [K in keyof StackReport]: StackReport[K] };
  interface Deployed {
    readonly report: Mutable;
    readonly dir: string;
    readonly stack: StackJson;
  }

  /** Stages, inits and applies one stack (its artifact stores first, when it has some). */
  const deploy = async (name: string, account: string, emulator: Emulator): Promise<Deployed> => {
    const dir = path.join(root, name);
    fs.mkdirSync(dir, { recursive: true });
    const { stack, skipped } = stage(dir, path.join(outDir, "stacks", name), emulator.endpoint);
    await terraform(["init", "-input=false", "-no-color"], { cwd: dir });
    let artifacts: ArtifactStage | undefined;
    const needed = stackArtifacts(stack);
    // The first-deploy order, where an apply would fail without it (a Lambda package, an App
    // Runner image). ECS images are published after the apply: the emulator runs no task.
    if (needed.some((a) => a.blocksApply)) {
      const stores = artifactStores(needed);
      say(`${name}: first deploy, step 1: applying the artifact stores ${stores.join(", ")}...`);
      const storeApply = await apply(dir, parallelism, "apply-artifact-stores", stores);
      const published = storeApply.ok ? await publishArtifacts(dir, needed, emulator.endpoint) : [];
      artifacts = { stores, published, apply: storeApply, seconds: storeApply.seconds };
      say(`${name}: first deploy, step 2: published ${published.join(", ") || "nothing"}`);
    }
    say(`${name}: applying ${managedAddresses(stack).length} resources in account ${account}${skipped.length ? ` (${skipped.length} left out: the emulator lacks their API)` : ""}...`);
    const applied = await apply(dir, parallelism);
    if (artifacts === undefined && needed.length > 0 && applied.ok) {
      const published = await publishArtifacts(dir, needed, emulator.endpoint);
      artifacts = { stores: artifactStores(needed), published, seconds: 0 };
    }
    say(`${name}: applied ${applied.applied}/${applied.planned}, ${applied.errors.length} error(s) (${applied.seconds.toFixed(0)} s)`);
    return { report: { stack: name, account, kind: stackKind(name), skipped, artifacts, apply: applied }, dir, stack };
  };

  /** The second plan, right after the apply. */
  const replan = async ({ report, dir, stack }: Deployed): Promise<void> => {
    if (!report.apply.ok || options.secondPlan === false) return;
    report.secondPlan = await secondPlan(dir, stack);
    say(`${report.stack}: second plan: ${report.secondPlan.changes.length} resource(s) would change, ${report.secondPlan.unexplained} unexplained (${report.secondPlan.seconds.toFixed(0)} s)`);
  };

  /**
   * Tears one stack down as its profile says. A protected environment is then switched to the
   * decommission profile, applied (lifting deletion protection), the kept resources taken out of
   * the state, and destroyed: the deliberate path, as `keel teardown` runs it.
   */
  const teardown = async ({ report, dir, stack }: Deployed, emulator: Emulator): Promise<void> => {
    if (!report.apply.ok) return;
    // A stack with prevent_destroy must be refused at plan time: refreshing 100+ resources first proves nothing more.
    let torn = await destroy(dir, stack, parallelism, "destroy", preventDestroyAddresses(stack).length === 0);
    if (torn.result === "refused" && report.kind === "environment") {
      say(`${report.stack}: destroy refused by prevent_destroy on ${torn.refused.length} resource(s); switching to the decommission profile...`);
      const switched = stage(dir, path.join(await decommissionOut(), "stacks", report.stack), emulator.endpoint).stack;
      // The state is the apply's, moments old, and the second plan just read every resource back.
      // Applied to what the profile switch changes: against AWS a full apply changes exactly that;
      // against the emulator it would also re-apply the gaps file's attributes (RDS instances'
      // monitoring settings, 30 s of waiters each), which proves nothing about the teardown.
      const targets = changedResources(stack, switched);
      const lifted = targets.length > 0 ? await apply(dir, parallelism, "apply-decommission", targets, false) : { ok: true, planned: 0, applied: 0, errors: [], seconds: 0 };
      // As keel teardown does: what a decommission keeps leaves the state, then the rest goes.
      const retained = lifted.ok ? await forgetRetained(dir) : [];
      const then = lifted.ok ? await destroy(dir, switched, parallelism, "destroy-decommission", false) : torn;
      torn = { ...torn, seconds: torn.seconds + lifted.seconds + then.seconds, decommissioned: { apply: lifted, retained, destroy: then } };
    }
    report.destroy = torn;
    say(`${report.stack}: destroy ${torn.result}${torn.decommissioned ? `; decommissioned: ${torn.decommissioned.destroy.result}, ${torn.decommissioned.retained.length} kept in AWS` : ""} (${torn.seconds.toFixed(0)} s)`);
  };

  try {
    await Promise.all(
      [...byAccount.entries()].map(async ([account, names]) => {
        const emulator = await startEmulator(account, logOf(account), zones.filter((z) => z.account === account));
        emulators.push(emulator);
        say(`emulator for account ${account}: ${emulator.endpoint} (pid ${emulator.pid})`);
        // Deploy order: bootstrap and the account stacks, then every environment. Their second
        // plans run beside the environments; teardown goes in reverse, environments first.
        const first = await Promise.all(names.filter((n) => stackKind(n) !== "environment").map((n) => deploy(n, account, emulator)));
        const environments = names.filter((n) => stackKind(n) === "environment");
        const [, deployed] = await Promise.all([
          Promise.all(first.map(replan)),
          Promise.all(
            environments.map(async (n) => {
              const d = await deploy(n, account, emulator);
              await replan(d);
              if (options.afterApply) await options.afterApply({ name: n, dir: d.dir, endpoint: emulator.endpoint, ok: d.report.apply.ok });
              if (options.destroy) await teardown(d, emulator);
              return d;
            }),
          ),
        ]);
        if (options.destroy) await Promise.all(first.map((d) => teardown(d, emulator)));
        reports.push(...[...first, ...deployed].map((d) => d.report));
      }),
    );
  } catch (error) {
    await stopAll();
    throw error;
  }
  if (!options.keep) await stopAll();
  const order = (r: StackReport) => `${["bootstrap", "account", "environment"].indexOf(r.kind)}${r.stack}`;
  return {
    report: {
      project: options.project,
      emulators: emulators.map((e) => ({ account: e.accountId, endpoint: e.endpoint, pid: e.pid, serverErrors: serverErrors(logOf(e.accountId)) })),
      stacks: reports.sort((a, b) => (order(a) < order(b) ? -1 : 1)),
      seconds: (Date.now() - started) / 1000,
    },
    stop: stopAll,
  };
}
