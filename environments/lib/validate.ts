import { z } from "zod";
import { Issue, ValidationError } from "../../modules/validation/issue";
import { s3BucketNameProblem } from "../../modules/label/aws-names";
import { tagIssues } from "../../modules/validation/tag-rules";
import { EnvironmentConfig, EnvironmentTags, ProjectConfig } from "./types";
import { NETWORK_BRANCH_KEY, environmentSchema, projectSchema } from "./schema";
import { RULES_BY_ID } from "../../modules/compliance/rules";
import { suppressionProblems } from "../../modules/compliance/suppress";
import { namingIssues } from "../../modules/label/naming";
import { importIdProblem } from "./import-ids";

/** A configuration file that may not be synthesized; the message lists every issue, one per line. */
export class ConfigError extends ValidationError {
  constructor(source: string, issues: readonly Issue[]) {
    super(source, issues);
    this.name = "ConfigError";
  }
}

/** Stack ids Keel uses itself; no environment may take them. */
export const BOOTSTRAP_STACK = "bootstrap";
export const ACCOUNT_STACK_PREFIX = "account-";

/** The account stack of one account and region, e.g. `account-111122223333-us-east-1`. */
export function accountStackId(accountId: string, region: string): string {
  return `${ACCOUNT_STACK_PREFIX}${accountId}-${region}`;
}

type ZodIssue = z.core.$ZodIssue;

function at(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) value = value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function toIssues(issue: ZodIssue, prefix: readonly PropertyKey[], raw: unknown): Issue[] {
  const path = [...prefix, ...issue.path];
  const field = path.map(String).join(".") || "(root)";
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      field: field === "(root)" ? key : `${field}.${key}`,
      value: at(raw, [...path, key]),
      allowed: "unknown keys are rejected (is it misspelt?)",
    }));
  }
  if (issue.code === "invalid_union" && issue.path.length > 0 && issue.errors.length === 2 && issue.path.at(-1) === "network") {
    // The network union: `vpcId` says the user meant an existing VPC.
    const value = at(raw, path);
    const branch = value !== null && typeof value === "object" && NETWORK_BRANCH_KEY in value ? 1 : 0;
    return issue.errors[branch].flatMap((i) => toIssues(i, path, raw));
  }
  return [{ field, value: at(raw, path), allowed: issue.message }];
}

/** Shape problems of `raw`, each with the value as written. */
function schemaIssues(schema: z.ZodType, raw: unknown): Issue[] {
  const result = schema.safeParse(raw);
  return result.success ? [] : result.error.issues.flatMap((issue) => toIssues(issue, [], raw));
}

/**
 * Validates one environment file's default export: its shape, and what only
 * the environment knows (its file name, its account, reserved names). The
 * modules check what each section's values mean when the stack is built.
 * Throws a ConfigError naming the environment, every bad field, its value
 * and what is allowed.
 */
/** An environment's ownership tags: the project's, each overridden by the environment's own. */
export function environmentTags(config: EnvironmentConfig, project: ProjectConfig): EnvironmentTags {
  return { ...project.tags, ...config.tags };
}

export function validateEnvironment(raw: unknown, fileName: string, project: ProjectConfig, folder = "environments"): EnvironmentConfig {
  const name = typeof raw === "object" && raw !== null && "name" in raw ? String(raw.name) : fileName;
  const source = `environment '${name}' (${folder}/${fileName}.ts)`;
  const issues = schemaIssues(environmentSchema, raw);
  if (issues.length > 0) throw new ConfigError(source, issues);

  const config = raw as EnvironmentConfig;
  const semantic: Issue[] = [];
  if (config.name !== fileName) semantic.push({ field: "name", value: config.name, allowed: `must equal the file name '${fileName}'` });
  // These become every resource's default tags: AWS's tag rules apply to them.
  semantic.push(...tagIssues("tags", { ...project.tags, ...config.tags }));
  if (config.name === BOOTSTRAP_STACK || config.name.startsWith(ACCOUNT_STACK_PREFIX)) {
    semantic.push({ field: "name", value: config.name, allowed: `must not be '${BOOTSTRAP_STACK}' or start with '${ACCOUNT_STACK_PREFIX}': Keel's own stacks use those ids` });
  }
  const account = project.accounts.find((a) => a.accountId === config.accountId);
  if (account === undefined) {
    semantic.push({
      field: "accountId",
      value: config.accountId,
      allowed: `an account listed in project.accounts (environments/project.ts): ${project.accounts.map((a) => a.accountId).join(", ")}`,
    });
  } else if (!account.regions.includes(config.region)) {
    semantic.push({
      field: "region",
      value: config.region,
      allowed: `a region listed for account ${config.accountId} in project.accounts: ${account.regions.join(", ")} (each gets an account stack)`,
    });
  }
  semantic.push(...suppressionIssues(config));
  semantic.push(...namingIssues(config.naming));
  semantic.push(...adoptionIssues(config));
  if (semantic.length > 0) throw new ConfigError(source, semantic);
  return config;
}

