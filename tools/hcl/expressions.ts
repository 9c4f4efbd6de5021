import { JsonValue, isNumber, isObject, parseJson } from "./json";
import { TemplatePart, escapeTemplateLiteral, parseTemplate, soleExpression } from "./template";

/**
 * HCL expressions for JSON values, with the meaning Terraform gives the JSON.
 *
 * Where Terraform evaluates a JSON string as a template (almost everywhere),
 * the HCL is the same template: a bare expression when the string is exactly
 * one interpolation, `jsonencode(...)` or a heredoc for embedded JSON, else a
 * quoted string. Where Terraform reads a JSON string as a literal (backend
 * settings, variable defaults, descriptions), `${` and `%{` are escaped so the
 * HCL reads back the same characters.
 */

/** Two spaces per level, as terraform fmt writes. */
export const pad = (indent: number): string => " ".repeat(indent);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** Identifiers that would read as something else at the start of an object key. */
const RESERVED_KEYS = new Set(["true", "false", "null", "for", "in", "if"]);

/** An object key: bare when it is a plain identifier, else quoted. */
export function objectKey(key: string, literal: boolean): string {
  if (IDENTIFIER.test(key) && !RESERVED_KEYS.has(key)) return key;
  if (literal) return quoted([{ kind: "literal", text: key }]);
  const parts = parseTemplate(key);
  const sole = soleExpression(parts);
  return sole !== undefined ? `(${sole})` : quoted(parts);
}

/** A block label, always quoted (labels are never templates). */
export function label(text: string): string {
  return quoted([{ kind: "literal", text }]).replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
}

/** The HCL expression for a JSON value. `literal`: strings are not templates here. */
export function expression(value: JsonValue, indent: number, literal = false): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "string") return literal ? quoted([{ kind: "literal", text: value }]) : templateExpression(value, indent);
  if (isNumber(value)) return value.number;
  if (Array.isArray(value)) return list(value.map((v) => expression(v, indent + 2, literal)), indent);
  if (isObject(value)) return object(value.entries.map(([k, v]) => [objectKey(k, literal), expression(v, indent + 2, literal)]), indent);
  throw new Error(`Unexpected JSON value ${JSON.stringify(value)}`);
}

/** `[a, b]` on one line when short and simple, else one item per line. */
export function list(items: readonly string[], indent: number): string {
  if (items.length === 0) return "[]";
  const inline = `[${items.join(", ")}]`;
  if (inline.length <= 80 && !inline.includes("\n") && !items.some((i) => i.startsWith("{"))) return inline;
  return `[\n${items.map((i) => `${pad(indent + 2)}${i},`).join("\n")}\n${pad(indent)}]`;
}

