import { ModelResource, StackModel, block, blocks, isFalse, isTrue, strings } from "../model";
import { deniesInsecureTransport, publicGrantProblem, statements } from "../policy";
import { Rule, rule } from "../rule";

/** Whether the detector has `feature` on, as a separate `aws_guardduty_detector_feature` (the provider's current way). */
function featureProblem(model: StackModel, detector: ModelResource, feature: string, agent?: string): string | undefined {
  const found = model.referencing(detector, "aws_guardduty_detector_feature", "detector_id").find((f) => f.values.name === feature);
  if (found === undefined || found.values.status !== "ENABLED") return `${feature} is not enabled`;
  if (agent === undefined) return undefined;
  const managed = blocks(found.values.additional_configuration).some((c) => c.name === agent && c.status === "ENABLED");
  return managed ? undefined : `${feature} is on without ${agent}`;
}

/** The policy resource of a topic or queue, by the attribute that names it. */
function policyOf(model: StackModel, r: ModelResource): ModelResource | undefined {
  return r.type === "aws_sns_topic" ? model.referencing(r, "aws_sns_topic_policy", "arn")[0] : model.referencing(r, "aws_sqs_queue_policy", "queue_url")[0];
}

function inlineOrAttached(model: StackModel, r: ModelResource): unknown {
  return r.values.policy ?? policyOf(model, r)?.values.policy;
}

const isAwsManagedKey = (key: unknown) => typeof key === "string" && /alias\/aws\//.test(key);

