/**
 * The task sizes Fargate accepts (Linux): CPU units and, per CPU, the memory
 * in MiB. Provider-free: config validation reads it. Source: the Amazon ECS
 * Developer Guide, "Task CPU and memory", reviewed 2026-11-22.
 */
export const FARGATE_SIZES: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: [2048, 3072, 4096, 5120, 6144, 7168, 8192],
  2048: Array.from({ length: 13 }, (_, i) => 4096 + i * 1024),
  4096: Array.from({ length: 23 }, (_, i) => 8192 + i * 1024),
  8192: Array.from({ length: 12 }, (_, i) => 16384 + i * 4096),
  16384: Array.from({ length: 12 }, (_, i) => 32768 + i * 8192),
};

/** Who rolls out new task definitions. */
export const DEPLOYERS = ["terraform", "ci"] as const;
export type Deployer = (typeof DEPLOYERS)[number];

/** The CPU architectures Fargate runs. */
export const CPU_ARCHITECTURES = ["X86_64", "ARM64"] as const;
export type CpuArchitecture = (typeof CPU_ARCHITECTURES)[number];

/** A container health check: the command runs inside the container. */
export interface ContainerHealthCheck {
  /** e.g. `["CMD-SHELL", "wget -qO- http://localhost:8080/health || exit 1"]`: the image must hold the tool it calls. */
  readonly command: readonly string[];
  /** @default 30 */
  readonly intervalSeconds?: number;
  /** @default 5 */
  readonly timeoutSeconds?: number;
  /** @default 3 */
  readonly retries?: number;
  /** @default 60 */
  readonly startPeriodSeconds?: number;
}

/** Target tracking on the service's average CPU and memory. */
export interface ServiceAutoscaling {
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** @default 70 */
  readonly cpuTargetPercent?: number;
  /** @default 80 */
  readonly memoryTargetPercent?: number;
}

/** Reasons to relax a container default; each needs a sentence a reviewer can judge. */
export interface ContainerExceptions {
  /** Why the container must run as root. */
  readonly runAsRoot?: string;
  /** Why the root filesystem must be writable (`/tmp` is always a writable scratch volume). */
  readonly writableRootFilesystem?: string;
}