/** An adopted resource's address and id as written (whether the stack has that address is known at build). */
function adoptionIssues(config: EnvironmentConfig): Issue[] {
  return Object.entries(config.adopt ?? {}).flatMap(([address, id]): Issue[] => {
    const type = /^(aws_[a-z0-9_]+)\.[A-Za-z0-9_-]+$/.exec(address)?.[1];
    if (type === undefined) return [{ field: "adopt", value: address, allowed: "a Terraform address of a managed resource, <type>.<name>, as keel plan prints it" }];
    const problem = importIdProblem(type, id);
    return problem === undefined ? [] : [{ field: `adopt.${address}`, value: id, allowed: problem }];
  });
}

/** What is wrong with the environment's suppressions as written (whether each resource exists is known at build). */
function suppressionIssues(config: EnvironmentConfig): Issue[] {
  // A secret's rotatedAtSource becomes its secret-rotation suppression: the same rules for the reason.
  const secrets = (config.security?.secrets ?? []).flatMap((secret, i) =>
    secret.rotatedAtSource === undefined
      ? []
      : suppressionProblems({ rule: "secret-rotation", reason: secret.rotatedAtSource })
          .filter((p) => p.field === "reason")
          .map((p) => ({ field: `security.secrets.${i}.rotatedAtSource`, value: secret.rotatedAtSource, allowed: p.allowed })),
  );
  return [...secrets, ...listedSuppressionIssues(config)];
}

function listedSuppressionIssues(config: EnvironmentConfig): Issue[] {
  return (config.suppressions ?? []).flatMap((s, i) => {
    const issues: Issue[] = suppressionProblems(s).map((p) => ({ field: `suppressions.${i}.${p.field}`, value: s[p.field], allowed: p.allowed }));
    if (config.protection === "production" && RULES_BY_ID.get(s.rule)?.level === "error" && s.expires === undefined) {
      issues.push({
        field: `suppressions.${i}.expires`,
        value: s.expires,
        allowed: `a date (YYYY-MM-DD): suppressing the error-level rule ${s.rule} in a production environment needs an expiry`,
      });
    }
    return issues;
  });
}

/** Validates the project-wide settings in `project.ts`. */
export function validateProject(raw: unknown, folder = "environments"): ProjectConfig {
  const source = `project settings (${folder}/project.ts)`;
  const issues = schemaIssues(projectSchema, raw);
  if (issues.length > 0) throw new ConfigError(source, issues);
  const project = raw as ProjectConfig;
  const semantic: Issue[] = [];
  project.accounts.forEach((a, i) => {
    if (project.accounts.findIndex((b) => b.accountId === a.accountId) !== i) {
      semantic.push({ field: `accounts.${i}.accountId`, value: a.accountId, allowed: "each account once (list all its regions in one entry)" });
    }
    a.regions.forEach((r, j) => {
      if (a.regions.indexOf(r) !== j) semantic.push({ field: `accounts.${i}.regions.${j}`, value: r, allowed: "each region once" });
    });
  });
  semantic.push(...tagIssues("tags", { ...project.tags }));
  project.accounts.forEach((a, i) => {
    if (a.guardduty !== undefined && a.alarms === undefined) {
      semantic.push({ field: `accounts.${i}.guardduty`, value: "(section given)", allowed: "only with an alarms section: high-severity findings go to the alarm topic" });
    }
    if (a.alarms?.monthlyBudgetUsd !== undefined && !a.regions.includes("us-east-1")) {
      semantic.push({
        field: `accounts.${i}.alarms.monthlyBudgetUsd`,
        value: a.alarms.monthlyBudgetUsd,
        allowed: "only for an account that lists us-east-1 in regions: the billing metric exists only there",
      });
    }
    const roleAccount = a.roleArn?.split(":")[4];
    if (a.roleArn !== undefined && roleAccount !== a.accountId) {
      semantic.push({ field: `accounts.${i}.roleArn`, value: a.roleArn, allowed: `a role in account ${a.accountId} itself: the stacks of this account are deployed through it` });
    }
    if (a.alarms?.monthlyBudgetUsd !== undefined && !(a.alarms.monthlyBudgetUsd > 0)) {
      semantic.push({ field: `accounts.${i}.alarms.monthlyBudgetUsd`, value: a.alarms.monthlyBudgetUsd, allowed: "a positive number of US dollars" });
    }
  });
  semantic.push(...namingIssues(project.naming));
  const bucketProblem = s3BucketNameProblem(project.state.bucket);
  if (bucketProblem !== undefined) semantic.push({ field: "state.bucket", value: project.state.bucket, allowed: bucketProblem });
  if (!project.accounts.some((a) => a.accountId === project.state.accountId)) {
    semantic.push({ field: "state.accountId", value: project.state.accountId, allowed: "one of the accounts in project.accounts" });
  }
  if (semantic.length > 0) throw new ConfigError(source, semantic);
  return project;
}
