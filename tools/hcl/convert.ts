import { JsonObject, JsonValue, get, isObject } from "./json";
import { expression, label, list, object, objectKey, pad, traversal } from "./expressions";
import { BlockSchema, ProviderSchema, SchemaCache, cachedProvider, providerAddress, typeSchema } from "./schema";

/**
 * Terraform JSON (cdk.tf.json) to Terraform's native syntax, block by block,
 * driven by the providers' schemas. Every construct of Terraform's JSON
 * syntax Keel or cdktf can produce has a case here; anything else is refused
 * with its location, never guessed.
 */

/** One HCL file: its name and its blocks, each already rendered. */
export interface HclFiles {
  readonly [file: string]: string;
}

const HEADER = "# Converted from cdk.tf.json by `keel hcl`. Each block names the construct it came from.\n";

/** Files whose names the converter chooses; a construct with one of these names gets "<name>-resources.tf". */
const FIXED_FILES = ["providers", "backend", "variables", "locals", "outputs", "moved", "main"];

interface Block {
  readonly file: string;
  readonly text: string;
}

export function convertStack(stack: JsonObject, cache: SchemaCache): HclFiles {
  const providers = providerSchemas(stack, cache);
  const blocks: Block[] = [];
  for (const [key, value] of stack.entries) {
    const where = key;
    switch (key) {
      case "//":
        break;
      case "terraform":
        blocks.push(...terraformBlocks(objectOf(value, where)));
        break;
      case "provider":
        for (const [name, configs] of objectOf(value, where).entries) {
          for (const body of bodies(configs, `provider.${name}`)) {
            const schema = providers.get(name)?.provider;
            if (schema === undefined) throw new Error(`provider.${name}: no required_providers entry or cached schema for provider "${name}"`);
            blocks.push({ file: "providers", text: block(`provider ${label(name)}`, bodyLines(body, schema, 2, `provider.${name}`, "provider"), 0) });
          }
        }
        break;
      case "resource":
      case "data":
        for (const [type, byName] of objectOf(value, where).entries) {
          for (const [name, raw] of objectOf(byName, `${key}.${type}`).entries) {
            const at = `${key === "data" ? "data." : ""}${type}.${name}`;
            const body = objectOf(raw, at);
            const schema = typeSchema(providers, key, type);
            const header = `${key} ${label(type)} ${label(name)}`;
            blocks.push({ file: constructFile(body), text: comment(body) + block(header, bodyLines(body, schema, 2, at, key), 0) });
          }
        }
        break;
      case "module":
        for (const [name, raw] of objectOf(value, where).entries) {
          const body = objectOf(raw, `module.${name}`);
          blocks.push({ file: constructFile(body), text: comment(body) + block(`module ${label(name)}`, moduleLines(body, `module.${name}`), 0) });
        }
        break;
      case "output":
        for (const [name, raw] of objectOf(value, where).entries) {
          const body = objectOf(raw, `output.${name}`);
          blocks.push({ file: "outputs", text: comment(body) + block(`output ${label(name)}`, outputLines(body, `output.${name}`), 0) });
        }
        break;
      case "variable":
        for (const [name, raw] of objectOf(value, where).entries) {
          const body = objectOf(raw, `variable.${name}`);
          blocks.push({ file: "variables", text: comment(body) + block(`variable ${label(name)}`, variableLines(body, `variable.${name}`), 0) });
        }
        break;
      case "locals":
        for (const body of bodies(value, "locals")) {
          const lines = body.entries.filter(([k]) => k !== "//").map(([k, v]) => attribute(identifier(k, "locals"), expression(v, 2), 2));
          blocks.push({ file: "locals", text: block("locals", lines, 0) });
        }
        break;
      case "moved":
      case "import":
      case "removed":
        for (const body of bodies(value, key)) blocks.push({ file: "moved", text: block(key, addressBlockLines(key, body), 0) });
        break;
      default:
        throw new Error(`${where}: top-level "${key}" is not supported by keel hcl`);
    }
  }
  const files: Record<string, string[]> = {};
  for (const b of blocks) (files[`${b.file}.tf`] ??= []).push(b.text);
  return Object.fromEntries(
    Object.keys(files)
      .sort()
      .map((f) => [f, HEADER + "\n" + files[f].join("\n\n") + "\n"]),
  );
}

