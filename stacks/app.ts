import { App } from "cdktf";
import { LoadedConfig } from "../environments";
import { BootstrapStack } from "./bootstrap-stack";
import { AccountStack } from "./account-stack";
import { EnvironmentStack } from "./environment-stack";

/** Adds every stack to `app`: bootstrap, one account stack per account and region, one stack per environment. */
export function buildApp(app: App, config: LoadedConfig): App {
  new BootstrapStack(app, config);
  for (const account of config.project.accounts) {
    for (const region of account.regions) new AccountStack(app, config.project, account, region);
  }
  buildEnvironments(app, config);
  return app;
}

/** Adds only the environment stacks (the seed examples have no bootstrap or account stacks of their own). */
export function buildEnvironments(app: App, config: LoadedConfig, folder = "environments"): App {
  for (const environment of config.environments) new EnvironmentStack(app, environment, config.project, folder);
  return app;
}
