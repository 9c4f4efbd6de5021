import dev from "../../environments/dev";
import project from "../../environments/project";
import { EnvironmentConfig, ProjectConfig } from "../../environments";

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };

/** A deep, writable copy of the dev environment, for tests that break one field. */
export function devConfig(change: (c: Mutable<EnvironmentConfig>) => void = () => undefined): EnvironmentConfig {
  const copy = structuredClone(dev) as Mutable<EnvironmentConfig>;
  change(copy);
  return copy;
}

export function projectConfig(change: (c: Mutable<ProjectConfig>) => void = () => undefined): ProjectConfig {
  const copy = structuredClone(project) as Mutable<ProjectConfig>;
  change(copy);
  return copy;
}
