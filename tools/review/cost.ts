import { HOURS_PER_MONTH, INSTANCE_HOUR, PRICES, PRICE_TABLE_REVIEWED } from "./prices";

/**
 * What a month's use looks like: explicit, printed with every estimate, and
 * changeable per environment (`usage` in its config). Defaults are Keel's
 * guesses for a small production platform, not measurements.
 */
export interface UsageAssumptions {
  /** Hours each always-on resource runs. @default 730 */
  readonly hours?: number;
  /** Where Aurora sits between its min and max capacity on average, 0-1. @default 0 - at the minimum */
  readonly auroraLoad?: number;
  /** Aurora storage, GB. @default 20 */
  readonly auroraStorageGb?: number;
  /** Aurora I/O requests, millions a month. @default 1 */
  readonly auroraIoMillions?: number;
  /** Data through each NAT gateway, GB a month. @default 0 - priced per GB on top */
  readonly natGbPerGateway?: number;
  /** Average load balancer capacity units. @default 1 */
  readonly albLcu?: number;
  /** Requests through the web ACL, millions a month. @default 1 */
  readonly wafRequestMillions?: number;
  /** Logs ingested into each log group, GB a month. @default 1 */
  readonly logGbPerGroup?: number;
  /** Objects stored in each bucket, GB. @default 5 */
  readonly bucketGb?: number;
  /** Images stored in each repository, GB. @default 2 */
  readonly imageGbPerRepository?: number;
  /** Configuration items Config records a month, per recorder. @default 2000 */
  readonly configItems?: number;
  /** Conformance pack rule evaluations a month. @default 10000 */
  readonly configEvaluations?: number;
  /** CloudTrail management events GuardDuty analyses, millions a month. @default 1 */
  readonly guardDutyEventMillions?: number;
  /** VPC flow and DNS logs GuardDuty analyses, GB a month. @default 5 */
  readonly guardDutyLogGb?: number;
  /** Fargate vCPUs GuardDuty runtime monitoring watches. @default 0 */
  readonly guardDutyFargateVcpus?: number;
  /** Data each CloudFront distribution serves, GB a month. @default 10 */
  readonly cdnGb?: number;
  /** Requests each distribution serves, millions a month. @default 1 */
  readonly cdnRequestMillions?: number;
  /** Access logs each distribution delivers, GB a month. @default 1 */
  readonly cdnLogGb?: number;
  /** Calls to each API, millions a month. @default 1 */
  readonly apiRequestMillions?: number;
  /** Monthly active users of each user pool. @default 1000 */
  readonly monthlyActiveUsers?: number;
  /** Requests per function per month, in millions. */
  readonly lambdaRequestMillions?: number;
  /** Average invocation time, milliseconds. */
  readonly lambdaAverageMs?: number;
  /** Requests per queue per month (send, receive, delete), in millions. */
  readonly sqsRequestMillions?: number;
  /** Emails sent per month, in thousands. */
  readonly emailThousands?: number;
  /** Hours a month an App Runner service's minimum instances are actively serving. */
  readonly appRunnerActiveHours?: number;
  /** GB of recovery points in a backup vault. @default 50 */
  readonly backupGb?: number;
}

export const DEFAULT_USAGE: Required<UsageAssumptions> = {
  hours: HOURS_PER_MONTH,
  auroraLoad: 0,
  auroraStorageGb: 20,
  auroraIoMillions: 1,
  natGbPerGateway: 0,
  albLcu: 1,
  wafRequestMillions: 1,
  logGbPerGroup: 1,
  bucketGb: 5,
  imageGbPerRepository: 2,
  configItems: 2000,
  configEvaluations: 10000,
  guardDutyEventMillions: 1,
  guardDutyLogGb: 5,
  guardDutyFargateVcpus: 0,
  cdnGb: 10,
  cdnRequestMillions: 1,
  cdnLogGb: 1,
  apiRequestMillions: 1,
  monthlyActiveUsers: 1000,
  lambdaRequestMillions: 1,
  lambdaAverageMs: 500,
  sqsRequestMillions: 1,
  emailThousands: 10,
  appRunnerActiveHours: 200,
  backupGb: 50,
};

type Body = Record<string, unknown>;
type Resources = Record<string, Record<string, Body>>;

export interface CostLine {
  readonly address: string;
  readonly type: string;
  /** USD a month, rounded to cents. */
  readonly monthly: number;
  /** How it was priced: quantities and unit prices. */
  readonly basis: string;
}

