import { EnvironmentConfig } from "../environments/lib/types";

/**
 * Seed 002, MentalSpace EHR, as its write-up describes it: public,
 * private-with-NAT and isolated database subnets over two AZs, one NAT
 * gateway; Aurora Serverless v2 PostgreSQL (0.5-8 ACU, a writer and a reader,
 * 30-day backups); the files and videos buckets; CloudFront through origin
 * access control in front of the videos; the Cognito user pool (email
 * sign-in, MFA required by SMS or TOTP, 12-character passwords, admin-only
 * sign-up, three custom attributes), its client (1 h / 1 h / 30 d) and the
 * identity pool; the REST API (stage prod, 2000 rps / 5000 burst, CORS for
 * the two app origins, INFO logging, a Cognito authorizer, GET /health open);
 * logs kept a year.
 *
 * Deviations from the seed, and why:
 * ⚠ The seed gives no CIDRs; these are Keel's, in CDK's default 10.0.0.0/16.
 * ⚑ Deletion protection is "DISABLED (enable after testing)" in the seed:
 *   this holds health records, so the example uses the production profile
 *   (Aurora and the user pool are deletion-protected).
 * ⚑ Aurora PostgreSQL 15.3 is an old minor that AWS has been retiring; its
 *   orderability cannot be checked offline, so the example uses 15.12, the
 *   15.x minor seed 004 runs today. Change `engineVersion` to the newest 15.x
 *   that `aws rds describe-orderable-db-instance-options` lists.
 * ⚑ Both buckets are SSE-S3 in the seed; Keel encrypts them with the
 *   environment's KMS key (HIPAA-minded default). CloudFront may decrypt the
 *   videos for this one distribution only (key policy, aws:SourceArn).
 * ⚑ The videos bucket is unversioned as the seed says ("large files"), which
 *   Keel's s3-versioning rule refuses in production: a dated suppression
 *   below records the decision.
 * ⚑ "Delete after 365 days" is the seed's number; it is not HIPAA's
 *   six-year documentation rule (45 CFR 164.316), and Keel does not call it so.
 * ⚑ The identity pool's role reads and writes every bucket in the seed;
 *   here a signed-in user may use only their own prefix (`<identity id>/`,
 *   the cognito-identity.amazonaws.com:sub policy variable) of the files
 *   and videos buckets. The seed's step 9 uploads to
 *   `sessions/${sessionId}/recording.mp4`: its key becomes
 *   `${identityId}/sessions/${sessionId}/recording.mp4` (identityId from the
 *   credentials provider), and its CloudFront URL gains the same prefix.
 * ⚑ The seed's database secret is `mentalspace-ehr-db-credentials`. Keel
 *   uses Aurora's managed master secret, whose name AWS sets
 *   (`rds!cluster-<id>`) and which RDS rotates: step 4's command takes
 *   `--secret-id "$(terraform output -raw aurora-master-user-secret-arn)"`
 *   instead of the name, and connects through the bastion (below).
 * ⚑ "Requires VPN or bastion host": the Session Manager bastion, in a
 *   private subnet (the isolated data tier cannot reach Session Manager),
 *   allowed PostgreSQL into Aurora; no public subnet, no SSH.
 * ⚑ Step 8's topic and alarms: the environment's alarm topic
 *   (named mentalspace-ehr-alerts, as the seed's), Aurora's
 *   alarms and the REST API's 5xx and latency alarms. The seed subscribes a
 *   placeholder address; the example subscribes its admin address.
 * ⚑ Names are the seed's prefix, mentalspace-ehr-<name>. The seed's CDK
 *   stack named its buckets, roles and database secret itself (with
 *   CloudFormation's random suffixes): to adopt those, set each under
 *   naming.names (`keel names mentalspace` lists the keys). Its secret
 *   mentalspace-ehr-db-credentials is replaced by Aurora's managed master
 *   secret, which RDS names.
 * ⚑ SMS MFA needs an SNS role, which the auth module creates; the account's
 *   SMS sandbox and origination number are set up outside Terraform.
 * ⚑ INFO execution logging needs the account's API Gateway CloudWatch role:
 *   `apiGatewayLogging` on the account (examples/project.ts).
 * ⚑ The Lambda backend is "drawn but not deployed": `ANY /{proxy+}` is
 *   authorized and answers 503 until `backendUrl` (or, after the functions
 *   module, a function) is connected.
 * ⚠ The CloudFront cache policy is "Optimized for videos": the managed
 *   CachingOptimizedForUncompressedObjects (video is already compressed).
 *   The seed names no domain for it, so it keeps its *.cloudfront.net name.
 * ⚠ The files bucket gets CORS for the two app origins, which browser
 *   uploads with identity-pool credentials need; the seed does not say.
 */
