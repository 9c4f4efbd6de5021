import Table from "cli-table3";
import type { Log, ReportingDescriptor, Result } from "sarif";
import { AREAS, Finding, Rule, StackReport, blocking } from "../../modules/compliance";

/** Totals over one or more stack reports. */
export interface ComplianceSummary {
  readonly stacks: number;
  readonly resources: number;
  readonly errors: number;
  readonly warnings: number;
  readonly suppressed: number;
  /** Error findings that stop a production synth. */
  readonly blocking: number;
  readonly unusedSuppressions: number;
}

export function summarize(reports: readonly StackReport[]): ComplianceSummary {
  const all = reports.flatMap((r) => r.findings);
  const open = all.filter((f) => f.suppressed === undefined);
  return {
    stacks: reports.length,
    resources: reports.reduce((n, r) => n + r.resources, 0),
    errors: open.filter((f) => f.level === "error").length,
    warnings: open.filter((f) => f.level === "warning").length,
    suppressed: all.length - open.length,
    blocking: reports.reduce((n, r) => n + blocking(r).length, 0),
    unusedSuppressions: reports.reduce((n, r) => n + r.unused.length, 0),
  };
}

function headline(s: ComplianceSummary): string {
  return `${s.errors} error(s), ${s.warnings} warning(s), ${s.suppressed} suppressed${s.blocking > 0 ? `; ${s.blocking} stop synth` : ""}`;
}

function suppressionText(f: Finding, withScope = true): string {
  if (f.suppressed !== undefined) {
    const scope = withScope ? ` (${f.suppressed.scope})` : "";
    return `suppressed${f.suppressed.expires ? ` until ${f.suppressed.expires}` : ""}${scope}: ${f.suppressed.reason}`;
  }
  return f.suppressionRefused !== undefined ? `NOT suppressed: ${f.suppressionRefused}` : "";
}

/** Open findings first (errors, then warnings), then suppressed ones; by rule and address within. */
function ordered(findings: readonly Finding[]): readonly Finding[] {
  const rank = (f: Finding) => (f.suppressed !== undefined ? 2 : f.level === "error" ? 0 : 1);
  return [...findings].sort((a, b) => rank(a) - rank(b) || a.rule.localeCompare(b.rule) || a.address.localeCompare(b.address));
}

function stackHeading(r: StackReport): string {
  const s = summarize([r]);
  return `${r.stack}: ${r.resources} resources; ${headline(s)} (${r.enforced ? "errors stop synth" : "advisory: errors do not stop synth"})`;
}

/** Plain text for a terminal: one table per stack. */
export function renderText(reports: readonly StackReport[], rules: number): string {
  const out: string[] = [`Compliance: ${reports.length} stack(s), ${rules} rules; ${headline(summarize(reports))}`];
  for (const r of reports) {
    out.push("", stackHeading(r));
    if (r.findings.length > 0) {
      // The resource column sizes to the longest address: an address is what a reviewer searches for, never cut.
      const table = new Table({
        head: ["level", "rule", "resource", "finding"],
        colWidths: [11, 32, null, 60],
        wordWrap: true,
        style: { head: [], border: [], compact: true },
      });
      for (const f of ordered(r.findings)) {
        const note = suppressionText(f, false);
        table.push([f.suppressed !== undefined ? `(${f.level})` : f.level, f.rule, f.address, note === "" ? f.message : `${f.message}\n${note}`]);
      }
      out.push(table.toString());
    }
    for (const u of r.unused) out.push(`  unused suppression of ${u.rule} at ${u.scope}: it matches no finding; delete it`);
  }
  return out.join("\n") + "\n";
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** Markdown for a pull-request comment. */
export function renderMarkdown(reports: readonly StackReport[], rules: number): string {
  const out: string[] = [`### Compliance: ${headline(summarize(reports))}`, "", `${reports.length} stack(s) against ${rules} rules.`];
  for (const r of reports) {
    out.push("", `#### ${cell(stackHeading(r))}`);
    if (r.findings.length === 0) continue;
    out.push("", "| level | rule | resource | finding | suppression |", "| --- | --- | --- | --- | --- |");
    for (const f of ordered(r.findings)) {
      out.push(`| ${f.suppressed !== undefined ? `~~${f.level}~~` : f.level} | \`${f.rule}\` | \`${f.address}\` | ${cell(f.message)} | ${cell(suppressionText(f))} |`);
    }
    for (const u of r.unused) out.push("", `- unused suppression of \`${u.rule}\` at \`${u.scope}\`: delete it`);
  }
  return out.join("\n") + "\n";
}

/** The rule pack as a table, or as JSON for tools. */
export function renderRules(rules: readonly Rule[], json: boolean): string {
  const rows = rules.map((r) => ({ id: r.id, level: r.level, area: r.area, types: r.types, refs: r.refs, title: r.title }));
  if (json) return JSON.stringify({ rules: rows, areas: AREAS }, null, 2) + "\n";
  const table = new Table({
    head: ["rule", "level", "area", "what compliant means", "corresponds to"],
    colWidths: [34, 9, 17, 60, 40],
    wordWrap: true,
    style: { head: [], border: [], compact: true },
  });
  for (const r of rows) table.push([r.id, r.level, r.area, `${r.title}\n(${r.types.join(", ")})`, r.refs.join("\n")]);
  return `${rules.length} rules\n${table.toString()}\n`;
}

/**
 * SARIF 2.1.0, which code-scanning tools read. Each finding is located in
 * the config file that declares its stack, with the Terraform address as a
 * logical location; suppressed findings carry their justification, so tools
 * show them as suppressed rather than hide the decision.
 */
export function toSarif(reports: readonly StackReport[], rules: readonly Rule[], sourceOf: (stack: string) => string): Log {
  const descriptors: ReportingDescriptor[] = rules.map((r) => ({
    id: r.id,
    name: r.id,
    shortDescription: { text: r.title },
    fullDescription: { text: `${r.title}. Checks ${r.types.join(", ")}. Corresponds to ${r.refs.join(", ")}.` },
    defaultConfiguration: { level: r.level },
    properties: { area: r.area, tags: [r.area, ...r.refs] },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results: Result[] = reports.flatMap((report) =>
    report.findings.map((f) => ({
      ruleId: f.rule,
      ruleIndex: index.get(f.rule),
      level: f.level,
      message: { text: `${f.address}: ${f.message}${f.suppressionRefused ? ` (${f.suppressionRefused})` : ""}` },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: sourceOf(report.stack) } },
          logicalLocations: [{ fullyQualifiedName: `${report.stack}.${f.address}`, name: f.address, kind: "resource" }],
        },
      ],
      partialFingerprints: { "keel/v1": `${report.stack}:${f.rule}:${f.address}` },
      properties: { stack: report.stack, constructPath: f.path, refs: f.refs },
      ...(f.suppressed !== undefined
        ? {
            suppressions: [
              {
                kind: "inSource" as const,
                status: "accepted" as const,
                justification: f.suppressed.reason,
                properties: { scope: f.suppressed.scope, ...(f.suppressed.expires ? { expires: f.suppressed.expires } : {}) },
              },
            ],
          }
        : {}),
    })),
  );
  return {
    version: "2.1.0",
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    runs: [{ tool: { driver: { name: "keel check", semanticVersion: "0.1.0", rules: descriptors } }, results, columnKind: "utf16CodeUnits" }],
  };
}
