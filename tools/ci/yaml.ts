/**
 * A small, deterministic YAML writer for GitHub workflow files: maps in the
 * order given, lists, numbers, booleans, and strings, plain where YAML reads
 * them back as the same string, double-quoted (JSON escaping, valid YAML)
 * otherwise, and `|` blocks for multi-line scripts. No anchors, no tags.
 */
export type Yaml = string | number | boolean | null | readonly Yaml[] | { readonly [key: string]: Yaml | undefined };

const PLAIN = /^[A-Za-z0-9_./${}()|&!=<>'@*, -]+$/;
const RESERVED = /^(true|false|yes|no|on|off|null|~|y|n|[-+]?\d[\d._]*(e[-+]?\d+)?)$/i;

function scalar(value: string): string {
  const plain = PLAIN.test(value) && !RESERVED.test(value) && !/^[-?:,\[\]{}#&*!|>'"%@` ]/.test(value) && !/ #|: |:$|\s$/.test(value) && !value.startsWith("${{") ;
  // An expression alone (`${{ ... }}`) is plain YAML too, but quoting it keeps `{` from starting a flow map.
  return plain ? value : JSON.stringify(value);
}

function isMap(v: Yaml): v is { readonly [key: string]: Yaml | undefined } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function lines(value: Yaml, indent: string): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${indent}[]`];
    return value.flatMap((item: Yaml) => {
      const inner = lines(item, `${indent}  `);
      const first = inner[0].slice(indent.length + 2);
      return [`${indent}- ${first}`, ...inner.slice(1)];
    });
  }
  if (isMap(value)) {
    const entries = Object.entries(value).filter((e): e is [string, Yaml] => e[1] !== undefined);
    if (entries.length === 0) return [`${indent}{}`];
    return entries.flatMap(([key, v]) => {
      // A key is never a boolean to GitHub's YAML reader, so `on:` stays plain.
      const k = key === "on" ? key : scalar(key);
      if (typeof v === "string" && v.includes("\n")) {
        return [`${indent}${k}: |`, ...v.replace(/\n$/, "").split("\n").map((l) => (l === "" ? "" : `${indent}  ${l}`))];
      }
      if ((Array.isArray(v) && v.length > 0) || (isMap(v) && Object.values(v).some((x) => x !== undefined))) return [`${indent}${k}:`, ...lines(v, `${indent}  `)];
      return [`${indent}${k}: ${lines(v, "")[0]}`];
    });
  }
  if (typeof value === "string") return [`${indent}${scalar(value)}`];
  return [`${indent}${value === null ? "null" : String(value)}`];
}

/** The YAML text of `value`, ending in a newline. */
export function toYaml(value: Yaml): string {
  return lines(value, "").join("\n") + "\n";
}
