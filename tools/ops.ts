import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { run, terraform } from "./terraform";
import { workPath } from "./project";

/**
 * Day-two commands on a deployed environment: `keel status`, `keel db-shell`
 * and `keel teardown`. They read the stack's real state (through its backend,
 * or a sandbox working copy applied to the emulator) and never change
 * anything but what their name says: db-shell starts a session, teardown
 * destroys.
 */

/** A working copy whose state is the deployed one: the synthesized stack with its real backend, or a sandbox copy. */
export interface LiveStack {
  readonly stack: string;
  readonly dir: string;
  /** `backend`: the stack's S3 backend, with the standard credential chain; `sandbox`: a copy applied to the local emulator. */
  readonly source: "backend" | "sandbox";
}

/** Terraform's state, as `state pull` gives it: only what these commands read. */
export interface TerraformState {
  readonly serial: number;
  readonly lineage: string;
  readonly terraform_version?: string;
  readonly outputs?: Readonly<Record<string, { readonly value: unknown; readonly sensitive?: boolean }>>;
  readonly resources?: ReadonlyArray<{ readonly mode: string; readonly type: string; readonly name: string; readonly module?: string; readonly instances: readonly unknown[] }>;
}

/** Inits the working copy (idempotent) and reads its state. The backend's state is pulled, never written. */
export async function pullState(live: LiveStack): Promise<{ state: TerraformState; modified?: Date }> {
  if (live.source === "sandbox") {
    const file = path.join(live.dir, "terraform.tfstate");
    if (!fs.existsSync(file)) throw new Error(`${live.stack}: no sandbox state in ${live.dir}. Apply it first: npx keel sandbox ${live.stack} --keep`);
    return { state: JSON.parse(fs.readFileSync(file, "utf8")) as TerraformState, modified: fs.statSync(file).mtime };
  }
  await terraform(["init", "-input=false", "-no-color"], { cwd: live.dir });
  const pulled = await terraform(["state", "pull"], { cwd: live.dir });
  if (pulled.stdout.trim() === "") throw new Error(`${live.stack}: the backend holds no state: the stack has not been applied`);
  return { state: JSON.parse(pulled.stdout) as TerraformState };
}

/** Managed resource instances in a state. */
export function resourceCount(state: TerraformState): number {
  return (state.resources ?? []).filter((r) => r.mode === "managed").reduce((n, r) => n + r.instances.length, 0);
}

/** An output's value as text; undefined when the stack has no such output. */
export function outputText(state: TerraformState, name: string): string | undefined {
  const output = state.outputs?.[name];
  if (output === undefined || output.sensitive) return undefined;
  return typeof output.value === "string" ? output.value : JSON.stringify(output.value);
}

// ---------------------------------------------------------------- status

/** What drifted: a resource whose real settings differ from the state, per a refresh-only plan. */
export interface Drift {
  readonly address: string;
  readonly attributes: readonly string[];
}

/** The outputs a person needs to reach what the stack runs: URLs, endpoints, the bastion. */
const USEFUL_OUTPUT = /(url|endpoint|dns_name|domain|bastion_instance_id|bastion_tunnel_document|distribution|api|user_pool|queue_url|bucket_names?|alarm_topic_arn|cluster_name)/;

export interface StatusReport {
  readonly stack: string;
  readonly source: LiveStack["source"];
  readonly serial: number;
  /** When the state was last written, where the backend says (the sandbox's file time); undefined otherwise. */
  readonly lastWritten?: string;
  readonly terraformVersion?: string;
  readonly resources: number;
  readonly drift: { readonly checked: boolean; readonly resources: readonly Drift[] };
  readonly outputs: Readonly<Record<string, string>>;
  readonly monthlyCostUsd?: number;
}