/** Each provider's cached schema, by the local name the stack gives it in required_providers. */
function providerSchemas(stack: JsonObject, cache: SchemaCache): Map<string, ProviderSchema> {
  const result = new Map<string, ProviderSchema>();
  const builtin = cachedProvider(cache, "terraform.io/builtin/terraform");
  if (builtin !== undefined) result.set("terraform", builtin.schema);
  const terraform = get(stack, "terraform");
  const required = terraform !== undefined && isObject(terraform) ? get(terraform, "required_providers") : undefined;
  if (required === undefined || !isObject(required)) return result;
  for (const [name, requirement] of required.entries) {
    const source = isObject(requirement) ? get(requirement, "source") : undefined;
    const version = isObject(requirement) ? get(requirement, "version") : requirement;
    const address = providerAddress(typeof source === "string" ? source : name);
    const cached = cachedProvider(cache, address);
    if (cached === undefined || cached.version !== version) {
      throw new Error(
        `terraform.required_providers.${name}: needs the schema of ${address} ${String(version)}; ` +
          `tools/hcl/provider-schemas.json holds ${cached === undefined ? "no schema for it" : `version ${cached.version}`}. ` +
          "Pin the exact version the cache holds, or run `npx keel hcl --update-schema`.",
      );
    }
    result.set(name, cached.schema);
  }
  return result;
}

function objectOf(value: JsonValue | undefined, where: string): JsonObject {
  if (value === undefined || !isObject(value)) throw new Error(`${where}: expected an object, found ${JSON.stringify(value)}`);
  return value;
}

/** A block written once as an object or several times as an array of objects. */
function bodies(value: JsonValue, where: string): JsonObject[] {
  if (value === null) return [];
  if (Array.isArray(value)) return value.map((v, i) => objectOf(v, `${where}[${i}]`));
  return [objectOf(value, where)];
}

function identifier(name: string, where: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) throw new Error(`${where}: "${name}" is not a valid Terraform name`);
  return name;
}

/** The construct path cdktf records in a block's "//" metadata. */
function constructPath(body: JsonObject): string | undefined {
  const meta = get(body, "//");
  const metadata = meta !== undefined && isObject(meta) ? get(meta, "metadata") : undefined;
  const p = metadata !== undefined && isObject(metadata) ? get(metadata, "path") : undefined;
  return typeof p === "string" ? p : undefined;
}

function comment(body: JsonObject): string {
  const p = constructPath(body);
  return p === undefined ? "" : `# ${p.replace(/[\r\n]/g, " ")}\n`;
}

/** The file a block goes in: its top-level construct ("production/vpc/resource" -> vpc), else main. */
function constructFile(body: JsonObject): string {
  const segments = constructPath(body)?.split("/") ?? [];
  if (segments.length < 3) return "main";
  const name = segments[1].toLowerCase().replace(/[^a-z0-9_-]+/g, "-");
  return FIXED_FILES.includes(name) ? `${name}-resources` : name;
}

function attribute(name: string, value: string, indent: number): string {
  return `${pad(indent)}${name} = ${value}`;
}

function block(header: string, lines: readonly string[], indent: number): string {
  if (lines.length === 0) return `${pad(indent)}${header} {}`;
  return `${pad(indent)}${header} {\n${lines.join("\n")}\n${pad(indent)}}`;
}

type BodyKind = "resource" | "data" | "provider" | "nested";

