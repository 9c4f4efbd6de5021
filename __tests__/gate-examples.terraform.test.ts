import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT, WORK } from "../tools/project";
import { ExportCheck, checkExports } from "../tools/hcl/gate";
import { ExamplesForGate, defaultSecurityGroupsLocked, examplesForGate, gateName } from "./support/gate";

// The seed examples through the first half of keel hcl's gate, offline, with the real terraform:
// every export formatted as terraform fmt writes it and valid with no warning. The environments
// and the stress fixture go through the whole gate in validate-and-plan.terraform.test.ts, on the
// other jest worker. The examples' exports planned beside their JSON (the gate's second half, the
// most expensive: two provider configurations per stack) are in gate-examples-plan.terraform.test.ts,
// in the integration tier, which `npm test` runs too.
jest.setTimeout(300_000);

let synthesized: ExamplesForGate;
let checked: ExportCheck;

beforeAll(async () => {
  synthesized = await examplesForGate("examples");
  checked = await checkExports(synthesized.stacks, path.join(WORK, "work", "hcl-gate-examples"), path.join(ROOT, ".terraform.lock.hcl"));
});

it("synthesizes every seed example, and only them, into their own folder", () => {
  // Each example is a whole system: its environment and its account's stack.
  expect(synthesized.examples).toEqual([
    "account-059364397483-us-east-1",
    "account-111122223333-us-east-1",
    "account-706704660887-us-east-1",
    "account-741783034843-us-east-1",
    "mentalspace",
    "nora",
    "outreachpass",
    "startupwebapp",
  ]);
  expect(synthesized.stacks.map((s) => s.name)).toEqual(synthesized.examples.map(gateName));
});

it("exports every example, leaving cdktf output untouched", () => {
  for (const stack of synthesized.examples) {
    expect(fs.readdirSync(path.join(synthesized.hclDir, gateName(stack)))).toEqual(expect.arrayContaining(["backend.tf", "providers.tf"]));
    expect(fs.readdirSync(path.join(synthesized.examplesDir, "stacks", stack)).filter((f) => f.includes("override") || f.endsWith(".tf"))).toEqual([]);
  }
});

it("keeps every exported default security group locked down: no ingress, no egress", () => {
  const exports = synthesized.examples.filter((s) => !s.startsWith("account-"));
  expect(exports).toHaveLength(4);
  expect(defaultSecurityGroupsLocked(synthesized.hclDir, exports)).toEqual(exports.map((stack) => ({ stack, locked: true })));
});

it("leaves nothing for terraform fmt -check to change, and validates every export with 0 errors and 0 warnings", () => {
  expect(checked.unformatted).toEqual([]);
  expect(checked.validate).toEqual({ errors: 0, warnings: 0, diagnostics: [] });
});