/**
 * Drift: `terraform plan -refresh-only -detailed-exitcode`, which reads every resource back and
 * writes nothing (no -out is applied). Exit 0 is none; 2 lists the plan's `resource_drift`, of
 * which only what the next apply would change back counts: a resource deleted outside Terraform,
 * or an attribute the configuration sets whose value changed. A refresh also catches the state
 * up on attributes Terraform only records (a security group's rules added by rule resources, a
 * cluster's members), and AWS spells some unset values differently (null, "", 0, false, empty):
 * neither is drift. Anything else than 0 or 2 is an error.
 */
export async function refreshOnlyDrift(live: LiveStack): Promise<Drift[]> {
  // Under .keel/, never in cdktf.out/ (which holds only what synth writes).
  const planFile = workPath("plans", `${live.stack}-${live.source}-refresh-only.tfplan`);
  const result = await run("terraform", [`-chdir=${live.dir}`, "plan", "-refresh-only", "-detailed-exitcode", "-input=false", "-no-color", "-lock=false", `-out=${planFile}`], { cwd: path.dirname(live.dir) });
  if (result.code === 0) return [];
  if (result.code !== 2) throw new Error(`terraform plan -refresh-only failed (exit ${result.code}) in ${live.dir}:\n${result.output}`);
  const shown = await terraform(["show", "-json", "-no-color", planFile], { cwd: live.dir });
  fs.rmSync(planFile, { force: true });
  return driftOf(JSON.parse(shown.stdout) as RefreshOnlyPlan);
}

export interface RefreshOnlyPlan {
  readonly resource_drift?: ReadonlyArray<{ readonly address: string; readonly change: { readonly actions: readonly string[]; readonly before?: unknown; readonly after?: unknown } }>;
  readonly configuration?: { readonly root_module?: ConfiguredModule };
}
interface ConfiguredModule {
  readonly resources?: ReadonlyArray<{ readonly address: string; readonly expressions?: Readonly<Record<string, unknown>> }>;
  readonly module_calls?: Readonly<Record<string, { readonly module?: ConfiguredModule }>>;
}

/** What a refresh-only plan says the next apply would change back (see refreshOnlyDrift). */
export function driftOf(plan: RefreshOnlyPlan): Drift[] {
  const configured = new Map<string, ReadonlySet<string>>();
  const walk = (module: ConfiguredModule | undefined, prefix: string): void => {
    for (const r of module?.resources ?? []) configured.set(`${prefix}${r.address}`, new Set(Object.keys(r.expressions ?? {})));
    for (const [name, call] of Object.entries(module?.module_calls ?? {})) walk(call.module, `${prefix}module.${name}.`);
  };
  walk(plan.configuration?.root_module, "");
  const drift: Drift[] = [];
  for (const d of plan.resource_drift ?? []) {
    if (d.change.actions.includes("delete")) {
      drift.push({ address: d.address, attributes: ["(deleted outside Terraform)"] });
      continue;
    }
    const keys = configured.get(d.address.replace(/\[[^\]]*\]$/, "")) ?? new Set<string>();
    const before = (d.change.before ?? {}) as Record<string, unknown>;
    const after = (d.change.after ?? {}) as Record<string, unknown>;
    const changed = [...keys].filter((k) => k !== "tags_all" && JSON.stringify(normalized(before[k])) !== JSON.stringify(normalized(after[k]))).sort();
    if (changed.length > 0) drift.push({ address: d.address, attributes: changed });
  }
  return drift;
}

/** A value with every unset spelling (null, "", 0, false, [], {}) made one, keys sorted: how two reads are compared. */
function normalized(value: unknown): unknown {
  if (value === null || value === undefined || value === "" || value === 0 || value === false) return null;
  if (Array.isArray(value)) {
    const items = value.map(normalized);
    return items.every((i) => i === null) ? null : items;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => [k, normalized(v)] as const)
      .filter(([, v]) => v !== null)
      .sort(([a], [b]) => a.localeCompare(b));
    return entries.length === 0 ? null : Object.fromEntries(entries);
  }
  return value;
}

