import { RULES, checkStack } from "../modules/compliance";
import { Attributes, CONTAINER, COMPLIANT_WORLD, policy, worldStack } from "./support/compliance-world";
import { TEST_TODAY } from "./support/clock";

// Every rule, shown to fire: one change to an otherwise compliant world of
// every resource type the pack checks, and the rule reports the resource it
// names. The unchanged world has no finding at all, so no rule fires on a
// compliant resource.

interface Case {
  /** The resources the finding is reported on. */
  readonly on: string | readonly string[];
  /** Attribute changes by resource address (`undefined` leaves one out). */
  readonly change?: Readonly<Record<string, Attributes>>;
  readonly remove?: readonly string[];
  readonly add?: Readonly<Record<string, Attributes>>;
}

const json = (value: unknown) => JSON.stringify(value);
const world = COMPLIANT_WORLD;
const ALLOW_ALL = (action: string) => ({ Sid: "Everyone", Effect: "Allow", Principal: "*", Action: action, Resource: "*" });
const container = (changes: Attributes) => ({ "aws_ecs_task_definition.task": { container_definitions: json([{ ...CONTAINER, ...changes }]) } });
const statement = (s: Attributes) => ({ "aws_iam_policy.policy": { policy: policy(s) } });
const feature = (address: string, status: string) => ({ [address]: { ...world[address], status } });

