import { NAME_KINDS, NameKind, nameProblem } from "./aws-names";

/**
 * How a stack's physical names are made, and the ones set by hand. Keel's
 * names stay the default: a project or environment only changes a name by
 * saying so here, and `keel plan` lists what that replaces.
 */
export interface NamingProps {
  /**
   * How a name is made: `{namespace}`, `{environment}` and `{name}` (the
   * resource's short name, required), joined by literal text. The result is
   * lower-cased, reduced to `[-a-z0-9]`, and fitted to the kind's limit. For
   * example `{namespace}-{name}` for a single-environment project.
   * @default "{namespace}-{environment}-{name}"
   */
  readonly pattern?: string;
  /**
   * How a name AWS requires to be unique across all accounts (S3 buckets) is
   * made: `pattern`'s placeholders, plus `{account}` and `{region}`.
   * @default "{namespace}-{environment}-{name}-{account}-{region}"
   */
  readonly globalPattern?: string;
  /**
   * Exact physical names, each keyed by `<kind>:<name>`: the name's kind
   * (`s3Bucket`, `dbCluster`, `securityGroup`, ...) and the short name Keel
   * gives the resource (`s3Bucket:audio`, `dbCluster:aurora`). Checked
   * against AWS's rules for the kind; a key no resource of the environment
   * has is an error that lists the keys there are. Used as given: no
   * pattern, no lower-casing, no hash.
   * @default {} - every name from the pattern
   */
  readonly names?: Readonly<Record<string, string>>;
}

export const DEFAULT_PATTERN = "{namespace}-{environment}-{name}";
export const DEFAULT_GLOBAL_PATTERN = "{namespace}-{environment}-{name}-{account}-{region}";

const PLACEHOLDER = /\{([^{}]*)\}/g;
const PATTERN_PLACEHOLDERS = ["namespace", "environment", "name"];
const GLOBAL_PLACEHOLDERS = [...PATTERN_PLACEHOLDERS, "account", "region"];

/** A problem with a `naming` setting: the field under `naming`, the value, and what is allowed. */
export interface NamingIssue {
  readonly field: string;
  readonly value: unknown;
  readonly allowed: string;
}

function patternIssues(field: string, pattern: string | undefined, placeholders: readonly string[]): NamingIssue[] {
  if (pattern === undefined) return [];
  const used = [...pattern.matchAll(PLACEHOLDER)].map((m) => m[1]);
  const unknown = used.filter((p) => !placeholders.includes(p));
  if (unknown.length > 0) return [{ field, value: pattern, allowed: `placeholders ${placeholders.map((p) => `{${p}}`).join(", ")} only (not {${unknown.join("}, {")}})` }];
  if (!used.includes("name")) return [{ field, value: pattern, allowed: "a pattern with {name}: without it every resource of a kind gets the same name" }];
  if (/[{}]/.test(pattern.replace(PLACEHOLDER, ""))) return [{ field, value: pattern, allowed: "balanced { } around each placeholder" }];
  return [];
}

/** The kind and short name of a `naming.names` key, or undefined when the key is malformed. */
export function parseNameKey(key: string): { kind: NameKind; name: string } | undefined {
  const at = key.indexOf(":");
  if (at < 0) return undefined;
  const kind = key.slice(0, at) as NameKind;
  return NAME_KINDS.includes(kind) ? { kind, name: key.slice(at + 1) } : undefined;
}

/**
 * Every problem of a `naming` setting, before anything is built: unknown
 * placeholders, a pattern without `{name}`, a key of an unknown kind, and
 * names AWS would refuse for their kind. (Whether a key names a resource the
 * environment has is known once it is built.)
 */
export function namingIssues(naming: NamingProps | undefined, prefix = "naming"): NamingIssue[] {
  if (naming === undefined) return [];
  const issues = [
    ...patternIssues(`${prefix}.pattern`, naming.pattern, PATTERN_PLACEHOLDERS),
    ...patternIssues(`${prefix}.globalPattern`, naming.globalPattern, GLOBAL_PLACEHOLDERS),
  ];
  for (const [key, value] of Object.entries(naming.names ?? {})) {
    const parsed = parseNameKey(key);
    if (parsed === undefined) {
      issues.push({ field: `${prefix}.names`, value: key, allowed: `a key <kind>:<name>, the kind one of ${NAME_KINDS.join(", ")}` });
      continue;
    }
    const problem = nameProblem(parsed.kind, value);
    if (problem !== undefined) issues.push({ field: `${prefix}.names.${key}`, value, allowed: `a ${parsed.kind} name AWS accepts: ${problem}` });
  }
  return issues;
}

/** Fills a pattern's placeholders. */
export function fillPattern(pattern: string, values: Readonly<Record<string, string>>): string {
  return pattern.replace(PLACEHOLDER, (_, p: string) => values[p] ?? "");
}