const mentalspace: EnvironmentConfig = {
  name: "mentalspace",
  accountId: "706704660887",
  region: "us-east-1",
  tags: { owner: "mentalspace", costCenter: "mentalspace-ehr", dataClassification: "restricted" },
  protection: "production",
  // Seed 002's names: mentalspace-ehr-<name>, its alert topic mentalspace-ehr-alerts (see the naming note).
  naming: { pattern: "{environment}-ehr-{name}", globalPattern: "{environment}-ehr-{name}-{account}-{region}", names: { "default:alarms": "mentalspace-ehr-alerts" } },
  network: {
    cidr: "10.0.0.0/16",
    azs: ["us-east-1a", "us-east-1b"],
    publicSubnets: ["10.0.1.0/24", "10.0.2.0/24"],
    privateSubnets: ["10.0.11.0/24", "10.0.12.0/24"],
    databaseSubnets: ["10.0.21.0/24", "10.0.22.0/24"],
    enableNatGateway: true,
    singleNatGateway: true, // "NAT Gateway: 1 (cost-optimized)"; the data tier stays isolated
  },
  aurora: {
    engineVersion: "15.12",
    minCapacity: 0.5,
    maxCapacity: 8,
    readers: 1,
    backupRetentionPeriod: 30,
    databaseName: "mentalspaceehr",
    masterUsername: "postgres",
    logRetentionInDays: 365,
  },
  bastion: { subnetTier: "private" },
  buckets: {
    // "Documents, images, PDFs": versioned, old versions deleted after 30 days; the seed's Intelligent-Tiering tip.
    files: {
      lifecycleRules: [{ id: "expire-old-versions", noncurrentVersionExpirationDays: 30 }],
      intelligentTiering: {},
      cors: [{ allowedOrigins: ["https://app.mentalspaceehr.com", "https://mentalspaceehr.com"], allowedMethods: ["GET", "PUT", "HEAD"], allowedHeaders: ["*"] }],
    },
    // "Telehealth session recordings": unversioned, Glacier at 90 days, deleted at 365.
    videos: {
      versioned: false,
      // Step 9: browsers upload recordings with identity-pool credentials.
      cors: [{ allowedOrigins: ["https://app.mentalspaceehr.com", "https://mentalspaceehr.com"], allowedMethods: ["PUT", "HEAD"], allowedHeaders: ["*"] }],
      lifecycleRules: [{ id: "archive-then-expire", transitions: [{ days: 90, storageClass: "GLACIER" }], expirationDays: 365 }],
    },
  },
  auth: {
    mfa: "ON",
    mfaMethods: ["SMS", "TOTP"],
    passwordPolicy: { minimumLength: 12, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true },
    selfSignUp: false,
    customAttributes: { role: { type: "String" }, organizationId: { type: "String" }, practiceId: { type: "String" } },
    clients: { web: { authFlows: ["USER_PASSWORD_AUTH", "USER_SRP_AUTH"], accessTokenValidityMinutes: 60, idTokenValidityMinutes: 60, refreshTokenValidityDays: 30 } },
    identityPool: { buckets: { files: "read-write", videos: "read-write" } },
  },
  cdn: {
    videos: { bucket: "videos", priceClass: "PriceClass_100", cachePolicy: "CachingOptimizedForUncompressedObjects" },
  },
  api: {
    rest: {
      stageName: "prod",
      throttle: { rateLimit: 2000, burstLimit: 5000 },
      cors: { allowOrigins: ["https://app.mentalspaceehr.com", "https://mentalspaceehr.com"] },
      authorizer: "cognito",
      healthCheckPath: "/health",
      logRetentionInDays: 365,
    },
  },
  alarms: { emails: ["admin@mentalspaceehr.com"] },
  // Health records: Keel's daily continuous backup of Aurora and the buckets, 35 days, in a locked vault.
  backup: {},
  suppressions: [
    {
      resource: "aws_s3_bucket.buckets_videos",
      rule: "s3-versioning",
      reason: "Seed 002 keeps session recordings unversioned (large files, written once); they expire after 365 days",
      expires: "2027-05-31",
    },
  ],
};

export default mentalspace;
