import { Construct } from "constructs";
import { Alarm, AlarmProps, AlarmTopic, DEFAULT_THRESHOLDS, Dashboard, DashboardWidget } from "../modules/alarms";
import type { AlarmsConfig } from "../environments";
import { Platform, step } from "./platform";

type Rule = Omit<AlarmProps, "name" | "topicArn"> & { readonly name: string };

/** The default freeable-memory floor: 10% of the memory of the maximum capacity (2 GiB per ACU). */
const GIB = 1024 * 1024 * 1024;
const MIB = 1024 * 1024;

/**
 * Seed 003's alarm groups on the environment's own resources, as Keel
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
      { name: "aurora-cpu", metric: aurora.metricCpuUtilization(five), comparison: "GreaterThanThreshold", threshold: t.auroraCpuPercent, evaluationPeriods: 2, treatMissingData: "notBreaching", runbook: `Aurora CPU above ${t.auroraCpuPercent}% for 10 minutes. Check Performance Insights for the top SQL; raise maxCapacity if the load is real.` },
      { name: "aurora-connections", metric: aurora.metricDatabaseConnections(five), comparison: "GreaterThanThreshold", threshold: t.auroraConnections, evaluationPeriods: 2, treatMissingData: "notBreaching", runbook: `Aurora above ${t.auroraConnections} connections for 10 minutes, near max_connections at low ACU. Look for a connection leak or missing pooling in the services.` },
      { name: "aurora-acu", metric: aurora.metricAcuUtilization(five), comparison: "GreaterThanThreshold", threshold: t.auroraAcuPercent, evaluationPeriods: 2, treatMissingData: "notBreaching", runbook: `Aurora has used over ${t.auroraAcuPercent}% of its maximum capacity for 10 minutes. Raise maxCapacity, or find what grew.` },
      { name: "aurora-freeable-memory", metric: aurora.metricFreeableMemory(five), comparison: "LessThanThreshold", threshold: memoryFloor, evaluationPeriods: 2, treatMissingData: "notBreaching", runbook: `Aurora freeable memory below ${Math.round(memoryFloor / MIB)} MiB for 10 minutes. Raise maxCapacity; check for large sorts or too many connections.` },
      { name: "aurora-write-latency", metric: aurora.metricWriteLatency({ period: 300, statistic: "p99" }), comparison: "GreaterThanThreshold", threshold: t.auroraWriteLatencyMs / 1000, evaluationPeriods: 2, treatMissingData: "notBreaching", runbook: `Aurora p99 write latency above ${t.auroraWriteLatencyMs} ms for 10 minutes. Check Performance Insights waits and write-heavy jobs.` },
    );
  }
  const alb = p.loadBalancer;
  if (alb !== undefined) {
    rules.push(
      { name: "alb-5xx", metric: alb.metricHttpCodeElb5xxCount(five), comparison: "GreaterThanThreshold", threshold: t.alb5xxPer5Minutes, evaluationPeriods: 1, treatMissingData: "notBreaching", runbook: `The load balancer returned over ${t.alb5xxPer5Minutes} 5xx responses in 5 minutes: usually no healthy target. Check the services' running tasks and target health.` },
      { name: "alb-response-time", metric: alb.metricTargetResponseTime(five), comparison: "GreaterThanThreshold", threshold: t.albResponseTimeMs / 1000, evaluationPeriods: 2, treatMissingData: "notBreaching", runbook: `p99 response time above ${t.albResponseTimeMs} ms for 10 minutes. Check the services' CPU and memory, and Aurora.` },
      {
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
    rules.push({ name: "waf-blocked-requests", metric: waf.metricBlockedRequests(five), comparison: "GreaterThanThreshold", threshold: t.wafBlockedPer5Minutes, evaluationPeriods: 1, treatMissingData: "notBreaching", runbook: `The web ACL blocked over ${t.wafBlockedPer5Minutes} requests in 5 minutes. Read the WAF logs: an attack, or a rule blocking real users (then override it in config).` });
  }
  const vpc = p.vpc;
  if (vpc !== undefined) {
    for (const az of vpc.natGatewayAzs) {
      rules.push({ name: `nat-${az}-port-allocation`, metric: vpc.metricNatErrorPortAllocation(az, five), comparison: "GreaterThanOrEqualToThreshold", threshold: t.natPortAllocationErrorsPer5Minutes, evaluationPeriods: 1, treatMissingData: "notBreaching", runbook: `The NAT gateway in ${az} could not allocate source ports: too many connections to one destination. Look for connection churn in the services, or add a VPC endpoint for that AWS service.` });
    }
    const flowLogs = vpc.flowLogGroup;
    rules.push(
      { name: "flow-log-rejects", metric: flowLogs.metricFilter("flow-log-rejects", FLOW_LOG_REJECTS, five), comparison: "GreaterThanThreshold", threshold: t.flowLogRejectsPer5Minutes, evaluationPeriods: 1, treatMissingData: "notBreaching", runbook: `Over ${t.flowLogRejectsPer5Minutes} rejected flows in 5 minutes. Query the flow logs for the top sources: a scan, or a rule that blocks real traffic.` },
      { name: "flow-log-ssh-rdp", metric: flowLogs.metricFilter("flow-log-ssh-rdp", FLOW_LOG_SSH_RDP, five), comparison: "GreaterThanThreshold", threshold: t.flowLogSshRdpPer5Minutes, evaluationPeriods: 1, treatMissingData: "notBreaching", runbook: `Over ${t.flowLogSshRdpPer5Minutes} flows to port 22 or 3389 in 5 minutes. Nothing in Keel listens there: find the sources in the flow logs, and whether any was accepted.` },
    );
  }
  return rules;
}

/** Flow logs in the default format: one record per flow, `action` the 13th field. */
const FLOW_LOG_FIELDS = ["version", "account", "eni", "source", "destination", "srcport", "destport", "protocol", "packets", "bytes", "windowstart", "windowend", "action", "flowlogstatus"];
const flowLogPattern = (field: string, condition: string): string => `[${FLOW_LOG_FIELDS.map((f) => (f === field ? condition : f)).join(", ")}]`;
export const FLOW_LOG_REJECTS = flowLogPattern("action", 'action="REJECT"');
export const FLOW_LOG_SSH_RDP = flowLogPattern("destport", "destport=22 || destport=3389");

