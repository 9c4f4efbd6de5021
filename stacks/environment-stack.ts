import { Construct } from "constructs";
import { ConfigSuppression, EnvironmentConfig, PROTECTION_PROFILES, ProjectConfig, environmentTags } from "../environments";
import { Label } from "../modules/label";
import { Issue, PropsError, ValidationError } from "../modules/validation";
import { RULES, RULES_BY_ID, suppress } from "../modules/compliance";
import { KeelStack, configureStack, stateBackend } from "./keel-stack";
import { AnyStep, Platform, buildStep } from "./platform";
import { STEPS, securityOutputs } from "./steps";
import { adopt, checkNames, resourcesByAddress } from "./adoption";
import { ciDeployRole } from "./ci-steps";

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
      tags: environmentTags(config, project),
      enforceCompliance: config.protection === "production",
      naming: { ...project.naming, ...config.naming },
    });
    stateBackend(this, project, config.name, config.accountId);
    const account = project.accounts.find((a) => a.accountId === config.accountId);
    this.platform = inSection(source, "security", () => new Platform(this, config, PROTECTION_PROFILES[config.protection], source, account));
    for (const s of STEPS) inSection(source, s.section, () => buildStep(s, this.platform));
    ciDeployRole(this.platform, project);
    applySuppressions(this, config.suppressions ?? [], source);
    checkNames(this.label, source);
    adopt(this, config.adopt ?? {}, source);
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

/**
 * Attaches each config suppression to the resource at its Terraform address.
 * An address this stack does not have, or a rule that does not check that
 * resource's type, is a config error: a suppression that cannot apply must
 * not sit in config looking like it does.
 */
function applySuppressions(stack: KeelStack, suppressions: readonly ConfigSuppression[], source: string): void {
  if (suppressions.length === 0) return;
  const resources = resourcesByAddress(stack);
  const issues: Issue[] = [];
  suppressions.forEach((s, i) => {
    const resource = resources.get(s.resource);
    const rule = RULES_BY_ID.get(s.rule);
    if (resource === undefined) {
      issues.push({ field: `suppressions.${i}.resource`, value: s.resource, allowed: "the Terraform address of a resource of this environment, as `terraform plan` and `keel check` print it" });
    } else if (rule !== undefined && !rule.types.includes(resource.terraformResourceType)) {
      const applicable = RULES.filter((r) => r.types.includes(resource.terraformResourceType)).map((r) => r.id);
      issues.push({ field: `suppressions.${i}.rule`, value: s.rule, allowed: `a rule that checks ${resource.terraformResourceType}: ${applicable.join(", ") || "(none)"}` });
    } else {
      suppress(resource, { rule: s.rule, reason: s.reason, ...(s.expires === undefined ? {} : { expires: s.expires }) });
    }
  });
  if (issues.length > 0) throw new ValidationError(source, issues);
}
