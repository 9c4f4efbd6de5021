import { EnvironmentConfig, WorkloadEnvironment } from "../environments/lib/types";

/**
 * Seed 004, OutreachPass, whole: the seed's own planned VPC (10.0.0.0/16,
 * public 10.0.1-3.0/24, private 10.0.11-13.0/24, one NAT gateway); Aurora
 * Serverless v2 PostgreSQL 15.12 (0.5-16 ACU, two instances, 7-day backups
 * at 03:00-04:00, Performance Insights 7 days, PostgreSQL logs 7 days) in
 * the private subnets; the backend and worker functions (Python 3.11,
 * x86_64; 30 s and 512 MB, 512 MB of /tmp; 300 s and 1 GB) from the
 * artifacts bucket, logs kept 30 days; the pass-generation queue with its
 * dead-letter queue after 3 receives (4 days' retention, short polling,
 * 256 KiB) consumed by the worker one message at a time, at most 10 at
 * once; SES for outreachpass.base2ml.com with DKIM in the zone, the
 * noreply@ address and bounce and complaint notifications; the secrets;
 * the seed's critical and warning alarms to the alarm email. Its edge: the
 * HTTP API `ANY /{proxy+}` to the backend (regional, JSON access logs kept
 * 30 days, CORS for the frontend, throttled at the account's 10,000 rps)
 * on outreachpass.base2ml.com, govsafe and campuscard; the four A-ALIAS
 * records in the existing zone base2ml.com (Z09099671VTWA1L2CL021); the
 * seed's two existing ACM certificates, by ARN; Cognito (email sign-in, MFA optional, 8-character
 * passwords with all four classes, custom tenant_id and role; web client
 * 60 min / 60 min / 30 d); the assets, uploads, frontend and artifacts
 * buckets; CloudFront at app.outreachpass.base2ml.com.
 *
 * ⚑ Names are the seed's (naming): outreachpass-dev-<name>, the buckets
 *   outreachpass-dev-assets and -uploads (no account suffix, as the seed's),
 *   the cluster outreachpass-dev and its log group, the functions
 *   outreachpass-dev-backend and -worker, and /aws/apigateway/outreachpass-dev.
 *   The security groups keep Keel's unique prefixes, not outreachpass-lambda-sg
 *   and outreachpass-rds-sg (a group's description cannot change in place).
 *   The seed is Terraform already: README "Adopting an existing system" gives
 *   the order (adopt, apply, then `terraform state rm` in the old state).
 * ⚑ The seed runs today in the default VPC, whose subnets are all public,
 *   and puts Lambda in "private subnets" it does not have. A function's
 *   interfaces never get a public IP, so there it could reach neither SQS,
 *   SES, Secrets Manager nor Google Wallet: Keel refuses that placement.
 *   This uses the seed's own "future" custom VPC, with one NAT gateway (the
 *   seed gives no count).
 * ⚑ Reserved concurrency 1000 for the backend is the whole default account
 *   quota, of which AWS keeps 100 unreserved (and the worker reserves 100):
 *   Keel refuses it. The backend reserves 800.
 * ⚑ The queue's 360 s visibility timeout is 1.2 x the worker's 300 s; AWS's
 *   guidance for a Lambda consumer is 6 x, or a message still being handled
 *   is delivered again: 1800 s. The seed's three queue names become one,
 *   outreachpass-dev-pass-generation.
 * ⚑ `AWS_REGION` is reserved by Lambda and `DATABASE_URL` carried the
 *   password: neither is set. The functions get DATABASE_HOST/PORT and the
 *   ARN of Aurora's managed master secret (DATABASE_SECRET_ARN); the app
 *   builds the URL at cold start. The rest of the seed's contract is set
 *   under the seed's names (BACKEND_ENVIRONMENT below), from the other
 *   sections' outputs; Keel's own BUCKET_* / QUEUE_URL_* / SES_* come too.
 * ⚑ SECRET_KEY and GOOGLE_WALLET_ISSUER_ID are "<from_secrets_manager>" in
 *   the seed. Lambda has no secret injection, and a value in the function's
 *   configuration would sit in Terraform state: they arrive as SECRET_KEY_ARN
 *   and GOOGLE_WALLET_ISSUER_ID_ARN, and the app reads each value once per
 *   cold start (GetSecretValue, granted on exactly those secrets). The issuer
 *   id is the seed's fifth secret (its cost table counts 5, it lists 4).
 * ⚑ The hand-written role had logs:* on arn:aws:logs:*:*:* and SES on *:
 *   each function may write its own log group, send from its SES domain and
 *   use only the buckets, queue and secrets listed.
 * ⚑ The seed's Lambda group allows all traffic out "for API calls,
 *   database, S3". Keel allows HTTPS out (AWS APIs, Google Wallet, Apple)
 *   and PostgreSQL to Aurora through aurora.allowFrom; nothing else is
 *   named, so no other `egress` rule is added.
 * ⚑ Self sign-up is on (auth.selfSignUp), as the seed's planned pre-signup
 *   e-mail-domain check implies; that trigger is "Future" in the seed and not
 *   built here, so until the team attaches it anyone can sign up, and gets
 *   no custom:tenant_id: the backend must authorize by tenant.
 * ⚑ "Database passwords: 90-day rotation (automated)": RDS rotates Aurora's
 *   managed master secret every 7 days, more often than the seed asks, and
 *   Keel keeps that. A longer schedule needs a Secrets Manager rotation
 *   resource, and its destroy (CancelRotateSecret) is refused for a secret
 *   without a rotation Lambda, as AWS documents and the emulator
 *   reproduces: the environment could not be torn down.
 * ⚑ Weekly snapshots kept 30 days, beside the 7-day automated backups: the
 *   backups module of the operations issue (#25) builds them; see its note.
 * ⚑ SQS is SSE-SQS in the seed; Keel encrypts it with the environment's key.
 * ⚑ Aurora publishes no FreeStorageSpace, so the seed's "RDS storage < 5 GB"
 *   alarm is not built; Aurora's five alarms (CPU > 80%, connections > 80,
 *   capacity, memory, p99 write latency > 50 ms) stand for the DB alarms.
 * ⚑ govsafe.base2ml.com and campuscard.base2ml.com are custom domains of
 *   the API, on one certificate: an alias alone reaches nothing.
 * ⚑ The assets bucket is public-read by design (GetObject for everyone, ACLs
 *   blocked): a dated decision here and in examples/project.ts; SSE-S3.
 * ⚑ Uploads are unversioned ("Versioning: Disabled"), with a dated
 *   suppression of s3-versioning. Frontend and uploads use Keel's KMS key.
 * ⚑ The frontend is private behind CloudFront's origin access control,
 *   which serves index.html and 404.html; no public S3 website endpoint.
 * ⚑ The API has no authorizer ("JWT validation in Lambda"); keel check warns.
 * ⚠ The handler names are Keel's; CI uploads lambda/backend-latest.zip and
 *   updates the code (deployedBy: ci). The worker shares the package.
 */
