/**
 * A config folder, written into a copy of the project, holding seed 000's and
 * seed 003's environments as Keel builds them (their examples' own files),
 * cut down to what the adoption proof is about: the network, the keys, the
 * database, the buckets, the repositories, and (seed 003) the services behind
 * the load balancer. Written as files so that `keel adopt` runs on it as a
 * team runs it, with KEEL_CONFIG.
 */
export const ADOPTION_CONFIG = "examples/adoption";

export const ADOPTION_FILES: Readonly<Record<string, string>> = {
  "project.ts": `import examples from "../project";
import reference from "../omnirapeutic/project";
import { ProjectConfig } from "../../environments/lib/types";

// The examples' state settings; seed 000's account (examples) and seed 003's (the reference platform).
const project: ProjectConfig = {
  ...examples,
  accounts: [examples.accounts.find((a) => a.accountId === "059364397483")!, { accountId: reference.accounts[0].accountId, regions: reference.accounts[0].regions }],
};
export default project;
`,
  "nora.ts": `import nora from "../nora";
import { EnvironmentConfig } from "../../environments/lib/types";

// Seed 000 as its example has it, without App Runner (phase 5's service, not a store of data).
const { apprunner: _service, ...stores } = nora;
const config: EnvironmentConfig = stores;
export default config;
`,
  "production.ts": `import production from "../omnirapeutic/production";
import { EnvironmentConfig } from "../../environments/lib/types";

// Seed 003's production as the reference platform has it, without the bastion and the alarms.
const { bastion: _bastion, alarms: _alarms, ...platform } = production;
const config: EnvironmentConfig = platform;
export default config;
`,
};
