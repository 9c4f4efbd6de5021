import * as fs from "node:fs";
import * as path from "node:path";
import { offlineProviderOverride, run, terraform } from "../terraform";

/**
 * The gate every HCL export passes: formatted as terraform fmt writes it,
 * valid with no warning, and planned exactly as its JSON.
 *
 * Terraform's AWS provider costs seconds per start, so the gate starts it as
 * few times as it can. All exports are validated in one root that calls each
 * as a module (without its backend.tf, which only a root may hold). All
 * stacks are planned in one root that calls each JSON stack and its HCL
 * export side by side, offline; the plan is read once with show -json, and
 * each HCL module must plan the same resources, values, unknowns,
 * sensitivity and outputs as its JSON twin.
 */

export interface GateStack {
  readonly name: string;
  /** The synthesized stack: cdk.tf.json and its lock file and assets. */
  readonly jsonDir: string;
  /** Its `keel hcl` export. */
  readonly hclDir: string;
}

/** The gate's first half: the exports as files. */
export interface ExportCheck {
  /** Files `terraform fmt -check` would change. */
  readonly unformatted: readonly string[];
  /** `terraform validate -json` of every export. */
  readonly validate: { readonly errors: number; readonly warnings: number; readonly diagnostics: readonly string[] };
  /** Wall time of each step, in milliseconds. */
  readonly timings: Readonly<Record<string, number>>;
}

/** The gate's second half: each export planned beside its JSON. */
export interface TwinPlans {
  /** Per stack: what differs between the JSON's plan and the HCL's (empty when identical), and how many resources each plans. */
  readonly stacks: ReadonlyArray<{ readonly name: string; readonly resources: number; readonly differences: readonly string[] }>;
  /** The combined plan (show -json), for callers that assert more. */
  readonly plan: PlanJson;
  /** Wall time of each step, in milliseconds. */
  readonly timings: Readonly<Record<string, number>>;
}

export type GateResult = ExportCheck & TwinPlans;

export interface ResourceChange {
  readonly address: string;
  readonly module_address?: string;
  readonly mode: string;
  readonly type: string;
  readonly change: { readonly actions: readonly string[] } & Record<string, unknown>;
}

export interface PlanJson {
  readonly resource_changes?: readonly ResourceChange[];
  readonly output_changes?: Readonly<Record<string, Record<string, unknown>>>;
  readonly prior_state?: { readonly values?: { readonly root_module?: ModuleValues } };
  readonly configuration?: {
    readonly root_module?: {
      readonly module_calls?: Readonly<Record<string, { readonly module?: { readonly outputs?: Readonly<Record<string, Record<string, unknown>>> } }>>;
    };
  };
}

interface ModuleValues {
  readonly address?: string;
  readonly resources?: ReadonlyArray<{ readonly address: string; readonly values?: unknown; readonly sensitive_values?: unknown }>;
  readonly child_modules?: readonly ModuleValues[];
}

/** A module name for a stack: Terraform names allow letters, digits, _ and -; a leading digit is not allowed. */
export const moduleName = (prefix: "json" | "hcl", stack: string): string => `${prefix}_${stack.replace(/[^A-Za-z0-9_]/g, "_")}`;

function copyDir(from: string, to: string, skip: (name: string) => boolean): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from)) {
    if (entry === ".terraform" || entry.endsWith(".tfstate") || entry.endsWith(".tfplan") || skip(entry)) continue;
    fs.cpSync(path.join(from, entry), path.join(to, entry), { recursive: true });
  }
}

function outputNames(jsonDir: string): string[] {
  const stack = JSON.parse(fs.readFileSync(path.join(jsonDir, "cdk.tf.json"), "utf8")) as { output?: Record<string, unknown> };
  return Object.keys(stack.output ?? {});
}

/** The whole gate: fmt and validate (checkExports), then the twin plans (planTwins), in `workDir`. */
export async function runGate(stacks: readonly GateStack[], workDir: string, lockFile: string): Promise<GateResult> {
  fs.rmSync(workDir, { recursive: true, force: true });
  const checked = await checkExports(stacks, workDir, lockFile);
  const planned = await planTwins(stacks, workDir, lockFile);
  return { ...checked, ...planned, timings: { ...checked.timings, ...planned.timings } };
}

