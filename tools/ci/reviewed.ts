/**
 * Whether the plan an apply job just made is the plan a person reviewed in
 * the pull request: the same resources, the same actions, the same values
 * after the change (known and unknown alike). Anything else stops the
 * apply: the base moved, the account drifted, or the code is not what was
 * reviewed.
 */
export interface ShownPlan {
  readonly resource_changes?: ReadonlyArray<{
    readonly address: string;
    readonly change: { readonly actions: readonly string[]; readonly after?: unknown; readonly after_unknown?: unknown; readonly replace_paths?: unknown };
  }>;
}

/** JSON with object keys sorted: two equal values give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function changes(plan: ShownPlan): Map<string, { actions: string; after: string }> {
  return new Map(
    (plan.resource_changes ?? [])
      .filter((c) => !(c.change.actions.length === 1 && c.change.actions[0] === "no-op"))
      .map((c) => [c.address, { actions: c.change.actions.join(","), after: canonical({ after: c.change.after, unknown: c.change.after_unknown, replace: c.change.replace_paths }) }]),
  );
}

/** What differs between the reviewed plan and this one, a line per resource; empty when they agree. */
export function planDifferences(reviewed: ShownPlan, now: ShownPlan): string[] {
  const before = changes(reviewed);
  const after = changes(now);
  const lines: string[] = [];
  for (const address of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const r = before.get(address);
    const n = after.get(address);
    if (r === undefined) lines.push(`${address}: ${n?.actions} now, not in the reviewed plan`);
    else if (n === undefined) lines.push(`${address}: ${r.actions} was reviewed, not planned now`);
    else if (r.actions !== n.actions) lines.push(`${address}: reviewed ${r.actions}, now ${n.actions}`);
    else if (r.after !== n.after) lines.push(`${address}: ${n.actions}, with other values than reviewed`);
  }
  return lines;
}