export interface CostReport {
  readonly lines: readonly CostLine[];
  /** USD a month. */
  readonly total: number;
  /** Addresses of resources the table neither prices nor declares free: never dropped silently. */
  readonly unpriced: readonly string[];
  readonly assumptions: Required<UsageAssumptions>;
  readonly priceTableReviewed: string;
}

/** A priced resource: its monthly cost and basis, from its attributes and the whole stack. */
type Pricer = (body: Body, stack: Resources, usage: Required<UsageAssumptions>) => { monthly: number; basis: string };

const cents = (n: number): number => Math.round(n * 100) / 100;
const money = (n: number): string => `$${n.toFixed(2)}`;
/** A unit price, with as many decimals as it has (up to six). */
const rate = (n: number): string => `$${Number(n.toFixed(6))}`;

/** Follows a reference such as `${aws_rds_cluster.aurora.id}` to the resource's body. */
function resolve(stack: Resources, value: unknown): Body | undefined {
  const match = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\./.exec(String(value));
  return match ? stack[match[1]]?.[match[2]] : undefined;
}

const hourly = (price: number, usage: Required<UsageAssumptions>, count = 1): number => price * usage.hours * count;

/** Types whose cost comes from another resource, or that AWS does not charge for. */
export const FREE_TYPES: readonly string[] = [
  "aws_vpc", "aws_subnet", "aws_route_table", "aws_route", "aws_route_table_association", "aws_internet_gateway",
  "aws_security_group", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule",
  "aws_default_security_group", "aws_default_network_acl", "aws_db_subnet_group", "aws_rds_cluster_parameter_group",
  "aws_iam_role", "aws_iam_role_policy", "aws_iam_role_policy_attachment", "aws_iam_policy", "aws_iam_instance_profile", "aws_iam_openid_connect_provider",
  "aws_kms_alias", "aws_flow_log", "aws_launch_template", "aws_ssm_document",
  "aws_s3_bucket_versioning", "aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_public_access_block",
  "aws_s3_bucket_ownership_controls", "aws_s3_bucket_policy", "aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_logging",
  "aws_s3_account_public_access_block", "aws_ebs_encryption_by_default", "aws_ebs_default_kms_key",
  "aws_ecr_lifecycle_policy", "aws_ecs_cluster", "aws_ecs_cluster_capacity_providers", "aws_ecs_task_definition",
  "aws_appautoscaling_target", "aws_appautoscaling_policy",
  "aws_lb_listener", "aws_lb_listener_rule", "aws_lb_target_group",
  "aws_wafv2_web_acl_association", "aws_wafv2_web_acl_logging_configuration",
  "aws_sns_topic_policy", "aws_sns_topic_subscription", "aws_cloudwatch_event_rule", "aws_cloudwatch_event_target",
  "aws_config_delivery_channel", "aws_config_configuration_recorder_status", "aws_guardduty_detector_feature",
  // Edge: paid per request on the API or distribution; public ACM certificates and alias queries to AWS targets are free.
  "aws_s3_bucket_cors_configuration", "aws_s3_bucket_intelligent_tiering_configuration",
  "aws_cloudfront_origin_access_control", "aws_cloudwatch_log_delivery_source", "aws_cloudwatch_log_delivery_destination",
  "aws_acm_certificate", "aws_acm_certificate_validation", "aws_route53_record",
  "aws_cognito_user_pool_client", "aws_cognito_identity_pool", "aws_cognito_identity_pool_roles_attachment",
  "aws_api_gateway_resource", "aws_api_gateway_method", "aws_api_gateway_integration", "aws_api_gateway_method_response",
  "aws_api_gateway_integration_response", "aws_api_gateway_authorizer", "aws_api_gateway_deployment", "aws_api_gateway_stage",
  "aws_api_gateway_method_settings", "aws_api_gateway_account",
  "aws_apigatewayv2_stage", "aws_apigatewayv2_route", "aws_apigatewayv2_integration", "aws_apigatewayv2_authorizer",
  "aws_apigatewayv2_domain_name", "aws_apigatewayv2_api_mapping",
  // Workloads: paid per request on the function, queue or configuration set; the first two budgets are free.
  "aws_lambda_permission", "aws_lambda_event_source_mapping", "aws_db_parameter_group", "aws_sesv2_email_identity",
  "aws_sesv2_configuration_set_event_destination", "aws_apprunner_vpc_connector", "aws_apprunner_auto_scaling_configuration_version",
  "aws_budgets_budget",
  // Backup: the vault holds what is paid for (aws_backup_vault); plans, selections and locks are free.
  "aws_backup_plan", "aws_backup_selection", "aws_backup_vault_lock_configuration",
];

