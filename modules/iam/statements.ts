import { PolicyStatement } from "./policy";

/**
 * An ordered list of policy statements that grows through `grant*` calls.
 * The same statement twice is kept once; a second, different statement with
 * a sid already taken is refused, so grants never silently overwrite.
 */
export class StatementList {
  private readonly bySid = new Map<string, string>();
  private readonly list: PolicyStatement[] = [];

  constructor(private readonly owner: string) {}

  /** Adds `statement`; returns false when it was there already. */
  public add(statement: PolicyStatement): boolean {
    const text = JSON.stringify(statement);
    const known = this.bySid.get(statement.sid);
    if (known === text) return false;
    if (known !== undefined) {
      throw new Error(`${this.owner}: policy statement sid '${statement.sid}' is already used by a different statement; each grant needs its own sid`);
    }
    if (!/^[A-Za-z0-9]+$/.test(statement.sid)) {
      throw new Error(`${this.owner}: policy statement sid '${statement.sid}' must be letters and digits only`);
    }
    this.bySid.set(statement.sid, text);
    this.list.push(statement);
    return true;
  }

  public get statements(): readonly PolicyStatement[] {
    return this.list;
  }

  public get length(): number {
    return this.list.length;
  }
}