/**
 * A resource, data source, provider or nested block body, in the order a
 * Terraform author writes one: count, for_each, provider and alias first,
 * then attributes, then nested and dynamic blocks, then depends_on,
 * lifecycle, connection and provisioners.
 */
function bodyLines(body: JsonObject, schema: BlockSchema, indent: number, where: string, kind: BodyKind): string[] {
  const first: string[] = [];
  const attributes: string[] = [];
  const blocks: string[] = [];
  const last: string[] = [];
  const meta = kind === "resource" || kind === "data";
  for (const [key, value] of body.entries) {
    const at = `${where}.${key}`;
    if (key === "//") continue;
    if (meta && (key === "count" || key === "for_each")) first.push(attribute(key, expression(value, indent), indent));
    else if (meta && key === "provider") first.push(attribute(key, traversal(stringOf(value, at), at), indent));
    else if (kind === "provider" && key === "alias") first.push(attribute(key, expression(value, indent, true), indent));
    else if (meta && key === "depends_on") last.push(attribute(key, traversals(value, at, indent), indent));
    else if (meta && key === "lifecycle") for (const b of bodies(value, at)) last.push(block("lifecycle", lifecycleLines(b, indent + 2, at), indent));
    else if (kind === "resource" && key === "connection") for (const b of bodies(value, at)) last.push(block("connection", plainLines(b, indent + 2, at), indent));
    else if (kind === "resource" && key === "provisioner") last.push(...provisioners(value, indent, at));
    else if (key === "dynamic") blocks.push(...dynamicBlocks(value, schema, indent, at));
    else if (schema.blocks[key] !== undefined) blocks.push(...nestedBlocks(key, value, schema.blocks[key], indent, at));
    else if (schema.attributes.includes(key)) attributes.push(attribute(key, expression(value, indent), indent));
    else throw new Error(`${at}: "${key}" is neither an attribute nor a block in the cached schema`);
  }
  return [...first, ...attributes, ...blocks, ...last];
}

function nestedBlocks(name: string, value: JsonValue, schema: BlockSchema & { nesting: string }, indent: number, where: string): string[] {
  if (schema.nesting === "map") {
    return objectOf(value, where).entries.map(([key, b]) =>
      block(`${name} ${label(key)}`, bodyLines(objectOf(b, `${where}.${key}`), schema, indent + 2, `${where}.${key}`, "nested"), indent),
    );
  }
  const all = bodies(value, where);
  if ((schema.nesting === "single" || schema.nesting === "group") && all.length > 1) throw new Error(`${where}: at most one "${name}" block`);
  return all.map((b, i) => block(name, bodyLines(b, schema, indent + 2, all.length > 1 ? `${where}[${i}]` : where, "nested"), indent));
}

function dynamicBlocks(value: JsonValue, schema: BlockSchema, indent: number, where: string): string[] {
  const lines: string[] = [];
  for (const group of bodies(value, where)) {
    for (const [name, specs] of group.entries) {
      const nested = schema.blocks[name];
      if (nested === undefined) throw new Error(`${where}.${name}: "${name}" is not a block in the cached schema`);
      for (const spec of bodies(specs, `${where}.${name}`)) {
        const settings: string[] = [];
        const content: string[] = [];
        for (const [key, v] of spec.entries) {
          const at = `${where}.${name}.${key}`;
          if (key === "for_each" || key === "labels") settings.push(attribute(key, expression(v, indent + 2), indent + 2));
          else if (key === "iterator") settings.push(attribute(key, identifier(stringOf(v, at), at), indent + 2));
          else if (key === "content") for (const c of bodies(v, at)) content.push(block("content", bodyLines(c, nested, indent + 4, at, "nested"), indent + 2));
          else if (key !== "//") throw new Error(`${at}: unknown argument of a dynamic block`);
        }
        lines.push(block(`dynamic ${label(name)}`, [...settings, ...content], indent));
      }
    }
  }
  return lines;
}

