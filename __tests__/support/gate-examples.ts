import * as fs from "node:fs";
import * as path from "node:path";
import { WORK } from "../../tools/project";
import { synthesize } from "../../tools/stacks";
import { exportHcl } from "../../tools/hcl/export";
import { GateStack } from "../../tools/hcl/gate";

/** The examples' account stacks share their names with the environments' (the same account ids): named apart. */
export const gateName = (example: string): string => (example.startsWith("account-") ? `examples-${example}` : example);

export interface ExamplesForGate {
  /** The synthesized stacks, as cdktf names them. */
  readonly examples: string[];
  readonly examplesDir: string;
  readonly hclDir: string;
  readonly stacks: GateStack[];
}

/** Every seed example synthesized and exported with `keel hcl`, in work folders of their own (`purpose` keeps two test files apart). */
export async function examplesForGate(purpose: string): Promise<ExamplesForGate> {
  const examplesDir = path.join(WORK, `test-out-${purpose}`);
  const hclDir = path.join(WORK, `test-out-${purpose}-hcl`);
  for (const dir of [examplesDir, hclDir]) fs.rmSync(dir, { recursive: true, force: true });
  const examples = await synthesize(examplesDir, { examples: true });
  const stacks = examples.map((s) => ({ name: gateName(s), jsonDir: path.join(examplesDir, "stacks", s), hclDir: path.join(hclDir, gateName(s)) }));
  for (const s of stacks) await exportHcl(path.join(s.jsonDir, "cdk.tf.json"), s.hclDir);
  return { examples, examplesDir, hclDir, stacks };
}