export const AUDIT_RULES: readonly Rule[] = [
  rule({
    id: "cloudtrail-multi-region",
    level: "error",
    area: "logging",
    title: "CloudTrail trails are logging, in every region, with global service events",
    types: ["aws_cloudtrail"],
    refs: ["checkov CKV_AWS_67", "Security Hub CloudTrail.1"],
    check(r) {
      if (isFalse(r.values.enable_logging)) return "enable_logging is false";
      if (!isTrue(r.values.is_multi_region_trail)) return "is_multi_region_trail is not true";
      return isFalse(r.values.include_global_service_events) ? "include_global_service_events is false" : undefined;
    },
  }),
  rule({
    id: "cloudtrail-log-validation",
    level: "error",
    area: "logging",
    title: "CloudTrail validates log files (digest files detect tampering)",
    types: ["aws_cloudtrail"],
    refs: ["checkov CKV_AWS_36", "Security Hub CloudTrail.4"],
    check(r) {
      return isTrue(r.values.enable_log_file_validation) ? undefined : "enable_log_file_validation is not true";
    },
  }),
  rule({
    id: "cloudtrail-kms",
    level: "error",
    area: "encryption",
    title: "CloudTrail encrypts logs with a customer-managed KMS key",
    types: ["aws_cloudtrail"],
    refs: ["checkov CKV_AWS_35", "Security Hub CloudTrail.2"],
    check(r) {
      return r.values.kms_key_id === undefined ? "no kms_key_id" : undefined;
    },
  }),
  rule({
    id: "cloudtrail-cloudwatch-logs",
    level: "warning",
    area: "logging",
    title: "CloudTrail also delivers to CloudWatch Logs, where metric filters alarm on it",
    types: ["aws_cloudtrail"],
    refs: ["checkov CKV2_AWS_10", "Security Hub CloudTrail.5"],
    check(r) {
      return r.values.cloud_watch_logs_group_arn === undefined ? "no cloud_watch_logs_group_arn" : undefined;
    },
  }),
  rule({
    id: "config-records-everything",
    level: "error",
    area: "detection",
    title: "AWS Config records every supported resource type",
    types: ["aws_config_configuration_recorder"],
    refs: ["checkov CKV2_AWS_48", "Security Hub Config.1"],
    check(r) {
      const group = block(r.values.recording_group);
      if (group === undefined) return undefined;
      return isFalse(group.all_supported) ? "all_supported is false: only listed types are recorded" : undefined;
    },
  }),
  rule({
    id: "config-recorder-on",
    level: "error",
    area: "detection",
    title: "AWS Config recorders are switched on",
    types: ["aws_config_configuration_recorder"],
    refs: ["checkov CKV2_AWS_45", "Security Hub Config.1"],
    check(r, model) {
      const status = model.referencing(r, "aws_config_configuration_recorder_status", "name")[0];
      return status !== undefined && isTrue(status.values.is_enabled) ? undefined : "no aws_config_configuration_recorder_status with is_enabled true";
    },
  }),
  rule({
    id: "guardduty-enabled",
    level: "error",
    area: "detection",
    title: "GuardDuty detectors are enabled",
    types: ["aws_guardduty_detector"],
    refs: ["checkov CKV2_AWS_3", "Security Hub GuardDuty.1"],
    check(r) {
      return isFalse(r.values.enable) ? "enable is false" : undefined;
    },
  }),
  rule({
    id: "guardduty-s3-protection",
    level: "warning",
    area: "detection",
    title: "GuardDuty watches S3 data events",
    types: ["aws_guardduty_detector"],
    refs: ["Security Hub GuardDuty.10"],
    check: (r, model) => featureProblem(model, r, "S3_DATA_EVENTS"),
  }),
  rule({
    id: "guardduty-runtime-monitoring",
    level: "warning",
    area: "detection",
    title: "GuardDuty runtime monitoring covers Fargate tasks, with the agent managed",
    types: ["aws_guardduty_detector"],
    refs: ["Security Hub GuardDuty.11", "Security Hub GuardDuty.12"],
    check: (r, model) => featureProblem(model, r, "RUNTIME_MONITORING", "ECS_FARGATE_AGENT_MANAGEMENT"),
  }),
  rule({
    id: "guardduty-rds-protection",
    level: "warning",
    area: "detection",
    title: "GuardDuty watches database login activity",
    types: ["aws_guardduty_detector"],
    refs: ["Security Hub GuardDuty.9"],
    check: (r, model) => featureProblem(model, r, "RDS_LOGIN_EVENTS"),
  }),
  rule({
    id: "guardduty-malware-protection",
    level: "warning",
    area: "detection",
    title: "GuardDuty scans EBS volumes for malware",
    types: ["aws_guardduty_detector"],
    refs: ["Security Hub GuardDuty.8"],
    check: (r, model) => featureProblem(model, r, "EBS_MALWARE_PROTECTION"),
  }),
  rule({
    id: "alarm-actions",
    level: "error",
    area: "alarms",
    title: "CloudWatch alarms notify someone (alarm actions set and enabled)",
    types: ["aws_cloudwatch_metric_alarm"],
    refs: ["checkov CKV_AWS_319", "Security Hub CloudWatch.15"],
    check(r) {
      if (isFalse(r.values.actions_enabled)) return "actions_enabled is false";
      return strings(r.values.alarm_actions).length === 0 ? "no alarm_actions: the alarm changes state and nobody hears" : undefined;
    },
  }),
  rule({
    id: "sns-kms",
    level: "error",
    area: "messaging",
    title: "SNS topics are encrypted with a customer-managed KMS key",
    types: ["aws_sns_topic"],
    refs: ["checkov CKV_AWS_26", "Security Hub SNS.1", "cdk-nag AwsSolutions-SNS2"],
    check(r) {
      const key = r.values.kms_master_key_id;
      if (key === undefined) return "no kms_master_key_id";
      return isAwsManagedKey(key) ? `${String(key)} is AWS-managed` : undefined;
    },
  }),
  rule({
    id: "sns-tls-only",
    level: "warning",
    area: "tls",
    title: "SNS topic policies deny publishing without TLS",
    types: ["aws_sns_topic"],
    refs: ["cdk-nag AwsSolutions-SNS3"],
    check(r, model) {
      const policy = statements(inlineOrAttached(model, r));
      return policy !== undefined && deniesInsecureTransport(policy) ? undefined : "no Deny on aws:SecureTransport false";
    },
  }),
  rule({
    id: "sns-no-public-policy",
    level: "error",
    area: "public-access",
    title: "SNS topic policies grant nothing to everyone",
    types: ["aws_sns_topic_policy"],
    refs: ["checkov CKV_AWS_169"],
    check: (r) => publicGrantProblem(r.values.policy),
  }),
  rule({
    id: "sqs-kms",
    level: "error",
    area: "messaging",
    title: "SQS queues are encrypted with a customer-managed KMS key",
    types: ["aws_sqs_queue"],
    refs: ["checkov CKV_AWS_27", "Security Hub SQS.1", "cdk-nag AwsSolutions-SQS2"],
    check(r) {
      const key = r.values.kms_master_key_id;
      if (key === undefined) return isTrue(r.values.sqs_managed_sse_enabled) ? "SSE-SQS (an AWS-owned key), not a customer-managed key" : "not encrypted with a KMS key";
      return isAwsManagedKey(key) ? `${String(key)} is AWS-managed` : undefined;
    },
  }),
  rule({
    id: "sqs-dead-letter-queue",
    level: "warning",
    area: "messaging",
    title: "SQS queues move poison messages to a dead-letter queue",
    types: ["aws_sqs_queue"],
    refs: ["cdk-nag AwsSolutions-SQS3"],
    check(r, model) {
      if (r.values.redrive_policy !== undefined || model.referencing(r, "aws_sqs_queue_redrive_policy", "queue_url").length > 0) return undefined;
      const isDeadLetterQueue =
        model.ofType("aws_sqs_queue").some((q) => JSON.stringify(q.values.redrive_policy ?? "").includes(`\${${r.address}.arn}`)) ||
        model.ofType("aws_sqs_queue_redrive_policy").some((q) => JSON.stringify(q.values.redrive_policy ?? "").includes(`\${${r.address}.arn}`));
      return isDeadLetterQueue ? undefined : "no redrive_policy";
    },
  }),
  rule({
    id: "sqs-tls-only",
    level: "warning",
    area: "tls",
    title: "SQS queue policies deny requests without TLS",
    types: ["aws_sqs_queue"],
    refs: ["cdk-nag AwsSolutions-SQS4"],
    check(r, model) {
      const policy = statements(inlineOrAttached(model, r));
      return policy !== undefined && deniesInsecureTransport(policy) ? undefined : "no Deny on aws:SecureTransport false";
    },
  }),
  rule({
    id: "sqs-no-public-policy",
    level: "error",
    area: "public-access",
    title: "SQS queue policies grant nothing to everyone",
    types: ["aws_sqs_queue_policy"],
    refs: ["checkov CKV_AWS_168"],
    check: (r) => publicGrantProblem(r.values.policy),
  }),
  rule({
    id: "ssm-document-not-public",
    level: "error",
    area: "public-access",
    title: "SSM documents are not shared with every AWS account",
    types: ["aws_ssm_document"],
    refs: ["Security Hub SSM.4"],
    check(r) {
      const permissions = block(r.values.permissions);
      return permissions?.type === "Share" && String(permissions.account_ids).toLowerCase() === "all" ? "shared with All accounts" : undefined;
    },
  }),
  rule({
    id: "ses-tls-required",
    level: "warning",
    area: "tls",
    title: "SES configuration sets require TLS to the receiving server",
    types: ["aws_sesv2_configuration_set", "aws_ses_configuration_set"],
    refs: ["checkov CKV_AWS_365"],
    check(r) {
      const policy = block(r.values.delivery_options)?.tls_policy;
      return policy === "REQUIRE" || policy === "Require" ? undefined : `tls_policy is ${String(policy ?? "OPTIONAL (the default)")}`;
    },
  }),
  rule({
    id: "route53-query-logging",
    level: "warning",
    area: "logging",
    title: "Public hosted zones log DNS queries",
    types: ["aws_route53_zone"],
    refs: ["checkov CKV2_AWS_39"],
    check(r, model) {
      if (blocks(r.values.vpc).length > 0) return undefined;
      return model.referencing(r, "aws_route53_query_log", "zone_id").length === 0 ? "no aws_route53_query_log" : undefined;
    },
  }),
];
