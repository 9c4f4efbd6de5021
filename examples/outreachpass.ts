import { EnvironmentConfig } from "../environments/lib/types";

/**
 * Seed 004, OutreachPass: everything runs in the account's default VPC,
 * 172.31.0.0/16 over three AZs, whose subnets are all public. Keel creates
 * nothing in that VPC but a DB subnet group over its subnets, for Aurora
 * Serverless v2 PostgreSQL 15.12 (0.5-16 ACU, two instances, 7-day backups,
 * Performance Insights 7 days, PostgreSQL logs 7 days), never publicly
 * accessible. Its edge: the HTTP API `outreachpass-dev-api` (regional, JSON
 * access logs kept 30 days, CORS for the frontend, throttling at the
 * account's 10,000 rps) on the custom domain outreachpass.base2ml.com; the
 * four A-ALIAS records in the existing zone base2ml.com (Z09099671VTWA1L2CL021);
 * two ACM certificates (the API's, and CloudFront's in us-east-1); the
 * Cognito pool (email sign-in, MFA optional, 8-character passwords with all
 * four classes, custom tenant_id and role) and its web client (60 min /
 * 60 min / 30 d); the assets, uploads and frontend buckets; and the
 * frontend's CloudFront distribution at app.outreachpass.base2ml.com.
 * Lambda, SQS and SES join with the next issue's modules.
 *
 * ⚠ The seed gives the VPC as "vpc-default" and no subnet ids: the ids below
 *   are placeholders to replace with the account's own.
 * ⚑ The seed puts Lambda in "private subnets", which a default VPC does not
 *   have; the functions module will place it in the default subnets.
 * ⚑ govsafe.base2ml.com and campuscard.base2ml.com alias "to API Gateway",
 *   but an alias alone reaches nothing: API Gateway answers only names it
 *   has a custom domain (and certificate) for. Each of the three names is a
 *   custom domain of the API, mapped to $default, on one certificate.
 * ⚑ The assets bucket is public-read by design (GetObject for everyone, ACLs
 *   blocked). That is a written, dated decision here and in the account's
 *   settings (examples/project.ts), and it must stay SSE-S3: anonymous
 *   readers cannot use a KMS key.
 * ⚑ Uploads and frontend are SSE-S3 in the seed; Keel uses the environment's
 *   KMS key (CloudFront may decrypt the frontend for its distribution only).
 * ⚑ Uploads are unversioned ("Versioning: Disabled"; the DR section's "on all
 *   buckets" contradicts it): kept as the section says, with a dated
 *   suppression of s3-versioning. Objects expire after 7 days anyway.
 * ⚑ "Static Website Hosting: Enabled" would need the public, HTTP-only S3
 *   website endpoint. The frontend stays private behind CloudFront's origin
 *   access control, which serves index.html at / and 404.html for missing keys.
 * ⚑ The seed sets no price class or TLS policy for CloudFront: PriceClass_100
 *   and TLS 1.2 (TLSv1.2_2021), Keel's defaults. The distribution's comment
 *   is Keel's name (example-outreachpass-frontend), not `outreachpass-frontend-dev`.
 * ⚑ The API has no authorizer, as the seed says ("JWT validation in
 *   Lambda"), though HTTP APIs have one for Cognito (`authorizer: "cognito"`);
 *   keel check warns. `ANY /{proxy+}` arrives with the backend function.
 * ⚠ Self sign-up is not stated: Keel's default, admin-only, applies.
 */
const outreachpass: EnvironmentConfig = {
  name: "outreachpass",
  accountId: "741783034843",
  region: "us-east-1",
  tags: { owner: "outreachpass", costCenter: "outreachpass", dataClassification: "confidential" },
  protection: "production",
  network: {
    vpcId: "vpc-0d0e0f0a0b0c0d0e0",
    cidr: "172.31.0.0/16",
    azs: ["us-east-1a", "us-east-1b", "us-east-1c"],
    publicSubnetIds: ["subnet-0a0000000000000a1", "subnet-0b0000000000000b1", "subnet-0c0000000000000c1"],
    databaseSubnetIds: ["subnet-0a0000000000000a1", "subnet-0b0000000000000b1", "subnet-0c0000000000000c1"],
  },
  aurora: {
    engineVersion: "15.12",
    minCapacity: 0.5,
    maxCapacity: 16,
    readers: 1,
    backupRetentionPeriod: 7,
    performanceInsightsRetentionPeriod: 7,
    databaseName: "outreachpass",
    masterUsername: "outreachpass_admin",
    logRetentionInDays: 7,
  },
  dns: { zoneId: "Z09099671VTWA1L2CL021", zoneName: "base2ml.com" },
  buckets: {
    // QR codes, avatars, logos: public-read, versioned, old versions deleted after 30 days, CORS for the frontend.
    assets: {
      encryption: "s3-managed",
      lifecycleRules: [{ id: "expire-old-versions", noncurrentVersionExpirationDays: 30 }],
      cors: [{ allowedOrigins: ["https://app.outreachpass.base2ml.com"], allowedMethods: ["GET", "HEAD"] }],
      publicRead: {
        reason: "Wallet passes and e-mails embed QR codes, avatars and logos by plain URL; readers cannot sign requests",
        expires: "2027-05-31",
      },
    },
    // CSV imports: unversioned, deleted after 7 days.
    uploads: {
      versioned: false,
      lifecycleRules: [{ id: "expire-uploads", expirationDays: 7 }],
    },
    // The Next.js build, served by CloudFront.
    frontend: {
      lifecycleRules: [{ id: "expire-old-versions", noncurrentVersionExpirationDays: 30 }],
      website: { indexDocument: "index.html", errorDocument: "404.html" },
    },
  },
  auth: {
    mfa: "OPTIONAL",
    mfaMethods: ["TOTP"],
    passwordPolicy: { minimumLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true },
    customAttributes: { tenant_id: { type: "String" }, role: { type: "String" } },
    clients: {
      "web-client": { authFlows: ["USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"], accessTokenValidityMinutes: 60, idTokenValidityMinutes: 60, refreshTokenValidityDays: 30 },
    },
  },
  cdn: {
    frontend: { bucket: "frontend", domainNames: ["app.outreachpass.base2ml.com"], priceClass: "PriceClass_100" },
  },
  api: {
    http: {
      domainNames: ["outreachpass.base2ml.com", "govsafe.base2ml.com", "campuscard.base2ml.com"],
      cors: { allowOrigins: ["https://app.outreachpass.base2ml.com"] },
      throttle: { rateLimit: 10000, burstLimit: 5000 },
      logRetentionInDays: 30,
    },
  },
  suppressions: [
    {
      resource: "aws_s3_bucket.buckets_uploads",
      rule: "s3-versioning",
      reason: "Seed 004 keeps CSV uploads unversioned; every object is deleted after 7 days",
      expires: "2027-05-31",
    },
  ],
};

export default outreachpass;
