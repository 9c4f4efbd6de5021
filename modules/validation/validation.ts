import { Token } from "cdktf";
import { Issue, ValidationError } from "./issue";
import { tagIssues } from "./tag-rules";

/**
 * A module was given props it cannot build. `source` is the module (e.g.
 * `Vpc`); fields are prop names. Thrown before the module creates anything.
 */
export class PropsError extends ValidationError {
  constructor(
    public readonly module: string,
    issues: readonly Issue[],
  ) {
    super(module, issues);
    this.name = "PropsError";
  }

  /** The same issues with each field under `prefix`, e.g. one entry of a keyed section. */
  public under(prefix: string): PropsError {
    return new PropsError(this.module, this.issues.map((i) => ({ ...i, field: `${prefix}.${i.field}` })));
  }

  /**
   * The same issues, reported against a config file: `source` names it and
   * each prop becomes a field under `section` (e.g. `network.enableNatGateway`).
   */
  public in(source: string, section?: string): ValidationError {
    const issues = this.issues.map((i) => ({ ...i, field: section === undefined ? i.field : `${section}.${i.field}` }));
    return new ValidationError(source, issues);
  }
}

/** Validation skips values that are unresolved tokens: they are only known at apply time. */
export function isUnresolved(value: unknown): boolean {
  return Token.isUnresolved(value) || (Array.isArray(value) && value.some((v) => Token.isUnresolved(v)));
}


const SHORT_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Collects every problem with one module's props, then `done()` throws them
 * all at once (one line each). Each check skips unresolved tokens.
 */
export class PropsCheck {
  private readonly issues: Issue[] = [];

  constructor(private readonly module: string) {}

  /** Records `allowed` against `prop` unless `ok`. */
  public require(ok: boolean, prop: string, value: unknown, allowed: string): this {
    if (!ok && !isUnresolved(value)) this.issues.push({ field: prop, value, allowed });
    return this;
  }

  public integer(prop: string, value: number, min: number, max: number): this {
    return this.require(Number.isInteger(value) && value >= min && value <= max, prop, value, `a whole number from ${min} to ${max}`);
  }

  public oneOf<T>(prop: string, value: T, allowed: readonly T[]): this {
    return this.require(allowed.includes(value), prop, value, `one of ${allowed.join(", ")}`);
  }

  public nonEmpty(prop: string, value: string | undefined): this {
    return this.require(typeof value === "string" && value.trim().length > 0, prop, value, "a non-empty string");
  }

  /** A short name Keel builds physical names from: lower-case letters, digits and single dashes. */
  public shortName(prop: string, value: string | undefined): this {
    return this.require(typeof value === "string" && SHORT_NAME.test(value), prop, value, "lower-case letters, digits and single dashes");
  }

  /** A list whose entries are each given once. */
  public distinct(prop: string, values: readonly unknown[]): this {
    values.forEach((v, i) => this.require(values.indexOf(v) === i, `${prop}.${i}`, v, "each value once"));
    return this;
  }

  /** Resource tags AWS accepts: keys 1-128 and values 0-256 characters of its tag set, no `aws:` prefix. */
  public tags(prop: string, tags: Readonly<Record<string, string>> | undefined): this {
    for (const issue of tagIssues(prop, tags)) this.require(false, issue.field, issue.value, issue.allowed);
    return this;
  }

  /** Whether any check failed so far (for checks that only make sense on valid input). */
  public get failed(): boolean {
    return this.issues.length > 0;
  }

  /** Throws a PropsError listing every failed check, if any. */
  public done(): void {
    if (this.issues.length > 0) throw new PropsError(this.module, this.issues);
  }
}
