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

/** HTTP methods a CORS rule may allow (S3's list). */
export const CORS_METHODS = ["GET", "PUT", "POST", "DELETE", "HEAD"] as const;
export type CorsMethod = (typeof CORS_METHODS)[number];

/** One CORS rule: which browser origins may call the bucket, and how. */
export interface CorsRule {
  /** `https://` origins (or `*`); `http://` only for `localhost`. */
  readonly allowedOrigins: readonly string[];
  readonly allowedMethods: readonly CorsMethod[];
  /** Request headers the browser may send. @default [] */
  readonly allowedHeaders?: readonly string[];
  /** Response headers scripts may read. @default ["ETag"] */
  readonly exposeHeaders?: readonly string[];
  /** Seconds a browser caches the preflight answer, 0-86400. @default 3000 */
  readonly maxAgeSeconds?: number;
}

/**
 * Moves objects to S3 Intelligent-Tiering on upload (a lifecycle transition
 * at day 0) and, optionally, on to its archive tiers after so many days
 * without access.
 */
export interface IntelligentTiering {
  /** Days without access before Archive Access, 90-730. @default - not archived */
  readonly archiveAccessDays?: number;
  /** Days without access before Deep Archive Access, 180-730. @default - not deep-archived */
  readonly deepArchiveAccessDays?: number;
}

/** The documents of a static site the bucket holds, served by a CloudFront distribution (module `cdn`). */
export interface StaticSite {
  /** The object served for `/` (and by the distribution as its default root object), e.g. `index.html`. */
  readonly indexDocument: string;
  /** The object served for a missing key (404), e.g. `404.html`. @default - CloudFront's own error */
  readonly errorDocument?: string;
}

/**
 * A decision to let anyone on the internet read every object (`s3:GetObject`
 * for Principal `*`). ACLs stay disabled; only the policy opens the bucket.
 */
export interface PublicRead {
  /** Why the objects are public (at least 20 characters); `keel check` prints it. */
  readonly reason: string;
  /** `YYYY-MM-DD`, the day to review the decision; required in a production environment. @default - none */
  readonly expires?: string;
}
