import { TerraformResource, TerraformStack } from "cdktf";
import { App } from "cdktf";
import { KeelStack } from "../../stacks/keel-stack";

/** Attribute values by name, as they appear in the synthesized JSON. */
export type Attributes = Readonly<Record<string, unknown>>;

const json = (value: unknown) => JSON.stringify(value);
/** A policy document as Keel writes them: JSON text. */
export const policy = (...statements: readonly Attributes[]) => json({ Version: "2012-10-17", Statement: statements });

const KEY = "${aws_kms_key.key.arn}";
const ACCOUNT = { AWS: "arn:aws:iam::111122223333:root" };
const DENY_INSECURE = { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } };
const TEMPLATE_VOLUME = { device_name: "/dev/xvda", ebs: { encrypted: "true", kms_key_id: KEY } };
const METRICS = (name: string) => ({ cloudwatch_metrics_enabled: true, metric_name: name, sampled_requests_enabled: true });
export const CONTAINER = { name: "app", image: "app:1", readonlyRootFilesystem: true, environment: [{ name: "LOG_LEVEL", value: "info" }], logConfiguration: { logDriver: "awslogs" } };
const feature = (name: string, extra: Attributes = {}) => ({ detector_id: "${aws_guardduty_detector.detector.id}", name, status: "ENABLED", ...extra });
const bucketRef = "${aws_s3_bucket.bucket.id}";

/**
 * One resource of every type the rule pack checks, each compliant with every
 * rule, joined the way rules look for companions (a bucket's policy, a
 * VPC's flow log, a web ACL's logging). A rule's test breaks one thing here.
 */
