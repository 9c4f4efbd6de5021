/**
 * A JSON reader that keeps what JSON.parse loses and an HCL writer needs:
 * the order of object keys (integer-like keys included), duplicate keys, and
 * each number exactly as written (no rounding past 2^53, no 1e21 surprises).
 */
export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;

export interface JsonNumber {
  /** The number's text as written in the source. */
  readonly number: string;
}

export interface JsonObject {
  /** Every key and value, in source order. */
  readonly entries: ReadonlyArray<readonly [string, JsonValue]>;
}

export const isNumber = (v: JsonValue): v is JsonNumber => typeof v === "object" && v !== null && !Array.isArray(v) && "number" in v;
export const isObject = (v: JsonValue): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v) && "entries" in v;

/** The value of `key` in an object (the last one, as JSON.parse would), or undefined. */
export function get(object: JsonObject, key: string): JsonValue | undefined {
  let found: JsonValue | undefined;
  for (const [k, v] of object.entries) if (k === key) found = v;
  return found;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** Parses JSON text; throws with the offset of the first problem. */
export function parseJson(text: string): JsonValue {
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(`Invalid JSON at offset ${at}: ${what}`);
  };
  const space = (): void => {
    while (at < text.length && " \t\n\r".includes(text[at])) at++;
  };
  const value = (): JsonValue => {
    space();
    const c = text[at];
    if (c === "{") {
      at++;
      const entries: Array<readonly [string, JsonValue]> = [];
      space();
      if (text[at] === "}") {
        at++;
        return { entries };
      }
      for (;;) {
        space();
        if (text[at] !== '"') fail("expected a key");
        const key = string();
        space();
        if (text[at] !== ":") fail("expected ':'");
        at++;
        entries.push([key, value()]);
        space();
        if (text[at] === ",") {
          at++;
          continue;
        }
        if (text[at] === "}") {
          at++;
          return { entries };
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      at++;
      const items: JsonValue[] = [];
      space();
      if (text[at] === "]") {
        at++;
        return items;
      }
      for (;;) {
        items.push(value());
        space();
        if (text[at] === ",") {
          at++;
          continue;
        }
        if (text[at] === "]") {
          at++;
          return items;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return string();
    for (const [word, v] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = at;
    const m = NUMBER.exec(text);
    if (m === null) return fail(`unexpected ${c === undefined ? "end of text" : JSON.stringify(c)}`);
    at += m[0].length;
    return { number: m[0] };
  };
  const string = (): string => {
    STRING.lastIndex = at;
    const m = STRING.exec(text);
    if (m === null) return fail("invalid string");
    at += m[0].length;
    return JSON.parse(m[0]) as string;
  };
  const result = value();
  space();
  if (at !== text.length) fail("text after the value");
  return result;
}
