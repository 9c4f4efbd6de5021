import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT, WORK } from "../tools/project";
import { TwinPlans, planTwins } from "../tools/hcl/gate";
import { ExamplesForGate, examplesForGate, gateName } from "./support/gate";

// The second half of keel hcl's gate for the seed examples, offline, with the real terraform: each
// example's JSON and its HCL export planned side by side in one root, and compared. The first half
// (fmt, validate) is in the fast tier (gate-examples.terraform.test.ts); this one starts two AWS
// provider configurations per stack, so it runs in the integration tier, in `npm test`.
jest.setTimeout(300_000);

let synthesized: ExamplesForGate;
let planned: TwinPlans;

beforeAll(async () => {
  synthesized = await examplesForGate("examples-plan");
  planned = await planTwins(synthesized.stacks, path.join(WORK, "work", "hcl-gate-examples-plan"), path.join(ROOT, ".terraform.lock.hcl"));
});

it("plans every example offline, leaving cdktf output untouched", () => {
  expect(planned.stacks.map((s) => s.name).sort()).toEqual(synthesized.examples.map(gateName).sort());
  expect(planned.stacks).toHaveLength(8);
  for (const stack of synthesized.examples) expect(fs.readdirSync(path.join(synthesized.examplesDir, "stacks", stack)).filter((f) => f.includes("override") || f.endsWith(".tf"))).toEqual([]);
});

it.each([...["mentalspace", "nora", "outreachpass", "startupwebapp"], ...["059364397483", "111122223333", "706704660887", "741783034843"].map((a) => `examples-account-${a}-us-east-1`)])(
  "plans %s's HCL exactly as its JSON: the same addresses, values, unknowns, sensitivity, data reads and outputs",
  (stack) => {
    const result = planned.stacks.find((s) => s.name === stack)!;
    expect(result.resources).toBeGreaterThan(0);
    expect(result.differences).toEqual([]);
  },
);