/** Status from a state and its drift: no terraform here, so it is tested on fixtures. */
export function statusReport(live: LiveStack, pulled: { state: TerraformState; modified?: Date }, drift: Drift[] | undefined, monthlyCostUsd?: number): StatusReport {
  const outputs: Record<string, string> = {};
  for (const name of Object.keys(pulled.state.outputs ?? {}).sort()) {
    if (!USEFUL_OUTPUT.test(name)) continue;
    const text = outputText(pulled.state, name);
    if (text !== undefined) outputs[name] = text;
  }
  return {
    stack: live.stack,
    source: live.source,
    serial: pulled.state.serial,
    ...(pulled.modified ? { lastWritten: pulled.modified.toISOString() } : {}),
    ...(pulled.state.terraform_version ? { terraformVersion: pulled.state.terraform_version } : {}),
    resources: resourceCount(pulled.state),
    drift: { checked: drift !== undefined, resources: drift ?? [] },
    outputs,
    ...(monthlyCostUsd !== undefined ? { monthlyCostUsd } : {}),
  };
}

export function renderStatus(s: StatusReport): string {
  const lines = [
    `${s.stack} (${s.source === "sandbox" ? "the local emulator's sandbox" : "the S3 backend"})`,
    `  last apply:  state serial ${s.serial}${s.lastWritten ? `, written ${s.lastWritten}` : ""}${s.terraformVersion ? `, Terraform ${s.terraformVersion}` : ""}`,
    `  resources:   ${s.resources} in state`,
    `  drift:       ${!s.drift.checked ? "not checked (--no-drift)" : s.drift.resources.length === 0 ? "none: AWS matches what the config sets" : `${s.drift.resources.length} resource(s) changed outside Terraform (the next apply changes them back)`}`,
    ...s.drift.resources.map((d) => `    ~ ${d.address}: ${d.attributes.join(", ")}`),
    ...(s.monthlyCostUsd !== undefined ? [`  cost:        $${s.monthlyCostUsd.toFixed(2)}/month estimated (keel cost ${s.stack} for the breakdown and its usage assumptions)`] : []),
    "  outputs:",
    ...Object.entries(s.outputs).map(([k, v]) => `    ${k.padEnd(34)} ${v}`),
  ];
  if (s.drift.resources.length > 0) lines.push("", `Review with \`terraform plan -refresh-only\` in the stack, then either apply the config again (npm run cdktf -- deploy ${s.stack}) or change the config to match.`);
  return lines.join("\n") + "\n";
}

// ---------------------------------------------------------------- db-shell

/** The database a shell reaches, from the environment's config. */
export interface DatabaseConfig {
  readonly engine: "aurora" | "rds";
  readonly databaseName: string;
  readonly masterUsername: string;
  readonly port: number;
  readonly restore?: { readonly serve?: boolean; readonly snapshot?: string };
}

export interface ShellPlan {
  readonly target: string;
  readonly document: string;
  readonly host: string;
  readonly port: number;
  readonly localPort: number;
  readonly region: string;
  readonly profile?: string;
  readonly secretArn: string;
  /** The `aws` arguments that start the session. */
  readonly command: readonly string[];
  /** What to run in another terminal once the tunnel is up: psql, with the password read from the managed secret. */
  readonly psql: string;
}

/**
 * The session db-shell starts, from the stack's outputs: the bastion, Keel's tunnel document and
 * the database endpoint (the restored one with `restored`). Throws, naming what to do, when the
 * environment has no bastion or no database, or the outputs are missing (not applied yet).
 */
