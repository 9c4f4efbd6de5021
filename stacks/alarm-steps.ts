import { Backup } from "../modules/backup";
import { Construct } from "constructs";
import { ALARM_GROUPS, Alarm, AlarmGroup, AlarmProps, AlarmTopic, DEFAULT_THRESHOLDS, Dashboard, DashboardWidget } from "../modules/alarms";
import type { AlarmsConfig } from "../environments";
import { Platform, step } from "./platform";

type Rule = Omit<AlarmProps, "name" | "topicArn"> & {
  readonly name: string;
  readonly group: AlarmGroup;
  /** The alarm's name before a rename: its old address moves here (a `moved` block; the alarm itself is replaced, since its name changes). */
  readonly renamedFrom?: string;
};

/** The default freeable-memory floor: 10% of the memory of the maximum capacity (2 GiB per ACU). */
const GIB = 1024 * 1024 * 1024;
const MIB = 1024 * 1024;

/**
 * Omnirapeutic's alarm groups on the environment's own resources, as Keel
 * chooses them; each group exists only when its section is on, and scales
 * with what was built (one NAT gateway, one alarm).
 */
function environmentRules(p: Platform, config: AlarmsConfig): Rule[] {
  const t = { ...DEFAULT_THRESHOLDS, ...config.thresholds };
  const rules: Rule[] = [];
  const five = { period: 300 };
  const aurora = p.aurora;
  if (aurora !== undefined) {
    const maxAcu = p.config.aurora?.maxCapacity ?? 1;
    const memoryFloor = (config.thresholds?.auroraFreeableMemoryMiB ?? Math.round((maxAcu * 2 * GIB * 0.1) / MIB)) * MIB;
    rules.push(
      { group: "aurora", name: "aurora-cpu", metric: aurora.metricCpuUtilization(five), comparison: "GreaterThanThreshold", threshold: t.auroraCpuPercent, evaluationPeriods: 2, treatMissingData: "notBreaching", runbook: `Aurora CPU above ${t.auroraCpuPercent}% for 10 minutes. Check Performance Insights for the top SQL; raise maxCapacity if the load is real.` },
      { group: "aurora", name: "aurora-connections", metric: aurora.metricDatabaseConnections(five), comparison: "GreaterThanThreshold", threshold: t.auroraConnections, evaluationPeriods: 2, treatMissingData: "notBreaching", runbook: `Aurora above ${t.auroraConnections} connections for 10 minutes, near max_connections at low ACU. Look for a connection leak or missing pooling in the services.` },
      { group: "aurora", name: "aurora-acu", metric: aurora.metricAcuUtilization(five), comparison: "GreaterThanThreshold", threshold: t.auroraAcuPercent, evaluationPeriods: 2, treatMissingData: "notBreaching", runbook: `Aurora has used over ${t.auroraAcuPercent}% of its maximum capacity for 10 minutes. Raise maxCapacity, or find what grew.` },
      { group: "aurora", name: "aurora-freeable-memory", metric: aurora.metricFreeableMemory(five), comparison: "LessThanThreshold", threshold: memoryFloor, evaluationPeriods: 2, treatMissingData: "notBreaching", runbook: `Aurora freeable memory below ${Math.round(memoryFloor / MIB)} MiB for 10 minutes. Raise maxCapacity; check for large sorts or too many connections.` },
      // OutreachPass's "ReadLatency / WriteLatency > 50 ms p99" and Omnirapeutic's one "Read/WriteLatency" alarm of five: the worse of the two.
      {
        group: "aurora",
        name: "aurora-latency",
        renamedFrom: "aurora-write-latency",
        metric: { maxOf: [aurora.metricReadLatency({ period: 300, statistic: "p99" }), aurora.metricWriteLatency({ period: 300, statistic: "p99" })], label: "Aurora p99 latency, the worse of read and write (s)" },
        comparison: "GreaterThanThreshold",
        threshold: t.auroraLatencyMs / 1000,
        evaluationPeriods: 2,
        treatMissingData: "notBreaching",
        runbook: `Aurora p99 read or write latency above ${t.auroraLatencyMs} ms for 10 minutes. Check Performance Insights waits: scans and missing indexes for reads, write-heavy jobs and locks for writes.`,
      },
    );
  }
  const alb = p.loadBalancer;
  if (alb !== undefined) {
    rules.push(
      { group: "alb", name: "alb-5xx", metric: alb.metricHttpCodeElb5xxCount(five), comparison: "GreaterThanThreshold", threshold: t.alb5xxPer5Minutes, evaluationPeriods: 1, treatMissingData: "notBreaching", runbook: `The load balancer returned over ${t.alb5xxPer5Minutes} 5xx responses in 5 minutes: usually no healthy target. Check the services' running tasks and target health.` },
      { group: "alb", name: "alb-response-time", metric: alb.metricTargetResponseTime(five), comparison: "GreaterThanThreshold", threshold: t.albResponseTimeMs / 1000, evaluationPeriods: 2, treatMissingData: "notBreaching", runbook: `p99 response time above ${t.albResponseTimeMs} ms for 10 minutes. Check the services' CPU and memory, and Aurora.` },
      {
        group: "alb",
        name: "alb-unhealthy-hosts",
        metric: { maxOf: [...alb.targetGroups.keys()].map((g) => alb.metricUnhealthyHostCount(g, five)), label: "Unhealthy targets (worst target group)" },
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: t.albUnhealthyHosts,
        evaluationPeriods: 1,
        treatMissingData: "notBreaching",
        runbook: `At least ${t.albUnhealthyHosts} target failed its health check for 5 minutes. Read the service's logs in /ecs/<cluster>/<service> and its stopped tasks' reasons.`,
      },
    );
  }
  for (const [name, service] of [...p.services].sort(([a], [b]) => a.localeCompare(b))) {
    const spec = p.config.ecs?.services[name];
    const desired = spec?.autoscaling?.minCapacity ?? spec?.desiredCount ?? 1;
    rules.push({
      group: "ecs",
      name: `ecs-${name}-running-tasks`,
      metric: service.metricRunningTaskCount(five),
      comparison: "LessThanThreshold",
      threshold: desired,
      evaluationPeriods: 2,
      // No data means no task reports at all.
      treatMissingData: "breaching",
      runbook: `Fewer than ${desired} ${name} tasks ran for 10 minutes. Check the service's events and stopped tasks (image pull, health check, out of memory).`,
    });
  }
  const waf = p.webAcl;
  if (waf !== undefined) {
    rules.push({ group: "waf", name: "waf-blocked-requests", metric: waf.metricBlockedRequests(five), comparison: "GreaterThanThreshold", threshold: t.wafBlockedPer5Minutes, evaluationPeriods: 1, treatMissingData: "notBreaching", runbook: `The web ACL blocked over ${t.wafBlockedPer5Minutes} requests in 5 minutes. Read the WAF logs: an attack, or a rule blocking real users (then override it in config).` });
  }
  const vpc = p.vpc;
  if (vpc !== undefined) {
    for (const az of vpc.natGatewayAzs) {
      rules.push({ group: "nat", name: `nat-${az}-port-allocation`, metric: vpc.metricNatErrorPortAllocation(az, five), comparison: "GreaterThanOrEqualToThreshold", threshold: t.natPortAllocationErrorsPer5Minutes, evaluationPeriods: 1, treatMissingData: "notBreaching", runbook: `The NAT gateway in ${az} could not allocate source ports: too many connections to one destination. Look for connection churn in the services, or add a VPC endpoint for that AWS service.` });
    }
    const flowLogs = vpc.flowLogGroup;
    rules.push(
      { group: "flow-logs", name: "flow-log-rejects", metric: flowLogs.metricFilter("flow-log-rejects", FLOW_LOG_REJECTS, five), comparison: "GreaterThanThreshold", threshold: t.flowLogRejectsPer5Minutes, evaluationPeriods: 1, treatMissingData: "notBreaching", runbook: `Over ${t.flowLogRejectsPer5Minutes} rejected flows in 5 minutes. Query the flow logs for the top sources: a scan, or a rule that blocks real traffic.` },
      { group: "flow-logs", name: "flow-log-ssh-rdp", metric: flowLogs.metricFilter("flow-log-ssh-rdp", FLOW_LOG_SSH_RDP, five), comparison: "GreaterThanThreshold", threshold: t.flowLogSshRdpPer5Minutes, evaluationPeriods: 1, treatMissingData: "notBreaching", runbook: `Over ${t.flowLogSshRdpPer5Minutes} flows to port 22 or 3389 in 5 minutes. Nothing in Keel listens there: find the sources in the flow logs, and whether any was accepted.` },
    );
  }
  rules.push(...workloadRules(p, t));
  return rules;
}

