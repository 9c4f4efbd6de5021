/**
 * Reads `terraform show -json` of a saved plan and says what a reviewer must
 * see first: stateful resources that would be replaced or deleted (and the
 * attributes that force it), then counts by type, changed attributes before
 * and after (sensitive values masked), and moved or imported resources.
 */

/** Resource types whose loss loses data or access: a replacement or delete of one comes first, loudly. */
export const STATEFUL_TYPES: readonly string[] = [
  "aws_rds_cluster",
  "aws_rds_cluster_instance",
  "aws_db_instance",
  "aws_s3_bucket",
  "aws_kms_key",
  "aws_secretsmanager_secret",
  "aws_dynamodb_table",
  "aws_cloudwatch_log_group",
  "aws_cognito_user_pool",
  "aws_ecr_repository",
  "aws_efs_file_system",
  "aws_ebs_volume",
  "aws_sqs_queue",
  "aws_backup_vault",
];

type Action = "create" | "update" | "delete" | "replace" | "read" | "no-op";

interface RawChange {
  readonly address: string;
  readonly type: string;
  readonly previous_address?: string;
  readonly action_reason?: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before?: unknown;
    readonly after?: unknown;
    readonly after_unknown?: unknown;
    readonly before_sensitive?: unknown;
    readonly after_sensitive?: unknown;
    readonly replace_paths?: ReadonlyArray<ReadonlyArray<string | number>>;
    readonly importing?: { readonly id?: string };
  };
}

export interface AttributeChange {
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly action: Action;
  readonly stateful: boolean;
  /** For a replacement: the attributes that force it. */
  readonly replacedBecause: readonly string[];
  readonly attributes: readonly AttributeChange[];
  readonly movedFrom?: string;
  readonly importedId?: string;
}

export interface PlanSummary {
  readonly counts: { readonly create: number; readonly update: number; readonly replace: number; readonly delete: number };
  /** Per resource type: creates, updates, replacements, deletes. */
  readonly byType: Readonly<Record<string, { create: number; update: number; replace: number; delete: number }>>;
  /** Stateful resources that would be replaced or deleted. */
  readonly destroysStateful: readonly ResourceChange[];
  readonly changes: readonly ResourceChange[];
  readonly moved: readonly ResourceChange[];
  readonly imported: readonly ResourceChange[];
}

function actionOf(actions: readonly string[]): Action {
  if (actions.includes("create") && actions.includes("delete")) return "replace";
  return (actions[0] ?? "no-op") as Action;
}

const MASK = "(sensitive)";

