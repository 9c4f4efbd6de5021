import { Testing, TerraformStack } from "cdktf";
import { Label } from "../../modules/label";
import { KeelStack } from "../../stacks";

/** Keel's stack type (readable addresses), with nothing in it. */
class TestStack extends KeelStack {}

export type Body = Record<string, unknown>;
export interface Synthesized {
  readonly resource?: Record<string, Record<string, Body>>;
  readonly data?: Record<string, unknown>;
  readonly output?: Record<string, Body>;
}

/** A bare stack with a label (account 111122223333, us-east-1), to build one module in. */
export function moduleStack(environment = "test", namespace = "keel"): TerraformStack {
  const stack = new TestStack(Testing.app(), environment);
  Label.attach(
    stack,
    new Label({
      namespace,
      environment,
      tags: { owner: "o", costCenter: "c", dataClassification: "internal" },
      accountId: "111122223333",
      region: "us-east-1",
    }),
  );
  return stack;
}

export function synth(stack: TerraformStack): Synthesized {
  return JSON.parse(Testing.synth(stack)) as Synthesized;
}

/** Resources of one type, by their Terraform name. */
export function resources(json: Synthesized, type: string): Record<string, Body> {
  return json.resource?.[type] ?? {};
}

/** The only resource of `type`. */
export function only(json: Synthesized, type: string): Body {
  const all = Object.values(resources(json, type));
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

/** The Terraform reference `${type.name.attr}` to a resource in the same stack. */
export function ref(type: string, name: string, attr: string): string {
  return `\${${type}.${name}.${attr}}`;
}

/** The name of the resource of `type` whose body satisfies `match`. */
export function nameOf(json: Synthesized, type: string, match: (b: Body) => boolean): string {
  const found = Object.entries(resources(json, type)).filter(([, b]) => match(b));
  if (found.length !== 1) throw new Error(`expected one matching ${type}, found ${found.length}`);
  return found[0][0];
}

/** The message `build` throws; fails the test when it throws nothing. */
export const thrown = (build: () => unknown): string => {
  try {
    build();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an error");
};
