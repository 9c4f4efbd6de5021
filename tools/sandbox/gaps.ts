/**
 * The one reviewed list of what the emulator (moto 5.2.1) cannot show, and
 * why. Nothing else may differ in a second plan, and nothing else is skipped.
 *
 * - A `Gap` is one attribute of one resource type that moto does not store
 *   or return as AWS does, so the second plan would change it again. It
 *   names the resource type and the attribute path (never a whole
 *   resource), the reason, and the moto 5.2.1 file and function that proves
 *   it. A gap explains a changed path and every path below it.
 * - A `MissingApi` is a resource type whose API moto lacks entirely: the
 *   stack is applied without exactly those resources and what refers to
 *   them, and the sandbox lists every one it left out.
 *
 * Where moto answers wrongly in a way that stops an apply (rather than
 * storing a field loosely), tools/sandbox/moto_server.py patches it instead,
 * so that more of Keel is exercised.
 */
export interface Gap {
  readonly type: string;
  /** An attribute path as `terraform show -json` nests it, `.`-separated; list indexes are `*`. */
  readonly path: string;
  readonly reason: string;
  /** The file under site-packages/moto and the function that does not store or return the field. */
  readonly moto: string;
}

export interface MissingApi {
  readonly type: string;
  readonly reason: string;
  readonly moto: string;
  /**
   * Where a resource refers to one of these through a block the emulator
   * can do without, the block is dropped and the resource kept (and listed),
   * instead of leaving the resource out: `{ type, block }` with the block's
   * `.`-separated path, e.g. a distribution's function association.
   */
  readonly detachFrom?: ReadonlyArray<{ readonly type: string; readonly block: string }>;
}

export const MISSING_APIS: readonly MissingApi[] = [
  {
    type: "aws_backup_selection",
    reason: "moto's AWS Backup has vaults, vault locks and plans but no selections: CreateBackupSelection is not an action it answers",
    moto: "moto/backup/responses.py BackupResponse (no create_backup_selection, get_backup_selection or delete_backup_selection)",
  },
  {
    type: "aws_apprunner_service",
    reason: "moto has no App Runner backend at all: CreateService is answered 404",
    moto: "moto/backend_index.py (no apprunner entry) and no moto/apprunner package",
  },
  {
    type: "aws_apprunner_auto_scaling_configuration_version",
    reason: "moto has no App Runner backend at all",
    moto: "moto/backend_index.py (no apprunner entry) and no moto/apprunner package",
  },
  {
    type: "aws_apprunner_vpc_connector",
    reason: "moto has no App Runner backend at all",
    moto: "moto/backend_index.py (no apprunner entry) and no moto/apprunner package",
  },
  {
    type: "aws_apprunner_observability_configuration",
    reason: "moto has no App Runner backend at all",
    moto: "moto/backend_index.py (no apprunner entry) and no moto/apprunner package",
  },
  {
    type: "aws_config_conformance_pack",
    reason: "moto implements PutOrganizationConformancePack only, not PutConformancePack",
    moto: "moto/config/responses.py ConfigResponse (put_organization_conformance_pack, no put_conformance_pack)",
  },
  {
    type: "aws_sesv2_configuration_set_event_destination",
    reason: "moto's SES v2 has no CreateConfigurationSetEventDestination (it answers 404)",
    moto: "moto/sesv2/responses.py SESV2Response (no create_configuration_set_event_destination)",
  },
  {
    type: "aws_cloudfront_function",
    reason: "moto's CloudFront has no CreateFunction (no /function path): a viewer-request function cannot be created",
    moto: "moto/cloudfront/urls.py url_paths (distribution, invalidation, key-group, origin-access-control, public-key; no function)",
    detachFrom: [{ type: "aws_cloudfront_distribution", block: "default_cache_behavior.function_association" }],
  },
  {
    type: "aws_cognito_identity_pool_roles_attachment",
    reason: "moto's Cognito Identity has no SetIdentityPoolRoles or GetIdentityPoolRoles",
    moto: "moto/cognitoidentity/responses.py CognitoIdentityResponse (no set_identity_pool_roles)",
  },
];