export const PRICERS: Readonly<Record<string, Pricer>> = {
  aws_rds_cluster_instance(body, stack, usage) {
    if (body.instance_class !== "db.serverless") {
      const perHour = INSTANCE_HOUR[String(body.instance_class)] ?? NaN;
      return { monthly: hourly(perHour, usage), basis: `${body.instance_class} at ${rate(perHour)}/h` };
    }
    const cluster = resolve(stack, body.cluster_identifier);
    const scaling = (cluster?.serverlessv2_scaling_configuration ?? {}) as { min_capacity?: number; max_capacity?: number };
    const min = Number(scaling.min_capacity ?? 0.5);
    const max = Number(scaling.max_capacity ?? min);
    const acu = min + (max - min) * usage.auroraLoad;
    return { monthly: hourly(PRICES.auroraAcuHour.usd * acu, usage), basis: `${acu} ACU average (min ${min}, max ${max}, load ${usage.auroraLoad}) at ${rate(PRICES.auroraAcuHour.usd)}/ACU-h` };
  },
  aws_rds_cluster(_body, _stack, usage) {
    const storage = usage.auroraStorageGb * PRICES.auroraStorageGbMonth.usd;
    const io = usage.auroraIoMillions * PRICES.auroraIoMillion.usd;
    return { monthly: storage + io, basis: `${usage.auroraStorageGb} GB storage, ${usage.auroraIoMillions}M I/O (compute is on its instances)` };
  },
  aws_db_instance(body, _stack, usage) {
    const perHour = INSTANCE_HOUR[String(body.instance_class)] ?? NaN;
    const multiAz = body.multi_az === true ? 2 : 1;
    const gb = Number(body.allocated_storage ?? 20);
    return {
      monthly: hourly(perHour, usage, multiAz) + gb * PRICES.rdsGp3GbMonth.usd * multiAz,
      basis: `${body.instance_class} at ${rate(perHour)}/h${multiAz === 2 ? ", Multi-AZ (x2)" : ""}, ${gb} GB gp3`,
    };
  },
  aws_nat_gateway(_body, _stack, usage) {
    return {
      monthly: hourly(PRICES.natGatewayHour.usd, usage) + usage.natGbPerGateway * PRICES.natGatewayGb.usd,
      basis: `${usage.hours} h at ${rate(PRICES.natGatewayHour.usd)}/h, plus ${usage.natGbPerGateway} GB at ${rate(PRICES.natGatewayGb.usd)}/GB`,
    };
  },
  aws_eip(_body, _stack, usage) {
    return { monthly: hourly(PRICES.publicIpv4Hour.usd, usage), basis: `one public IPv4 address at ${rate(PRICES.publicIpv4Hour.usd)}/h` };
  },
  aws_vpc_endpoint(body, _stack, usage) {
    if (body.vpc_endpoint_type !== "Interface") return { monthly: 0, basis: "gateway endpoint: free" };
    const azs = Array.isArray(body.subnet_ids) ? body.subnet_ids.length : 1;
    return { monthly: hourly(PRICES.interfaceEndpointHour.usd, usage, azs), basis: `interface endpoint in ${azs} AZs` };
  },
  aws_ecs_service(body, stack, usage) {
    const task = resolve(stack, body.task_definition);
    const vcpu = Number(task?.cpu ?? 0) / 1024;
    const gb = Number(task?.memory ?? 0) / 1024;
    const tasks = Number(body.desired_count ?? 0);
    const perTask = vcpu * PRICES.fargateVcpuHour.usd + gb * PRICES.fargateGbHour.usd;
    return { monthly: hourly(perTask, usage, tasks), basis: `${tasks} Fargate tasks of ${vcpu} vCPU and ${gb} GB` };
  },
  aws_lb(body, _stack, usage) {
    const azs = Array.isArray(body.subnets) ? body.subnets.length : 2;
    const ips = body.internal === true ? 0 : azs;
    return {
      monthly: hourly(PRICES.albHour.usd + usage.albLcu * PRICES.albLcuHour.usd, usage) + hourly(PRICES.publicIpv4Hour.usd, usage, ips),
      basis: `ALB-hours, ${usage.albLcu} LCU average, ${ips} public IPv4 addresses (one per AZ)`,
    };
  },
  aws_instance(body, stack, usage) {
    const template = resolve(stack, (body.launch_template as Body | undefined)?.id);
    const type = String(template?.instance_type ?? body.instance_type ?? "");
    const perHour = INSTANCE_HOUR[type] ?? NaN;
    const volumes = (template?.block_device_mappings ?? []) as Array<{ ebs?: { volume_size?: number } }>;
    const gb = volumes.reduce((n, v) => n + Number(v.ebs?.volume_size ?? 0), 0);
    return { monthly: hourly(perHour, usage) + gb * PRICES.gp3GbMonth.usd, basis: `${type} at ${rate(perHour)}/h, ${gb} GB gp3` };
  },
  aws_kms_key: () => ({ monthly: PRICES.kmsKeyMonth.usd, basis: "one key" }),
  aws_secretsmanager_secret: () => ({ monthly: PRICES.secretMonth.usd, basis: "one secret" }),
  aws_cloudwatch_metric_alarm(body) {
    const metrics = Array.isArray(body.metric_query) ? body.metric_query.filter((q: Body) => q.metric !== undefined).length : 1;
    return { monthly: metrics * PRICES.alarmMetricMonth.usd, basis: `${metrics} alarm metric(s)` };
  },
  aws_cloudwatch_dashboard: () => ({ monthly: PRICES.dashboardMonth.usd, basis: "one dashboard" }),
  aws_cloudwatch_log_metric_filter: () => ({ monthly: PRICES.customMetricMonth.usd, basis: "one custom metric" }),
  aws_cloudwatch_log_group(_body, _stack, usage) {
    return {
      monthly: usage.logGbPerGroup * (PRICES.logsIngestGb.usd + PRICES.logsStoreGbMonth.usd),
      basis: `${usage.logGbPerGroup} GB ingested and kept a month`,
    };
  },
  aws_s3_bucket(_body, _stack, usage) {
    return { monthly: usage.bucketGb * PRICES.s3StandardGbMonth.usd, basis: `${usage.bucketGb} GB in S3 Standard` };
  },
  aws_ecr_repository(_body, _stack, usage) {
    return { monthly: usage.imageGbPerRepository * PRICES.ecrGbMonth.usd, basis: `${usage.imageGbPerRepository} GB of images` };
  },
  aws_wafv2_web_acl(body, _stack, usage) {
    const rules = Array.isArray(body.rule) ? body.rule.length : 0;
    return {
      monthly: PRICES.wafWebAclMonth.usd + rules * PRICES.wafRuleMonth.usd + usage.wafRequestMillions * PRICES.wafRequestsMillion.usd,
      basis: `one web ACL, ${rules} rules, ${usage.wafRequestMillions}M requests`,
    };
  },
  aws_cloudfront_distribution(_body, _stack, usage) {
    return {
      monthly: usage.cdnGb * PRICES.cloudFrontGb.usd + usage.cdnRequestMillions * PRICES.cloudFrontHttpsMillion.usd,
      basis: `${usage.cdnGb} GB out, ${usage.cdnRequestMillions}M HTTPS requests`,
    };
  },
  aws_cloudfront_function(_body, _stack, usage) {
    // It runs on every viewer request of its distribution.
    return { monthly: usage.cdnRequestMillions * PRICES.cloudFrontFunctionMillion.usd, basis: `${usage.cdnRequestMillions}M viewer requests` };
  },
  aws_cloudwatch_log_delivery(_body, _stack, usage) {
    return { monthly: usage.cdnLogGb * PRICES.vendedLogsS3Gb.usd, basis: `${usage.cdnLogGb} GB of access logs delivered to S3` };
  },
  aws_api_gateway_rest_api(_body, _stack, usage) {
    return { monthly: usage.apiRequestMillions * PRICES.restApiMillion.usd, basis: `${usage.apiRequestMillions}M REST API calls` };
  },
  aws_apigatewayv2_api(_body, _stack, usage) {
    return { monthly: usage.apiRequestMillions * PRICES.httpApiMillion.usd, basis: `${usage.apiRequestMillions}M HTTP API calls` };
  },
  aws_cognito_user_pool(body, _stack, usage) {
    const plus = body.user_pool_tier === "PLUS";
    const billed = plus ? usage.monthlyActiveUsers : Math.max(0, usage.monthlyActiveUsers - 10_000);
    return {
      monthly: billed * (plus ? PRICES.cognitoPlusMau.usd : PRICES.cognitoEssentialsMau.usd),
      basis: `${usage.monthlyActiveUsers} monthly active users on ${plus ? "Plus" : "Essentials (first 10,000 free)"}; SMS codes billed by SNS on top`,
    };
  },
  aws_config_configuration_recorder(_body, _stack, usage) {
    return { monthly: usage.configItems * PRICES.configItem.usd, basis: `${usage.configItems} configuration items` };
  },
  aws_config_conformance_pack(_body, _stack, usage) {
    return { monthly: usage.configEvaluations * PRICES.configRuleEvaluation.usd, basis: `${usage.configEvaluations} rule evaluations` };
  },
  aws_guardduty_detector(_body, _stack, usage) {
    const monthly =
      usage.guardDutyEventMillions * PRICES.guardDutyEventsMillion.usd +
      usage.guardDutyLogGb * PRICES.guardDutyLogsGb.usd +
      usage.guardDutyFargateVcpus * PRICES.guardDutyFargateVcpuMonth.usd;
    return { monthly, basis: `${usage.guardDutyEventMillions}M events, ${usage.guardDutyLogGb} GB logs, ${usage.guardDutyFargateVcpus} Fargate vCPUs` };
  },
  aws_cloudtrail(body) {
    const dataEvents = Array.isArray(body.event_selector) && body.event_selector.length > 0;
    return { monthly: dataEvents ? 10 * PRICES.cloudTrailDataEventsHundredThousand.usd : 0, basis: dataEvents ? "first management copy free; 1M data events" : "first management copy: free" };
  },
  aws_dynamodb_table: () => ({ monthly: 0.01 * PRICES.dynamodbWriteMillion.usd, basis: "on-demand; a lock table's writes are negligible (10,000)" }),
  aws_backup_vault(_body, _stack, usage) {
    return { monthly: usage.backupGb * PRICES.backupStorageGbMonth.usd, basis: `${usage.backupGb} GB of recovery points (snapshots and continuous backups, warm storage)` };
  },
  aws_sns_topic: () => ({ monthly: 0.01 * PRICES.snsPublishMillion.usd, basis: "10,000 publishes" }),
  aws_lambda_function(body, _stack, usage) {
    const gb = Number(body.memory_size ?? 128) / 1024;
    const gbSeconds = usage.lambdaRequestMillions * 1e6 * (usage.lambdaAverageMs / 1000) * gb;
    return {
      monthly: usage.lambdaRequestMillions * PRICES.lambdaRequestMillion.usd + gbSeconds * PRICES.lambdaGbSecond.usd,
      basis: `${usage.lambdaRequestMillions}M requests of ${usage.lambdaAverageMs} ms at ${body.memory_size ?? 128} MB (${Math.round(gbSeconds)} GB-s, before the free tier)`,
    };
  },
  aws_sqs_queue(_body, _stack, usage) {
    return { monthly: usage.sqsRequestMillions * PRICES.sqsRequestMillion.usd, basis: `${usage.sqsRequestMillions}M requests` };
  },
  aws_sesv2_configuration_set(_body, _stack, usage) {
    return { monthly: usage.emailThousands * PRICES.sesEmailThousand.usd, basis: `${usage.emailThousands},000 emails sent through it` };
  },
  aws_apprunner_service(body, stack, usage) {
    const instance = (body.instance_configuration ?? {}) as { cpu?: string; memory?: string };
    const vcpu = Number(instance.cpu ?? 1024) / 1024;
    const gb = Number(instance.memory ?? 2048) / 1024;
    const scaling = resolve(stack, body.auto_scaling_configuration_arn);
    const min = Number(scaling?.min_size ?? 1);
    const provisioned = hourly(gb * PRICES.appRunnerGbHour.usd, usage, min);
    const active = usage.appRunnerActiveHours * min * vcpu * PRICES.appRunnerVcpuHour.usd;
    return { monthly: provisioned + active, basis: `${min} instance(s) of ${vcpu} vCPU / ${gb} GB: memory always, vCPU for ${usage.appRunnerActiveHours} active hours` };
  },
};

