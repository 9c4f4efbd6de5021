import type { EnvironmentConfig, ProjectConfig } from "./types";
import { accountStackId } from "./validate";

/** The waves of an apply on merge, in order: a wave starts when the one before it succeeded. */
export const CI_WAVES = ["accounts", "environments", "production"] as const;
export type CiWave = (typeof CI_WAVES)[number];

/** One stack CI plans and applies (bootstrap is applied by hand: README, CI/CD). */
export interface CiStack {
  readonly stack: string;
  readonly accountId: string;
  readonly region: string;
  /** The GitHub environment its apply job runs in. */
  readonly githubEnvironment: string;
  /**
   * `accounts` first; then every environment not protected as production;
   * then the production-profile environments, so a change that breaks
   * staging stops before production.
   */
  readonly wave: CiWave;
}

/** Every stack CI deploys, in deploy order. */
export function ciStacks(project: ProjectConfig, environments: readonly EnvironmentConfig[]): CiStack[] {
  const githubEnvironment = (stack: string): string => project.ci?.environments?.[stack] ?? stack;
  const accounts = project.accounts.flatMap((a) =>
    a.regions.map((region): CiStack => {
      const stack = accountStackId(a.accountId, region);
      return { stack, accountId: a.accountId, region, githubEnvironment: githubEnvironment(stack), wave: "accounts" };
    }),
  );
  const envs = [...environments]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((e): CiStack => ({ stack: e.name, accountId: e.accountId, region: e.region, githubEnvironment: githubEnvironment(e.name), wave: e.protection === "production" ? "production" : "environments" }));
  return [...accounts, ...envs].sort((a, b) => CI_WAVES.indexOf(a.wave) - CI_WAVES.indexOf(b.wave));
}

/** Keys of `ci.environments` that name no stack CI deploys. */
export function ciEnvironmentIssues(project: ProjectConfig, environments: readonly EnvironmentConfig[]): { field: string; value: unknown; allowed: string }[] {
  const stacks = ciStacks(project, environments).map((s) => s.stack);
  return Object.keys(project.ci?.environments ?? {})
    .filter((k) => !stacks.includes(k))
    .map((k) => ({
      field: `ci.environments.${k}`,
      value: k,
      allowed: `a stack CI deploys: ${stacks.join(", ")}${k === "bootstrap" ? " (bootstrap is applied by hand)" : ""}`,
    }));
}
