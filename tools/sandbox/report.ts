import type { DestroyResult, SandboxReport, StackReport } from "./run";

function destroyCell(d: DestroyResult | undefined): string {
  if (d === undefined) return "not run";
  if (d.result === "complete") return "complete";
  if (d.result === "refused") {
    const as = d.decommissioned
      ? `; decommissioned: ${d.decommissioned.destroy.result === "complete" ? "complete" : `${d.decommissioned.destroy.result} (${d.decommissioned.destroy.remaining.length} left)`}, ${d.decommissioned.retained.length} kept`
      : "";
    return `refused by prevent_destroy (${d.refused.length})${as}`;
  }
  return `failed (${d.remaining.length} left)`;
}

function secondPlanCell(s: StackReport): string {
  if (s.secondPlan === undefined) return "not run (apply failed)";
  const attributes = s.secondPlan.changes.reduce((n, c) => n + c.paths.length, 0);
  if (s.secondPlan.changes.length === 0) return "nothing";
  return `${s.secondPlan.changes.length} resources, ${attributes} attributes; ${s.secondPlan.unexplained} unexplained`;
}

/** The table the emulator tier reports, one row per stack, then every error and every unexplained change. */
export function renderSandboxReport(report: SandboxReport): string {
  const rows = [
    ["stack", "account", "applied", "apply errors", "left out", "second plan would change", "destroy", "apply / plan / destroy s"],
    ...report.stacks.map((s) => [
      s.stack,
      s.account,
      `${s.apply.applied}/${s.apply.planned}`,
      String(s.apply.errors.length),
      String(s.skipped.length),
      secondPlanCell(s),
      destroyCell(s.destroy),
      [s.apply.seconds, s.secondPlan?.seconds, s.destroy?.seconds].map((t) => (t === undefined ? "-" : t.toFixed(0))).join(" / "),
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  const out = [line(rows[0]), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line), ""];
  out.push(`${report.project}: ${report.stacks.length} stacks in ${report.seconds.toFixed(0)} s`);
  for (const s of report.stacks) {
    for (const e of s.apply.errors) out.push(`${s.stack}: apply error: ${e}`);
    for (const c of s.secondPlan?.changes ?? []) {
      for (const p of c.paths.length > 0 ? c.paths : [{ path: "(no attribute differs)", before: undefined, after: undefined, explained: undefined }]) {
        out.push(
          `${s.stack}: ${c.address} (${c.actions.join(",")}) ${p.path}: ${JSON.stringify(p.before)} -> ${JSON.stringify(p.after)}${p.explained ? ` [${p.explained}]` : " [UNEXPLAINED]"}`,
        );
      }
    }
    for (const e of [...(s.destroy?.errors ?? []), ...(s.destroy?.decommissioned?.destroy.errors ?? []), ...(s.destroy?.decommissioned?.apply.errors ?? [])]) out.push(`${s.stack}: teardown error: ${e}`);
    if (s.destroy?.result === "refused") {
      // Terraform names the first refused resource of each dependency chain, not every one.
      out.push(`${s.stack}: prevent_destroy refused the destroy, naming ${s.destroy.refused.join(", ")}; the stack protects ${s.destroy.protected.length}: ${s.destroy.protected.join(", ")}`);
    }
    for (const k of s.skipped) out.push(`${s.stack}: left out ${k.address}: ${k.because}`);
  }
  for (const e of report.emulators) for (const line of e.serverErrors) out.push(`emulator for ${e.account}: answered ${line}`);
  return out.join("\n") + "\n";
}

/**
 * Everything the emulator tier must not see, one line each: an apply error,
 * a second-plan change that no gap explains, a disposable stack that does
 * not destroy completely, a refused destroy that touched anything or named a
 * resource the stack does not protect, and an environment that would not go
 * once switched to the decommission profile, and any 5xx the emulator answered
 * (the SDK retries one, so an apply can pass over a fault that then shows up
 * as a duplicate). Empty: the project passed.
 */
export function sandboxProblems(report: SandboxReport): string[] {
  const problems: string[] = [];
  for (const e of report.emulators) for (const line of e.serverErrors) problems.push(`${report.project}: the emulator for ${e.account} answered ${line}`);
  for (const s of report.stacks) {
    const at = `${report.project}/${s.stack}`;
    for (const e of [...(s.artifacts?.apply?.errors ?? []), ...s.apply.errors]) problems.push(`${at}: apply error: ${e}`);
    if (!s.apply.ok && s.apply.errors.length === 0) problems.push(`${at}: apply failed`);
    if (s.apply.ok && s.apply.applied !== s.apply.planned) problems.push(`${at}: ${s.apply.applied} of ${s.apply.planned} resources in state after the apply`);
    for (const c of s.secondPlan?.changes ?? []) {
      const open = c.paths.filter((p) => p.explained === undefined);
      if (c.paths.length === 0) problems.push(`${at}: second plan: ${c.address} (${c.actions.join(",")}) with no attribute that differs`);
      for (const p of open) problems.push(`${at}: second plan: ${c.address} (${c.actions.join(",")}) ${p.path}: ${JSON.stringify(p.before)} -> ${JSON.stringify(p.after)}`);
    }
    const d = s.destroy;
    if (d === undefined) continue;
    const stray = d.refused.filter((a) => !d.protected.includes(a));
    if (d.protected.length === 0 && d.result !== "complete") problems.push(`${at}: destroy ${d.result}, ${d.remaining.length} left: ${[...d.errors, ...d.remaining].slice(0, 5).join("; ")}`);
    if (d.protected.length > 0 && d.result !== "refused") problems.push(`${at}: protects ${d.protected.length} resources with prevent_destroy, yet the destroy was ${d.result}`);
    if (stray.length > 0) problems.push(`${at}: prevent_destroy refused ${stray.join(", ")}, which the stack does not protect`);
    if (d.result === "refused" && s.kind === "environment") {
      const after = d.decommissioned?.destroy;
      if (after?.result !== "complete") problems.push(`${at}: decommissioned, the destroy was ${after?.result ?? "not run"}: ${[...(d.decommissioned?.apply.errors ?? []), ...(after?.errors ?? []), ...(after?.remaining ?? [])].slice(0, 5).join("; ")}`);
    }
  }
  return problems;
}
