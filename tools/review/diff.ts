import * as fs from "node:fs";
import * as path from "node:path";
import { STATEFUL_TYPES } from "./plan-summary";

/**
 * What a change does to the synthesized Terraform, without AWS: two
 * syntheses of one stack compared by address and attribute, the way
 * `cdk diff` reads templates (`keel diff`), and the stacks whose JSON
 * differs between two commits (`keel changed`, for a CI matrix).
 *
 * JSON cannot say whether Terraform will replace a resource (the provider
 * knows which attributes force it); a changed stateful resource is marked
 * for that reason, and `keel plan` against state says for certain.
 */

export interface StackJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
  readonly output?: Readonly<Record<string, Record<string, unknown>>>;
  readonly [key: string]: unknown;
}

export interface AttributeDiff {
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

export interface ResourceDiff {
  readonly address: string;
  readonly action: "add" | "remove" | "change";
  readonly stateful: boolean;
  readonly attributes: readonly AttributeDiff[];
}

export interface StackDiff {
  readonly stack: string;
  readonly resources: readonly ResourceDiff[];
  readonly outputs: readonly AttributeDiff[];
}

/** A body without cdktf's metadata (`//`), which names construct paths and changes with no effect. */
function body(value: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  const { ["//"]: _metadata, ...rest } = value;
  return rest;
}

function shown(value: unknown): string {
  if (value === undefined) return "(absent)";
  const text = JSON.stringify(value);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

/** A string holding a JSON object or array (a policy, a document's content), parsed; else undefined. */
function embedded(value: unknown): unknown {
  if (typeof value !== "string" || !/^\s*[[{]/.test(value)) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Attribute paths that differ, sorted: into blocks (`lifecycle.prevent_destroy`), list items
 * (`ingress.0.from_port`) and embedded JSON such as a policy (`policy.Statement.2`), so that a
 * reviewer sees what changed rather than two long strings.
 */
function attributeDiffs(before: unknown, after: unknown, prefix = ""): AttributeDiff[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const inner = (b: unknown, a: unknown): AttributeDiff[] | undefined => {
    const container = (v: unknown): v is Record<string, unknown> | unknown[] => typeof v === "object" && v !== null;
    if (container(b) && container(a) && Array.isArray(b) === Array.isArray(a)) {
      const keys = Array.isArray(b) && Array.isArray(a) ? Array.from({ length: Math.max(b.length, a.length) }, (_, i) => String(i)) : [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
      return keys.flatMap((k) => attributeDiffs((b as Record<string, unknown>)[k], (a as Record<string, unknown>)[k], prefix === "" ? k : `${prefix}.${k}`));
    }
    return undefined;
  };
  const parsedBefore = embedded(before);
  const parsedAfter = embedded(after);
  const nested = inner(before, after) ?? (parsedBefore !== undefined && parsedAfter !== undefined ? inner(parsedBefore, parsedAfter) : undefined);
  return nested ?? [{ path: prefix, before: shown(before), after: shown(after) }];
}

export function diffStacks(stack: string, before: StackJson, after: StackJson): StackDiff {
  const resources: ResourceDiff[] = [];
  const types = [...new Set([...Object.keys(before.resource ?? {}), ...Object.keys(after.resource ?? {})])].sort();
  for (const type of types) {
    const b = before.resource?.[type] ?? {};
    const a = after.resource?.[type] ?? {};
    for (const name of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()) {
      const was = body(b[name]);
      const now = body(a[name]);
      const stateful = STATEFUL_TYPES.includes(type);
      if (was === undefined) resources.push({ address: `${type}.${name}`, action: "add", stateful, attributes: [] });
      else if (now === undefined) resources.push({ address: `${type}.${name}`, action: "remove", stateful, attributes: [] });
      else {
        const attributes = attributeDiffs(was, now);
        if (attributes.length > 0) resources.push({ address: `${type}.${name}`, action: "change", stateful, attributes });
      }
    }
  }
  const outputs = attributeDiffs(
    Object.fromEntries(Object.entries(before.output ?? {}).map(([k, v]) => [k, body(v)])),
    Object.fromEntries(Object.entries(after.output ?? {}).map(([k, v]) => [k, body(v)])),
  );
  return { stack, resources, outputs };
}

/** The stacks whose synthesized JSON differs (metadata aside) between two output folders, added and removed ones included. */
export function changedStacks(beforeOut: string, afterOut: string): string[] {
  const read = (out: string): Map<string, string> => {
    const dir = path.join(out, "stacks");
    const stacks = new Map<string, string>();
    if (!fs.existsSync(dir)) return stacks;
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name, "cdk.tf.json");
      if (!fs.existsSync(file)) continue;
      const json = JSON.parse(fs.readFileSync(file, "utf8")) as StackJson;
      stacks.set(name, JSON.stringify(json, (key, value: unknown) => (key === "//" ? undefined : value)));
    }
    return stacks;
  };
  const before = read(beforeOut);
  const after = read(afterOut);
  return [...new Set([...before.keys(), ...after.keys()])].filter((s) => before.get(s) !== after.get(s)).sort();
}

const VERB = { add: "+", remove: "-", change: "~" } as const;

export function renderDiff(d: StackDiff, ref: string, markdown = false, limit = 65535): string {
  const counts = { add: 0, remove: 0, change: 0 };
  for (const r of d.resources) counts[r.action]++;
  const removedStateful = d.resources.filter((r) => r.stateful && r.action === "remove");
  const changedStateful = d.resources.filter((r) => r.stateful && r.action === "change");
  const head = `${d.stack} against ${ref}: ${counts.add} to add, ${counts.change} to change, ${counts.remove} to remove; ${d.outputs.length} output(s) changed`;
  const warnings = [
    ...removedStateful.map((r) => `STATEFUL RESOURCE REMOVED: ${r.address} (its data goes unless a moved block carries it)`),
    ...changedStateful.map((r) => `stateful resource changed: ${r.address}: keel plan ${d.stack} says whether it is replaced`),
  ];
  const out: string[] = [];
  if (markdown) {
    out.push(`### \`keel diff\`: ${head}`, "");
    for (const w of warnings) out.push(`> **${w}**`);
    if (warnings.length > 0) out.push("");
    if (d.resources.length === 0 && d.outputs.length === 0) out.push("No change to the synthesized Terraform.");
    for (const r of d.resources) {
      out.push(`- \`${VERB[r.action]} ${r.address}\`${r.stateful ? " (stateful)" : ""}`);
      for (const a of r.attributes) out.push(`  - \`${a.path}\`: \`${a.before}\` → \`${a.after}\``);
    }
    for (const o of d.outputs) out.push(`- output \`${o.path}\`: \`${o.before}\` → \`${o.after}\``);
  } else {
    out.push(head);
    for (const w of warnings) out.push(`  ${w}`);
    for (const r of d.resources) {
      out.push(`  ${VERB[r.action]} ${r.address}${r.stateful ? " (stateful)" : ""}`);
      for (const a of r.attributes) out.push(`      ${a.path}: ${a.before} -> ${a.after}`);
    }
    for (const o of d.outputs) out.push(`  output ${o.path}: ${o.before} -> ${o.after}`);
  }
  let text = out.join("\n") + "\n";
  if (markdown && text.length > limit) {
    const note = `\n_Cut to fit one comment: run \`npx keel diff ${d.stack} ${ref}\` for all ${d.resources.length} resources._\n`;
    text = text.slice(0, limit - note.length).replace(/\n[^\n]*$/, "") + note;
  }
  return text;
}