export function shellPlan(stack: string, state: TerraformState, db: DatabaseConfig, options: { region: string; profile?: string; localPort: number; restored: boolean }): ShellPlan {
  const need = (name: string, why: string): string => {
    const value = outputText(state, name);
    if (value === undefined) throw new Error(`${stack}: the state has no output ${name.replace(/_/g, "-")}: ${why}`);
    return value;
  };
  const target = need("bastion_instance_id", "apply the environment with its bastion section first");
  const document = need("bastion_tunnel_document", "apply the environment again: the bastion's tunnel document is new");
  const prefix = options.restored ? `${db.engine}_restored_` : `${db.engine}_`;
  const host = need(db.engine === "aurora" ? (options.restored ? "aurora_restored_endpoint" : "aurora_cluster_endpoint") : options.restored ? "rds_restored_endpoint" : "rds_endpoint", options.restored ? `the environment has no ${db.engine}.restore beside the original` : "apply the environment first");
  const secretArn = need(`${prefix}master_user_secret_arn`, "apply the environment first");
  const region = ["--region", options.region, ...(options.profile ? ["--profile", options.profile] : [])];
  const command = [
    "ssm",
    "start-session",
    "--target",
    target,
    "--document-name",
    document,
    "--parameters",
    `host=${host},portNumber=${db.port},localPortNumber=${options.localPort}`,
    ...region,
  ];
  // Snapshot restores keep the snapshot's user and database; Keel's config names the same ones.
  // Single quotes: an RDS-managed secret's name has a `!`, which an interactive shell expands in double quotes.
  const fetch = `aws secretsmanager get-secret-value --secret-id '${secretArn}' --query SecretString --output text ${region.join(" ")} | jq -r .password`;
  const psql = `PGPASSWORD="$(${fetch})" psql "host=127.0.0.1 port=${options.localPort} dbname=${db.databaseName} user=${db.masterUsername} sslmode=require"`;
  return { target, document, host, port: db.port, localPort: options.localPort, region: options.region, ...(options.profile ? { profile: options.profile } : {}), secretArn, command, psql };
}

/** Whether `program` runs (on PATH); `args` is what prints its version. */
export function available(program: string, args: readonly string[]): boolean {
  // The environment passed explicitly: the PATH this process sees is the one searched.
  const result = spawnSync(program, args, { stdio: "ignore", env: process.env });
  return result.error === undefined && result.status === 0;
}

/** What db-shell needs on the operator's machine, with how to install each; empty when all is there. */
export function missingTools(): string[] {
  const missing: string[] = [];
  if (!available("aws", ["--version"])) missing.push("the AWS CLI v2 (`aws`): https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html");
  if (!available("session-manager-plugin", ["--version"]))
    missing.push("the Session Manager plugin for the AWS CLI (`session-manager-plugin`): https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html");
  return missing;
}

// ---------------------------------------------------------------- teardown

/**
 * What a decommission keeps in AWS when the stack goes: the backup vault and its lock (the lock
 * forbids deleting a vault that holds recovery points) and the keys that encrypt what is kept
 * (the database key: final snapshots and database recovery points; the backup key: the vault's).
 * They leave the state (`terraform state rm`) before the destroy, so Terraform never deletes them.
 */
const RETAINED = [/^aws_backup_vault\./, /^aws_backup_vault_lock_configuration\./, /^aws_kms_(key|alias)\.security_(database|backup)_key(_alias)?$/];

export function retainedAddresses(addresses: readonly string[]): string[] {
  return addresses.filter((a) => RETAINED.some((r) => r.test(a))).sort();
}

/** The state's managed resource addresses. */
export function stateAddresses(state: TerraformState): string[] {
  return (state.resources ?? []).filter((r) => r.mode === "managed").map((r) => `${r.module ? `${r.module}.` : ""}${r.type}.${r.name}`);
}

/** `terraform state rm` of what a decommission keeps in AWS; returns those addresses. The only state write outside apply and destroy. */
export async function forgetRetained(dir: string): Promise<string[]> {
  const listed = await terraform(["state", "list"], { cwd: dir });
  const retained = retainedAddresses(listed.stdout.split("\n").filter((l) => l.trim() !== ""));
  if (retained.length > 0) await terraform(["state", "rm", ...retained], { cwd: dir });
  return retained;
}
