import * as fs from "node:fs";
import * as path from "node:path";
import { terraform } from "../terraform";
import { SandboxProject, runSandbox, stackAccount, stage } from "./run";
import { ShownPlan, secondPlanChanges } from "./changes";

export interface PlanAgainstOptions {
  readonly project: SandboxProject;
  readonly stack: string;
  /** The base commit's synthesized stacks (`<dir>/stacks/<name>/cdk.tf.json`). */
  readonly baseOut: string;
  /** The change's synthesized stacks. */
  readonly headOut: string;
  /** Working folder (emptied first). */
  readonly dir: string;
  readonly onProgress?: (line: string) => void;
}

export interface PlanAgainstResult {
  /** `terraform show -json` of the head's plan against the base's applied state, without emulator-only noise. */
  readonly plan: ShownPlan;
  /** Updates left out because every attribute they change is one the emulator does not store (tools/sandbox/gaps.ts). */
  readonly gapOnly: readonly string[];
  readonly seconds: { readonly applyBase: number; readonly plan: number; readonly total: number };
}

/**
 * Terraform's own plan of a change, with no AWS account: the base commit's
 * stack (and the account stack it meets by name) applied to the local
 * emulator, then the head's JSON planned against that state. Unlike a diff
 * of JSON, this shows what Terraform will do: replacements (and what forces
 * them), updates in place, creates and deletes.
 */
export async function planAgainstBase(options: PlanAgainstOptions): Promise<PlanAgainstResult> {
  const started = Date.now();
  const say = options.onProgress ?? (() => undefined);
  const read = (out: string, name: string) => JSON.parse(fs.readFileSync(path.join(out, "stacks", name, "cdk.tf.json"), "utf8")) as { provider?: { aws?: Array<{ region?: string; alias?: string }> } };
  const headFile = path.join(options.headOut, "stacks", options.stack, "cdk.tf.json");
  if (!fs.existsSync(headFile)) throw new Error(`The change has no stack '${options.stack}'`);
  const baseHas = fs.existsSync(path.join(options.baseOut, "stacks", options.stack, "cdk.tf.json"));
  const account = stackAccount(read(options.headOut, options.stack) as Parameters<typeof stackAccount>[0], options.stack);
  const region = (read(options.headOut, options.stack).provider?.aws ?? []).find((p) => p.alias === undefined)?.region ?? "us-east-1";
  const accountStack = `account-${account}-${region}`;
  const wanted = [...new Set([accountStack, ...(baseHas ? [options.stack] : [])])].filter((s) => fs.existsSync(path.join(options.baseOut, "stacks", s, "cdk.tf.json")));
  say(`applying the base of ${wanted.join(" and ")} to the local emulator...`);
  const sandbox = await runSandbox({ project: options.project, dir: options.dir, outDir: options.baseOut, stacks: wanted, keep: true, secondPlan: false, onProgress: say });
  try {
    const failed = sandbox.report.stacks.filter((s) => !s.apply.ok);
    if (failed.length > 0) throw new Error(`The base did not apply to the emulator: ${failed.map((s) => `${s.stack}: ${s.apply.errors.slice(0, 3).join("; ")}`).join(" | ")}`);
    const applyBase = (Date.now() - started) / 1000;
    const emulator = sandbox.report.emulators.find((e) => e.account === account);
    if (emulator === undefined) throw new Error(`No emulator ran for account ${account}`);
    const dir = path.join(options.dir, options.stack);
    fs.mkdirSync(dir, { recursive: true });
    const { stack } = stage(dir, path.dirname(headFile), emulator.endpoint);
    if (!baseHas) await terraform(["init", "-input=false", "-no-color"], { cwd: dir });
    say(`planning the change of ${options.stack} against it...`);
    const planStarted = Date.now();
    const planFile = path.join(dir, "change.tfplan");
    await terraform(["plan", "-input=false", "-no-color", "-lock=false", `-out=${planFile}`], { cwd: dir });
    const shown = JSON.parse((await terraform(["show", "-json", "-no-color", planFile], { cwd: dir })).stdout) as ShownPlan;
    const gapOnly = secondPlanChanges(shown, stack)
      .filter((c) => c.actions.join() === "update" && c.paths.length > 0 && c.paths.every((p) => p.explained?.startsWith("emulator gap") === true))
      .map((c) => c.address);
    const plan = { ...shown, resource_changes: (shown.resource_changes ?? []).filter((c) => !gapOnly.includes(c.address)) };
    return { plan, gapOnly, seconds: { applyBase, plan: (Date.now() - planStarted) / 1000, total: (Date.now() - started) / 1000 } };
  } finally {
    await sandbox.stop();
  }
}
