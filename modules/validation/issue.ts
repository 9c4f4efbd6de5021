/**
 * One problem with one field, and the one way Keel words it. Provider-free
 * and import-free on purpose: environment validation uses it too.
 */
export interface Issue {
  /** Dotted path of the field as the user wrote it, e.g. `network.azs.1`. */
  readonly field: string;
  /** The value as written. */
  readonly value: unknown;
  /** What is allowed instead. */
  readonly allowed: string;
}

/** Shows a value as the user wrote it: strings quoted with their spaces, NaN as NaN, missing as (missing). */
export function showValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (typeof value === "bigint" || typeof value === "symbol" || typeof value === "function") return String(value);
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v)) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** `<source>: field '<path>': value <value> is not allowed: <what is>`, the format of every validation message. */
export function formatIssue(source: string, issue: Issue): string {
  return `${source}: field '${issue.field}': value ${showValue(issue.value)} is not allowed: ${issue.allowed}`;
}

/**
 * Input that may not be built. The message lists every issue, one per line,
 * each naming where the input came from (`source`), the field, the value and
 * what is allowed. Thrown before any resource is created.
 */
export class ValidationError extends Error {
  constructor(
    public readonly source: string,
    public readonly issues: readonly Issue[],
  ) {
    super(issues.map((i) => formatIssue(source, i)).join("\n"));
    this.name = "ValidationError";
  }
}

/**
 * Several files' errors in one report: every environment is checked before any
 * is reported, so a team fixing dev also learns what production lacks.
 */
export class ValidationReport extends ValidationError {
  constructor(public readonly errors: readonly ValidationError[]) {
    super(errors[0]?.source ?? "", errors.flatMap((e) => e.issues));
    this.message = errors.map((e) => e.message).join("\n");
    this.name = "ValidationReport";
  }

  /** Runs each check in turn, collecting every ValidationError; throws them together at the end. */
  static collect<T>(items: readonly T[], check: (item: T) => void): void {
    const errors: ValidationError[] = [];
    for (const item of items) {
      try {
        check(item);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        errors.push(...(error instanceof ValidationReport ? error.errors : [error]));
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new ValidationReport(errors);
  }
}
