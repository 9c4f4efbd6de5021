import { IConstruct } from "constructs";
import { RULES_BY_ID } from "./rules";

/**
 * A decision not to comply with one rule, written next to the resource it
 * covers: the rule, why, and for an error-level rule in production until
 * when (the date it must be looked at again).
 */
export interface Suppression {
  /** A rule id from `keel check --list-rules`. */
  readonly rule: string;
  /** Why this resource may break the rule: what compensates, or what was accepted and by whom. */
  readonly reason: string;
  /** `YYYY-MM-DD`: the last day the suppression holds. Required for an error-level rule in a production stack. */
  readonly expires?: string;
}

/** A suppression as found on a construct: where it was declared. */
export interface PlacedSuppression extends Suppression {
  /** The construct path it was declared on; it covers every resource below. */
  readonly scope: string;
}

const METADATA_TYPE = "keel:compliance-suppression";
const MIN_REASON_LENGTH = 20;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The problems with a suppression as written: unknown rule, reason too short, bad date. */
export function suppressionProblems(s: Suppression): readonly { field: keyof Suppression; allowed: string }[] {
  const problems: { field: keyof Suppression; allowed: string }[] = [];
  if (!RULES_BY_ID.has(s.rule)) problems.push({ field: "rule", allowed: "a rule id from `npx keel check --list-rules`" });
  if (typeof s.reason !== "string" || s.reason.trim().length < MIN_REASON_LENGTH) {
    problems.push({ field: "reason", allowed: `a written reason of at least ${MIN_REASON_LENGTH} characters: what compensates, or who accepted what` });
  }
  if (s.expires !== undefined && !isDate(s.expires)) problems.push({ field: "expires", allowed: "a date as YYYY-MM-DD" });
  return problems;
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (m === null) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === text;
}

/**
 * Suppresses rules for `scope` and every resource below it. Each
 * suppression needs a known rule and a written reason; `keel check` prints
 * them all, and one that matches no finding is reported as unused.
 */
export function suppress(scope: IConstruct, ...suppressions: readonly Suppression[]): void {
  for (const s of suppressions) {
    const problems = suppressionProblems(s);
    if (problems.length > 0) {
      const detail = problems.map((p) => `${p.field} ${JSON.stringify(s[p.field])} is not allowed: ${p.allowed}`).join("; ");
      throw new Error(`Suppression on ${scope.node.path}: ${detail}`);
    }
    scope.node.addMetadata(METADATA_TYPE, { rule: s.rule, reason: s.reason.trim(), ...(s.expires === undefined ? {} : { expires: s.expires }) });
  }
}

/** The suppressions declared on `scope` itself (not its ancestors). */
export function suppressionsOn(scope: IConstruct): readonly PlacedSuppression[] {
  return scope.node.metadata.filter((m) => m.type === METADATA_TYPE).map((m) => ({ ...(m.data as Suppression), scope: scope.node.path }));
}

/** `suppress`, returning the construct, for use where it is created. */
export function suppressed<T extends IConstruct>(scope: T, ...suppressions: readonly Suppression[]): T {
  suppress(scope, ...suppressions);
  return scope;
}
