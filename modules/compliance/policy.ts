import { strings } from "./model";

/** One statement of an IAM, key, bucket, topic or queue policy, with every list normalized. */
export interface Statement {
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  /** `*`, or the principal values of every kind (`AWS`, `Service`, `Federated`). */
  readonly principals: readonly string[];
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

interface RawStatement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/**
 * The statements of a policy document given as JSON text (how Keel's
 * modules write every policy). Undefined when the text is not JSON, e.g. a
 * `jsonencode(...)` expression: rules then skip it rather than guess.
 */
export function statements(document: unknown): readonly Statement[] | undefined {
  if (typeof document !== "string") return undefined;
  let parsed: { Statement?: RawStatement | readonly RawStatement[] };
  try {
    parsed = JSON.parse(document) as typeof parsed;
  } catch {
    return undefined;
  }
  const raw = parsed.Statement === undefined ? [] : Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement as RawStatement];
  return raw.map((s: RawStatement) => ({
    sid: s.Sid,
    effect: s.Effect === "Deny" ? "Deny" : "Allow",
    principals: principals(s.Principal),
    actions: strings(s.Action),
    notActions: strings(s.NotAction),
    resources: strings(s.Resource),
    conditions: s.Condition ?? {},
  }));
}

function principals(principal: unknown): readonly string[] {
  if (principal === undefined) return [];
  if (typeof principal === "string") return [principal];
  if (typeof principal === "object" && principal !== null) return Object.values(principal).flatMap((v) => strings(v));
  return [];
}

/** True when the action pattern covers every action of every service (`*`) or all of one (`s3:*`). */
export function isServiceWildcard(action: string): boolean {
  return action === "*" || /^[a-z0-9-]+:\*$/i.test(action);
}

/** Allow statements that grant to anyone (`*`) with no condition to narrow who. */
export function publicAllows(list: readonly Statement[]): readonly Statement[] {
  return list.filter((s) => s.effect === "Allow" && s.principals.includes("*") && Object.keys(s.conditions).length === 0);
}

/** The problem with a resource policy that grants to anyone (`*`) without a condition, naming the statements. */
export function publicGrantProblem(document: unknown): string | undefined {
  const open = publicAllows(statements(document) ?? []);
  return open.length > 0 ? `statement ${open.map((s) => s.sid ?? "(no Sid)").join(", ")} allows Principal * with no condition` : undefined;
}

/** True when a Deny statement refuses requests without TLS (`aws:SecureTransport` false). */
export function deniesInsecureTransport(list: readonly Statement[]): boolean {
  return list.some(
    (s) =>
      s.effect === "Deny" &&
      Object.entries(s.conditions).some(([operator, keys]) => operator.startsWith("Bool") && String(keys["aws:SecureTransport"]) === "false"),
  );
}
