import pinned from "./fixtures/addresses.json";
import { realStacks, synthText } from "./support/stacks";
import { Synthesized } from "./support/module-stack";

// Terraform addresses are a contract: renaming a construct id moves a live
// resource. These lists were taken from the stacks before the architecture
// moved to stacks/ and config sections; a change here needs a `moved` block
// and a line in the closing note, not a fixture update. A new resource is an
// addition to the lists (issue 7: the bastion's connect policy; issue 8: buckets,
// ecr, ecs, alb and waf; issue 9: alarms and the dashboard). No pinned address was removed or renamed.
const stacks = realStacks();

function addresses(stack: string): string[] {
  const json = JSON.parse(synthText(stacks.get(stack)!)) as Synthesized;
  return Object.entries(json.resource ?? {})
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
    .sort();
}

describe("Terraform addresses", () => {
  it("pins production's 161 resource addresses", () => {
    expect(pinned.production).toHaveLength(161);
    expect(addresses("production")).toEqual(pinned.production);
  });

  it.each(["bootstrap", "dev", "staging"] as const)("keeps every address of %s", (stack) => {
    expect(pinned[stack].length).toBeGreaterThan(0);
    expect(addresses(stack)).toEqual(pinned[stack]);
  });

  it("emits no moved block, because nothing moved", () => {
    for (const [name, stack] of stacks) {
      expect({ name, moved: (JSON.parse(synthText(stack)) as { moved?: unknown }).moved }).toEqual({ name, moved: undefined });
    }
  });
});