/** The seed's environment contract (its "Environment Variables"), by the seed's names, for both functions (one package). */
const BACKEND_ENVIRONMENT: WorkloadEnvironment = {
  S3_BUCKET_ASSETS: { ref: "buckets.assets.name" },
  S3_BUCKET_UPLOADS: { ref: "buckets.uploads.name" },
  SQS_QUEUE_URL: { ref: "queues.pass-generation.url" },
  COGNITO_USER_POOL_ID: { ref: "auth.userPoolId" },
  COGNITO_CLIENT_ID: { ref: "auth.clients.web-client.id" },
  // The app writes the service-account key (GOOGLE_WALLET_KEY_ARN's value) here at cold start.
  GOOGLE_WALLET_SERVICE_ACCOUNT_FILE: "/tmp/google-wallet-key.json",
};

const outreachpass: EnvironmentConfig = {
  name: "outreachpass",
  accountId: "741783034843",
  region: "us-east-1",
  tags: { owner: "outreachpass", costCenter: "outreachpass", dataClassification: "confidential" },
  protection: "production",
  // Seed 004's names: outreachpass-dev-<name>, its buckets without an account suffix, its cluster and its API
  // (and so /aws/apigateway/outreachpass-dev) outreachpass-dev.
  naming: { pattern: "{environment}-dev-{name}", globalPattern: "{environment}-dev-{name}", names: { "dbCluster:aurora": "outreachpass-dev", "default:api": "outreachpass-dev" } },
  network: {
    cidr: "10.0.0.0/16",
    azs: ["us-east-1a", "us-east-1b", "us-east-1c"],
    publicSubnets: ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"],
    privateSubnets: ["10.0.11.0/24", "10.0.12.0/24", "10.0.13.0/24"],
    databaseSubnetGroupTier: "private",
    enableNatGateway: true,
    singleNatGateway: true,
  },
  security: {
    secrets: [
      { name: "jwt-secret-key", description: "JWT signing key of the backend; rotating it signs every user out" },
      {
        name: "google-wallet-issuer-id",
        description: "Google Wallet issuer id (the seed keeps it in Secrets Manager)",
        rotatedAtSource: "An identifier Google assigns to the issuer account, not a credential: it changes only with the account",
      },
      { name: "google-wallet-service-account-key", description: "Google Wallet service-account key (JSON), from Google Cloud", rotatedAtSource: "Google Cloud issues the service-account key; the team replaces it there and here" },
      { name: "apple-wallet-certificate-password", description: "Password of the Apple Wallet pass-signing certificate", rotatedAtSource: "Changes only with the pass-signing certificate, which Apple issues for a year at a time" },
    ],
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
    // Lambda packages CI uploads (lambda/backend-latest.zip); old versions go after 30 days.
    artifacts: {
      lifecycleRules: [{ id: "expire-old-versions", noncurrentVersionExpirationDays: 30 }],
    },
    // The Next.js build, served by CloudFront.
    frontend: {
      lifecycleRules: [{ id: "expire-old-versions", noncurrentVersionExpirationDays: 30 }],
      website: { indexDocument: "index.html", errorDocument: "404.html" },
    },
  },
  auth: {
    // The seed's pre-signup Lambda checks the e-mail domain: users sign themselves up.
    selfSignUp: true,
    mfa: "OPTIONAL",
    mfaMethods: ["TOTP"],
    passwordPolicy: { minimumLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true },
    customAttributes: { tenant_id: { type: "String" }, role: { type: "String" } },
    clients: {
      "web-client": { authFlows: ["USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"], accessTokenValidityMinutes: 60, idTokenValidityMinutes: 60, refreshTokenValidityDays: 30 },
    },
  },
  cdn: {
    // subdirectoryIndex: the static export's /about/ is about/index.html in the bucket.
    frontend: {
      bucket: "frontend",
      domainNames: ["app.outreachpass.base2ml.com"],
      // The seed's existing CloudFront certificate (us-east-1), used as it is.
      certificateArn: "arn:aws:acm:us-east-1:741783034843:certificate/7a8eb69e-1ba6-4220-bcca-2b79d11200e0",
      priceClass: "PriceClass_100",
      subdirectoryIndex: true,
    },
  },
  api: {
    http: {
      domainNames: ["outreachpass.base2ml.com", "govsafe.base2ml.com", "campuscard.base2ml.com"],
      // The seed's existing API Gateway certificate; it must cover all three names (API Gateway refuses the domain otherwise).
      certificateArn: "arn:aws:acm:us-east-1:741783034843:certificate/bb1cbe9e-d6ed-4b4c-8f7c-fa8f687b10c0",
      cors: { allowOrigins: ["https://app.outreachpass.base2ml.com"] },
      throttle: { rateLimit: 10000, burstLimit: 5000 },
      logRetentionInDays: 30,
      backendFunction: "backend",
    },
  },
  queues: {
    "pass-generation": {
      visibilityTimeoutSeconds: 1800,
      messageRetentionSeconds: 345600,
      receiveWaitTimeSeconds: 0,
      maxMessageSizeBytes: 262144,
      deadLetter: { maxReceiveCount: 3 },
    },
  },
  email: { domain: "outreachpass.base2ml.com", fromAddress: "noreply@outreachpass.base2ml.com" },
  functions: {
    backend: {
      runtime: "python3.11",
      handler: "app.main.handler",
      code: { bucket: "artifacts", key: "lambda/backend-latest.zip" },
      deployedBy: "ci",
      memorySize: 512,
      timeoutSeconds: 30,
      ephemeralStorageMiB: 512,
      architecture: "x86_64",
      reservedConcurrency: 800,
      vpc: { subnets: "private" },
      connectsToDatabase: "aurora",
      environment: BACKEND_ENVIRONMENT,
      secrets: {
        DATABASE_SECRET_ARN: "aurora",
        SECRET_KEY_ARN: "jwt-secret-key",
        GOOGLE_WALLET_KEY_ARN: "google-wallet-service-account-key",
        GOOGLE_WALLET_ISSUER_ID_ARN: "google-wallet-issuer-id",
      },
      grants: { buckets: { assets: "read-write", uploads: "read-write" }, sendToQueues: ["pass-generation"], sendEmail: true },
      logRetentionInDays: 30,
    },
    worker: {
      runtime: "python3.11",
      handler: "app.worker.handler",
      code: { bucket: "artifacts", key: "lambda/backend-latest.zip" },
      deployedBy: "ci",
      memorySize: 1024,
      timeoutSeconds: 300,
      ephemeralStorageMiB: 512,
      architecture: "x86_64",
      reservedConcurrency: 100,
      vpc: { subnets: "private" },
      connectsToDatabase: "aurora",
      environment: BACKEND_ENVIRONMENT,
      secrets: {
        DATABASE_SECRET_ARN: "aurora",
        GOOGLE_WALLET_KEY_ARN: "google-wallet-service-account-key",
        GOOGLE_WALLET_ISSUER_ID_ARN: "google-wallet-issuer-id",
        APPLE_WALLET_PASSWORD_ARN: "apple-wallet-certificate-password",
      },
      queueEvents: { queue: "pass-generation", batchSize: 1, maximumConcurrency: 10 },
      grants: { buckets: { assets: "read-write", uploads: "read" }, sendEmail: true },
      logRetentionInDays: 30,
    },
  },
  alarms: { emails: ["christopherwlindeman@gmail.com"] },
  // "Weekly production backups (retained 30 days)", beside Keel's daily continuous rule (RPO 1 h
  // needs point-in-time restore: the weekly snapshots alone would lose up to a week).
  backup: {
    rules: [
      { name: "daily", schedule: "cron(0 5 ? * * *)", retentionDays: 35, continuous: true },
      { name: "weekly", schedule: "cron(0 6 ? * SUN *)", retentionDays: 30 },
    ],
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
