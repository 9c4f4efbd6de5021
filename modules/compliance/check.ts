import { IConstruct } from "constructs";
import type { TerraformStack } from "cdktf";
import { ModelResource, StackModel } from "./model";
import { Level, Rule } from "./rule";
import { RULES } from "./rules";
import { PlacedSuppression, suppressionsOn } from "./suppress";

/** One rule broken by one resource. */
export interface Finding {
  readonly rule: string;
  readonly level: Level;
  readonly title: string;
  readonly refs: readonly string[];
  readonly stack: string;
  readonly address: string;
  readonly path: string;
  readonly message: string;
  /** The suppression that covers it, when one does and holds. */
  readonly suppressed?: PlacedSuppression;
  /** Why a suppression that names this finding does not hold (expired, or no expiry in production). */
  readonly suppressionRefused?: string;
}

/** What one stack's check found. */
export interface StackReport {
  readonly stack: string;
  /** Error findings fail synth of this stack. */
  readonly enforced: boolean;
  readonly resources: number;
  readonly findings: readonly Finding[];
  /** Suppressions that matched no finding: stale, or on the wrong construct. */
  readonly unused: readonly PlacedSuppression[];
}

export interface CheckOptions {
  /** Whether error findings fail synth (production stacks). */
  readonly enforced: boolean;
  /** `YYYY-MM-DD`, the day suppressions are judged on. */
  readonly today: string;
  /** The rules to apply. @default RULES */
  readonly rules?: readonly Rule[];
}

/** Findings that fail synth: errors in an enforced stack that no suppression holds. */
export function blocking(report: StackReport): readonly Finding[] {
  return report.enforced ? report.findings.filter((f) => f.level === "error" && f.suppressed === undefined) : [];
}

/** Today in UTC as `YYYY-MM-DD`. */
export function utcToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Every suppression on the construct at `path` and its ancestors, nearest first. */
function suppressionsFor(constructs: ReadonlyMap<string, IConstruct>, path: string): readonly PlacedSuppression[] {
  const found: PlacedSuppression[] = [];
  for (let p = path; p !== ""; p = p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "") {
    const construct = constructs.get(p);
    if (construct !== undefined) found.push(...suppressionsOn(construct));
  }
  return found;
}

/** Decides whether `s` holds for a finding of `rule` today. */
function refusal(s: PlacedSuppression, rule: Rule, options: CheckOptions): string | undefined {
  if (s.expires !== undefined && s.expires < options.today) return `the suppression at ${s.scope} expired on ${s.expires}`;
  if (options.enforced && rule.level === "error" && s.expires === undefined) {
    return `the suppression at ${s.scope} has no expiry date, which an error-level rule in a production stack needs`;
  }
  return undefined;
}

function evaluate(rule: Rule, resource: ModelResource, model: StackModel): string | undefined {
  try {
    return rule.check(resource, model);
  } catch (error) {
    // A rule that cannot read a resource reports it instead of passing it silently.
    return `the rule could not evaluate this resource: ${(error as Error).message}`;
  }
}

/** Applies the rule pack to a model, with the suppressions found on `constructs`. */
export function checkModel(model: StackModel, constructs: ReadonlyMap<string, IConstruct>, options: CheckOptions): StackReport {
  const rules = options.rules ?? RULES;
  const used = new Set<PlacedSuppression>();
  const findings: Finding[] = [];
  for (const resource of model.resources) {
    const suppressions = suppressionsFor(constructs, resource.path);
    for (const rule of rules) {
      if (!rule.types.includes(resource.type)) continue;
      const message = evaluate(rule, resource, model);
      if (message === undefined) continue;
      const matching = suppressions.find((s) => s.rule === rule.id);
      if (matching !== undefined) used.add(matching);
      const refused = matching === undefined ? undefined : refusal(matching, rule, options);
      findings.push({
        rule: rule.id,
        level: rule.level,
        title: rule.title,
        refs: rule.refs,
        stack: model.stack,
        address: resource.address,
        path: resource.path,
        message,
        ...(matching !== undefined && refused === undefined ? { suppressed: matching } : {}),
        ...(refused !== undefined ? { suppressionRefused: refused } : {}),
      });
    }
  }
  const declared = [...constructs.values()].flatMap((c) => suppressionsOn(c));
  const unused = declared.filter((d) => ![...used].some((u) => u.scope === d.scope && u.rule === d.rule));
  return { stack: model.stack, enforced: options.enforced, resources: model.resources.length, findings, unused };
}

/** Checks one stack as it will synthesize. */
export function checkStack(stack: TerraformStack, options: CheckOptions): StackReport {
  const constructs = new Map(stack.node.findAll().map((c) => [c.node.path, c] as const));
  return checkModel(StackModel.of(stack), constructs, options);
}

const ENFORCED = new WeakMap<TerraformStack, boolean>();

/** Whether error findings stop `stack`'s synth, as `enforceCompliance` was told. */
export function isEnforced(stack: TerraformStack): boolean {
  return ENFORCED.get(stack) ?? false;
}

/**
 * Makes `stack`'s synth run the rule pack: with `enforced`, an error
 * finding that no suppression holds stops synth with one line per finding.
 */
export function enforceCompliance(stack: TerraformStack, enforced: boolean, today: string): void {
  ENFORCED.set(stack, enforced);
  if (!enforced) return;
  stack.node.addValidation({
    validate: () =>
      blocking(checkStack(stack, { enforced, today })).map(
        (f) =>
          `compliance rule ${f.rule} (error): ${f.address}: ${f.message}${f.suppressionRefused ? ` (${f.suppressionRefused})` : ""}. ` +
          `Fix it, or suppress it next to the resource with a reason and an expiry date; \`npx keel check ${stack.node.id}\` shows every finding.`,
      ),
  });
}
