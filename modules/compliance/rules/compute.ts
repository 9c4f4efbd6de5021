import { ModelResource, StackModel, Values, block, blocks, isTrue, num } from "../model";
import { Rule, rule } from "../rule";
import { DEPRECATED_LAMBDA_RUNTIMES } from "../../functions/constants";
import { SECRET_NAME, isCredentialName } from "../../validation/secrets";

/** The container definitions of a task definition (a JSON string in Terraform). */
function containers(r: ModelResource): readonly Values[] {
  const text = r.values.container_definitions;
  if (typeof text !== "string") return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? (parsed as Values[]) : [];
  } catch {
    return [];
  }
}

function names(list: readonly Values[]): string {
  return list.map((c) => String(c.name ?? "(unnamed)")).join(", ");
}

/** The runtime table lives with the functions module; keel check reads the same one. */
export { DEPRECATED_LAMBDA_RUNTIMES };

function deadLetterTarget(model: StackModel, r: ModelResource): boolean {
  if (block(r.values.dead_letter_config)?.target_arn !== undefined) return true;
  return model
    .referencing(r, "aws_lambda_function_event_invoke_config", "function_name")
    .some((c) => block(block(c.values.destination_config)?.on_failure)?.destination !== undefined);
}

export const COMPUTE_RULES: readonly Rule[] = [
  rule({
    id: "ecs-container-insights",
    level: "warning",
    area: "logging",
    title: "ECS clusters have Container Insights",
    types: ["aws_ecs_cluster"],
    refs: ["checkov CKV_AWS_65", "Security Hub ECS.12", "cdk-nag AwsSolutions-ECS4"],
    check(r) {
      const setting = blocks(r.values.setting).find((s) => s.name === "containerInsights");
      return setting?.value === "enabled" || setting?.value === "enhanced" ? undefined : "containerInsights is not enabled";
    },
  }),
  rule({
    id: "ecs-exec-logging",
    level: "error",
    area: "logging",
    title: "ECS Exec sessions are logged, encrypted",
    types: ["aws_ecs_cluster"],
    refs: ["checkov CKV_AWS_224"],
    check(r) {
      const exec = block(block(r.values.configuration)?.execute_command_configuration);
      if (exec === undefined) return "no execute_command_configuration: exec sessions follow the task's defaults, unlogged by Keel";
      if (exec.logging === "NONE") return "execute command logging is NONE";
      const log = block(exec.log_configuration);
      return exec.logging === "OVERRIDE" && !isTrue(log?.cloud_watch_encryption_enabled) && !isTrue(log?.s3_bucket_encryption_enabled)
        ? "exec session logs are not encrypted"
        : undefined;
    },
  }),
  rule({
    id: "ecs-no-public-ip",
    level: "error",
    area: "public-access",
    title: "ECS services get no public IP addresses",
    types: ["aws_ecs_service"],
    refs: ["checkov CKV_AWS_333", "Security Hub ECS.2"],
    check(r) {
      return isTrue(block(r.values.network_configuration)?.assign_public_ip) ? "assign_public_ip is true" : undefined;
    },
  }),
  rule({
    id: "ecs-fargate-platform-latest",
    level: "warning",
    area: "patching",
    title: "Fargate services run the latest platform version",
    types: ["aws_ecs_service"],
    refs: ["Security Hub ECS.10"],
    check(r) {
      const version = r.values.platform_version;
      return version === undefined || version === "LATEST" ? undefined : `platform_version is pinned to ${String(version)}`;
    },
  }),
  rule({
    id: "ecs-non-privileged",
    level: "error",
    area: "least-privilege",
    title: "ECS containers do not run privileged",
    types: ["aws_ecs_task_definition"],
    refs: ["Security Hub ECS.4"],
    check(r) {
      const privileged = containers(r).filter((c) => c.privileged === true);
      return privileged.length > 0 ? `privileged: ${names(privileged)}` : undefined;
    },
  }),
  rule({
    id: "ecs-read-only-root",
    level: "warning",
    area: "least-privilege",
    title: "ECS containers have read-only root file systems",
    types: ["aws_ecs_task_definition"],
    refs: ["checkov CKV_AWS_336", "Security Hub ECS.5"],
    check(r) {
      const writable = containers(r).filter((c) => c.readonlyRootFilesystem !== true);
      return writable.length > 0 ? `writable root: ${names(writable)}` : undefined;
    },
  }),
  rule({
    id: "ecs-no-secrets-in-environment",
    level: "error",
    area: "secrets",
    title: "ECS containers take credentials from Secrets Manager or SSM, never plain environment variables",
    types: ["aws_ecs_task_definition"],
    refs: ["Security Hub ECS.8"],
    check(r) {
      const found = containers(r).flatMap((c) => blocks(c.environment).map((e) => String(e.name ?? "")).filter((n) => SECRET_NAME.test(n)));
      return found.length > 0 ? `environment variables that look like credentials: ${found.join(", ")}` : undefined;
    },
  }),
  rule({
    id: "ecs-logging",
    level: "error",
    area: "logging",
    title: "ECS containers send their output to a log driver",
    types: ["aws_ecs_task_definition"],
    refs: ["Security Hub ECS.9"],
    check(r) {
      const silent = containers(r).filter((c) => block(c.logConfiguration)?.logDriver === undefined);
      return silent.length > 0 ? `no logConfiguration: ${names(silent)}` : undefined;
    },
  }),
  rule({
    id: "ecs-host-isolation",
    level: "error",
    area: "least-privilege",
    title: "ECS tasks use their own network (awsvpc) and process namespaces, not the host's",
    types: ["aws_ecs_task_definition"],
    refs: ["Security Hub ECS.1", "Security Hub ECS.3"],
    check(r) {
      if (r.values.network_mode === "host") return "network_mode is host";
      return r.values.pid_mode === "host" ? "pid_mode is host" : undefined;
    },
  }),
  rule({
    id: "lambda-tracing",
    level: "warning",
    area: "lambda",
    title: "Lambda functions trace requests with X-Ray",
    types: ["aws_lambda_function"],
    refs: ["checkov CKV_AWS_50"],
    check(r) {
      return block(r.values.tracing_config)?.mode === "Active" ? undefined : "tracing_config mode is not Active";
    },
  }),
  rule({
    id: "lambda-dead-letter",
    level: "warning",
    area: "lambda",
    title: "Lambda functions keep failed asynchronous events (dead-letter queue or on-failure destination)",
    types: ["aws_lambda_function"],
    refs: ["checkov CKV_AWS_116"],
    check(r, model) {
      return deadLetterTarget(model, r) ? undefined : "failed asynchronous invocations are dropped";
    },
  }),
  rule({
    id: "lambda-environment-kms",
    level: "error",
    area: "encryption",
    title: "Lambda environment variables are encrypted with a customer-managed KMS key",
    types: ["aws_lambda_function"],
    refs: ["checkov CKV_AWS_173"],
    check(r) {
      const variables = block(r.values.environment)?.variables;
      if (variables === undefined || Object.keys(variables as object).length === 0) return undefined;
      return r.values.kms_key_arn === undefined ? "environment variables under the AWS-managed key" : undefined;
    },
  }),
  rule({
    id: "lambda-no-secrets-in-environment",
    level: "error",
    area: "secrets",
    title: "Lambda functions read credentials from Secrets Manager or SSM, never environment variables",
    types: ["aws_lambda_function"],
    refs: ["checkov CKV_AWS_45"],
    check(r) {
      const variables = (block(r.values.environment)?.variables ?? {}) as Values;
      const found = Object.keys(variables).filter(isCredentialName);
      return found.length > 0 ? `environment variables that look like credentials: ${found.join(", ")}` : undefined;
    },
  }),
  rule({
    id: "lambda-concurrency-limit",
    level: "warning",
    area: "lambda",
    title: "Lambda functions reserve a concurrency limit",
    types: ["aws_lambda_function"],
    refs: ["checkov CKV_AWS_115"],
    check(r) {
      const limit = num(r.values.reserved_concurrent_executions);
      return limit === undefined || limit < 0 ? "no reserved_concurrent_executions" : undefined;
    },
  }),
  rule({
    id: "lambda-supported-runtime",
    level: "error",
    area: "patching",
    title: "Lambda functions use a runtime AWS still patches",
    types: ["aws_lambda_function"],
    refs: ["Security Hub Lambda.2", "cdk-nag AwsSolutions-L1"],
    check(r) {
      const runtime = String(r.values.runtime ?? "");
      const since = DEPRECATED_LAMBDA_RUNTIMES[runtime];
      return since === undefined ? undefined : `runtime ${runtime} has been deprecated since ${since}`;
    },
  }),
  rule({
    id: "lambda-function-url-auth",
    level: "error",
    area: "public-access",
    title: "Lambda function URLs require IAM authentication",
    types: ["aws_lambda_function_url"],
    refs: ["checkov CKV_AWS_258"],
    check(r) {
      return r.values.authorization_type === "NONE" ? "authorization_type is NONE: anyone on the internet can invoke it" : undefined;
    },
  }),
  rule({
    id: "lambda-no-public-permission",
    level: "error",
    area: "public-access",
    title: "Lambda permissions name who may invoke (no principal *)",
    types: ["aws_lambda_permission"],
    refs: ["checkov CKV_AWS_301", "Security Hub Lambda.1"],
    check(r) {
      if (r.values.principal !== "*") return undefined;
      return r.values.source_arn === undefined && r.values.source_account === undefined ? "principal * with no source_arn or source_account" : undefined;
    },
  }),
];
