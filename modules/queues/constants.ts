/** The dead-letter queue of a queue. Provider-free: config validation reads it. */
export interface DeadLetterProps {
  /**
   * Receives after which a message moves to the dead-letter queue, 1-1000.
   * @default 3
   */
  readonly maxReceiveCount?: number;
  /**
   * Seconds the dead-letter queue keeps a message, 60-1209600; more than the
   * queue's own retention, since a message keeps its first enqueue time.
   * @default 1209600 - 14 days, the most SQS allows
   */
  readonly messageRetentionSeconds?: number;
}

/** AWS's guidance for a queue that drives a Lambda function: visibility timeout at least 6 x the function's timeout. */
export const VISIBILITY_GUIDANCE_FACTOR = 6;

/** What SQS accepts for each numeric setting: [min, max, Keel's default]. */
export const QUEUE_LIMITS = {
  visibilityTimeoutSeconds: [0, 43200, 30],
  messageRetentionSeconds: [60, 1209600, 345600],
  receiveWaitTimeSeconds: [0, 20, 20],
  maxMessageSizeBytes: [1024, 262144, 262144],
} as const satisfies Record<string, readonly [number, number, number]>;
