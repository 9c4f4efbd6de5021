/**
 * Alarm thresholds an environment may change, with Keel's defaults. Those
 * marked with a seed come from its team's own alarms (SEEDS.md, "threshold
 * crib"); the rest are Keel's choices. Provider-free: config reads it.
 */
export interface AlarmThresholds {
  /** Aurora CPU, percent, averaged over 10 minutes. @default 80 (seed 004; 001 uses 70) */
  readonly auroraCpuPercent?: number;
  /** Aurora connections, the 10-minute maximum. @default 80 (seeds 001 and 004) */
  readonly auroraConnections?: number;
  /** Serverless v2 capacity used, percent of the maximum ACU, over 10 minutes. @default 90 */
  readonly auroraAcuPercent?: number;
  /**
   * Aurora freeable memory below this many MiB for 10 minutes.
   * @default - 10% of the maximum capacity's memory (2 GiB per ACU): 205 MiB at 1 ACU. Seed 001's
   * 500 MB is for a fixed instance, and would fire all the time at 1 ACU.
   */
  readonly auroraFreeableMemoryMiB?: number;
  /** Aurora write latency, p99, in milliseconds, over 10 minutes. @default 50 (seed 004) */
  readonly auroraWriteLatencyMs?: number;
  /** 5xx responses the load balancer generated, per 5 minutes. @default 10 */
  readonly alb5xxPer5Minutes?: number;
  /** Target response time, p99, in milliseconds, over 10 minutes. @default 3000 (seed 004's API latency warning) */
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
}

export const DEFAULT_THRESHOLDS: Required<Omit<AlarmThresholds, "auroraFreeableMemoryMiB">> = {
  auroraCpuPercent: 80,
  auroraConnections: 80,
  auroraAcuPercent: 90,
  auroraWriteLatencyMs: 50,
  alb5xxPer5Minutes: 10,
  albResponseTimeMs: 3000,
  albUnhealthyHosts: 1,
  wafBlockedPer5Minutes: 100,
  natPortAllocationErrorsPer5Minutes: 1,
  flowLogRejectsPer5Minutes: 1000,
  flowLogSshRdpPer5Minutes: 10,
};

/** The threshold names, for config's shape check. */
export const THRESHOLD_NAMES = [...Object.keys(DEFAULT_THRESHOLDS), "auroraFreeableMemoryMiB"] as const;