/** StartupWebApp and OutreachPass's alarms on the database instance, functions, queues, HTTP API, email and App Runner. */
function workloadRules(p: Platform, t: typeof DEFAULT_THRESHOLDS): Rule[] {
  const rules: Rule[] = [];
  const five = { period: 300 };
  const rds = p.rds;
  if (rds !== undefined) {
    rules.push(
      { group: "rds", name: "rds-cpu", metric: rds.metricCpuUtilization(five), comparison: "GreaterThanThreshold", threshold: t.rdsCpuPercent, evaluationPeriods: 2, treatMissingData: "notBreaching", runbook: `RDS CPU above ${t.rdsCpuPercent}% for 10 minutes. Check Performance Insights for the top SQL; move to a larger instance class if the load is real.` },
      { group: "rds", name: "rds-connections", metric: rds.metricDatabaseConnections(five), comparison: "GreaterThanThreshold", threshold: t.rdsConnections, evaluationPeriods: 2, treatMissingData: "notBreaching", runbook: `RDS above ${t.rdsConnections} connections for 10 minutes. Look for a connection leak or missing pooling in the application.` },
      { group: "rds", name: "rds-free-storage", metric: rds.metricFreeStorageSpace(five), comparison: "LessThanThreshold", threshold: t.rdsFreeStorageGiB * GIB, evaluationPeriods: 2, treatMissingData: "notBreaching", runbook: `RDS free storage below ${t.rdsFreeStorageGiB} GiB for 10 minutes. Storage autoscaling may be at maxAllocatedStorage: raise it, or find what grew.` },
      { group: "rds", name: "rds-freeable-memory", metric: rds.metricFreeableMemory(five), comparison: "LessThanThreshold", threshold: t.rdsFreeableMemoryMiB * MIB, evaluationPeriods: 2, treatMissingData: "notBreaching", runbook: `RDS freeable memory below ${t.rdsFreeableMemoryMiB} MiB for 10 minutes. Check for too many connections or large sorts; move to a larger instance class.` },
    );
  }
  for (const [name, fn] of [...p.functions].sort(([a], [b]) => a.localeCompare(b))) {
    const durationMs = fn.timeoutSeconds <= 60 ? t.functionDurationMs : Math.round(fn.timeoutSeconds * 800);
    rules.push(
      { group: "functions", name: `lambda-${name}-error-rate`, metric: fn.metricErrorRate(five), comparison: "GreaterThanThreshold", threshold: t.functionErrorRatePercent, evaluationPeriods: 1, treatMissingData: "notBreaching", runbook: `Over ${t.functionErrorRatePercent}% of ${name}'s invocations failed in 5 minutes. Read /aws/lambda/${fn.functionName} for the errors; roll back the last code deploy if it started then.` },
      { group: "functions", name: `lambda-${name}-duration`, metric: fn.metricDuration(five), comparison: "GreaterThanThreshold", threshold: durationMs, evaluationPeriods: 2, treatMissingData: "notBreaching", runbook: `${name}'s p99 duration above ${durationMs} ms for 10 minutes. Check what it waits on (the database, an outside API) in X-Ray traces.` },
    );
  }
  for (const [name, queue] of [...p.queues].sort(([a], [b]) => a.localeCompare(b))) {
    rules.push({ group: "queues", name: `sqs-${name}-oldest-message`, metric: queue.metricApproximateAgeOfOldestMessage(five), comparison: "GreaterThanThreshold", threshold: t.queueOldestMessageSeconds, evaluationPeriods: 2, treatMissingData: "notBreaching", runbook: `A message has waited over ${t.queueOldestMessageSeconds} s in ${queue.queueName} for 10 minutes: its consumer is failing, throttled or too slow.` });
    if (queue.deadLetterQueueName !== undefined) {
      rules.push({ group: "queues", name: `sqs-${name}-dead-letters`, metric: queue.metricDeadLetterMessages({ period: 60 }), comparison: "GreaterThanOrEqualToThreshold", threshold: 1, evaluationPeriods: 1, treatMissingData: "notBreaching", runbook: `${queue.deadLetterQueueName} has messages: each failed every receive. Read the consumer's logs for them, fix, then redrive (aws sqs start-message-move-task).` });
    }
  }
  const api = p.httpApi;
  if (api !== undefined) {
    rules.push(
      { group: "api", name: "api-5xx-rate", metric: api.metric5xxErrorRate(five), comparison: "GreaterThanThreshold", threshold: t.api5xxRatePercent, evaluationPeriods: 1, treatMissingData: "notBreaching", runbook: `Over ${t.api5xxRatePercent}% of the HTTP API's requests failed with 5xx in 5 minutes. Check the backend's errors and throttles.` },
      { group: "api", name: "api-latency", metric: api.metricLatency(five), comparison: "GreaterThanThreshold", threshold: t.apiLatencyMs, evaluationPeriods: 2, treatMissingData: "notBreaching", runbook: `The HTTP API's p99 latency above ${t.apiLatencyMs} ms for 10 minutes. Check the backend's duration and the database.` },
    );
  }
  const rest = p.restApi;
  if (rest !== undefined) {
    // Named apart from the HTTP API's, whose alarm addresses predate these; an environment may have both.
    rules.push(
      { group: "api", name: "api-rest-5xx-rate", metric: rest.metric5xxErrorRate(five), comparison: "GreaterThanThreshold", threshold: t.api5xxRatePercent, evaluationPeriods: 1, treatMissingData: "notBreaching", runbook: `Over ${t.api5xxRatePercent}% of the REST API's requests failed with 5xx in 5 minutes. Check its execution logs (API-Gateway-Execution-Logs_...) and the backend.` },
      { group: "api", name: "api-rest-latency", metric: rest.metricLatency(five), comparison: "GreaterThanThreshold", threshold: t.apiLatencyMs, evaluationPeriods: 2, treatMissingData: "notBreaching", runbook: `The REST API's p99 latency above ${t.apiLatencyMs} ms for 10 minutes. Check the backend's duration and the database.` },
    );
  }
  const email = p.email;
  if (email !== undefined) {
    rules.push(
      { group: "email", name: "ses-bounce-rate", metric: email.metricBounceRate({ period: 3600 }), comparison: "GreaterThanThreshold", threshold: t.emailBounceRatePercent / 100, evaluationPeriods: 1, treatMissingData: "notBreaching", runbook: `SES bounce rate above ${t.emailBounceRatePercent}%: AWS reviews the account at 5% and may pause sending at 10%. Stop sending to bounced lists; check the feedback topic.` },
      { group: "email", name: "ses-complaint-rate", metric: email.metricComplaintRate({ period: 3600 }), comparison: "GreaterThanThreshold", threshold: t.emailComplaintRatePercent / 100, evaluationPeriods: 1, treatMissingData: "notBreaching", runbook: `SES complaint rate above ${t.emailComplaintRatePercent}%: AWS reviews the account at 0.1% and may pause sending at 0.5%. Check who is complaining on the feedback topic.` },
    );
  }
  for (const [name, service] of [...p.appRunnerServices].sort(([a], [b]) => a.localeCompare(b))) {
    rules.push({ group: "apprunner", name: `apprunner-${name}-5xx`, metric: service.metric5xxStatusResponses(five), comparison: "GreaterThanThreshold", threshold: t.apprunner5xxPer5Minutes, evaluationPeriods: 1, treatMissingData: "notBreaching", runbook: `App Runner ${name} returned over ${t.apprunner5xxPer5Minutes} 5xx responses in 5 minutes. Read its application logs; roll back the last deployment if it started then.` });
  }
  return rules;
}

