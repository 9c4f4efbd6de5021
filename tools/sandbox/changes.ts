import { EMULATOR_GAPS, Gap, MISSING_APIS, MissingApi } from "./gaps";

/** A synthesized stack as far as the sandbox reads it. */
export interface StackJson {
  resource?: Record<string, Record<string, unknown>>;
  data?: Record<string, Record<string, unknown>>;
  output?: Record<string, unknown>;
  provider?: { aws?: ReadonlyArray<{ alias?: string; allowed_account_ids?: readonly string[] }> };
  [key: string]: unknown;
}

export interface Skipped {
  readonly address: string;
  /** The missing API that stops it, or the skipped resource it refers to. */
  readonly because: string;
}

const REFERENCE = /\$\{[^}]*?\b((?:data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)/g;

function referencedAddresses(value: unknown): Set<string> {
  const found = new Set<string>();
  const text = JSON.stringify(value);
  for (const match of text.matchAll(REFERENCE)) found.add(match[1]);
  // depends_on holds bare addresses.
  for (const match of text.matchAll(/"((?:data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)"/g)) found.add(match[1]);
  return found;
}

/**
 * The stack without the resources whose API the emulator lacks, and without
 * everything that refers to one of them (resources, data sources and
 * outputs), transitively. Returns what it left out and why; nothing else is
 * ever removed.
 */
export function withoutMissingApis(stack: StackJson, missing: readonly MissingApi[] = MISSING_APIS): { stack: StackJson; skipped: Skipped[] } {
  const copy = JSON.parse(JSON.stringify(stack)) as StackJson;
  const skipped: Skipped[] = [];
  const removed = new Set<string>();
  const byType = new Map(missing.map((m) => [m.type, m]));
  for (const [type, resources] of Object.entries(copy.resource ?? {})) {
    const api = byType.get(type);
    if (api === undefined) continue;
    for (const name of Object.keys(resources)) {
      removed.add(`${type}.${name}`);
      skipped.push({ address: `${type}.${name}`, because: `the emulator lacks the API: ${api.reason}` });
    }
    delete copy.resource![type];
  }
  // A block the emulator can do without is dropped from its resource, which stays.
  for (const api of missing) {
    for (const { type, block } of api.detachFrom ?? []) {
      for (const [name, body] of Object.entries(copy.resource?.[type] ?? {})) {
        const path = block.split(".");
        const parent = path.slice(0, -1).reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], body) as Record<string, unknown> | undefined;
        const last = path[path.length - 1];
        const value = parent?.[last];
        const on = value === undefined ? undefined : [...referencedAddresses(value)].find((a) => removed.has(a));
        if (on === undefined) continue;
        delete parent![last];
        // The address names the block: the resource itself is applied, without it.
        skipped.push({ address: `${type}.${name} (${block})`, because: `refers to ${on}` });
      }
    }
  }
  let changed = removed.size > 0;
  while (changed) {
    changed = false;
    for (const [kind, prefix] of [
      ["resource", ""],
      ["data", "data."],
    ] as const) {
      for (const [type, blocks] of Object.entries(copy[kind] ?? {})) {
        for (const [name, body] of Object.entries(blocks)) {
          const on = [...referencedAddresses(body)].find((a) => removed.has(a));
          if (on === undefined) continue;
          const address = `${prefix}${type}.${name}`;
          removed.add(address);
          skipped.push({ address, because: `refers to ${on}` });
          delete blocks[name];
          changed = true;
        }
        if (Object.keys(blocks).length === 0) delete copy[kind]![type];
      }
    }
  }
  for (const [name, body] of Object.entries(copy.output ?? {})) {
    const on = [...referencedAddresses(body)].find((a) => removed.has(a));
    if (on === undefined) continue;
    skipped.push({ address: `output.${name}`, because: `refers to ${on}` });
    delete copy.output![name];
  }
  return { stack: copy, skipped: skipped.sort((a, b) => (a.address < b.address ? -1 : 1)) };
}

/** One attribute path that a second plan would change. */
export interface ChangedPath {
  readonly path: string;
  readonly before: unknown;
  /** `"(known after apply)"` where the new value is unknown. */
  readonly after: unknown;
  /** Why it is expected: a gap's reason, or the replaced resource it follows from. Absent: unexplained. */
  readonly explained?: string;
}

