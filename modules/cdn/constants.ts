/** CloudFront price classes: which edge locations serve the distribution. Provider-free: config validation reads it. */
export const PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;
export type PriceClass = (typeof PRICE_CLASSES)[number];

/**
 * AWS managed cache policies by name, with the ids AWS publishes for them
 * (CloudFront Developer Guide, "Use managed cache policies"). Keel names
 * them instead of looking them up: no data source calls AWS at plan time.
 */
export const MANAGED_CACHE_POLICIES = {
  CachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6",
  CachingOptimizedForUncompressedObjects: "b2884449-e4de-46a7-ac36-70bc7f1ddd6d",
  CachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
  "Elemental-MediaPackage": "08627262-05a9-4f76-9ded-b50ca2e3a84f",
  Amplify: "2e54312d-136d-493c-8eb9-b001f22f67d2",
} as const;
export type ManagedCachePolicy = keyof typeof MANAGED_CACHE_POLICIES;
export const MANAGED_CACHE_POLICY_NAMES = Object.keys(MANAGED_CACHE_POLICIES) as ManagedCachePolicy[];

/** AWS managed response headers policy `SecurityHeadersPolicy`: HSTS, nosniff, frame and referrer policies. */
export const SECURITY_HEADERS_POLICY_ID = "67f7725c-6f97-4210-82d7-5512b31e9d03";

/** The Route 53 zone id of every CloudFront distribution, for alias records. */
export const CLOUDFRONT_ZONE_ID = "Z2FDTNDATAQYW2";
