import { Testing, TerraformStack } from "cdktf";
import { buildApp } from "../../stacks";
import { loadConfig } from "../../environments";
import { Synthesized, only } from "./module-stack";

/** Every stack of the real app, built from the shipped configuration. */
export function realStacks(): Map<string, TerraformStack> {
  const app = buildApp(Testing.app(), loadConfig());
  return new Map(
    app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack).map((s) => [s.node.id, s]),
  );
}

export interface SynthJson extends Synthesized {
  readonly terraform: { readonly backend: Record<string, Record<string, unknown>> };
  readonly provider: { readonly aws: ReadonlyArray<Record<string, unknown>> };
}

export function synthJson(stack: TerraformStack): SynthJson {
  return JSON.parse(Testing.synth(stack)) as SynthJson;
}

/** The only resource of `type` in a synthesized stack. */
export const onlyResource = only;
