import { Token } from "cdktf";

/**
 * A module was given a prop it cannot build. The message names the module,
 * the prop, the value given and what is allowed; it is thrown before the
 * module creates any resource.
 */
export class PropsError extends Error {
  constructor(
    public readonly module: string,
    public readonly prop: string,
    public readonly value: unknown,
    public readonly allowed: string,
  ) {
    super(`${module}: prop '${prop}' is ${JSON.stringify(value) ?? "undefined"}; allowed: ${allowed}`);
    this.name = "PropsError";
  }

  /** The same error, its message prefixed with where the props came from. */
  public in(context: string): PropsError {
    const error = new PropsError(this.module, this.prop, this.value, this.allowed);
    error.message = `${context}: ${this.message}`;
    return error;
  }
}

/** Validation skips values that are unresolved tokens: they are only known at apply time. */
function resolved(value: unknown): boolean {
  return !Token.isUnresolved(value);
}

/** Collects prop checks of one module and throws the first failure. */
export class PropsCheck {
  constructor(private readonly module: string) {}

  /** Fails with `allowed` unless `ok`. */
  public require(ok: boolean, prop: string, value: unknown, allowed: string): this {
    if (!ok) throw new PropsError(this.module, prop, value, allowed);
    return this;
  }

  public integer(prop: string, value: number, min: number, max: number): this {
    if (!resolved(value)) return this;
    return this.require(Number.isInteger(value) && value >= min && value <= max, prop, value, `a whole number from ${min} to ${max}`);
  }

  public oneOf<T>(prop: string, value: T, allowed: readonly T[]): this {
    if (!resolved(value)) return this;
    return this.require(allowed.includes(value), prop, value, `one of ${allowed.join(", ")}`);
  }

  public nonEmpty(prop: string, value: string | undefined): this {
    return this.require(value !== undefined && value.trim().length > 0, prop, value, "a non-empty string");
  }
}