const CASES: Readonly<Record<string, Case>> = {
  "s3-block-public-access": { on: "aws_s3_bucket.bucket", change: { "aws_s3_bucket_public_access_block.bucket_block": { block_public_policy: false } } },
  "s3-account-public-access-block": { on: "aws_s3_account_public_access_block.account", change: { "aws_s3_account_public_access_block.account": { restrict_public_buckets: false } } },
  "s3-kms-encryption": {
    on: "aws_s3_bucket.bucket",
    change: { "aws_s3_bucket_server_side_encryption_configuration.bucket_encryption": { rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }] } },
  },
  "s3-tls-only": { on: "aws_s3_bucket.bucket", change: { "aws_s3_bucket_policy.bucket_policy": { policy: policy({ Effect: "Allow", Principal: { AWS: "x" }, Action: "s3:GetObject" }) } } },
  "s3-versioning": { on: "aws_s3_bucket.bucket", change: { "aws_s3_bucket_versioning.bucket_versioning": { versioning_configuration: { status: "Suspended" } } } },
  "s3-acls-disabled": { on: "aws_s3_bucket.bucket", change: { "aws_s3_bucket_ownership_controls.bucket_ownership": { rule: { object_ownership: "ObjectWriter" } } } },
  "s3-lifecycle": { on: "aws_s3_bucket.bucket", remove: ["aws_s3_bucket_lifecycle_configuration.bucket_lifecycle"] },
  "s3-access-logging": { on: "aws_s3_bucket.bucket", remove: ["aws_s3_bucket_logging.bucket_logging"] },
  "s3-no-public-policy": { on: "aws_s3_bucket_policy.bucket_policy", change: { "aws_s3_bucket_policy.bucket_policy": { policy: policy(ALLOW_ALL("s3:GetObject")) } } },
  "kms-key-rotation": { on: "aws_kms_key.key", change: { "aws_kms_key.key": { enable_key_rotation: false } } },
  "kms-no-public-key-policy": { on: "aws_kms_key.key", change: { "aws_kms_key.key": { policy: policy(ALLOW_ALL("kms:Decrypt")) } } },
  "kms-key-enabled": { on: "aws_kms_key.key", change: { "aws_kms_key.key": { is_enabled: false } } },
  "kms-deletion-window": { on: "aws_kms_key.key", change: { "aws_kms_key.key": { deletion_window_in_days: 7 } } },
  "dynamodb-point-in-time-recovery": { on: "aws_dynamodb_table.table", change: { "aws_dynamodb_table.table": { point_in_time_recovery: { enabled: false } } } },
  "dynamodb-kms": { on: "aws_dynamodb_table.table", change: { "aws_dynamodb_table.table": { server_side_encryption: { enabled: true } } } },
  "dynamodb-deletion-protection": { on: "aws_dynamodb_table.table", change: { "aws_dynamodb_table.table": { deletion_protection_enabled: false } } },
  "secret-kms": { on: "aws_secretsmanager_secret.secret", change: { "aws_secretsmanager_secret.secret": { kms_key_id: undefined } } },
  "secret-rotation": { on: "aws_secretsmanager_secret.secret", remove: ["aws_secretsmanager_secret_rotation.secret_rotation"] },
  "logs-kms": { on: "aws_cloudwatch_log_group.logs", change: { "aws_cloudwatch_log_group.logs": { kms_key_id: undefined } } },
  "logs-retention-set": { on: "aws_cloudwatch_log_group.logs", change: { "aws_cloudwatch_log_group.logs": { retention_in_days: undefined } } },
  "logs-retention-one-year": { on: "aws_cloudwatch_log_group.logs", change: { "aws_cloudwatch_log_group.logs": { retention_in_days: 90 } } },
  "ebs-default-encryption": { on: "aws_ebs_encryption_by_default.ebs", change: { "aws_ebs_encryption_by_default.ebs": { enabled: false } } },
  "ecr-scan-on-push": { on: "aws_ecr_repository.repo", change: { "aws_ecr_repository.repo": { image_scanning_configuration: { scan_on_push: false } } } },
  "ecr-immutable-tags": { on: "aws_ecr_repository.repo", change: { "aws_ecr_repository.repo": { image_tag_mutability: "MUTABLE" } } },
  "ecr-lifecycle-policy": { on: "aws_ecr_repository.repo", remove: ["aws_ecr_lifecycle_policy.repo_lifecycle"] },
  "ecr-kms": { on: "aws_ecr_repository.repo", change: { "aws_ecr_repository.repo": { encryption_configuration: [{ encryption_type: "AES256" }] } } },
  "ecr-no-public-policy": { on: "aws_ecr_repository_policy.repo_policy", change: { "aws_ecr_repository_policy.repo_policy": { policy: policy(ALLOW_ALL("ecr:BatchGetImage")) } } },

  "vpc-flow-logs": { on: "aws_vpc.vpc", remove: ["aws_flow_log.vpc_flow_log"] },
  "vpc-default-security-group-closed": {
    on: "aws_vpc.vpc",
    change: { "aws_default_security_group.vpc_default": { ingress: [{ protocol: "-1", from_port: 0, to_port: 0, self: true }] } },
  },
  "subnet-no-auto-public-ip": { on: "aws_subnet.subnet", change: { "aws_subnet.subnet": { map_public_ip_on_launch: true } } },
  "sg-no-public-admin-ports": { on: "aws_vpc_security_group_ingress_rule.web_https", change: { "aws_vpc_security_group_ingress_rule.web_https": { from_port: 22, to_port: 22 } } },
  "sg-public-ingress-web-only": { on: "aws_vpc_security_group_ingress_rule.web_https", change: { "aws_vpc_security_group_ingress_rule.web_https": { from_port: 8080, to_port: 8080 } } },
  "sg-no-unrestricted-egress": {
    on: "aws_vpc_security_group_egress_rule.web_out",
    change: { "aws_vpc_security_group_egress_rule.web_out": { ip_protocol: "-1", cidr_ipv4: "0.0.0.0/0", from_port: undefined, to_port: undefined } },
  },
  "sg-rule-descriptions": { on: "aws_security_group_rule.database", change: { "aws_security_group_rule.database": { description: undefined } } },
  "nacl-no-public-admin-ports": {
    on: "aws_network_acl.subnet_acl",
    change: { "aws_network_acl.subnet_acl": { ingress: [{ rule_no: 100, action: "allow", protocol: "-1", from_port: 0, to_port: 0, cidr_block: "0.0.0.0/0" }] } },
  },
  "ec2-imdsv2": { on: "aws_launch_template.template", change: { "aws_launch_template.template": { metadata_options: { http_endpoint: "enabled", http_tokens: "optional" } } } },
  "ec2-imds-hop-limit": {
    on: "aws_launch_template.template",
    change: { "aws_launch_template.template": { metadata_options: { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 2 } } },
  },
  "ec2-ebs-encrypted": { on: "aws_launch_template.template", change: { "aws_launch_template.template": { block_device_mappings: [{ device_name: "/dev/xvda", ebs: { encrypted: "false" } }] } } },
  "ec2-no-public-ip": { on: "aws_instance.host", change: { "aws_instance.host": { associate_public_ip_address: true } } },
  "ec2-instance-profile": { on: "aws_instance.host", change: { "aws_launch_template.template": { iam_instance_profile: undefined } } },
  "ec2-detailed-monitoring": { on: "aws_instance.host", change: { "aws_instance.host": { monitoring: false } } },
  "alb-drop-invalid-headers": { on: "aws_lb.alb", change: { "aws_lb.alb": { drop_invalid_header_fields: false } } },
  "alb-desync-mitigation": { on: "aws_lb.alb", change: { "aws_lb.alb": { desync_mitigation_mode: "monitor" } } },
  "alb-access-logs": { on: "aws_lb.alb", change: { "aws_lb.alb": { access_logs: { bucket: "alb-logs", enabled: false } } } },
  "alb-deletion-protection": { on: "aws_lb.alb", change: { "aws_lb.alb": { enable_deletion_protection: false } } },
  "alb-https-listener": { on: "aws_lb_listener.http", change: { "aws_lb_listener.http": { default_action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.targets.arn}" }] } } },
  "alb-tls-policy": { on: "aws_lb_listener.https", change: { "aws_lb_listener.https": { ssl_policy: "ELBSecurityPolicy-2016-08" } } },
  "lb-target-group-https": { on: "aws_lb_target_group.targets", change: { "aws_lb_target_group.targets": { protocol: "HTTP" } } },
  "alb-waf": { on: "aws_lb.alb", remove: ["aws_wafv2_web_acl_association.alb_acl"] },
  "waf-has-rules": { on: "aws_wafv2_web_acl.acl", change: { "aws_wafv2_web_acl.acl": { rule: [] } } },
  "waf-logging": { on: "aws_wafv2_web_acl.acl", remove: ["aws_wafv2_web_acl_logging_configuration.acl_logging"] },
  "waf-metrics": { on: "aws_wafv2_web_acl.acl", change: { "aws_wafv2_web_acl.acl": { visibility_config: { cloudwatch_metrics_enabled: false, metric_name: "acl", sampled_requests_enabled: true } } } },
  "waf-known-bad-inputs": {
    on: "aws_wafv2_web_acl.acl",
    change: { "aws_wafv2_web_acl.acl": { rule: [{ ...(world["aws_wafv2_web_acl.acl"].rule as Attributes[])[0], statement: { managed_rule_group_statement: { name: "AWSManagedRulesCommonRuleSet", vendor_name: "AWS" } } }] } },
  },

  "rds-storage-encrypted": { on: "aws_rds_cluster.db", change: { "aws_rds_cluster.db": { kms_key_id: undefined } } },
  "rds-deletion-protection": { on: "aws_rds_cluster.db", change: { "aws_rds_cluster.db": { deletion_protection: false } } },
  "rds-backup-retention": { on: "aws_db_instance.single", change: { "aws_db_instance.single": { backup_retention_period: 1 } } },
  "rds-final-snapshot": { on: "aws_rds_cluster.db", change: { "aws_rds_cluster.db": { final_snapshot_identifier: undefined, skip_final_snapshot: true } } },
  "rds-iam-authentication": { on: "aws_rds_cluster.db", change: { "aws_rds_cluster.db": { iam_database_authentication_enabled: false } } },
  "rds-copy-tags-to-snapshots": { on: "aws_rds_cluster_instance.db_writer", change: { "aws_rds_cluster_instance.db_writer": { copy_tags_to_snapshot: false } } },
  "rds-not-public": { on: "aws_rds_cluster_instance.db_writer", change: { "aws_rds_cluster_instance.db_writer": { publicly_accessible: true } } },
  "rds-log-exports": { on: "aws_rds_cluster.db", change: { "aws_rds_cluster.db": { enabled_cloudwatch_logs_exports: [] } } },
  "rds-enhanced-monitoring": { on: "aws_rds_cluster_instance.db_writer", change: { "aws_rds_cluster_instance.db_writer": { monitoring_interval: 0 } } },
  "rds-performance-insights-kms": { on: "aws_rds_cluster_instance.db_writer", change: { "aws_rds_cluster_instance.db_writer": { performance_insights_kms_key_id: undefined } } },
  "rds-auto-minor-version-upgrade": { on: "aws_rds_cluster_instance.db_writer", change: { "aws_rds_cluster_instance.db_writer": { auto_minor_version_upgrade: false } } },
  "rds-custom-admin-username": { on: "aws_rds_cluster.db", change: { "aws_rds_cluster.db": { master_username: "postgres" } } },
  "rds-managed-master-password": {
    on: "aws_rds_cluster.db",
    change: { "aws_rds_cluster.db": { manage_master_user_password: undefined, master_user_secret_kms_key_id: undefined, master_password: "correct-horse" } },
  },
  "rds-force-ssl": {
    on: "aws_rds_cluster.db",
    change: { "aws_rds_cluster_parameter_group.cluster_parameters": { parameter: [{ name: "log_connections", value: "1" }] } },
  },
  "rds-multi-az": { on: "aws_rds_cluster.db", remove: ["aws_rds_cluster_instance.db_reader"] },
  "backup-coverage": { on: "aws_rds_cluster.db", change: { "aws_backup_selection.selection": { resources: ["${aws_db_instance.single.arn}"] } } },
  "backup-vault-kms": { on: "aws_backup_vault.vault", change: { "aws_backup_vault.vault": { kms_key_arn: undefined } } },

  "ecs-container-insights": { on: "aws_ecs_cluster.cluster", change: { "aws_ecs_cluster.cluster": { setting: [{ name: "containerInsights", value: "disabled" }] } } },
  "ecs-exec-logging": { on: "aws_ecs_cluster.cluster", change: { "aws_ecs_cluster.cluster": { configuration: { execute_command_configuration: { logging: "NONE" } } } } },
  "ecs-no-public-ip": { on: "aws_ecs_service.service", change: { "aws_ecs_service.service": { network_configuration: { assign_public_ip: true, subnets: [] } } } },
  "ecs-fargate-platform-latest": { on: "aws_ecs_service.service", change: { "aws_ecs_service.service": { platform_version: "1.3.0" } } },
  "ecs-non-privileged": { on: "aws_ecs_task_definition.task", change: container({ privileged: true }) },
  "ecs-read-only-root": { on: "aws_ecs_task_definition.task", change: container({ readonlyRootFilesystem: false }) },
  "ecs-no-secrets-in-environment": { on: "aws_ecs_task_definition.task", change: container({ environment: [{ name: "DB_PASSWORD", value: "hunter2" }] }) },
  "ecs-logging": { on: "aws_ecs_task_definition.task", change: container({ logConfiguration: undefined }) },
  "ecs-host-isolation": { on: "aws_ecs_task_definition.task", change: { "aws_ecs_task_definition.task": { network_mode: "host" } } },
  "lambda-tracing": { on: "aws_lambda_function.function", change: { "aws_lambda_function.function": { tracing_config: { mode: "PassThrough" } } } },
  "lambda-dead-letter": { on: "aws_lambda_function.function", change: { "aws_lambda_function.function": { dead_letter_config: undefined } } },
  "lambda-environment-kms": { on: "aws_lambda_function.function", change: { "aws_lambda_function.function": { kms_key_arn: undefined } } },
  "lambda-no-secrets-in-environment": { on: "aws_lambda_function.function", change: { "aws_lambda_function.function": { environment: { variables: { DB_PASSWORD: "hunter2" } } } } },
  "lambda-concurrency-limit": { on: "aws_lambda_function.function", change: { "aws_lambda_function.function": { reserved_concurrent_executions: undefined } } },
  "lambda-supported-runtime": { on: "aws_lambda_function.function", change: { "aws_lambda_function.function": { runtime: "python3.9" } } },
  "lambda-function-url-auth": { on: "aws_lambda_function_url.function_url", change: { "aws_lambda_function_url.function_url": { authorization_type: "NONE" } } },
  "lambda-no-public-permission": { on: "aws_lambda_permission.function_invoke", change: { "aws_lambda_permission.function_invoke": { principal: "*", source_arn: undefined } } },

  "iam-no-admin-wildcard": { on: "aws_iam_policy.policy", change: statement({ Effect: "Allow", Action: "*", Resource: "*" }) },
  "iam-no-service-wildcard": { on: "aws_iam_policy.policy", change: statement({ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::bucket/*" }) },
  "iam-no-unscoped-writes": { on: "aws_iam_policy.policy", change: statement({ Effect: "Allow", Action: "s3:PutObject", Resource: "*" }) },
  "iam-passrole-scoped": { on: "aws_iam_role_policy.role_policy", change: { "aws_iam_role_policy.role_policy": { policy: policy({ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }) } } },
  "iam-no-kms-decrypt-everywhere": { on: "aws_iam_policy.policy", change: statement({ Effect: "Allow", Action: "kms:Decrypt", Resource: "*" }) },
  "iam-trust-named-principals": {
    on: "aws_iam_role.role",
    change: { "aws_iam_role.role": { assume_role_policy: policy({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }) } },
  },
  "iam-oidc-trust-subject": {
    on: "aws_iam_role.role",
    change: {
      "aws_iam_role.role": {
        assume_role_policy: policy({
          Effect: "Allow",
          Principal: { Federated: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } },
        }),
      },
    },
  },
  "iam-oidc-trust-repository": {
    on: "aws_iam_role.role",
    change: {
      "aws_iam_role.role": {
        assume_role_policy: policy({
          Effect: "Allow",
          Principal: { Federated: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
            StringLike: { "token.actions.githubusercontent.com:sub": "repo:example-org/*:ref:refs/heads/main" },
          },
        }),
      },
    },
  },
  "iam-no-user-policies": { on: "aws_iam_user_policy.user_inline", add: { "aws_iam_user_policy.user_inline": { user: "alice", policy: policy({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }) } } },
  "iam-no-aws-managed-policies": {
    on: "aws_iam_role_policy_attachment.role_attachment",
    change: { "aws_iam_role_policy_attachment.role_attachment": { policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } },
  },
  "cognito-mfa-enabled": { on: "aws_cognito_user_pool.pool", change: { "aws_cognito_user_pool.pool": { mfa_configuration: "OFF" } } },
  "cognito-mfa-required": { on: "aws_cognito_user_pool.pool", change: { "aws_cognito_user_pool.pool": { mfa_configuration: "OPTIONAL" } } },
  "cognito-password-policy": {
    on: "aws_cognito_user_pool.pool",
    change: { "aws_cognito_user_pool.pool": { password_policy: { minimum_length: 6, require_symbols: false } } },
  },
  "cognito-threat-protection": { on: "aws_cognito_user_pool.pool", change: { "aws_cognito_user_pool.pool": { user_pool_add_ons: { advanced_security_mode: "AUDIT" } } } },
  "cognito-deletion-protection": { on: "aws_cognito_user_pool.pool", change: { "aws_cognito_user_pool.pool": { deletion_protection: "INACTIVE" } } },
  "cognito-no-unauthenticated-identities": { on: "aws_cognito_identity_pool.identities", change: { "aws_cognito_identity_pool.identities": { allow_unauthenticated_identities: true } } },

  "cloudfront-viewer-https": {
    on: "aws_cloudfront_distribution.cdn",
    change: { "aws_cloudfront_distribution.cdn": { default_cache_behavior: { target_origin_id: "site", viewer_protocol_policy: "allow-all", response_headers_policy_id: "headers" } } },
  },
  "cloudfront-min-tls": {
    on: "aws_cloudfront_distribution.cdn",
    change: { "aws_cloudfront_distribution.cdn": { viewer_certificate: { acm_certificate_arn: "arn", ssl_support_method: "sni-only", minimum_protocol_version: "TLSv1_2016" } } },
  },
  "cloudfront-custom-certificate": { on: "aws_cloudfront_distribution.cdn", change: { "aws_cloudfront_distribution.cdn": { viewer_certificate: { cloudfront_default_certificate: true } } } },
  "cloudfront-logging": { on: "aws_cloudfront_distribution.cdn", change: { "aws_cloudfront_distribution.cdn": { logging_config: undefined } } },
  "cloudfront-waf": { on: "aws_cloudfront_distribution.cdn", change: { "aws_cloudfront_distribution.cdn": { web_acl_id: undefined } } },
  "cloudfront-origin-access-control": {
    on: "aws_cloudfront_distribution.cdn",
    change: { "aws_cloudfront_distribution.cdn": { origin: [{ origin_id: "site", domain_name: "site.s3.us-east-1.amazonaws.com" }] } },
  },
  "cloudfront-origin-tls": {
    on: "aws_cloudfront_distribution.cdn",
    change: {
      "aws_cloudfront_distribution.cdn": {
        origin: [{ origin_id: "api", domain_name: "api.example.com", custom_origin_config: { origin_protocol_policy: "http-only", origin_ssl_protocols: ["TLSv1.2"], http_port: 80, https_port: 443 } }],
      },
    },
  },
  "cloudfront-default-root-object": { on: "aws_cloudfront_distribution.cdn", change: { "aws_cloudfront_distribution.cdn": { default_root_object: undefined } } },
  "cloudfront-security-headers": {
    on: "aws_cloudfront_distribution.cdn",
    change: { "aws_cloudfront_distribution.cdn": { default_cache_behavior: { target_origin_id: "site", viewer_protocol_policy: "redirect-to-https" } } },
  },
  "apigw-access-logs": { on: "aws_apigatewayv2_stage.http_api", change: { "aws_apigatewayv2_stage.http_api": { access_log_settings: undefined } } },
  "apigw-execution-logging": {
    on: "aws_api_gateway_stage.rest",
    change: { "aws_api_gateway_method_settings.rest_settings": { settings: { logging_level: "OFF", caching_enabled: true, cache_data_encrypted: true } } },
  },
  "apigw-tracing": { on: "aws_api_gateway_stage.rest", change: { "aws_api_gateway_stage.rest": { xray_tracing_enabled: false } } },
  "apigw-waf": { on: "aws_api_gateway_stage.rest", remove: ["aws_wafv2_web_acl_association.rest_acl"] },
  "apigw-cache-encrypted": {
    on: "aws_api_gateway_stage.rest",
    change: { "aws_api_gateway_method_settings.rest_settings": { settings: { logging_level: "ERROR", caching_enabled: true, cache_data_encrypted: false } } },
  },
  "apigw-authorization": { on: "aws_apigatewayv2_route.route", change: { "aws_apigatewayv2_route.route": { authorization_type: "NONE" } } },
  "apigw-domain-tls": { on: "aws_api_gateway_domain_name.rest_domain", change: { "aws_api_gateway_domain_name.rest_domain": { security_policy: "TLS_1_0" } } },

  "cloudtrail-multi-region": { on: "aws_cloudtrail.trail", change: { "aws_cloudtrail.trail": { is_multi_region_trail: false } } },
  "cloudtrail-log-validation": { on: "aws_cloudtrail.trail", change: { "aws_cloudtrail.trail": { enable_log_file_validation: false } } },
  "cloudtrail-kms": { on: "aws_cloudtrail.trail", change: { "aws_cloudtrail.trail": { kms_key_id: undefined } } },
  "cloudtrail-cloudwatch-logs": { on: "aws_cloudtrail.trail", change: { "aws_cloudtrail.trail": { cloud_watch_logs_group_arn: undefined } } },
  "config-records-everything": { on: "aws_config_configuration_recorder.recorder", change: { "aws_config_configuration_recorder.recorder": { recording_group: { all_supported: false } } } },
  "config-recorder-on": { on: "aws_config_configuration_recorder.recorder", change: { "aws_config_configuration_recorder_status.recorder_status": { is_enabled: false } } },
  "guardduty-enabled": { on: "aws_guardduty_detector.detector", change: { "aws_guardduty_detector.detector": { enable: false } } },
  "guardduty-s3-protection": { on: "aws_guardduty_detector.detector", change: feature("aws_guardduty_detector_feature.detector_s3", "DISABLED") },
  "guardduty-runtime-monitoring": {
    on: "aws_guardduty_detector.detector",
    change: { "aws_guardduty_detector_feature.detector_runtime": { additional_configuration: [{ name: "ECS_FARGATE_AGENT_MANAGEMENT", status: "DISABLED" }] } },
  },
  "guardduty-rds-protection": { on: "aws_guardduty_detector.detector", remove: ["aws_guardduty_detector_feature.detector_rds"] },
  "guardduty-malware-protection": { on: "aws_guardduty_detector.detector", change: feature("aws_guardduty_detector_feature.detector_malware", "DISABLED") },
  "alarm-actions": { on: "aws_cloudwatch_metric_alarm.alarm", change: { "aws_cloudwatch_metric_alarm.alarm": { alarm_actions: [] } } },
  "sns-kms": { on: "aws_sns_topic.topic", change: { "aws_sns_topic.topic": { kms_master_key_id: "alias/aws/sns" } } },
  "sns-tls-only": { on: "aws_sns_topic.topic", change: { "aws_sns_topic_policy.topic_policy": { policy: policy({ Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish" }) } } },
  "sns-no-public-policy": { on: "aws_sns_topic_policy.topic_policy", change: { "aws_sns_topic_policy.topic_policy": { policy: policy(ALLOW_ALL("sns:Publish")) } } },
  "sqs-kms": { on: "aws_sqs_queue.queue", change: { "aws_sqs_queue.queue": { kms_master_key_id: undefined, sqs_managed_sse_enabled: true } } },
  // Without the redrive policy, the dead-letter queue is no longer one, and needs its own.
  "sqs-dead-letter-queue": { on: ["aws_sqs_queue.dead_letters", "aws_sqs_queue.queue"], change: { "aws_sqs_queue.queue": { redrive_policy: undefined } } },
  "sqs-tls-only": { on: "aws_sqs_queue.dead_letters", change: { "aws_sqs_queue.dead_letters": { policy: undefined } } },
  "sqs-no-public-policy": { on: "aws_sqs_queue_policy.queue_policy", change: { "aws_sqs_queue_policy.queue_policy": { policy: policy(ALLOW_ALL("sqs:SendMessage")) } } },
  "ssm-document-not-public": { on: "aws_ssm_document.document", change: { "aws_ssm_document.document": { permissions: { type: "Share", account_ids: "All" } } } },
  "ses-tls-required": { on: "aws_sesv2_configuration_set.mail", change: { "aws_sesv2_configuration_set.mail": { delivery_options: { tls_policy: "OPTIONAL" } } } },
  "route53-query-logging": { on: "aws_route53_zone.zone", remove: ["aws_route53_query_log.zone_queries"] },
};

const options = { enforced: true, today: TEST_TODAY };
/** Types whose mere presence breaks a rule (iam-no-user-policies): no compliant one exists. */
const PRESENCE_IS_THE_FINDING = ["aws_iam_user_policy", "aws_iam_user_policy_attachment"];

describe("the compliant world", () => {
  const report = checkStack(worldStack(), options);

  it("holds one resource of every type a rule checks", () => {
    const types = new Set(Object.keys(COMPLIANT_WORLD).map((a) => a.split(".")[0]));
    const missing = [...new Set(RULES.flatMap((r) => r.types))].filter((t) => !types.has(t) && !PRESENCE_IS_THE_FINDING.includes(t));
    expect(missing).toEqual([]);
    expect(report.resources).toBe(Object.keys(COMPLIANT_WORLD).length);
  });

  it("breaks no rule", () => {
    expect(report.findings.map((f) => `${f.rule} ${f.address}: ${f.message}`)).toEqual([]);
  });
});

describe("each rule", () => {
  it("has exactly one case here", () => {
    expect(Object.keys(CASES).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  it.each(RULES.map((r) => [r.id, r.level] as const))("%s (%s) reports the resource that breaks it", (id) => {
    const c = CASES[id];
    const report = checkStack(worldStack({ changes: c.change, remove: c.remove, add: c.add }), options);
    const found = report.findings.filter((f) => f.rule === id);
    expect(found.map((f) => f.address)).toEqual(typeof c.on === "string" ? [c.on] : c.on);
    expect(found[0].message.length).toBeGreaterThan(5);
    expect(found[0].message).not.toMatch(/could not evaluate/);
  });
});
