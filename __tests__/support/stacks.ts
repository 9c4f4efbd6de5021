import * as path from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { buildApp } from "../../stacks";
import { loadConfig } from "../../environments";
import { Synthesized, only } from "./module-stack";

/** Keel's reference platform (examples/omnirapeutic): what tests pin values of. `environments/` is the team's. */
export const REFERENCE_DIR = path.join(__dirname, "..", "..", "examples", "omnirapeutic");

/** The reference platform's config, validated as `environments/` would be. */
export const referenceConfig = () => loadConfig(REFERENCE_DIR);

/** Every stack of the reference platform's app: bootstrap, its account stack and its three environments. */
export function realStacks(): Map<string, TerraformStack> {
  const app = buildApp(Testing.app(), referenceConfig());
  return new Map(
    app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack).map((s) => [s.node.id, s]),
  );
}

export interface SynthJson extends Synthesized {
  readonly terraform: { readonly backend: Record<string, Record<string, unknown>> };
  readonly provider: { readonly aws: ReadonlyArray<Record<string, unknown>> };
}

const synthesized = new WeakMap<TerraformStack, string>();

/** A stack's synthesized text, once per stack object: a stack does not change after it is built. */
export function synthText(stack: TerraformStack): string {
  let text = synthesized.get(stack);
  if (text === undefined) {
    text = Testing.synth(stack);
    synthesized.set(stack, text);
  }
  return text;
}

/** A fresh parse of the stack's JSON, so a test may not change another's copy. */
export function synthJson(stack: TerraformStack): SynthJson {
  return JSON.parse(synthText(stack)) as SynthJson;
}

/** The only resource of `type` in a synthesized stack. */
export const onlyResource = only;

/** The state key by alias ARN in the shipped state account: what every backend must encrypt with. */
export const STATE_KEY_ALIAS_ARN = "arn:aws:kms:us-east-1:111122223333:alias/keel-bootstrap-tfstate";

/**
 * The S3 backend block a shipped stack must have: its own key, SSE-KMS with
 * the state key (not SSE-S3), DynamoDB and S3 lock file locking.
 */
export function shippedBackend(stackId: string): Record<string, Record<string, unknown>> {
  return {
    s3: {
      bucket: "keel-tfstate-111122223333-us-east-1",
      key: `${stackId}/terraform.tfstate`,
      region: "us-east-1",
      encrypt: true,
      kms_key_id: STATE_KEY_ALIAS_ARN,
      dynamodb_table: "keel-terraform-locks",
      use_lockfile: true,
    },
  };
}
