import { Construct } from "constructs";
import { EnvironmentConfig, PROTECTION_PROFILES, ProjectConfig } from "../environments";
import { Label } from "../modules/label";
import { PropsError } from "../modules/validation";
import { KeelStack, configureStack, stateBackend } from "./keel-stack";
import { AnyStep, Platform, buildStep } from "./platform";
import { STEPS, securityOutputs } from "./steps";

/** One environment: what its config sections turn on, with its state in the shared S3 backend. */
export class EnvironmentStack extends KeelStack {
  public readonly label: Label;
  public readonly platform: Platform;

  /** @param folder where the environment file lives, for messages (`environments` or `examples`) */
  constructor(scope: Construct, config: EnvironmentConfig, project: ProjectConfig, folder = "environments") {
    super(scope, config.name);
    const source = `environment '${config.name}' (${folder}/${config.name}.ts)`;
    this.label = configureStack(this, {
      project,
      environment: config.name,
      accountId: config.accountId,
      region: config.region,
      tags: config.tags,
    });
    stateBackend(this, project, config.name, config.accountId);
    const account = project.accounts.find((a) => a.accountId === config.accountId);
    this.platform = inSection(source, "security", () => new Platform(this, config, PROTECTION_PROFILES[config.protection], source, account));
    for (const s of STEPS) inSection(source, s.section, () => buildStep(s, this.platform));
    for (const s of STEPS as readonly AnyStep[]) s.outputs?.(this.platform);
    securityOutputs(this.platform);
  }
}

/** Runs one step; a module's prop errors are reported as fields of its config section. */
function inSection<T>(source: string, section: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof PropsError) throw error.in(source, section);
    throw error;
  }
}
