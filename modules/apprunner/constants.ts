/** App Runner's instance sizes: vCPU units and the memory (MB) each allows. Provider-free. */
export const APPRUNNER_SIZES: Readonly<Record<string, readonly string[]>> = {
  "256": ["512", "1024"],
  "512": ["1024"],
  "1024": ["2048", "3072", "4096"],
  "2048": ["4096", "6144"],
  "4096": ["8192", "10240", "12288"],
};

/** How App Runner checks an instance. */
export interface AppRunnerHealthCheck {
  /** @default "HTTP" */
  readonly protocol?: "HTTP" | "TCP";
  /** HTTP only. @default "/health" */
  readonly path?: string;
  /** @default 10 - seconds, 1-20 */
  readonly intervalSeconds?: number;
  /** @default 5 - seconds, 1-20 */
  readonly timeoutSeconds?: number;
  /** @default 1 */
  readonly healthyThreshold?: number;
  /** @default 5 */
  readonly unhealthyThreshold?: number;
}

/** App Runner's auto scaling: instances by concurrent requests. */
export interface AppRunnerScaling {
  /** Instances kept provisioned, 1-25. @default 1 */
  readonly minSize?: number;
  /** Most instances, up to 25. @default 3 */
  readonly maxSize?: number;
  /** Concurrent requests per instance before scaling out, 1-200. @default 100 */
  readonly maxConcurrency?: number;
}