function stopwatch(): { timings: Record<string, number>; timed: <T>(step: string, work: () => Promise<T>) => Promise<T> } {
  const timings: Record<string, number> = {};
  return {
    timings,
    timed: async (step, work) => {
      const started = Date.now();
      const result = await work();
      timings[step] = Date.now() - started;
      return result;
    },
  };
}

/** Every export formatted as terraform fmt writes it, and valid with no warning, in one root (`workDir`/validate). */
export async function checkExports(stacks: readonly GateStack[], workDir: string, lockFile: string): Promise<ExportCheck> {
  const { timings, timed } = stopwatch();

  // fmt: exit code 3 and the files' names when any is not formatted.
  const unformatted = await timed("fmt", async () => {
    const lists = await Promise.all(
      stacks.map((s) =>
        terraform(["fmt", "-check", "-list=true", "."], { cwd: s.hclDir }).then(
          () => [] as string[],
          (error: Error) => [`${s.name}: ${error.message}`],
        ),
      ),
    );
    return lists.flat();
  });

  // validate: every export as a module of one root, backend.tf aside.
  const validateRoot = path.join(workDir, "validate");
  fs.rmSync(validateRoot, { recursive: true, force: true });
  const modules = Object.fromEntries(stacks.map((s) => [moduleName("hcl", s.name), { source: `./${moduleName("hcl", s.name)}` }]));
  for (const s of stacks) copyDir(s.hclDir, path.join(validateRoot, moduleName("hcl", s.name)), (f) => f === "backend.tf");
  fs.writeFileSync(path.join(validateRoot, "main.tf.json"), JSON.stringify({ module: modules }, null, 2));
  fs.copyFileSync(lockFile, path.join(validateRoot, ".terraform.lock.hcl"));
  await timed("validate-init", () => terraform(["init", "-input=false", "-no-color", "-backend=false"], { cwd: validateRoot }));
  // validate -json exits 1 on errors but still reports them on stdout.
  const validated = await timed("validate", () => run("terraform", ["validate", "-json", "-no-color"], { cwd: validateRoot }));
  const report = JSON.parse(validated.stdout) as {
    error_count: number;
    warning_count: number;
    diagnostics: ReadonlyArray<{ severity: string; summary: string; detail?: string; range?: { filename: string; start: { line: number } } }>;
  };
  return {
    unformatted,
    validate: {
      errors: report.error_count,
      warnings: report.warning_count,
      diagnostics: report.diagnostics.map((d) => `${d.severity}: ${d.summary}${d.range ? ` (${d.range.filename}:${d.range.start.line})` : ""}${d.detail ? `: ${d.detail}` : ""}`),
    },
    timings,
  };
}

/**
 * Each JSON stack and its export side by side in one root (`workDir`/plan), offline, planned once:
 * the HCL must plan the same resources, values, unknowns, sensitivity, data reads and outputs.
 */
export async function planTwins(stacks: readonly GateStack[], workDir: string, lockFile: string): Promise<TwinPlans> {
  const { timings, timed } = stopwatch();
  const planRoot = path.join(workDir, "plan");
  fs.rmSync(planRoot, { recursive: true, force: true });
  const calls: Record<string, { source: string }> = {};
  const outputs: Record<string, { value: string; sensitive: boolean }> = {};
  for (const s of stacks) {
    for (const [prefix, dir] of [
      ["json", s.jsonDir],
      ["hcl", s.hclDir],
    ] as const) {
      const name = moduleName(prefix, s.name);
      copyDir(dir, path.join(planRoot, name), () => false);
      fs.writeFileSync(path.join(planRoot, name, "keel_offline_override.tf.json"), JSON.stringify(offlineProviderOverride(s.jsonDir), null, 2));
      calls[name] = { source: `./${name}` };
      // Root outputs carry each module's outputs into the plan; sensitive, since some are.
      for (const o of outputNames(s.jsonDir)) outputs[`${name}__${o}`] = { value: `\${module.${name}.${o}}`, sensitive: true };
    }
  }
  // Terraform refuses an empty `output` object: a set of stacks with no outputs writes none.
  fs.writeFileSync(path.join(planRoot, "main.tf.json"), JSON.stringify({ module: calls, ...(Object.keys(outputs).length > 0 ? { output: outputs } : {}) }, null, 2));
  fs.copyFileSync(lockFile, path.join(planRoot, ".terraform.lock.hcl"));
  await timed("plan-init", () => terraform(["init", "-input=false", "-no-color"], { cwd: planRoot }));
  await timed("plan", () => terraform(["plan", "-input=false", "-no-color", "-lock=false", "-out=gate.tfplan"], { cwd: planRoot }));
  const plan = JSON.parse((await timed("show", () => terraform(["show", "-json", "-no-color", "gate.tfplan"], { cwd: planRoot }))).stdout) as PlanJson;

  return {
    stacks: stacks.map((s) => ({
      name: s.name,
      resources: changesOf(plan, moduleName("json", s.name)).size,
      differences: comparePlans(plan, moduleName("json", s.name), moduleName("hcl", s.name), outputNames(s.jsonDir)),
    })),
    plan,
    timings,
  };
}

