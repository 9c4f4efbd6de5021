/**
 * The functions module's catalogues. Provider-free: config validation and
 * keel check read them.
 */

/**
 * Lambda runtimes AWS has deprecated (no more security patches), with the
 * date each was deprecated. AWS blocks creating functions on them soon
 * after. Source: "Lambda runtimes", AWS Lambda Developer Guide, reviewed
 * 2026-11-22.
 */
export const DEPRECATED_LAMBDA_RUNTIMES: Readonly<Record<string, string>> = {
  "nodejs16.x": "2024-06-12",
  "nodejs18.x": "2025-09-01",
  "nodejs20.x": "2026-04-30",
  "python3.8": "2024-10-14",
  "python3.9": "2025-12-15",
  "python3.10": "2026-06-30",
  "java8": "2024-01-08",
  "go1.x": "2024-01-08",
  "provided": "2024-01-08",
  "ruby2.7": "2023-12-07",
  "ruby3.2": "2026-03-31",
  "dotnet6": "2024-12-20",
  "dotnet7": "2024-05-14",
};

/** Runtimes Lambda still patches, reviewed 2026-11-22 (the provider accepts each). */
export const LAMBDA_RUNTIMES = [
  "nodejs22.x",
  "python3.11",
  "python3.12",
  "python3.13",
  "java11",
  "java17",
  "java21",
  "java8.al2",
  "dotnet8",
  "ruby3.3",
  "ruby3.4",
  "provided.al2",
  "provided.al2023",
] as const;

export const LAMBDA_ARCHITECTURES = ["x86_64", "arm64"] as const;
export type LambdaArchitecture = (typeof LAMBDA_ARCHITECTURES)[number];

/**
 * Environment variables Lambda sets itself and refuses to have set
 * ("Defined runtime environment variables", Lambda Developer Guide).
 */
export const RESERVED_ENVIRONMENT_KEYS = [
  "_HANDLER",
  "_X_AMZN_TRACE_ID",
  "AWS_DEFAULT_REGION",
  "AWS_REGION",
  "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_LAMBDA_RUNTIME_API",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
] as const;

/**
 * An account's Lambda concurrency: the quota (1000 by default in every
 * region), of which AWS always keeps 100 unreserved for functions without
 * a reservation.
 */
export const DEFAULT_ACCOUNT_CONCURRENCY = 1000;
export const UNRESERVED_CONCURRENCY_MINIMUM = 100;

/** The most an account's reservations may add up to. */
export function reservableConcurrency(accountLimit: number = DEFAULT_ACCOUNT_CONCURRENCY): number {
  return accountLimit - UNRESERVED_CONCURRENCY_MINIMUM;
}
