import type { ProjectConfig } from "../environments";
import { ServiceRole } from "../modules/iam";
import { environmentSubject, githubOidcProviderArn, githubTrustConditions } from "../modules/ci";
import { Label } from "../modules/label";
import type { Platform } from "./platform";

/** The workloads of an environment that CI deploys (`deployedBy: "ci"`), by kind and short name. */
export function ciWorkloads(p: Platform): { services: string[]; functions: string[]; appRunner: string[] } {
  const ci = <T extends { deployedBy?: string }>(section: Readonly<Record<string, T>> | undefined) =>
    Object.entries(section ?? {})
      .filter(([, w]) => w.deployedBy === "ci")
      .map(([name]) => name)
      .sort();
  return {
    services: ci(p.config.ecs?.services).filter((n) => p.services.has(n)),
    functions: ci(p.config.functions).filter((n) => p.functions.has(n)),
    appRunner: ci(p.config.apprunner).filter((n) => p.appRunnerServices.has(n)),
  };
}

/**
 * With `project.ci`, an environment whose workloads CI deploys gets a deploy
 * role: only jobs in the environment's GitHub environment may assume it,
 * and it holds only what each workload's `grantDeploy` gives (push to its
 * repository, a new task-definition revision or code, its own roles to
 * pass). Terraform keeps everything else about the workloads.
 */
export function ciDeployRole(p: Platform, project: ProjectConfig): ServiceRole | undefined {
  const ci = project.ci;
  if (ci === undefined) return undefined;
  const workloads = ciWorkloads(p);
  if (workloads.services.length + workloads.functions.length + workloads.appRunner.length === 0) return undefined;
  const label = Label.of(p.stack);
  const environment = ci.environments?.[p.config.name] ?? p.config.name;
  const role = new ServiceRole(p.stack, "ci-deploy", {
    purpose: "ci-deploy",
    webIdentity: { provider: githubOidcProviderArn(label.accountId, label.partition), conditions: githubTrustConditions([environmentSubject(ci.repository, environment)]) },
  });
  for (const name of workloads.services) p.services.get(name)!.grantDeploy(role);
  for (const name of workloads.functions) p.functions.get(name)!.grantDeploy(role);
  for (const name of workloads.appRunner) p.appRunnerServices.get(name)!.grantDeploy(role);
  p.stack.output("ci-deploy-role-arn", role.roleArn, `Role the GitHub environment '${environment}' assumes to deploy ${[...workloads.services, ...workloads.functions, ...workloads.appRunner].join(", ")}`);
  return role;
}
