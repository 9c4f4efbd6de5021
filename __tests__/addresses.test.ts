import pinned from "./fixtures/addresses.json";
import { realStacks, synthText } from "./support/stacks";
import { Synthesized } from "./support/module-stack";

// Terraform addresses are a contract: renaming a construct id moves a live
// resource. These lists were taken from the stacks before the architecture
// moved to stacks/ and config sections; a change here needs a `moved` block
// and a line in the closing note, not a fixture update. A new resource is an
// addition to the lists (issue 7: the bastion's connect policy; issue 8: buckets,
// ecr, ecs, alb and waf; issue 9: alarms and the dashboard). One address was renamed, with a
// `moved` block: issue 23's alarm_aurora_write_latency → alarm_aurora_latency (it now watches read
// latency too; the alarm is replaced, as its name changes, and holds no state). Issue 25 added the
// backup section's 13 (vault, lock, plan, selection, role and policies, job-failure rule, backup key),
// and the bastion's database tunnel document (aws_ssm_document.bastion_db_tunnel, keel db-shell).
// Issue 26 added the keyless CI roles: GitHub's OIDC provider, the plan and apply roles and the
// apply role's boundary in the account stack, and production's deploy role and its policy.
const MOVED = [{ from: "aws_cloudwatch_metric_alarm.alarm_aurora_write_latency", to: "aws_cloudwatch_metric_alarm.alarm_aurora_latency" }];
const stacks = realStacks();

function addresses(stack: string): string[] {
  const json = JSON.parse(synthText(stacks.get(stack)!)) as Synthesized;
  return Object.entries(json.resource ?? {})
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
    .sort();
}

describe("Terraform addresses", () => {
  it("pins production's 177 resource addresses", () => {
    expect(pinned.production).toHaveLength(177);
    expect(addresses("production")).toEqual(pinned.production);
  });

  it.each(["bootstrap", "dev", "staging"] as const)("keeps every address of %s", (stack) => {
    expect(pinned[stack].length).toBeGreaterThan(0);
    expect(addresses(stack)).toEqual(pinned[stack]);
  });

  it("emits a moved block for each renamed address, and no other", () => {
    for (const [name, stack] of stacks) {
      const json = JSON.parse(synthText(stack)) as { moved?: unknown; resource?: Record<string, unknown> };
      const renamed = MOVED.filter((m) => JSON.stringify(json.resource ?? {}).includes(`"${m.to.split(".")[1]}"`));
      expect({ name, moved: json.moved }).toEqual({ name, moved: renamed.length > 0 ? renamed : undefined });
    }
    expect([...stacks.values()].filter((s) => JSON.parse(synthText(s)).moved !== undefined).length).toBeGreaterThan(0);
  });

  it("writes them without cdktf's moveFromId, whose check starts `terraform version` on every synth of the stack", () => {
    expect(stacks.size).toBeGreaterThan(0);
    for (const [name, stack] of stacks) expect({ name, cdktfMoves: stack.hasResourceMove() }).toEqual({ name, cdktfMoves: false });
  });
});
