/**
 * Alarm thresholds an environment may change, with Keel's defaults. Those
 * marked with a seed come from its team's own alarms (SEEDS.md, "threshold
 * crib"); the rest are Keel's choices. Provider-free: config reads it.
 */
export interface AlarmThresholds {
  /** Aurora CPU, percent, averaged over 10 minutes. @default 80 (OutreachPass; StartupWebApp uses 70) */
  readonly auroraCpuPercent?: number;
  /** Aurora connections, the 10-minute maximum. @default 80 (StartupWebApp and OutreachPass) */
  readonly auroraConnections?: number;
  /** Serverless v2 capacity used, percent of the maximum ACU, over 10 minutes. @default 90 */
  readonly auroraAcuPercent?: number;
  /**
   * Aurora freeable memory below this many MiB for 10 minutes.
   * @default - 10% of the maximum capacity's memory (2 GiB per ACU): 205 MiB at 1 ACU. StartupWebApp's
   * 500 MB is for a fixed instance, and would fire all the time at 1 ACU.
   */
  readonly auroraFreeableMemoryMiB?: number;
  /** Aurora read or write latency (the worse), p99, in milliseconds, over 10 minutes. @default 50 (OutreachPass) */
  readonly auroraLatencyMs?: number;
  /** 5xx responses the load balancer generated, per 5 minutes. @default 10 */
  readonly alb5xxPer5Minutes?: number;
  /** Target response time, p99, in milliseconds, over 10 minutes. @default 3000 (OutreachPass's API latency warning) */
  readonly albResponseTimeMs?: number;
  /** Unhealthy targets in any target group, for 5 minutes. @default 1 */
  readonly albUnhealthyHosts?: number;
  /** Requests the web ACL blocked, per 5 minutes. @default 100 */
  readonly wafBlockedPer5Minutes?: number;
  /** NAT port-allocation errors, per 5 minutes, per gateway. @default 1 */
  readonly natPortAllocationErrorsPer5Minutes?: number;
  /** Rejected flows in the flow logs, per 5 minutes. @default 1000 */
  readonly flowLogRejectsPer5Minutes?: number;
  /** Flows to port 22 or 3389 in the flow logs, per 5 minutes. @default 10 */
  readonly flowLogSshRdpPer5Minutes?: number;
  /** RDS instance CPU, percent, over 10 minutes. @default 80 (StartupWebApp uses 70) */
  readonly rdsCpuPercent?: number;
  /** RDS instance connections, the 10-minute maximum. @default 80 (StartupWebApp) */
  readonly rdsConnections?: number;
  /** RDS free storage below this many GiB for 10 minutes. @default 2 (StartupWebApp) */
  readonly rdsFreeStorageGiB?: number;
  /** RDS freeable memory below this many MiB for 10 minutes. @default 500 (StartupWebApp) */
  readonly rdsFreeableMemoryMiB?: number;
  /** Lambda errors as a percentage of invocations, over 5 minutes. @default 5 (OutreachPass, critical) */
  readonly functionErrorRatePercent?: number;
  /**
   * Lambda p99 duration, milliseconds, over 10 minutes, for functions whose
   * timeout is at most 60 s (request paths); longer-running functions alarm
   * at 80% of their timeout instead.
   * @default 5000 (OutreachPass, warning)
   */
  readonly functionDurationMs?: number;
  /** Age of a queue's oldest message, seconds, over 10 minutes. @default 900 */
  readonly queueOldestMessageSeconds?: number;
  /** HTTP API 5xx responses as a percentage of requests, over 5 minutes. @default 5 (OutreachPass, critical) */
  readonly api5xxRatePercent?: number;
  /** HTTP API p99 latency, milliseconds, over 10 minutes. @default 3000 (OutreachPass, warning) */
  readonly apiLatencyMs?: number;
  /** SES bounce rate, percent (AWS reviews an account above 5%). @default 5 (OutreachPass) */
  readonly emailBounceRatePercent?: number;
  /** SES complaint rate, percent (AWS reviews an account above 0.1%). @default 0.1 (OutreachPass) */
  readonly emailComplaintRatePercent?: number;
  /** App Runner 5xx responses, per 5 minutes. @default 10 */
  readonly apprunner5xxPer5Minutes?: number;
}

export const DEFAULT_THRESHOLDS: Required<Omit<AlarmThresholds, "auroraFreeableMemoryMiB">> = {
  auroraCpuPercent: 80,
  auroraConnections: 80,
  auroraAcuPercent: 90,
  auroraLatencyMs: 50,
  alb5xxPer5Minutes: 10,
  albResponseTimeMs: 3000,
  albUnhealthyHosts: 1,
  wafBlockedPer5Minutes: 100,
  natPortAllocationErrorsPer5Minutes: 1,
  flowLogRejectsPer5Minutes: 1000,
  flowLogSshRdpPer5Minutes: 10,
  rdsCpuPercent: 80,
  rdsConnections: 80,
  rdsFreeStorageGiB: 2,
  rdsFreeableMemoryMiB: 500,
  functionErrorRatePercent: 5,
  functionDurationMs: 5000,
  queueOldestMessageSeconds: 900,
  api5xxRatePercent: 5,
  apiLatencyMs: 3000,
  emailBounceRatePercent: 5,
  emailComplaintRatePercent: 0.1,
  apprunner5xxPer5Minutes: 10,
};

/** The alarm groups: each exists when its section is on, unless `alarms.groups` lists others only. */
export const ALARM_GROUPS = ["aurora", "rds", "alb", "ecs", "waf", "nat", "flow-logs", "functions", "queues", "api", "email", "apprunner"] as const;
export type AlarmGroup = (typeof ALARM_GROUPS)[number];

/** The threshold names, for config's shape check. */
export const THRESHOLD_NAMES = [...Object.keys(DEFAULT_THRESHOLDS), "auroraFreeableMemoryMiB"] as const;
