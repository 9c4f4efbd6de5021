import * as fs from "node:fs";
import * as path from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { PROTECTION_PROFILES, configDir, loadConfig } from "../environments";
import { buildApp } from "../stacks";
import { blocking, checkStack, isEnforced } from "../modules/compliance";
import { ADDRESSES_FILE, AddressMap, addressDrift, appAddresses } from "../tools/addresses";
import { TEST_TODAY } from "./support/clock";

// The generic proofs of whatever a team keeps in environments/ (or the folder KEEL_CONFIG names).
// Nothing here names a value of the shipped files: a team's own namespace, accounts, emails and
// environments must pass them as they are. The modules' values are pinned on the reference
// platform (examples/omnirapeutic) and the examples, never here. The same proofs run in a copy of
// the repository after the "Make it yours" edits (make-it-yours.test.ts). Synth determinism is in
// app.test.ts; the emulator tier applies, plans again and tears down every environment.

const config = loadConfig();
const app = buildApp(Testing.app(), config);
const stacks = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);

describe(`the team's config (${config.folder})`, () => {
  it("has at least one environment, and a stack for bootstrap, each account and region, and each environment", () => {
    expect(config.environments.length).toBeGreaterThan(0);
    const accountStacks = config.project.accounts.reduce((n, a) => n + a.regions.length, 0);
    expect(stacks.map((s) => s.node.id).sort()).toHaveLength(1 + accountStacks + config.environments.length);
    for (const e of config.environments) expect(stacks.map((s) => s.node.id)).toContain(e.name);
  });

  it("gives each environment a protection profile Keel defines", () => {
    for (const e of config.environments) expect({ environment: e.name, known: e.protection in PROTECTION_PROFILES }).toEqual({ environment: e.name, known: true });
  });

  it("leaves keel check no open error in any production-profile environment (its synth would stop)", () => {
    const enforced = stacks.filter(isEnforced);
    // Bootstrap and the account stacks are always enforced; an environment when its profile is production.
    expect(enforced.length).toBeGreaterThan(0);
    for (const e of config.environments.filter((x) => x.protection === "production")) expect(enforced.map((s) => s.node.id)).toContain(e.name);
    for (const stack of enforced) {
      const open = blocking(checkStack(stack, { enforced: true, today: TEST_TODAY })).map((f) => `${f.rule} ${f.address}`);
      expect({ stack: stack.node.id, open }).toEqual({ stack: stack.node.id, open: [] });
    }
  });

  it(`keeps every Terraform address ${ADDRESSES_FILE} pins: a change is reviewed, never silent`, () => {
    const file = path.join(configDir(), ADDRESSES_FILE);
    const current = appAddresses(app);
    for (const [stack, addresses] of Object.entries(current)) expect({ stack, resources: addresses.length > 0 }).toEqual({ stack, resources: true });
    // A new environment is not pinned until `npm run addresses` is run: it has nothing live to replace.
    if (!fs.existsSync(file)) return;
    const drift = addressDrift(JSON.parse(fs.readFileSync(file, "utf8")) as AddressMap, current);
    if (drift.length > 0) {
      const lines = drift.flatMap((d) => [...d.removed.map((a) => `  ${d.stack}: - ${a}`), ...d.added.map((a) => `  ${d.stack}: + ${a}`)]);
      throw new Error(
        `Terraform addresses differ from ${config.folder}/${ADDRESSES_FILE}:\n${lines.join("\n")}\n` +
          "A removed or renamed address destroys or replaces a live resource: add a `moved` block for a rename. " +
          "When the change is intended, run `npm run addresses` to accept it and commit the file with the change.",
      );
    }
  });
});
