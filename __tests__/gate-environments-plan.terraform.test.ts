import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT, WORK } from "../tools/project";
import { PlanResult, TerraformPlan, planStack } from "../tools/stacks";
import { destroyCount, renderMarkdown, summarizePlan } from "../tools/review/plan-summary";
import { TwinPlans, changesOf, moduleName, planTwins } from "../tools/hcl/gate";
import { ReferenceForGate, referenceForGate } from "./support/gate";

// The rest of keel hcl's gate for Keel's reference platform, in the integration tier (`npm test`):
// dev's and staging's exports planned beside their JSON, and bootstrap planned as a root of its own,
// the way `keel plan --offline` does. Formatting and validation of every export, and the twin plans of
// bootstrap, the account stack, production and the stress fixture, are in the fast tier
// (validate-and-plan.terraform.test.ts).
jest.setTimeout(300_000);

const PLANNED = ["bootstrap", "dev", "staging"];

let reference: ReferenceForGate;
let twins: TwinPlans;
let rootPlan: PlanResult;

const planOf = (stack: string): TerraformPlan => ({
  resource_changes: [...changesOf(twins.plan, moduleName("json", stack))].map(([address, c]) => ({ ...c, address })),
});

beforeAll(async () => {
  reference = await referenceForGate("gate-environments", false);
  [twins, rootPlan] = await Promise.all([
    planTwins(
      reference.all.filter((s) => PLANNED.includes(s.name)),
      path.join(WORK, "work", "hcl-gate-environments"),
      path.join(ROOT, ".terraform.lock.hcl"),
    ),
    planStack("bootstrap", { offline: true, outDir: reference.outDir, show: false }),
  ]);
});

it.each(PLANNED)("plans %s's HCL exactly as its JSON: the same addresses, values, unknowns, sensitivity, data reads and outputs", (stack) => {
  expect(twins.stacks.map((s) => s.name).sort()).toEqual([...PLANNED].sort());
  const result = twins.stacks.find((s) => s.name === stack)!;
  expect(result.resources).toBeGreaterThan(0);
  expect(result.differences).toEqual([]);
});

it("plans bootstrap as a root on its own, as keel plan --offline does, with the same changes as in the gate", () => {
  expect(fs.existsSync(rootPlan.planFile)).toBe(true);
  const alone = (rootPlan.plan.resource_changes ?? []).map((c) => `${c.address} ${c.change.actions.join(",")}`).sort();
  const inGate = (planOf("bootstrap").resource_changes ?? []).map((c) => `${c.address} ${c.change.actions.join(",")}`).sort();
  expect(alone).toHaveLength(10);
  expect(alone).toEqual(inGate);
});

it.each(["dev", "staging"])("summarizes %s's create plan: every synthesized resource a create, nothing destroyed", (env) => {
  const synthesized = JSON.parse(fs.readFileSync(path.join(reference.outDir, "stacks", env, "cdk.tf.json"), "utf8")).resource as Record<string, object>;
  const resources = Object.values(synthesized).reduce((n, byName) => n + Object.keys(byName).length, 0);
  expect(resources).toBeGreaterThan(50);
  const summary = summarizePlan(planOf(env));
  expect(summary.counts).toEqual({ create: resources, update: 0, replace: 0, delete: 0 });
  expect(destroyCount(summary)).toBe(0);
  expect(summary.destroysStateful).toEqual([]);
  expect(renderMarkdown(summary)).toContain(`### Plan: ${resources} to create, 0 to update, 0 to replace, 0 to delete (0 destroyed)`);
});