/** The dashboard: the alarms' metrics, one widget per concern. */
function widgets(p: Platform): DashboardWidget[] {
  const five = { period: 300 };
  const all: DashboardWidget[] = [];
  const aurora = p.aurora;
  if (aurora !== undefined) {
    all.push(
      { title: "Aurora CPU (%)", metrics: [aurora.metricCpuUtilization(five)] },
      { title: "Aurora connections", metrics: [aurora.metricDatabaseConnections(five)] },
      { title: "Aurora freeable memory (bytes)", metrics: [aurora.metricFreeableMemory(five)] },
      { title: "Aurora capacity used (%)", metrics: [aurora.metricAcuUtilization(five)] },
      { title: "Aurora read/write latency (s)", metrics: [aurora.metricReadLatency(five), aurora.metricWriteLatency(five)] },
    );
  }
  const alb = p.loadBalancer;
  if (alb !== undefined) {
    all.push(
      { title: "Load balancer 5xx", metrics: [alb.metricHttpCodeElb5xxCount(five), alb.metricHttpCodeTarget5xxCount(five)] },
      { title: "Load balancer p99 response time (s)", metrics: [alb.metricTargetResponseTime(five)] },
    );
  }
  if (p.services.size > 0) {
    const services = [...p.services.values()];
    all.push(
      { title: "Services CPU (%)", metrics: services.map((s) => s.metricCpuUtilization(five)) },
      { title: "Services memory (%)", metrics: services.map((s) => s.metricMemoryUtilization(five)) },
      { title: "Services running tasks", metrics: services.map((s) => s.metricRunningTaskCount(five)) },
    );
  }
  if (p.webAcl !== undefined) all.push({ title: "WAF blocked requests", metrics: [p.webAcl.metricBlockedRequests(five)] });
  const vpc = p.vpc;
  if (vpc !== undefined && vpc.natGatewayAzs.length > 0) {
    all.push({ title: "NAT port-allocation errors", metrics: vpc.natGatewayAzs.map((az) => vpc.metricNatErrorPortAllocation(az, five)) });
  }
  return all;
}

/**
 * `alarms`: the environment's topic (under the secrets key, which lets
 * CloudWatch and EventBridge publish), seed 003's alarm groups for what the
 * other sections built, and a dashboard of the same metrics. Runs last.
 */
export const alarmsStep = step({
  section: "alarms",
  build(p, config) {
    const { thresholds, ...topicProps } = config;
    p.alarmTopic = new AlarmTopic(p.stack, "alarms", { ...topicProps, kmsKeyArn: p.security.secretsKey.keyArn });
    const topicArn = p.alarmTopic.topicArn;
    const scope = new Construct(p.stack, "alarm");
    for (const rule of environmentRules(p, { ...config, thresholds })) p.entry("thresholds", () => new Alarm(scope, rule.name, { ...rule, topicArn }));
    const dashboard = widgets(p);
    if (dashboard.length > 0) new Dashboard(p.stack, "dashboard", dashboard);
  },
  outputs(p) {
    if (p.alarmTopic === undefined) return;
    p.stack.output("alarm-topic-arn", p.alarmTopic.topicArn, "The environment's alarm topic (subscribe chat or paging here)");
  },
});