/** `{ key = value }`, one entry per line. */
export function object(entries: ReadonlyArray<readonly [string, string]>, indent: number): string {
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => `${pad(indent + 2)}${k} = ${v}`).join("\n")}\n${pad(indent)}}`;
}

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]/;

/** A quoted template string: literal text escaped, interpolations and directives as written. */
export function quoted(parts: readonly TemplatePart[]): string {
  return `"${templateBody(parts, escapeQuoted)}"`;
}

function escapeQuoted(text: string): string {
  return escapeTemplateLiteral(text).replace(/[\\"\u0000-\u001f\u007f\u2028\u2029]/g, (c) => {
    switch (c) {
      case "\\":
        return "\\\\";
      case '"':
        return '\\"';
      case "\n":
        return "\\n";
      case "\r":
        return "\\r";
      case "\t":
        return "\\t";
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
    }
  });
}

/**
 * The template's text with literals escaped by `escape`. A literal `$` right
 * before an interpolation (or `%` before a directive) would merge with it into
 * an escape (`$${`), so that one character is written as an interpolation of
 * itself.
 */
function templateBody(parts: readonly TemplatePart[], escape: (text: string) => string): string {
  return parts
    .map((part, i) => {
      if (part.kind === "interpolation") return `\${${part.source}}`;
      if (part.kind === "directive") return `%{${part.source}}`;
      const next = parts[i + 1]?.kind;
      const last = part.text[part.text.length - 1];
      if ((last === "$" && next === "interpolation") || (last === "%" && next === "directive")) {
        return `${escape(part.text.slice(0, -1))}\${"${last}"}`;
      }
      return escape(part.text);
    })
    .join("");
}

/** A JSON string Terraform evaluates as a template, as the most readable HCL with the same value. */
export function templateExpression(text: string, indent: number): string {
  const parts = parseTemplate(text);
  const sole = soleExpression(parts);
  if (sole !== undefined) return sole;
  const embedded = embeddedJson(parts, indent);
  if (embedded !== undefined && embedded !== NOT_JSONENCODE) return embedded;
  const multiline = parts.some((p) => p.kind === "literal" && p.text.includes("\n"));
  if (multiline || embedded === NOT_JSONENCODE) {
    const doc = heredoc(parts);
    if (doc !== undefined) return doc;
  }
  return quoted(parts);
}

const looksLikeJson = (parts: readonly TemplatePart[]): boolean =>
  parts[0]?.kind === "literal" && /^\s*[[{]/.test(parts[0].text);

/**
 * A heredoc with exactly the template's value, or undefined when the text
 * cannot be one: a carriage return or another control character (a file's
 * line endings are not a value's), or no terminator that is not also a line.
 * A heredoc's value ends with a newline; chomp() removes it when the
 * original has none.
 */
export function heredoc(parts: readonly TemplatePart[]): string | undefined {
  if (parts.some((p) => p.kind === "literal" && (CONTROL.test(p.text) || p.text.includes("\r")))) return undefined;
  const body = templateBody(parts, escapeTemplateLiteral);
  const lines = new Set(body.split("\n").map((l) => l.trim()));
  let marker = "EOT";
  for (let n = 2; lines.has(marker); n++) marker = `EOT${n}`;
  if (body.endsWith("\n")) return `<<${marker}\n${body}${marker}`;
  return `chomp(<<${marker}\n${body}\n${marker}\n)`;
}

// Embedded JSON (policies, dashboards) as jsonencode(), only where Terraform's
// jsonencode produces the very same string: keys sorted, no spaces, `<`, `>`
// and `&` escaped, numbers in plain decimal. Interpolations may only be
// references to ARNs and IDs, which never hold a character jsonencode escapes.

const HOLE_START = "\ue000";
const HOLE_END = "\ue001";
const SAFE_REFERENCE = /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*|\[\d+\])*\.(arn|id|[a-z0-9_]+_arn|[a-z0-9_]+_id)$/;

/** Embedded JSON that jsonencode() would not reproduce byte for byte: it goes in a heredoc. */
const NOT_JSONENCODE = Symbol("not jsonencode");

/** jsonencode(...) for a template that is JSON, NOT_JSONENCODE when it is JSON jsonencode would write differently, else undefined. */
function embeddedJson(parts: readonly TemplatePart[], indent: number): string | typeof NOT_JSONENCODE | undefined {
  if (!looksLikeJson(parts) || parts.some((p) => p.kind === "directive")) return undefined;
  const holes: string[] = [];
  let text = "";
  for (const part of parts) {
    if (part.kind === "literal") {
      if (part.text.includes(HOLE_START) || part.text.includes(HOLE_END)) return undefined;
      text += part.text;
    } else {
      text += `${HOLE_START}${holes.length}${HOLE_END}`;
      holes.push(part.source.trim());
    }
  }
  let value: JsonValue;
  try {
    value = parseJson(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) && !isObject(value)) return undefined;
  if (!holes.every((h) => SAFE_REFERENCE.test(h)) || jsonencodeText(value) !== text) return NOT_JSONENCODE;
  return `jsonencode(${jsonValueExpression(value, indent, holes)})`;
}

function jsonValueExpression(value: JsonValue, indent: number, holes: readonly string[]): string {
  if (typeof value === "string") {
    const parts: TemplatePart[] = value
      .split(new RegExp(`(${HOLE_START}\\d+${HOLE_END})`))
      .filter((s) => s !== "")
      .map((s) => (s.startsWith(HOLE_START) ? { kind: "interpolation", source: holes[Number(s.slice(1, -1))] } : { kind: "literal", text: s }));
    const sole = soleExpression(parts);
    return sole ?? quoted(parts.length === 0 ? [{ kind: "literal", text: "" }] : parts);
  }
  if (Array.isArray(value)) return list(value.map((v) => jsonValueExpression(v, indent + 2, holes)), indent);
  if (isObject(value)) return object(value.entries.map(([k, v]) => [objectKey(k, true), jsonValueExpression(v, indent + 2, holes)]), indent);
  return expression(value, indent);
}

/** Terraform's jsonencode() text for a value, or undefined where it could differ by Terraform or Go version. */
export function jsonencodeText(value: JsonValue): string | undefined {
  if (value === null) return "null";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "string") return goJsonString(value);
  if (isNumber(value)) return /^-?(0|[1-9]\d*)(\.\d*[1-9])?$/.test(value.number) && value.number !== "-0" ? value.number : undefined;
  if (Array.isArray(value)) {
    const items = value.map(jsonencodeText);
    return items.includes(undefined) ? undefined : `[${items.join(",")}]`;
  }
  if (isObject(value)) {
    const keys = value.entries.map(([k]) => k);
    if (new Set(keys).size !== keys.length) return undefined;
    const entries = [...value.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [goJsonString(k), jsonencodeText(v)]);
    if (entries.some(([k, v]) => k === undefined || v === undefined)) return undefined;
    return `{${entries.map(([k, v]) => `${k}:${v}`).join(",")}}`;
  }
  return undefined;
}

/** Go's encoding/json string, HTML-safe as jsonencode writes it; undefined for \b and \f, whose form changed in Go 1.22. */
function goJsonString(text: string): string | undefined {
  if (/[\b\f]/.test(text)) return undefined;
  const escaped = text.replace(/["\\<>&\u0000-\u001f\u2028\u2029]/g, (c) => {
    switch (c) {
      case '"':
        return '\\"';
      case "\\":
        return "\\\\";
      case "\n":
        return "\\n";
      case "\r":
        return "\\r";
      case "\t":
        return "\\t";
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
    }
  });
  return `"${escaped}"`;
}

/** A reference written as a JSON string where Terraform expects a traversal (depends_on, ignore_changes, provider, moved). */
export function traversal(text: string, where: string): string {
  const parts = parseTemplate(text);
  const source = soleExpression(parts) ?? text;
  if (!/^[A-Za-z_][\w-]*(\.[A-Za-z_*][\w-]*|\[(\d+|"[^"]*")\])*$/.test(source)) {
    throw new Error(`${where}: ${JSON.stringify(text)} is not a reference (expected something like aws_vpc.main)`);
  }
  return source;
}