export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly actions: readonly string[];
  readonly paths: readonly ChangedPath[];
}

interface PlanChange {
  address: string;
  type: string;
  mode?: string;
  change: { actions: string[]; before: unknown; after: unknown; after_unknown?: unknown; replace_paths?: unknown };
}

export interface ShownPlan {
  resource_changes?: PlanChange[];
  output_changes?: Record<string, { actions: string[]; before: unknown; after: unknown }>;
}

const UNKNOWN = "(known after apply)";

/** Every leaf path where `before` and `after` differ; embedded JSON documents are compared as JSON. */
function differingPaths(before: unknown, after: unknown, unknown: unknown, at: string[], out: ChangedPath[]): void {
  if (unknown === true) {
    out.push({ path: at.join("."), before, after: UNKNOWN });
    return;
  }
  if (isRecord(before) && isRecord(after)) {
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      differingPaths(before[key], after[key], isRecord(unknown) ? unknown[key] : undefined, [...at, key], out);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    before.forEach((b, i) => differingPaths(b, after[i], Array.isArray(unknown) ? unknown[i] : undefined, [...at, String(i)], out));
    return;
  }
  if (isRecord(after) && (before === null || before === undefined) && isRecord(unknown)) {
    differingPaths({}, after, unknown, at, out);
    return;
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  if (typeof before === "string" && typeof after === "string") {
    const b = parseJson(before);
    const a = parseJson(after);
    if (b !== undefined && a !== undefined) {
      const inner: ChangedPath[] = [];
      differingPaths(b, a, undefined, at, inner);
      // The same document written differently (spacing, key order) still differs to Terraform.
      if (inner.length > 0) {
        out.push(...inner);
        return;
      }
    }
  }
  out.push({ path: at.join("."), before, after });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  if (!/^\s*[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Whether a gap's path pattern covers `path` (the same path, or one below it; `*` matches a list index). */
export function gapCovers(gap: Gap, path: string): boolean {
  const want = gap.path.split(".");
  const have = path.split(".");
  if (have.length < want.length) return false;
  return want.every((segment, i) => segment === "*" ? /^\d+$/.test(have[i]) : segment === have[i]);
}

/**
 * What a second plan would still change, resource by resource and path by
 * path, each path marked with what explains it: an entry of the gaps file
 * for a known value, and for a value that becomes unknown the change it
 * follows from (the resource's own replacement or update, or a resource it
 * refers to that the same plan changes). An unknown value is never a cause
 * by itself. Data reads and no-ops are left out.
 */
export function secondPlanChanges(plan: ShownPlan, stack: StackJson, gaps: readonly Gap[] = EMULATOR_GAPS): ResourceChange[] {
  const changing = new Set(
    (plan.resource_changes ?? []).filter((c) => c.mode !== "data" && c.change.actions.some((a) => a !== "no-op" && a !== "read")).map((c) => c.address),
  );
  const changes: ResourceChange[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === "data" || rc.change.actions.every((a) => a === "no-op" || a === "read")) continue;
    const found: ChangedPath[] = [];
    differingPaths(rc.change.before ?? {}, rc.change.after ?? {}, rc.change.after_unknown, [], found);
    const [type, name] = rc.address.split(".");
    const body = stack.resource?.[type]?.[name];
    const refersTo = body === undefined ? [] : [...referencedAddresses(body)].filter((a) => changing.has(a) && a !== rc.address);
    const known = found.filter((p) => p.after !== UNKNOWN);
    const causes = [...(known.length > 0 ? [`its own change of ${known.map((p) => p.path).join(", ")}`] : []), ...refersTo];
    const paths = found.map((p) => {
      if (p.after === UNKNOWN) return causes.length > 0 ? { ...p, explained: `follows from ${causes.join("; ")}` } : p;
      const gap = gaps.find((g) => g.type === rc.type && gapCovers(g, p.path));
      return gap !== undefined ? { ...p, explained: `emulator gap: ${gap.reason}` } : p;
    });
    changes.push({ address: rc.address, type: rc.type, actions: rc.change.actions, paths });
  }
  return changes;
}

/** The changes of `changes` that nothing explains: each is a Keel defect until proven otherwise. */
export function unexplained(changes: readonly ResourceChange[]): ResourceChange[] {
  return changes.filter((c) => c.paths.length === 0 || c.paths.some((p) => p.explained === undefined));
}