export const COMPLIANT_WORLD: Readonly<Record<string, Attributes>> = {
  "aws_kms_key.key": {
    enable_key_rotation: true,
    deletion_window_in_days: 30,
    policy: policy({ Sid: "Account", Effect: "Allow", Principal: ACCOUNT, Action: "kms:*", Resource: "*" }),
  },
  "aws_s3_bucket.bucket": { bucket: "bucket" },
  "aws_s3_bucket_public_access_block.bucket_block": { bucket: bucketRef, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
  "aws_s3_bucket_server_side_encryption_configuration.bucket_encryption": {
    bucket: bucketRef,
    rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: KEY } }],
  },
  "aws_s3_bucket_policy.bucket_policy": { bucket: bucketRef, policy: policy(DENY_INSECURE, { Sid: "Read", Effect: "Allow", Principal: ACCOUNT, Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/*" }) },
  "aws_s3_bucket_versioning.bucket_versioning": { bucket: bucketRef, versioning_configuration: { status: "Enabled" } },
  "aws_s3_bucket_ownership_controls.bucket_ownership": { bucket: bucketRef, rule: { object_ownership: "BucketOwnerEnforced" } },
  "aws_s3_bucket_lifecycle_configuration.bucket_lifecycle": { bucket: bucketRef, rule: [{ id: "expire", status: "Enabled" }] },
  "aws_s3_bucket_logging.bucket_logging": { bucket: bucketRef, target_bucket: "access-logs", target_prefix: "bucket/" },
  "aws_s3_account_public_access_block.account": { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
  "aws_dynamodb_table.table": {
    name: "table",
    hash_key: "id",
    point_in_time_recovery: { enabled: true },
    server_side_encryption: { enabled: true, kms_key_arn: KEY },
    deletion_protection_enabled: true,
  },
  "aws_secretsmanager_secret.secret": { name: "secret", kms_key_id: KEY },
  "aws_secretsmanager_secret_rotation.secret_rotation": { secret_id: "${aws_secretsmanager_secret.secret.id}", rotation_lambda_arn: "arn:aws:lambda:us-east-1:111122223333:function:rotate" },
  "aws_cloudwatch_log_group.logs": { name: "/app", kms_key_id: KEY, retention_in_days: 400 },
  "aws_ebs_encryption_by_default.ebs": { enabled: true },
  "aws_ebs_volume.volume": { availability_zone: "us-east-1a", size: 8, encrypted: true, kms_key_id: KEY },
  "aws_ecr_repository.repo": {
    name: "repo",
    image_tag_mutability: "IMMUTABLE",
    image_scanning_configuration: { scan_on_push: true },
    encryption_configuration: [{ encryption_type: "KMS", kms_key: KEY }],
  },
  "aws_ecr_lifecycle_policy.repo_lifecycle": { repository: "${aws_ecr_repository.repo.name}", policy: "{}" },
  "aws_ecr_repository_policy.repo_policy": {
    repository: "${aws_ecr_repository.repo.name}",
    policy: policy({ Sid: "Pull", Effect: "Allow", Principal: ACCOUNT, Action: "ecr:BatchGetImage" }),
  },

  "aws_vpc.vpc": { cidr_block: "10.0.0.0/16" },
  "aws_flow_log.vpc_flow_log": { vpc_id: "${aws_vpc.vpc.id}", traffic_type: "ALL" },
  "aws_default_security_group.vpc_default": { vpc_id: "${aws_vpc.vpc.id}", ingress: [], egress: [] },
  "aws_subnet.subnet": { vpc_id: "${aws_vpc.vpc.id}", cidr_block: "10.0.1.0/24", map_public_ip_on_launch: false },
  "aws_security_group.web": { name: "web", description: "Load balancer: HTTPS from anywhere", vpc_id: "${aws_vpc.vpc.id}" },
  "aws_vpc_security_group_ingress_rule.web_https": {
    security_group_id: "${aws_security_group.web.id}",
    cidr_ipv4: "0.0.0.0/0",
    ip_protocol: "tcp",
    from_port: 443,
    to_port: 443,
    description: "HTTPS from the internet",
  },
  "aws_vpc_security_group_egress_rule.web_out": {
    security_group_id: "${aws_security_group.web.id}",
    cidr_ipv4: "10.0.0.0/16",
    ip_protocol: "tcp",
    from_port: 8080,
    to_port: 8080,
    description: "To the targets",
  },
  "aws_security_group_rule.database": {
    type: "ingress",
    security_group_id: "${aws_security_group.web.id}",
    protocol: "tcp",
    from_port: 5432,
    to_port: 5432,
    cidr_blocks: ["10.0.0.0/16"],
    description: "PostgreSQL from the VPC",
  },
  "aws_default_network_acl.default_acl": {
    default_network_acl_id: "${aws_vpc.vpc.default_network_acl_id}",
    ingress: [{ rule_no: 100, action: "allow", protocol: "tcp", from_port: 443, to_port: 443, cidr_block: "0.0.0.0/0" }],
  },
  "aws_network_acl.subnet_acl": { vpc_id: "${aws_vpc.vpc.id}", ingress: [{ rule_no: 100, action: "allow", protocol: "tcp", from_port: 443, to_port: 443, cidr_block: "0.0.0.0/0" }] },
  "aws_network_acl_rule.acl_ssh": {
    network_acl_id: "${aws_network_acl.subnet_acl.id}",
    rule_number: 200,
    egress: false,
    protocol: "tcp",
    rule_action: "allow",
    cidr_block: "10.0.0.0/16",
    from_port: 22,
    to_port: 22,
  },
  "aws_launch_template.template": {
    metadata_options: { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 },
    block_device_mappings: [TEMPLATE_VOLUME],
    iam_instance_profile: { arn: "arn:aws:iam::111122223333:instance-profile/host" },
  },
  "aws_instance.host": {
    launch_template: { id: "${aws_launch_template.template.id}", version: "${aws_launch_template.template.latest_version}" },
    associate_public_ip_address: false,
    monitoring: true,
  },
  "aws_lb.alb": {
    load_balancer_type: "application",
    internal: false,
    drop_invalid_header_fields: true,
    desync_mitigation_mode: "defensive",
    access_logs: { bucket: "alb-logs", enabled: true },
    enable_deletion_protection: true,
  },
  "aws_lb_listener.http": {
    load_balancer_arn: "${aws_lb.alb.arn}",
    port: 80,
    protocol: "HTTP",
    default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }],
  },
  "aws_lb_listener.https": {
    load_balancer_arn: "${aws_lb.alb.arn}",
    port: 443,
    protocol: "HTTPS",
    ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    certificate_arn: "arn:aws:acm:us-east-1:111122223333:certificate/abc",
    default_action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.targets.arn}" }],
  },
  "aws_lb_target_group.targets": { protocol: "HTTPS", port: 8443, vpc_id: "${aws_vpc.vpc.id}" },
  "aws_wafv2_web_acl.acl": {
    scope: "REGIONAL",
    default_action: { allow: {} },
    visibility_config: METRICS("acl"),
    rule: [
      {
        name: "known-bad-inputs",
        priority: 1,
        override_action: { none: {} },
        statement: { managed_rule_group_statement: { name: "AWSManagedRulesKnownBadInputsRuleSet", vendor_name: "AWS" } },
        visibility_config: METRICS("known-bad-inputs"),
      },
    ],
  },
  "aws_wafv2_web_acl_association.alb_acl": { resource_arn: "${aws_lb.alb.arn}", web_acl_arn: "${aws_wafv2_web_acl.acl.arn}" },
  "aws_wafv2_web_acl_logging_configuration.acl_logging": { resource_arn: "${aws_wafv2_web_acl.acl.arn}", log_destination_configs: ["arn:aws:logs:us-east-1:111122223333:log-group:aws-waf-logs-x"] },

  "aws_rds_cluster_parameter_group.cluster_parameters": { family: "aurora-postgresql16", parameter: [{ name: "rds.force_ssl", value: "1" }] },
  "aws_rds_cluster.db": {
    engine: "aurora-postgresql",
    storage_encrypted: true,
    kms_key_id: KEY,
    deletion_protection: true,
    backup_retention_period: 7,
    final_snapshot_identifier: "db-final",
    iam_database_authentication_enabled: true,
    copy_tags_to_snapshot: true,
    enabled_cloudwatch_logs_exports: ["postgresql"],
    master_username: "dbadmin",
    manage_master_user_password: true,
    master_user_secret_kms_key_id: KEY,
    db_cluster_parameter_group_name: "${aws_rds_cluster_parameter_group.cluster_parameters.name}",
  },
  "aws_rds_cluster_instance.db_writer": {
    cluster_identifier: "${aws_rds_cluster.db.id}",
    instance_class: "db.serverless",
    publicly_accessible: false,
    monitoring_interval: 60,
    performance_insights_enabled: true,
    performance_insights_kms_key_id: KEY,
    copy_tags_to_snapshot: true,
    auto_minor_version_upgrade: true,
  },
  "aws_rds_cluster_instance.db_reader": {
    cluster_identifier: "${aws_rds_cluster.db.id}",
    instance_class: "db.serverless",
    publicly_accessible: false,
    monitoring_interval: 60,
    copy_tags_to_snapshot: true,
  },
  "aws_db_parameter_group.single_parameters": { family: "postgres16", parameter: [{ name: "rds.force_ssl", value: "1" }] },
  "aws_db_instance.single": {
    engine: "postgres",
    storage_encrypted: true,
    kms_key_id: KEY,
    deletion_protection: true,
    backup_retention_period: 7,
    final_snapshot_identifier: "single-final",
    iam_database_authentication_enabled: true,
    copy_tags_to_snapshot: true,
    enabled_cloudwatch_logs_exports: ["postgresql"],
    publicly_accessible: false,
    monitoring_interval: 60,
    master_username: "dbadmin",
    manage_master_user_password: true,
    master_user_secret_kms_key_id: KEY,
    parameter_group_name: "${aws_db_parameter_group.single_parameters.name}",
  },

  "aws_backup_vault.vault": { name: "world-backup", kms_key_arn: KEY },
  "aws_backup_vault_lock_configuration.lock": { backup_vault_name: "${aws_backup_vault.vault.name}", changeable_for_days: 3, min_retention_days: 35, max_retention_days: 35 },
  "aws_backup_plan.plan": { name: "world-backup", rule: [{ rule_name: "daily", target_vault_name: "${aws_backup_vault.vault.name}", schedule: "cron(0 5 ? * * *)", lifecycle: { delete_after: 35 } }] },
  "aws_backup_selection.selection": {
    name: "world-backup",
    plan_id: "${aws_backup_plan.plan.id}",
    iam_role_arn: "arn:aws:iam::111122223333:role/world-backup",
    resources: ["${aws_rds_cluster.db.arn}", "${aws_db_instance.single.arn}"],
  },

  "aws_ecs_cluster.cluster": {
    name: "cluster",
    setting: [{ name: "containerInsights", value: "enabled" }],
    configuration: { execute_command_configuration: { logging: "OVERRIDE", log_configuration: { cloud_watch_encryption_enabled: true, cloud_watch_log_group_name: "/exec" } } },
  },
  "aws_ecs_task_definition.task": { family: "task", network_mode: "awsvpc", container_definitions: json([CONTAINER]) },
  "aws_ecs_service.service": { cluster: "${aws_ecs_cluster.cluster.arn}", network_configuration: { assign_public_ip: false, subnets: ["${aws_subnet.subnet.id}"] } },
  "aws_sqs_queue.dead_letters": { kms_master_key_id: KEY, policy: policy(DENY_INSECURE) },
  "aws_sqs_queue.queue": {
    kms_master_key_id: KEY,
    redrive_policy: json({ deadLetterTargetArn: "${aws_sqs_queue.dead_letters.arn}", maxReceiveCount: 5 }),
  },
  "aws_sqs_queue_policy.queue_policy": {
    queue_url: "${aws_sqs_queue.queue.url}",
    policy: policy(DENY_INSECURE, { Sid: "Send", Effect: "Allow", Principal: ACCOUNT, Action: "sqs:SendMessage", Resource: "*" }),
  },
  "aws_lambda_function.function": {
    function_name: "function",
    runtime: "nodejs22.x",
    tracing_config: { mode: "Active" },
    dead_letter_config: { target_arn: "${aws_sqs_queue.dead_letters.arn}" },
    environment: { variables: { TABLE_NAME: "table", API_KEY_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:111122223333:secret:x" } },
    kms_key_arn: KEY,
    reserved_concurrent_executions: 10,
  },
  "aws_lambda_function_url.function_url": { function_name: "${aws_lambda_function.function.function_name}", authorization_type: "AWS_IAM" },
  "aws_lambda_permission.function_invoke": {
    function_name: "${aws_lambda_function.function.function_name}",
    action: "lambda:InvokeFunction",
    principal: "apigateway.amazonaws.com",
    source_arn: "arn:aws:execute-api:us-east-1:111122223333:abc/*",
  },

  "aws_iam_role.role": { assume_role_policy: policy({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }) },
  "aws_iam_policy.policy": {
    policy: policy(
      { Sid: "Read", Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::bucket/*" },
      { Sid: "PullImages", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
      { Sid: "Describe", Effect: "Allow", Action: "ec2:DescribeInstances", Resource: "*" },
    ),
  },
  "aws_iam_role_policy.role_policy": {
    role: "${aws_iam_role.role.id}",
    policy: policy({ Sid: "Pass", Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::111122223333:role/task" }),
  },
  "aws_iam_group_policy.group_policy": {
    group: "operators",
    policy: policy({ Sid: "Read", Effect: "Allow", Action: "logs:GetLogEvents", Resource: "arn:aws:logs:us-east-1:111122223333:log-group:/app:*" }),
  },
  "aws_iam_role_policy_attachment.role_attachment": { role: "${aws_iam_role.role.name}", policy_arn: "${aws_iam_policy.policy.arn}" },
  "aws_cognito_user_pool.pool": {
    name: "pool",
    mfa_configuration: "ON",
    password_policy: { minimum_length: 12, require_lowercase: true, require_uppercase: true, require_numbers: true, require_symbols: true },
    user_pool_add_ons: { advanced_security_mode: "ENFORCED" },
    deletion_protection: "ACTIVE",
  },
  "aws_cognito_identity_pool.identities": { identity_pool_name: "identities", allow_unauthenticated_identities: false },

  "aws_cloudfront_distribution.cdn": {
    enabled: true,
    default_root_object: "index.html",
    web_acl_id: "arn:aws:wafv2:us-east-1:111122223333:global/webacl/x/1",
    logging_config: { bucket: "cdn-logs.s3.amazonaws.com" },
    viewer_certificate: { acm_certificate_arn: "arn:aws:acm:us-east-1:111122223333:certificate/abc", ssl_support_method: "sni-only", minimum_protocol_version: "TLSv1.2_2021" },
    origin: [
      { origin_id: "site", domain_name: "site.s3.us-east-1.amazonaws.com", origin_access_control_id: "E2OAC" },
      { origin_id: "api", domain_name: "api.example.com", custom_origin_config: { origin_protocol_policy: "https-only", origin_ssl_protocols: ["TLSv1.2"], http_port: 80, https_port: 443 } },
    ],
    default_cache_behavior: { target_origin_id: "site", viewer_protocol_policy: "redirect-to-https", response_headers_policy_id: "headers" },
    ordered_cache_behavior: [{ path_pattern: "/api/*", target_origin_id: "api", viewer_protocol_policy: "https-only" }],
  },
  "aws_api_gateway_stage.rest": {
    stage_name: "prod",
    rest_api_id: "api",
    deployment_id: "deployment",
    xray_tracing_enabled: true,
    access_log_settings: { destination_arn: "${aws_cloudwatch_log_group.logs.arn}", format: "{}" },
  },
  "aws_api_gateway_method_settings.rest_settings": {
    rest_api_id: "api",
    stage_name: "${aws_api_gateway_stage.rest.stage_name}",
    method_path: "*/*",
    settings: { logging_level: "ERROR", caching_enabled: true, cache_data_encrypted: true },
  },
  "aws_wafv2_web_acl_association.rest_acl": { resource_arn: "${aws_api_gateway_stage.rest.arn}", web_acl_arn: "${aws_wafv2_web_acl.acl.arn}" },
  "aws_api_gateway_method.get": { rest_api_id: "api", resource_id: "root", http_method: "GET", authorization: "AWS_IAM" },
  "aws_api_gateway_domain_name.rest_domain": { domain_name: "api.example.com", security_policy: "TLS_1_2" },
  "aws_apigatewayv2_stage.http_api": { api_id: "http", name: "$default", access_log_settings: { destination_arn: "${aws_cloudwatch_log_group.logs.arn}", format: "{}" } },
  "aws_apigatewayv2_route.route": { api_id: "http", route_key: "GET /items", authorization_type: "JWT" },
  "aws_apigatewayv2_domain_name.http_domain": {
    domain_name: "http.example.com",
    domain_name_configuration: { certificate_arn: "arn:aws:acm:us-east-1:111122223333:certificate/abc", endpoint_type: "REGIONAL", security_policy: "TLS_1_2" },
  },

  "aws_cloudtrail.trail": {
    name: "trail",
    s3_bucket_name: "trail-bucket",
    is_multi_region_trail: true,
    include_global_service_events: true,
    enable_log_file_validation: true,
    kms_key_id: KEY,
    cloud_watch_logs_group_arn: "${aws_cloudwatch_log_group.logs.arn}:*",
  },
  "aws_config_configuration_recorder.recorder": { name: "recorder", role_arn: "arn:aws:iam::111122223333:role/config", recording_group: { all_supported: true, include_global_resource_types: true } },
  "aws_config_configuration_recorder_status.recorder_status": { name: "${aws_config_configuration_recorder.recorder.name}", is_enabled: true },
  "aws_guardduty_detector.detector": { enable: true },
  "aws_guardduty_detector_feature.detector_s3": feature("S3_DATA_EVENTS"),
  "aws_guardduty_detector_feature.detector_runtime": feature("RUNTIME_MONITORING", { additional_configuration: [{ name: "ECS_FARGATE_AGENT_MANAGEMENT", status: "ENABLED" }] }),
  "aws_guardduty_detector_feature.detector_rds": feature("RDS_LOGIN_EVENTS"),
  "aws_guardduty_detector_feature.detector_malware": feature("EBS_MALWARE_PROTECTION"),
  "aws_sns_topic.topic": { name: "topic", kms_master_key_id: KEY },
  "aws_sns_topic_policy.topic_policy": {
    arn: "${aws_sns_topic.topic.arn}",
    policy: policy(DENY_INSECURE, { Sid: "Publish", Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: "*" }),
  },
  "aws_cloudwatch_metric_alarm.alarm": { alarm_name: "alarm", alarm_actions: ["${aws_sns_topic.topic.arn}"], metric_name: "Errors", namespace: "App", threshold: 1 },
  "aws_ssm_document.document": { name: "document", document_type: "Command", content: "{}" },
  "aws_sesv2_configuration_set.mail": { configuration_set_name: "mail", delivery_options: { tls_policy: "REQUIRE" } },
  "aws_ses_configuration_set.legacy_mail": { name: "legacy-mail", delivery_options: { tls_policy: "Require" } },
  "aws_route53_zone.zone": { name: "example.com" },
  "aws_route53_query_log.zone_queries": { zone_id: "${aws_route53_zone.zone.zone_id}", cloudwatch_log_group_arn: "arn:aws:logs:us-east-1:111122223333:log-group:/dns" },
};

/** A stack named like Keel's (addresses read `aws_s3_bucket.bucket`), without provider or backend. */
class WorldStack extends KeelStack {}

/**
 * The world as constructs in a stack: `COMPLIANT_WORLD`, with `changes`
 * applied (an attribute set to `undefined` is left out), without the
 * resources in `remove`, and with `add`ed ones.
 */
export function worldStack(
  options: { changes?: Readonly<Record<string, Attributes>>; remove?: readonly string[]; add?: Readonly<Record<string, Attributes>> } = {},
): TerraformStack {
  const stack = new WorldStack(new App({ skipValidation: true }), "world");
  const world = { ...COMPLIANT_WORLD, ...(options.add ?? {}) };
  for (const [address, attributes] of Object.entries(world)) {
    if (options.remove?.includes(address)) continue;
    const [type, name] = address.split(".");
    const resource = new TerraformResource(stack, name, { terraformResourceType: type });
    for (const [key, value] of Object.entries({ ...attributes, ...(options.changes?.[address] ?? {}) })) {
      if (value !== undefined) resource.addOverride(key, value);
    }
  }
  return stack;
}