/** Prices every resource of a synthesized stack (its `cdk.tf.json`). */
export function estimate(stack: { readonly resource?: Resources }, assumptions: UsageAssumptions = {}): CostReport {
  const usage = { ...DEFAULT_USAGE, ...assumptions };
  const resources = stack.resource ?? {};
  const lines: CostLine[] = [];
  const unpriced: string[] = [];
  for (const [type, byName] of Object.entries(resources).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [name, body] of Object.entries(byName)) {
      const address = `${type}.${name}`;
      const pricer = PRICERS[type];
      if (pricer === undefined) {
        if (!FREE_TYPES.includes(type)) unpriced.push(address);
        continue;
      }
      const { monthly, basis } = pricer(body, resources, usage);
      if (!Number.isFinite(monthly)) {
        unpriced.push(address);
        continue;
      }
      lines.push({ address, type, monthly: cents(monthly), basis });
    }
  }
  return { lines, total: cents(lines.reduce((n, l) => n + l.monthly, 0)), unpriced, assumptions: usage, priceTableReviewed: PRICE_TABLE_REVIEWED };
}

export interface CostDifference {
  readonly address: string;
  readonly before: number;
  readonly after: number;
  readonly change: number;
}

/** Monthly difference per resource between two estimates (added, removed or changed). */
export function compareCosts(before: CostReport, after: CostReport): { readonly lines: readonly CostDifference[]; readonly change: number } {
  const a = new Map(before.lines.map((l) => [l.address, l.monthly]));
  const b = new Map(after.lines.map((l) => [l.address, l.monthly]));
  const lines = [...new Set([...a.keys(), ...b.keys()])]
    .sort()
    .map((address) => ({ address, before: a.get(address) ?? 0, after: b.get(address) ?? 0, change: cents((b.get(address) ?? 0) - (a.get(address) ?? 0)) }))
    .filter((d) => d.change !== 0)
    .sort((x, y) => Math.abs(y.change) - Math.abs(x.change) || x.address.localeCompare(y.address));
  return { lines, change: cents(after.total - before.total) };
}

