/**
 * Decides whether a role's trust policy lets a web-identity token with
 * `claims` assume it, the way IAM does for the condition operators Keel's
 * trust policies may use: every operator of a statement must hold; within
 * one key, any listed value may match; StringEquals is exact and
 * case-sensitive; StringLike knows `*` and `?`. An operator it does not
 * know fails the test rather than pass silently.
 */
export function admits(trustPolicy: string, provider: string, claims: Readonly<Record<string, string>>): boolean {
  const doc = JSON.parse(trustPolicy) as { Statement: Array<{ Effect: string; Principal?: { Federated?: string }; Action: string | string[]; Condition?: Record<string, Record<string, string | string[]>> }> };
  const allowed = doc.Statement.filter(
    (s) =>
      s.Effect === "Allow" &&
      s.Principal?.Federated === provider &&
      ([] as string[]).concat(s.Action).includes("sts:AssumeRoleWithWebIdentity") &&
      Object.entries(s.Condition ?? {}).every(([operator, keys]) => Object.entries(keys).every(([key, values]) => holds(operator, claims[key], ([] as string[]).concat(values)))),
  );
  const denied = doc.Statement.some((s) => s.Effect === "Deny");
  if (denied) throw new Error("admits() does not evaluate Deny statements; extend it before trusting its answer");
  return allowed.length > 0;
}

function holds(operator: string, value: string | undefined, values: readonly string[]): boolean {
  if (value === undefined) return false;
  switch (operator) {
    case "StringEquals":
      return values.includes(value);
    case "StringLike":
      return values.some((pattern) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`).test(value));
    default:
      throw new Error(`admits() does not know condition operator ${operator}`);
  }
}
