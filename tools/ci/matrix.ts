import type { EnvironmentConfig, ProjectConfig } from "../../environments/lib/types";
import { CI_WAVES, CiWave, ciStacks } from "../../environments/lib/ci";
import { ciRoleArn } from "../../modules/ci/names";


/** One job of a matrix: everything a workflow step reads with `${{ matrix.* }}`. */
export interface MatrixEntry {
  readonly stack: string;
  readonly account: string;
  readonly region: string;
  /** The GitHub environment the apply job runs in. */
  readonly environment: string;
  readonly wave: CiWave;
  readonly planRole: string;
  readonly applyRole: string;
}

/** The matrices the workflows run: `plan` for a pull request, a list per wave for an apply, `all` for the drift check. */
export type CiMatrix = { readonly plan: readonly MatrixEntry[]; readonly all: readonly MatrixEntry[] } & { readonly [wave in CiWave]: readonly MatrixEntry[] };

/**
 * The jobs for `changed` stacks (ids from `keel changed`), in deploy order.
 * Bootstrap never runs in CI: it holds the state bucket and its policy,
 * which the apply role may not change (README, CI/CD).
 */
export function ciMatrix(project: ProjectConfig, environments: readonly EnvironmentConfig[], changed: readonly string[] | "all"): CiMatrix {
  const all = ciStacks(project, environments).map(
    (s): MatrixEntry => ({
      stack: s.stack,
      account: s.accountId,
      region: s.region,
      environment: s.githubEnvironment,
      wave: s.wave,
      planRole: ciRoleArn(project.namespace, s.accountId, "plan"),
      applyRole: ciRoleArn(project.namespace, s.accountId, "apply"),
    }),
  );
  const selected = changed === "all" ? all : all.filter((e) => changed.includes(e.stack));
  const byWave = Object.fromEntries(CI_WAVES.map((w) => [w, selected.filter((e) => e.wave === w)])) as { [wave in CiWave]: MatrixEntry[] };
  return { plan: selected, all: changed === "all" ? all : selected, ...byWave };
}

/** `name=value` lines for `$GITHUB_OUTPUT`: each matrix as compact JSON on one line. */
export function githubOutputs(matrix: CiMatrix): string {
  return (["plan", ...CI_WAVES, "all"] as const).map((k) => `${k}=${JSON.stringify(matrix[k])}\n`).join("");
}

/** A short, readable job graph: which stacks run in which job, in which order and GitHub environment. */
export function renderJobGraph(matrix: CiMatrix, event: "pull_request" | "push"): string {
  if (event === "pull_request") {
    const plans = matrix.plan.map((e) => `  plan ${e.stack}  (role ${e.planRole}, ${e.region})`);
    return ["changes  (synth once; keel ci matrix)", "check    (keel check --sarif -> code scanning)", ...(plans.length > 0 ? ["plan, in parallel, after changes:", ...plans] : ["plan: no stack changed; skipped"])].join("\n") + "\n";
  }
  const waves = CI_WAVES.map((w, i) => {
    const jobs = matrix[w].map((e) => `  apply ${e.stack}  (GitHub environment ${e.environment}, role ${e.applyRole})`);
    return [`${w}${i === 0 ? ", after changes" : `, after ${CI_WAVES[i - 1]}`}:`, ...(jobs.length > 0 ? jobs : ["  (nothing changed; skipped)"])].join("\n");
  });
  return ["changes  (keel ci matrix <before>)", ...waves].join("\n") + "\n";
}