/** Flow logs in the default format: one record per flow, `action` the 13th field. */
const FLOW_LOG_FIELDS = ["version", "account", "eni", "source", "destination", "srcport", "destport", "protocol", "packets", "bytes", "windowstart", "windowend", "action", "flowlogstatus"];
const flowLogPattern = (field: string, condition: string): string => `[${FLOW_LOG_FIELDS.map((f) => (f === field ? condition : f)).join(", ")}]`;
export const FLOW_LOG_REJECTS = flowLogPattern("action", 'action="REJECT"');
export const FLOW_LOG_SSH_RDP = flowLogPattern("destport", "destport=22 || destport=3389");

/** The dashboard: the alarms' metrics, one widget per concern. */
function widgets(p: Platform, wanted: ReadonlySet<AlarmGroup>): DashboardWidget[] {
  const five = { period: 300 };
  const all: DashboardWidget[] = [];
  const aurora = p.aurora;
  if (aurora !== undefined && wanted.has("aurora")) {
    all.push(
      { title: "Aurora CPU (%)", metrics: [aurora.metricCpuUtilization(five)] },
      { title: "Aurora connections", metrics: [aurora.metricDatabaseConnections(five)] },
      { title: "Aurora freeable memory (bytes)", metrics: [aurora.metricFreeableMemory(five)] },
      { title: "Aurora capacity used (%)", metrics: [aurora.metricAcuUtilization(five)] },
      { title: "Aurora read/write latency (s)", metrics: [aurora.metricReadLatency(five), aurora.metricWriteLatency(five)] },
    );
  }
  const alb = p.loadBalancer;
  if (alb !== undefined && wanted.has("alb")) {
    all.push(
      { title: "Load balancer 5xx", metrics: [alb.metricHttpCodeElb5xxCount(five), alb.metricHttpCodeTarget5xxCount(five)] },
      { title: "Load balancer p99 response time (s)", metrics: [alb.metricTargetResponseTime(five)] },
    );
  }
  if (p.services.size > 0 && wanted.has("ecs")) {
    const services = [...p.services.values()];
    all.push(
      { title: "Services CPU (%)", metrics: services.map((s) => s.metricCpuUtilization(five)) },
      { title: "Services memory (%)", metrics: services.map((s) => s.metricMemoryUtilization(five)) },
      { title: "Services running tasks", metrics: services.map((s) => s.metricRunningTaskCount(five)) },
    );
  }
  const rds = p.rds;
  if (rds !== undefined && wanted.has("rds")) {
    all.push(
      { title: "RDS CPU (%)", metrics: [rds.metricCpuUtilization(five)] },
      { title: "RDS connections", metrics: [rds.metricDatabaseConnections(five)] },
      { title: "RDS freeable memory (bytes)", metrics: [rds.metricFreeableMemory(five)] },
      { title: "RDS free storage (bytes)", metrics: [rds.metricFreeStorageSpace(five)] },
      { title: "RDS read/write latency (s)", metrics: [rds.metricReadLatency(five), rds.metricWriteLatency(five)] },
      { title: "RDS read/write throughput (bytes/s)", metrics: [rds.metricReadThroughput(five), rds.metricWriteThroughput(five)] },
    );
  }
  if (p.functions.size > 0 && wanted.has("functions")) {
    const fns = [...p.functions.values()];
    all.push(
      { title: "Lambda invocations and errors", metrics: fns.flatMap((f) => [f.metricInvocations(five), f.metricErrors(five)]) },
      { title: "Lambda p99 duration (ms)", metrics: fns.map((f) => f.metricDuration(five)) },
    );
  }
  if (p.queues.size > 0 && wanted.has("queues")) all.push({ title: "Oldest message (s)", metrics: [...p.queues.values()].map((q) => q.metricApproximateAgeOfOldestMessage(five)) });
  if (p.webAcl !== undefined && wanted.has("waf")) all.push({ title: "WAF blocked requests", metrics: [p.webAcl.metricBlockedRequests(five)] });
  const vpc = p.vpc;
  if (vpc !== undefined && vpc.natGatewayAzs.length > 0 && wanted.has("nat")) {
    all.push({ title: "NAT port-allocation errors", metrics: vpc.natGatewayAzs.map((az) => vpc.metricNatErrorPortAllocation(az, five)) });
  }
  return all;
}

