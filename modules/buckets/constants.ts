/** Storage classes a lifecycle transition may move objects to. Provider-free: config validation reads it. */
export const STORAGE_CLASSES = ["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"] as const;
export type StorageClass = (typeof STORAGE_CLASSES)[number];

/** One lifecycle rule: what happens to objects under `prefix`, and when. */
export interface LifecycleRule {
  /** Unique in the bucket, letters, digits and dashes. */
  readonly id: string;
  /**
   * Objects under this key prefix.
   * @default "" - every object
   */
  readonly prefix?: string;
  /** Moves to cheaper storage after so many days. @default [] */
  readonly transitions?: ReadonlyArray<{ readonly days: number; readonly storageClass: StorageClass }>;
  /** Current versions expire after so many days (on a versioned bucket they become noncurrent). @default - never */
  readonly expirationDays?: number;
  /** Noncurrent versions are deleted after so many days. @default - never */
  readonly noncurrentVersionExpirationDays?: number;
}

/** Object access a grant may give: `read`, or `read-write` (get, put, delete). */
export const BUCKET_ACCESS = ["read", "read-write"] as const;
export type BucketAccess = (typeof BUCKET_ACCESS)[number];
