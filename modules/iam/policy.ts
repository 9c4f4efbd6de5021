/** A principal in a policy statement. */
export type Principal =
  | { readonly AWS: string | readonly string[] }
  | { readonly Service: string | readonly string[] }
  | { readonly Federated: string }
  | "*";

export type Conditions = Readonly<Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>>;

/** One statement of an IAM, key or resource policy. */
export interface PolicyStatement {
  /** Says why the statement exists; every statement has one. */
  readonly sid: string;
  /** @default "Allow" */
  readonly effect?: "Allow" | "Deny";
  /**
   * Who the statement is about; only in resource, key and trust policies.
   * @default - none (identity policies)
   */
  readonly principal?: Principal;
  readonly actions: readonly string[];
  /**
   * What the statement covers; required in identity and resource policies.
   * @default - none (trust policies have no Resource)
   */
  readonly resources?: readonly string[];
  /**
   * Everything but these (IAM's `NotResource`): only for a Deny that must
   * spare a few resources, never with `resources`.
   * @default - none
   */
  readonly notResources?: readonly string[];
  /** @default - no condition */
  readonly conditions?: Conditions;
}

/**
 * Renders a policy document as deterministic JSON. Statements are written as
 * given, so a reviewer reads the same order in code and in `terraform plan`.
 */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  const sids = statements.map((s) => s.sid);
  const duplicate = sids.find((sid, i) => sids.indexOf(sid) !== i);
  const mixed = statements.find((s) => s.notResources !== undefined && (s.resources !== undefined || (s.effect ?? "Allow") !== "Deny"));
  if (mixed !== undefined) throw new Error(`Policy statement '${mixed.sid}': notResources is for a Deny statement without resources`);
  if (duplicate !== undefined) {
    throw new Error(`Policy statement sid '${duplicate}' is used twice; each statement needs its own sid`);
  }
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: statements.map((s) => ({
      Sid: s.sid,
      Effect: s.effect ?? "Allow",
      ...(s.principal !== undefined ? { Principal: s.principal } : {}),
      Action: s.actions.length === 1 ? s.actions[0] : s.actions,
      ...(s.resources !== undefined ? { Resource: s.resources.length === 1 ? s.resources[0] : s.resources } : {}),
      ...(s.notResources !== undefined ? { NotResource: s.notResources.length === 1 ? s.notResources[0] : s.notResources } : {}),
      ...(s.conditions !== undefined ? { Condition: s.conditions } : {}),
    })),
  });
}

/** The trust policy that lets one AWS service (e.g. `ec2.amazonaws.com`) assume a role. */
export function assumeRolePolicy(servicePrincipal: string, conditions?: Conditions): string {
  return policyDocument([
    {
      sid: "TrustedService",
      principal: { Service: servicePrincipal },
      actions: ["sts:AssumeRole"],
      ...(conditions !== undefined ? { conditions } : {}),
    },
  ]);
}