/**
 * `alarms`: the environment's topic (under the secrets key, which lets
 * CloudWatch and EventBridge publish), Omnirapeutic's alarm groups for what the
 * other sections built, and a dashboard of the same metrics. Runs last.
 */
export const alarmsStep = step({
  section: "alarms",
  build(p, config) {
    const { thresholds, groups, ...topicProps } = config;
    const wanted = new Set<AlarmGroup>(groups ?? ALARM_GROUPS);
    p.alarmTopic = new AlarmTopic(p.stack, "alarms", { ...topicProps, kmsKeyArn: p.security.secretsKey.keyArn });
    const topicArn = p.alarmTopic.topicArn;
    const scope = new Construct(p.stack, "alarm");
    for (const { group, renamedFrom, ...rule } of environmentRules(p, { ...config, thresholds })) {
      if (!wanted.has(group)) continue;
      const alarm = p.entry("thresholds", () => new Alarm(scope, rule.name, { ...rule, topicArn }));
      if (renamedFrom !== undefined) p.stack.moved(alarm.resource, `aws_cloudwatch_metric_alarm.${alarm.resource.friendlyUniqueId.replace(rule.name.replace(/-/g, "_"), renamedFrom.replace(/-/g, "_"))}`);
    }
    const dashboard = widgets(p, wanted);
    if (dashboard.length > 0) new Dashboard(p.stack, "dashboard", dashboard);
  },
  outputs(p) {
    if (p.alarmTopic === undefined) return;
    p.stack.output("alarm-topic-arn", p.alarmTopic.topicArn, "The environment's alarm topic (subscribe chat or paging here)");
  },
});

/**
 * `backup`: AWS Backup of every data store the other sections built (Aurora,
 * RDS, the `buckets`), in a vault under its own key, locked as the profile
 * says; failed jobs go to the alarm topic when there is one. Runs after
 * `alarms`.
 */
export const backupStep = step({
  section: "backup",
  build(p, config) {
    p.backup = new Backup(p.stack, "backup", {
      ...config,
      kmsKeyArn: p.security.backupKey.keyArn,
      ...(p.alarmTopic !== undefined ? { alarmTopicArn: p.alarmTopic.topicArn } : {}),
      protection: p.protection,
    });
    // Every database in config: a restore beside the original is backed up from its first apply.
    for (const target of [...(p.aurora?.backupTargets ?? []), ...(p.rds?.backupTargets ?? []), ...p.buckets.values()]) p.backup.protect(target);
  },
  outputs(p) {
    if (p.backup === undefined) return;
    p.stack.output("backup-vault-arn", p.backup.vaultArn, "The backup vault (recovery points: aws backup list-recovery-points-by-backup-vault)");
    p.stack.output("backup-plan-id", p.backup.planId, "The backup plan");
  },
});