const ECS_SERVICE = "moto/ecs/models.py Service.__init__ (takes no healthCheckGracePeriodSeconds, enableECSManagedTags or availabilityZoneRebalancing, so DescribeServices never returns them)";
const RDS_INSTANCE = "moto/rds/models.py DBInstance.__init__ (keeps no MonitoringInterval, MonitoringRoleArn or PerformanceInsights* field; DescribeDBInstances returns none)";

export const EMULATOR_GAPS: readonly Gap[] = [
  { type: "aws_ecs_service", path: "health_check_grace_period_seconds", reason: "moto does not store an ECS service's health-check grace period", moto: ECS_SERVICE },
  { type: "aws_ecs_service", path: "enable_ecs_managed_tags", reason: "moto does not store whether ECS manages a service's tags", moto: ECS_SERVICE },
  { type: "aws_ecs_service", path: "availability_zone_rebalancing", reason: "moto does not store an ECS service's AZ rebalancing", moto: ECS_SERVICE },
  ...(["aws_rds_cluster_instance", "aws_db_instance"] as const).flatMap((type) =>
    ["monitoring_interval", "monitoring_role_arn", "performance_insights_enabled", "performance_insights_kms_key_id", "performance_insights_retention_period"].map(
      (path) => ({ type, path, reason: "moto stores neither Enhanced Monitoring nor Performance Insights settings of a DB instance", moto: RDS_INSTANCE }),
    ),
  ),
  {
    type: "aws_cognito_user_pool",
    path: "user_pool_tier",
    reason: "moto does not store a user pool's feature plan (UserPoolTier)",
    moto: "moto/cognitoidp/models.py CognitoIdpUserPool.__init__ and to_json (no UserPoolTier)",
  },
  {
    type: "aws_cloudfront_distribution",
    path: "origin.*.origin_access_control_id",
    reason: "moto does not store an origin's OriginAccessControlId",
    moto: "moto/cloudfront/models.py Origin.__init__ (no origin_access_control_id)",
  },
  {
    type: "aws_cloudfront_distribution",
    path: "default_cache_behavior.*.forwarded_values",
    reason: "moto returns legacy ForwardedValues defaults for a behaviour that uses a cache policy, where AWS returns none",
    moto: "moto/cloudfront/models.py DefaultCacheBehaviour.__init__ (always ForwardedValues(config.get('ForwardedValues', {})))",
  },
  {
    type: "aws_cloudfront_distribution",
    path: "ordered_cache_behavior.*.forwarded_values",
    reason: "moto returns legacy ForwardedValues defaults for a behaviour that uses a cache policy, where AWS returns none",
    moto: "moto/cloudfront/models.py CacheBehaviour.__init__ (always ForwardedValues(config.get('ForwardedValues', {})))",
  },
  {
    type: "aws_cloudfront_distribution",
    path: "viewer_certificate.*.cloudfront_default_certificate",
    reason: "moto answers CloudFrontDefaultCertificate true for a distribution with an ACM certificate, where AWS answers false",
    moto: "moto/cloudfront/models.py ViewerCertificate.__init__ (config.get('CloudFrontDefaultCertificate', True))",
  },
  {
    type: "aws_lambda_function",
    path: "kms_key_arn",
    reason: "moto does not return the key that encrypts a function's environment variables",
    moto: "moto/awslambda/models.py LambdaFunction.get_configuration (no KMSKeyArn)",
  },
  {
    type: "aws_lambda_function",
    path: "logging_config",
    reason: "moto does not return a function's logging configuration (log format and group)",
    moto: "moto/awslambda/models.py LambdaFunction.get_configuration (no LoggingConfig)",
  },
  {
    type: "aws_cloudfront_distribution",
    path: "viewer_certificate.*.ssl_support_method",
    reason: "moto answers SSLSupportMethod sni-only for the default *.cloudfront.net certificate, where AWS returns none",
    moto: "moto/cloudfront/models.py ViewerCertificate.__init__ (config.get('SSLSupportMethod') or 'sni-only')",
  },
];