/** One module's planned changes (its child modules' included), by address inside the module. */
export function changesOf(plan: PlanJson, module: string): Map<string, ResourceChange> {
  const prefix = `module.${module}.`;
  return new Map((plan.resource_changes ?? []).filter((c) => c.address.startsWith(prefix)).map((c) => [c.address.slice(prefix.length), c]));
}

/** One module's data sources read during the plan, by address inside the module. */
function dataOf(plan: PlanJson, module: string): Map<string, unknown> {
  const prefix = `module.${module}.`;
  const found = new Map<string, unknown>();
  const visit = (m: ModuleValues | undefined): void => {
    for (const r of m?.resources ?? []) {
      if (r.address.startsWith(prefix)) found.set(r.address.slice(prefix.length), { values: r.values, sensitive_values: r.sensitive_values });
    }
    for (const child of m?.child_modules ?? []) visit(child);
  };
  visit(plan.prior_state?.values?.root_module);
  return found;
}

const canonical = (value: unknown): string => JSON.stringify(value, (_k, v: unknown) => (v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v));

/**
 * Everything that differs between two modules' plans: addresses, actions,
 * planned values, what is unknown and what is sensitive, data sources read,
 * and outputs (value, description, sensitivity). Empty when they match.
 */
export function comparePlans(plan: PlanJson, a: string, b: string, outputs: readonly string[]): string[] {
  const differences: string[] = [];
  const left = changesOf(plan, a);
  const right = changesOf(plan, b);
  for (const address of left.keys()) if (!right.has(address)) differences.push(`${address}: planned by ${a} only`);
  for (const address of right.keys()) if (!left.has(address)) differences.push(`${address}: planned by ${b} only`);
  for (const [address, l] of left) {
    const r = right.get(address);
    if (r === undefined) continue;
    for (const field of ["actions", "before", "after", "after_unknown", "before_sensitive", "after_sensitive", "replace_paths"]) {
      const lv = canonical(l.change[field]);
      const rv = canonical(r.change[field]);
      if (lv !== rv) differences.push(`${address}: ${field} differs:\n  ${a}: ${lv}\n  ${b}: ${rv}`);
    }
  }
  const leftData = dataOf(plan, a);
  const rightData = dataOf(plan, b);
  if (canonical([...leftData.keys()].sort()) !== canonical([...rightData.keys()].sort())) differences.push(`data sources read differ: ${[...leftData.keys()]} vs ${[...rightData.keys()]}`);
  for (const [address, l] of leftData) {
    if (canonical(l) !== canonical(rightData.get(address))) differences.push(`${address}: read differently:\n  ${a}: ${canonical(l)}\n  ${b}: ${canonical(rightData.get(address))}`);
  }
  for (const o of outputs) {
    const lv = canonical(plan.output_changes?.[`${a}__${o}`]);
    const rv = canonical(plan.output_changes?.[`${b}__${o}`]);
    if (lv !== rv) differences.push(`output ${o} differs:\n  ${a}: ${lv}\n  ${b}: ${rv}`);
    const config = (m: string) => {
      const declared = plan.configuration?.root_module?.module_calls?.[m]?.module?.outputs?.[o] ?? {};
      return canonical({ description: declared.description, sensitive: declared.sensitive ?? false });
    };
    if (config(a) !== config(b)) differences.push(`output ${o}: declared differently:\n  ${a}: ${config(a)}\n  ${b}: ${config(b)}`);
  }
  return differences;
}