function stringOf(value: JsonValue | undefined, where: string): string {
  if (typeof value !== "string") throw new Error(`${where}: expected a string, found ${JSON.stringify(value)}`);
  return value;
}

function traversals(value: JsonValue, where: string, indent: number): string {
  if (!Array.isArray(value)) throw new Error(`${where}: expected a list of references`);
  return list(
    value.map((v, i) => traversal(stringOf(v, `${where}[${i}]`), `${where}[${i}]`)),
    indent,
  );
}

/** Attributes only, every value an expression (connection blocks, provisioner settings). */
function plainLines(body: JsonObject, indent: number, where: string): string[] {
  return body.entries.filter(([k]) => k !== "//").map(([k, v]) => attribute(identifier(k, where), expression(v, indent), indent));
}

function conditionBlocks(name: string, value: JsonValue, indent: number, where: string): string[] {
  return bodies(value, where).map((b) =>
    block(
      name,
      b.entries.map(([k, v]) => {
        if (k !== "condition" && k !== "error_message") throw new Error(`${where}.${k}: unknown argument of a ${name} block`);
        return attribute(k, expression(v, indent + 2), indent + 2);
      }),
      indent,
    ),
  );
}

function lifecycleLines(body: JsonObject, indent: number, where: string): string[] {
  const settings: string[] = [];
  const conditions: string[] = [];
  for (const [key, value] of body.entries) {
    const at = `${where}.${key}`;
    if (key === "create_before_destroy" || key === "prevent_destroy") settings.push(attribute(key, expression(value, indent, true), indent));
    else if (key === "ignore_changes") settings.push(attribute(key, value === "all" ? "all" : traversals(value, at, indent), indent));
    else if (key === "replace_triggered_by") settings.push(attribute(key, traversals(value, at, indent), indent));
    else if (key === "precondition" || key === "postcondition") conditions.push(...conditionBlocks(key, value, indent, at));
    else if (key !== "//") throw new Error(`${at}: unknown lifecycle argument`);
  }
  return [...settings, ...conditions];
}

/** `when` and `on_failure` take keywords (destroy, continue, fail); JSON writes them as strings. */
const KEYWORD_ARGUMENTS = new Set(["when", "on_failure"]);

function provisioners(value: JsonValue, indent: number, where: string): string[] {
  const lines: string[] = [];
  for (const [i, entry] of bodies(value, where).entries()) {
    for (const [type, raw] of entry.entries) {
      const at = `${where}[${i}].${type}`;
      const inner: string[] = [];
      for (const [key, v] of objectOf(raw, at).entries) {
        if (KEYWORD_ARGUMENTS.has(key)) inner.push(attribute(key, identifier(stringOf(v, `${at}.${key}`), `${at}.${key}`), indent + 2));
        else if (key === "connection") for (const c of bodies(v, `${at}.connection`)) inner.push(block("connection", plainLines(c, indent + 4, `${at}.connection`), indent + 2));
        else if (key !== "//") inner.push(attribute(identifier(key, at), expression(v, indent + 2), indent + 2));
      }
      lines.push(block(`provisioner ${label(type)}`, inner, indent));
    }
  }
  return lines;
}

function moduleLines(body: JsonObject, where: string): string[] {
  const lines: string[] = [];
  for (const [key, value] of body.entries) {
    const at = `${where}.${key}`;
    if (key === "//") continue;
    if (key === "source" || key === "version") lines.push(attribute(key, expression(value, 2, true), 2));
    else if (key === "depends_on") lines.push(attribute(key, traversals(value, at, 2), 2));
    else if (key === "providers") {
      const entries = objectOf(value, at).entries.map(([k, v]) => [traversal(k, at), traversal(stringOf(v, `${at}.${k}`), `${at}.${k}`)] as const);
      lines.push(attribute(key, object(entries, 2), 2));
    } else lines.push(attribute(identifier(key, at), expression(value, 2), 2));
  }
  return lines;
}

