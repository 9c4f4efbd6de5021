import { Testing } from "cdktf";
import dev from "../../examples/omnirapeutic/dev";
import project from "../../examples/omnirapeutic/project";
import { EnvironmentConfig, ProjectConfig, VpcConfig, validateEnvironment } from "../../environments";
import { ValidationError } from "../../modules/validation";
import { EnvironmentStack } from "../../stacks";

export type Mutable<T> = { -readonly [K in keyof T]: NonNullable<T[K]> extends object ? Mutable<NonNullable<T[K]>> : T[K] };

/** A deep, writable copy of the dev environment, for tests that break one field. */
export function devConfig(change: (c: Mutable<EnvironmentConfig>) => void = () => undefined): EnvironmentConfig {
  const copy = structuredClone(dev) as Mutable<EnvironmentConfig>;
  change(copy);
  return copy;
}

/** The dev config with a change to its (created) VPC section. */
export function devNetwork(change: (n: Mutable<VpcConfig>) => void): EnvironmentConfig {
  return devConfig((c) => change(c.network as Mutable<VpcConfig>));
}

export function projectConfig(change: (c: Mutable<ProjectConfig>) => void = () => undefined): ProjectConfig {
  const copy = structuredClone(project) as Mutable<ProjectConfig>;
  change(copy);
  return copy;
}

/**
 * What a user sees for `raw` as `environments/dev.ts`: the config checks,
 * then the modules' checks while the stack is built. Fails the test if the
 * config is accepted.
 */
export function configError(raw: unknown, fileName = "dev", proj: ProjectConfig = project): ValidationError {
  try {
    new EnvironmentStack(Testing.app(), validateEnvironment(raw, fileName, proj), proj);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error("expected a ValidationError, but the config was accepted");
}