/** A value as a reviewer reads it: JSON, shortened, `(known after apply)` and `(sensitive)` spelled out. */
function show(value: unknown, sensitive: unknown, unknown = false): string {
  if (sensitive === true) return MASK;
  if (unknown === true) return "(known after apply)";
  if (value === undefined || value === null) return "null";
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function at(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** An unset value Terraform reports as false, "", 0 or empty: going to null from one is no change a reviewer needs. */
function empty(value: unknown): boolean {
  return value === null || value === undefined || value === false || value === "" || value === 0 || (Array.isArray(value) && value.length === 0) || (typeof value === "object" && value !== null && Object.keys(value).length === 0);
}

/**
 * Top-level attributes that differ between before and after: what the
 * configuration changes, plus what forces a replacement. Values the provider
 * computes anew ("known after apply") and unset values that only change
 * their spelling (false -> null) are noise, and left out.
 */
function attributeChanges(change: RawChange["change"]): AttributeChange[] {
  const forcing = new Set((change.replace_paths ?? []).map((p) => String(p[0])));
  const keys = new Set([...Object.keys((change.before as object) ?? {}), ...Object.keys((change.after as object) ?? {}), ...Object.keys((change.after_unknown as object) ?? {})]);
  const out: AttributeChange[] = [];
  for (const key of [...keys].sort()) {
    const before = at(change.before, key);
    const after = at(change.after, key);
    const unknown = at(change.after_unknown, key) === true;
    if (!unknown && JSON.stringify(before) === JSON.stringify(after)) continue;
    if (key === "tags_all" || key === "id") continue;
    if (!forcing.has(key) && (unknown || (empty(before) && empty(after)))) continue;
    const sensitive = at(change.before_sensitive, key) === true || at(change.after_sensitive, key) === true;
    out.push({ path: key, before: show(before, sensitive), after: show(after, sensitive, unknown) });
  }
  return out;
}

export function summarizePlan(plan: { readonly resource_changes?: readonly RawChange[] }): PlanSummary {
  const counts = { create: 0, update: 0, replace: 0, delete: 0 };
  const byType: Record<string, { create: number; update: number; replace: number; delete: number }> = {};
  const changes: ResourceChange[] = [];
  for (const raw of plan.resource_changes ?? []) {
    const action = actionOf(raw.change.actions);
    const moved = raw.previous_address !== undefined && raw.previous_address !== raw.address;
    const imported = raw.change.importing !== undefined;
    if (action === "no-op" && !moved && !imported) continue;
    if (action === "read") continue;
    const entry: ResourceChange = {
      address: raw.address,
      type: raw.type,
      action,
      stateful: STATEFUL_TYPES.includes(raw.type),
      replacedBecause: action === "replace" ? (raw.change.replace_paths ?? []).map((p) => p.join(".")) : [],
      attributes: action === "update" || action === "replace" ? attributeChanges(raw.change) : [],
      ...(moved ? { movedFrom: raw.previous_address } : {}),
      ...(imported ? { importedId: raw.change.importing?.id ?? "" } : {}),
    };
    changes.push(entry);
    if (action === "no-op") continue;
    const kind = action as keyof typeof counts;
    counts[kind] += 1;
    const row = (byType[raw.type] ??= { create: 0, update: 0, replace: 0, delete: 0 });
    row[kind] += 1;
  }
  const sortedTypes = Object.fromEntries(Object.entries(byType).sort(([a], [b]) => a.localeCompare(b)));
  return {
    counts,
    byType: sortedTypes,
    // An adopted resource that would be replaced is the existing one destroyed, whatever its type.
    destroysStateful: changes.filter((c) => (c.stateful || c.importedId !== undefined) && (c.action === "replace" || c.action === "delete")),
    changes,
    moved: changes.filter((c) => c.movedFrom !== undefined),
    imported: changes.filter((c) => c.importedId !== undefined),
  };
}

/** A replacement is a destroy too: what `--fail-on-destroy` and the headline count. */
export function destroyCount(s: PlanSummary): number {
  return s.counts.delete + s.counts.replace;
}

function headline(s: PlanSummary): string {
  const c = s.counts;
  const imports = s.imported.length > 0 ? `${s.imported.length} to import, ` : "";
  return `${imports}${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete (${destroyCount(s)} destroyed)`;
}

function statefulLines(s: PlanSummary): string[] {
  return s.destroysStateful.map(
    (c) =>
      `${c.action === "replace" ? "REPLACE" : "DELETE"} ${c.address}${c.importedId !== undefined ? ` (adopted: ${c.importedId})` : ""}${c.replacedBecause.length > 0 ? ` (forced by: ${c.replacedBecause.join(", ")})` : ""}`,
  );
}

/** What an adopted resource's import then does: nothing more, or the settings it changes. */
function adoptedLine(c: ResourceChange): string {
  if (c.action === "no-op") return "adopted as it is";
  if (c.action === "replace") return "adopted, then REPLACED";
  return `adopted, and ${c.attributes.length} setting${c.attributes.length === 1 ? "" : "s"} will change`;
}

/** Plain text for a terminal. */
export function renderText(s: PlanSummary): string {
  const lines = [`Plan: ${headline(s)}`];
  const stateful = statefulLines(s);
  if (stateful.length > 0) lines.push("", "!! STATEFUL RESOURCES DESTROYED:", ...stateful.map((l) => `   ${l}`));
  if (s.imported.length > 0) {
    lines.push("", "Adopted (imported from AWS, not created):");
    for (const c of s.imported) {
      lines.push(`  ${c.address} <- ${c.importedId}: ${adoptedLine(c)}`);
      for (const a of c.attributes) lines.push(`    ${a.path}: ${a.before} -> ${a.after}`);
    }
  }
  lines.push("", "By type (create/update/replace/delete):");
  for (const [type, r] of Object.entries(s.byType)) lines.push(`  ${type.padEnd(48)} ${r.create}/${r.update}/${r.replace}/${r.delete}`);
  const updated = s.changes.filter((c) => c.attributes.length > 0 && c.importedId === undefined);
  if (updated.length > 0) {
    lines.push("", "Changed attributes:");
    for (const c of updated) {
      lines.push(`  ${c.action} ${c.address}`);
      for (const a of c.attributes) lines.push(`    ${a.path}: ${a.before} -> ${a.after}`);
    }
  }
  for (const c of s.moved) lines.push(`moved: ${c.movedFrom} -> ${c.address}`);
  return lines.join("\n") + "\n";
}

/** GitHub's limit for one pull-request comment. */
export const COMMENT_LIMIT = 65535;

/** Markdown for one pull-request comment, truncated (and saying so) to fit `limit`. */
export function renderMarkdown(s: PlanSummary, limit = COMMENT_LIMIT): string {
  const head = [`### Plan: ${headline(s)}`];
  const stateful = statefulLines(s);
  if (stateful.length > 0) head.push("", "> [!CAUTION]", "> **Stateful resources destroyed:**", ...stateful.map((l) => `> - \`${l}\``));
  if (s.imported.length > 0) {
    head.push("", "**Adopted** (imported from AWS, not created):", "");
    for (const c of s.imported) head.push(`- \`${c.address}\` ← \`${c.importedId}\`: ${adoptedLine(c)}${c.attributes.length > 0 ? ` (${c.attributes.map((a) => `\`${a.path}\``).join(", ")})` : ""}`);
  }
  head.push("", "| type | create | update | replace | delete |", "| --- | ---: | ---: | ---: | ---: |");
  for (const [type, r] of Object.entries(s.byType)) head.push(`| \`${type}\` | ${r.create} | ${r.update} | ${r.replace} | ${r.delete} |`);
  const blocks: string[] = [];
  for (const c of s.changes.filter((x) => x.attributes.length > 0)) {
    blocks.push(
      [`<details><summary>${c.action} <code>${c.address}</code></summary>`, "", "| attribute | before | after |", "| --- | --- | --- |",
        ...c.attributes.map((a) => `| \`${a.path}\` | \`${a.before.replace(/\|/g, "\\|")}\` | \`${a.after.replace(/\|/g, "\\|")}\` |`), "", "</details>"].join("\n"),
    );
  }
  for (const c of s.moved) blocks.push(`- moved: \`${c.movedFrom}\` → \`${c.address}\``);
  let text = head.join("\n");
  const footer = (left: number) => `\n\n_${left} more change${left === 1 ? "" : "s"} left out to fit one comment (${limit} characters); run \`keel plan --json\` for all._`;
  for (let i = 0; i < blocks.length; i++) {
    const next = `${text}\n\n${blocks[i]}`;
    if (next.length + footer(blocks.length - i).length > limit) return text + footer(blocks.length - i);
    text = next;
  }
  return text + "\n";
}
