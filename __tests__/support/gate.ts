import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT, WORK } from "../../tools/project";
import { synthesize } from "../../tools/stacks";
import { exportHcl } from "../../tools/hcl/export";
import { GateStack } from "../../tools/hcl/gate";
import { STRESS_STACK, synthStress } from "../fixtures/hcl-stress";

/** The examples' account stacks share their names with the environments' (the same account ids): named apart. */
export const gateName = (example: string): string => (example.startsWith("account-") ? `examples-${example}` : example);

/**
 * Whether each stack's exported default security group has no rule at all (`egress = []`,
 * `ingress = []`), read from its `vpc.tf` as `keel hcl` wrote it.
 */
export function defaultSecurityGroupsLocked(hclDir: string, stacks: readonly string[]): { stack: string; locked: boolean }[] {
  return stacks.map((stack) => {
    const vpc = fs.readFileSync(path.join(hclDir, stack, "vpc.tf"), "utf8");
    const group = vpc.slice(vpc.indexOf('resource "aws_default_security_group"'));
    return { stack, locked: /^resource "aws_default_security_group" "\w+" \{\n  egress  = \[\]\n  ingress = \[\]\n/.test(group) };
  });
}

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

export interface ReferenceForGate {
  /** The reference platform's stacks, as cdktf names them. */
  readonly stacks: string[];
  readonly outDir: string;
  readonly hclDir: string;
  /** The reference platform's stacks and, with `stress`, keel hcl's stress fixture, each with its export. */
  readonly all: GateStack[];
  /** Each export's files, by stack. */
  readonly exported: Map<string, string[]>;
}

/**
 * Keel's reference platform (examples/omnirapeutic: the stacks and files tests pin) synthesized and
 * exported with `keel hcl`, and with `stress` the converter's stress fixture, in work folders of their own.
 */
export async function referenceForGate(purpose: string, stress: boolean): Promise<ReferenceForGate> {
  const outDir = path.join(WORK, `test-out-${purpose}`);
  const stressDir = path.join(WORK, `test-out-${purpose}-stress`);
  const hclDir = path.join(WORK, `test-out-${purpose}-hcl`);
  for (const dir of [outDir, stressDir, hclDir]) fs.rmSync(dir, { recursive: true, force: true });
  const stacks = await synthesize(outDir, { config: "examples/omnirapeutic" });
  const all = [
    ...stacks.map((s) => ({ name: s, jsonDir: path.join(outDir, "stacks", s) })),
    ...(stress ? [{ name: STRESS_STACK, jsonDir: synthStress(path.join(stressDir, "out"), path.join(ROOT, ".terraform.lock.hcl")) }] : []),
  ].map((s) => ({ ...s, hclDir: path.join(hclDir, s.name) }));
  const exported = new Map<string, string[]>();
  for (const s of all) exported.set(s.name, [...(await exportHcl(path.join(s.jsonDir, "cdk.tf.json"), s.hclDir)).files]);
  return { stacks, outDir, hclDir, all, exported };
}
