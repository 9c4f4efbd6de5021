/**
 * Resource types Keel creates that no rule inspects on their own, and why:
 * each is either judged through the resource it belongs to, or carries no
 * security setting. A test fails when a module adds a type that is neither
 * here nor in a rule's `types`.
 */
export const NOT_CHECKED_ALONE: Readonly<Record<string, string>> = {
  aws_s3_bucket_public_access_block: "judged with its bucket (s3-block-public-access)",
  aws_s3_bucket_server_side_encryption_configuration: "judged with its bucket (s3-kms-encryption)",
  aws_s3_bucket_versioning: "judged with its bucket (s3-versioning)",
  aws_s3_bucket_ownership_controls: "judged with its bucket (s3-acls-disabled)",
  aws_s3_bucket_lifecycle_configuration: "judged with its bucket (s3-lifecycle)",
  aws_s3_bucket_logging: "judged with its bucket (s3-access-logging)",
  aws_default_security_group: "judged with its VPC (vpc-default-security-group-closed)",
  aws_flow_log: "judged with its VPC (vpc-flow-logs)",
  aws_guardduty_detector_feature: "judged with its detector (guardduty-*)",
  aws_config_configuration_recorder_status: "judged with its recorder (config-recorder-on)",
  aws_wafv2_web_acl_association: "judged with the load balancer or stage it protects (alb-waf, apigw-waf)",
  aws_wafv2_web_acl_logging_configuration: "judged with its web ACL (waf-logging)",
  aws_ecr_lifecycle_policy: "judged with its repository (ecr-lifecycle-policy)",
  aws_rds_cluster_parameter_group: "judged with its cluster (rds-force-ssl)",
  aws_iam_instance_profile: "judged with the instance that uses it (ec2-instance-profile)",
  aws_kms_alias: "a name for a key; the key is checked",
  aws_ebs_default_kms_key: "names the key of ebs-default-encryption; the key is checked",
  aws_db_subnet_group: "placement only: the database is checked for public access",
  aws_internet_gateway: "routing only; what is reachable is decided by security groups (sg-*)",
  aws_nat_gateway: "routing only: outbound for private subnets",
  aws_eip: "the NAT gateways' addresses",
  aws_route: "routing only",
  aws_route_table: "routing only",
  aws_route_table_association: "routing only",
  aws_vpc_endpoint: "a gateway endpoint keeping S3 traffic inside AWS; it carries no policy Keel writes",
  aws_ecs_cluster_capacity_providers: "capacity only (Fargate)",
  aws_lb_listener_rule: "path routing behind a listener; the listener is checked for TLS",
  aws_cloudwatch_log_metric_filter: "turns log lines into metrics for the alarms, which are checked",
  aws_cloudwatch_dashboard: "a view of metrics; holds no data",
  aws_cloudwatch_event_rule: "routes GuardDuty findings to the alarm topic, which is checked",
  aws_cloudwatch_event_target: "routes GuardDuty findings to the alarm topic, which is checked",
  aws_config_delivery_channel: "delivers to a Keel bucket, which is checked",
  aws_config_conformance_pack: "the HIPAA rules AWS Config evaluates in the account",
  aws_sns_topic_subscription: "an e-mail address subscribed to the alarm topic",
  aws_ssm_parameter: "names an AMI or a setting; secrets live in Secrets Manager",
};
