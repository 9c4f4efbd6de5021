import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT, WORK } from "../tools/project";
import { synthesize } from "../tools/stacks";
import { exportHcl } from "../tools/hcl/export";
import { GateResult, runGate } from "../tools/hcl/gate";

// The seed examples through keel hcl's gate, offline, with the real terraform: each as its
// synthesized JSON and as its HCL export, planned side by side in one root. The environments and
// the stress fixture go through it in validate-and-plan.terraform.test.ts, on the other jest worker.
jest.setTimeout(300_000);

const examplesDir = path.join(WORK, "test-out-examples");
const hclDir = path.join(WORK, "test-out-hcl-examples");

/** The examples' account stacks share their names with the environments' (the same account ids): named apart. */
const gateName = (example: string): string => (example.startsWith("account-") ? `examples-${example}` : example);

let examples: string[] = [];
let gate: GateResult;

beforeAll(async () => {
  for (const dir of [examplesDir, hclDir]) fs.rmSync(dir, { recursive: true, force: true });
  examples = await synthesize(examplesDir, { examples: true });
  const all = examples.map((s) => ({ name: gateName(s), jsonDir: path.join(examplesDir, "stacks", s), hclDir: path.join(hclDir, gateName(s)) }));
  for (const s of all) await exportHcl(path.join(s.jsonDir, "cdk.tf.json"), s.hclDir);
  gate = await runGate(all, path.join(WORK, "work", "hcl-gate-examples"), path.join(ROOT, ".terraform.lock.hcl"));
});

it("synthesizes every seed example, and only them, into their own folder", () => {
  // Each example is a whole system: its environment and its account's stack.
  expect(examples).toEqual([
    "account-059364397483-us-east-1",
    "account-111122223333-us-east-1",
    "account-706704660887-us-east-1",
    "account-741783034843-us-east-1",
    "mentalspace",
    "nora",
    "outreachpass",
    "startupwebapp",
  ]);
});

it("plans every example offline, leaving cdktf output untouched", () => {
  expect(gate.stacks.map((s) => s.name).sort()).toEqual(examples.map(gateName).sort());
  for (const stack of examples) expect(fs.readdirSync(path.join(examplesDir, "stacks", stack)).filter((f) => f.includes("override") || f.endsWith(".tf"))).toEqual([]);
});

it("keeps every exported default security group locked down: no ingress, no egress", () => {
  const exports = examples.filter((s) => !s.startsWith("account-"));
  expect(exports).toHaveLength(4);
  for (const stack of exports) {
    const vpc = fs.readFileSync(path.join(hclDir, stack, "vpc.tf"), "utf8");
    const group = vpc.slice(vpc.indexOf('resource "aws_default_security_group"'));
    expect({ stack, locked: /^resource "aws_default_security_group" "\w+" \{\n  egress  = \[\]\n  ingress = \[\]\n/.test(group) }).toEqual({ stack, locked: true });
  }
});

it("leaves nothing for terraform fmt -check to change, and validates every export with 0 errors and 0 warnings", () => {
  expect(gate.unformatted).toEqual([]);
  expect(gate.validate).toEqual({ errors: 0, warnings: 0, diagnostics: [] });
});

it.each([...["mentalspace", "nora", "outreachpass", "startupwebapp"], ...["059364397483", "111122223333", "706704660887", "741783034843"].map((a) => `examples-account-${a}-us-east-1`)])(
  "plans %s's HCL exactly as its JSON: the same addresses, values, unknowns, sensitivity, data reads and outputs",
  (stack) => {
    const result = gate.stacks.find((s) => s.name === stack)!;
    expect(result.resources).toBeGreaterThan(0);
    expect(result.differences).toEqual([]);
  },
);
