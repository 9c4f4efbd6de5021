import { App } from "cdktf";
import { LoadedConfig } from "../environments";
import { ValidationReport } from "../modules/validation/issue";
import { BootstrapStack } from "./bootstrap-stack";
import { AccountStack } from "./account-stack";
import { EnvironmentStack } from "./environment-stack";

/** Adds every stack to `app`: bootstrap, one account stack per account and region, one stack per environment. */
export function buildApp(app: App, config: LoadedConfig): App {
  new BootstrapStack(app, config);
  return buildAccountsAndEnvironments(app, config);
}

/**
 * Adds one account stack per account and region, then one stack per
 * environment: a whole system without the state backend (the examples,
 * whose state would live in a bucket the team already has).
 */
export function buildAccountsAndEnvironments(app: App, config: LoadedConfig, folder = config.folder ?? "environments"): App {
  for (const account of config.project.accounts) {
    for (const region of account.regions) new AccountStack(app, config.project, account, region, config.environments);
  }
  return buildEnvironments(app, config, folder);
}

/**
 * Adds only the environment stacks. Each is built even when one before it is
 * invalid: the modules' errors of every environment come in one report.
 */
export function buildEnvironments(app: App, config: LoadedConfig, folder = config.folder ?? "environments"): App {
  ValidationReport.collect(config.environments, (environment) => new EnvironmentStack(app, environment, config.project, folder));
  return app;
}