/**
 * A comparison of two estimates (`keel cost --compare`): the totals, then each resource whose
 * price changed, largest change first, and the usage assumptions both were priced with (they
 * understate a real bill where traffic or load is set to 0).
 */
export function renderCostComparison(environment: string, ref: string, before: CostReport, after: CostReport, markdown = false): string {
  const diff = compareCosts(before, after);
  const sign = (n: number): string => `${n >= 0 ? "+" : "-"}${money(Math.abs(n))}`;
  const assumptions = `Assumptions: ${Object.entries(after.assumptions).map(([k, v]) => `${k}=${v}`).join(", ")}`;
  if (markdown) {
    const out = [`### Estimated cost of ${environment}: ${money(before.total)} at \`${ref}\` → ${money(after.total)} (${sign(diff.change)} a month)`, ""];
    if (diff.lines.length === 0) out.push("No resource's price changes.");
    else {
      out.push("| resource | before | after | change |", "| --- | ---: | ---: | ---: |");
      for (const d of diff.lines) out.push(`| \`${d.address}\` | ${money(d.before)} | ${money(d.after)} | ${sign(d.change)} |`);
    }
    return [...out, "", assumptions, ""].join("\n");
  }
  const out = [`Monthly cost of ${environment}: ${money(before.total)} at ${ref} -> ${money(after.total)} now (${sign(diff.change)})`];
  for (const d of diff.lines) out.push(`  ${sign(d.change).padStart(10)}  ${d.address}`);
  return [...out, assumptions, ""].join("\n");
}

/** The estimate as a table: largest first, then the total, the unpriced and the assumptions. */
export function renderCost(report: CostReport, markdown = false): string {
  const lines = [...report.lines].sort((x, y) => y.monthly - x.monthly || x.address.localeCompare(y.address)).filter((l) => l.monthly > 0);
  const out: string[] = [];
  if (markdown) {
    out.push(`### Estimated cost: ${money(report.total)} a month`, "", "| resource | monthly | basis |", "| --- | ---: | --- |");
    for (const l of lines) out.push(`| \`${l.address}\` | ${money(l.monthly)} | ${l.basis} |`);
  } else {
    out.push(`Estimated cost: ${money(report.total)} a month (us-east-1 on-demand, price table ${report.priceTableReviewed})`, "");
    for (const l of lines) out.push(`${money(l.monthly).padStart(10)}  ${l.address.padEnd(56)} ${l.basis}`);
  }
  out.push("", `Unpriced: ${report.unpriced.length === 0 ? "none" : report.unpriced.join(", ")}`);
  out.push(`Assumptions: ${Object.entries(report.assumptions).map(([k, v]) => `${k}=${v}`).join(", ")}`);
  return out.join("\n") + "\n";
}
