/**
 * Terraform's template language, shared by JSON strings and HCL quoted
 * strings and heredocs: literal text, `${ expression }` interpolations and
 * `%{ directive }`s, where `$${` and `%%{` are a literal `${` and `%{`.
 */
export type TemplatePart =
  | { readonly kind: "literal"; readonly text: string }
  | { readonly kind: "interpolation"; readonly source: string }
  | { readonly kind: "directive"; readonly source: string };

/**
 * Splits a template into parts. Literal parts hold the text the template
 * produces (escapes resolved); interpolation and directive parts hold the
 * source between the braces, exactly as written.
 */
export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = "";
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("$${", i) || text.startsWith("%%{", i)) {
      literal += text[i] + "{";
      i += 3;
    } else if (text.startsWith("${", i) || text.startsWith("%{", i)) {
      const end = expressionEnd(text, i + 2);
      if (literal !== "") parts.push({ kind: "literal", text: literal });
      literal = "";
      parts.push({ kind: text[i] === "$" ? "interpolation" : "directive", source: text.slice(i + 2, end) });
      i = end + 1;
    } else {
      literal += text[i];
      i++;
    }
  }
  if (literal !== "") parts.push({ kind: "literal", text: literal });
  return parts;
}

/** The index of the `}` that closes an interpolation whose source starts at `start`. */
function expressionEnd(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = quotedEnd(text, i + 1);
      continue;
    }
    if (c === "{") depth++;
    else if (c === "}") {
      if (depth === 0) return i;
      depth--;
    }
    i++;
  }
  throw new Error(`Unterminated interpolation in template: ${JSON.stringify(text)}`);
}

/** The index just after the `"` that closes a quoted string whose content starts at `start`. */
function quotedEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\") i += 2;
    else if (c === '"') return i + 1;
    else if (text.startsWith("$${", i) || text.startsWith("%%{", i)) i += 3;
    else if (text.startsWith("${", i) || text.startsWith("%{", i)) i = expressionEnd(text, i + 2) + 1;
    else i++;
  }
  throw new Error(`Unterminated string in template: ${JSON.stringify(text)}`);
}

/** The expression a template is, when it is exactly one interpolation (no strip markers): its value is that expression's, unconverted. */
export function soleExpression(parts: readonly TemplatePart[]): string | undefined {
  if (parts.length !== 1 || parts[0].kind !== "interpolation") return undefined;
  const source = parts[0].source;
  if (source.startsWith("~") || source.endsWith("~")) return undefined;
  return source.trim();
}

/** Literal text written so that a template reads it back unchanged: `${` and `%{` escaped. */
export function escapeTemplateLiteral(text: string): string {
  return text.replace(/([$%])\{/g, "$1$1{");
}