function outputLines(body: JsonObject, where: string): string[] {
  const lines: string[] = [];
  for (const [key, value] of body.entries) {
    const at = `${where}.${key}`;
    if (key === "//") continue;
    if (key === "value") lines.push(attribute(key, expression(value, 2), 2));
    else if (key === "description" || key === "sensitive" || key === "ephemeral") lines.push(attribute(key, expression(value, 2, true), 2));
    else if (key === "depends_on") lines.push(attribute(key, traversals(value, at, 2), 2));
    else if (key === "precondition") lines.push(...conditionBlocks(key, value, 2, at));
    else throw new Error(`${at}: unknown output argument`);
  }
  return lines;
}

function variableLines(body: JsonObject, where: string): string[] {
  const lines: string[] = [];
  for (const [key, value] of body.entries) {
    const at = `${where}.${key}`;
    if (key === "//") continue;
    // A type is a type expression written as a string: string, list(string), object({ ... }).
    if (key === "type") lines.push(attribute(key, stringOf(value, at), 2));
    else if (["default", "description", "sensitive", "nullable", "ephemeral"].includes(key)) lines.push(attribute(key, expression(value, 2, true), 2));
    else if (key === "validation") lines.push(...conditionBlocks(key, value, 2, at));
    else throw new Error(`${at}: unknown variable argument`);
  }
  return lines;
}

function addressBlockLines(kind: string, body: JsonObject): string[] {
  const lines: string[] = [];
  for (const [key, value] of body.entries) {
    const at = `${kind}.${key}`;
    if (key === "from" || key === "to" || key === "provider") lines.push(attribute(key, traversal(stringOf(value, at), at), 2));
    else if (kind === "import" && (key === "id" || key === "for_each")) lines.push(attribute(key, expression(value, 2), 2));
    else if (kind === "removed" && key === "lifecycle") {
      for (const b of bodies(value, at)) lines.push(block("lifecycle", b.entries.map(([k, v]) => attribute(identifier(k, at), expression(v, 4, true), 4)), 2));
    } else if (key !== "//") throw new Error(`${at}: unknown ${kind} argument`);
  }
  return lines;
}

/** required_version and required_providers in providers.tf, the backend in backend.tf: all literal values. */
function terraformBlocks(body: JsonObject): Block[] {
  const settings: string[] = [];
  const backends: Block[] = [];
  for (const [key, value] of body.entries) {
    const at = `terraform.${key}`;
    if (key === "required_version") settings.push(attribute(key, expression(value, 2, true), 2));
    else if (key === "required_providers") {
      const entries = objectOf(value, at).entries.map(([name, req]) => {
        if (!isObject(req)) return [objectKey(name, true), expression(req, 4, true)] as const;
        const fields = req.entries.map(([k, v]) => {
          if (k === "configuration_aliases") return [k, traversals(v, `${at}.${name}.${k}`, 6)] as const;
          // "aws" and "hashicorp/aws" name the same provider; a Terraform reader expects the full form.
          if (k === "source" && typeof v === "string" && !v.includes("/")) return [k, expression(`hashicorp/${v}`, 6, true)] as const;
          return [k, expression(v, 6, true)] as const;
        });
        return [objectKey(name, true), object(fields, 4)] as const;
      });
      settings.push(block("required_providers", entries.map(([k, v]) => attribute(k, v, 4)), 2));
    } else if (key === "backend") {
      for (const [type, config] of objectOf(value, at).entries) {
        const lines = objectOf(config, `${at}.${type}`).entries.map(([k, v]) => attribute(identifier(k, at), expression(v, 4, true), 4));
        backends.push({ file: "backend", text: block("terraform", [block(`backend ${label(type)}`, lines, 2)], 0) });
      }
    } else if (key !== "//") throw new Error(`${at}: not supported by keel hcl`);
  }
  return [...(settings.length > 0 ? [{ file: "providers", text: block("terraform", settings, 0) }] : []), ...backends];
}

