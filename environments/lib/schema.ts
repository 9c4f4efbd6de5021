import { z } from "zod";
import { KNOWN_REGIONS } from "../../modules/label/regions";
import { BRANCH, ENVIRONMENT, REPOSITORY } from "../../modules/ci/names";
import { INTERFACE_ENDPOINT_SERVICES, FLOW_LOG_TRAFFIC_TYPES } from "../../modules/vpc/constants";
import { PGAUDIT_CLASSES } from "../../modules/aurora/constants";
import { ARCHITECTURES } from "../../modules/bastion/constants";
import { EGRESS_PROTOCOLS, SUBNET_TIERS } from "../../modules/network/network";
import { BUCKET_ACCESS, STORAGE_CLASSES } from "../../modules/buckets/constants";
import { CPU_ARCHITECTURES, DEPLOYERS } from "../../modules/ecs/constants";
import { RATE_WINDOWS, RULE_ACTIONS, RateWindow } from "../../modules/waf/constants";
import { THRESHOLD_NAMES } from "../../modules/alarms/thresholds";
import { CORS_METHODS as BUCKET_CORS_METHODS } from "../../modules/buckets/constants";
import { ATTRIBUTE_TYPES, AUTH_FLOWS, MFA_METHODS, MFA_MODES, THREAT_PROTECTION_MODES } from "../../modules/auth/constants";
import { MANAGED_CACHE_POLICY_NAMES, ManagedCachePolicy, PRICE_CLASSES } from "../../modules/cdn/constants";
import { CORS_METHODS as API_CORS_METHODS } from "../../modules/api/constants";
import { DEFAULT_USAGE } from "../../tools/review/cost";
import { ALARM_GROUPS } from "../../modules/alarms/thresholds";
import { LAMBDA_ARCHITECTURES } from "../../modules/functions/constants";
import { AccountConfig, EnvironmentConfig, OutputName, ProjectConfig } from "./types";
import { PROTECTION_PROFILE_NAMES, ProtectionProfileName } from "./protection";

// Shape only: types, required keys, known enum values, and no unknown key
// (a misspelt key must fail, not silently not apply). What values mean
// (CIDRs, retention days, windows, capacities) is each module's to check.

const NAME_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const oneOf = <T extends string>(values: readonly [T, ...T[]]) => z.enum(values, { error: `must be one of ${values.join(", ")}` });
const accountId = z.string({ error: "must be a 12-digit AWS account id" }).regex(/^\d{12}$/, { error: "must be a 12-digit AWS account id" });
const region = z.string().refine((r) => KNOWN_REGIONS.includes(r), { error: `must be a known region: ${KNOWN_REGIONS.join(", ")}` });
const text = z.string({ error: "must be a string" }).refine((s) => s.trim().length > 0, { error: "must be a non-empty string" });
const texts = z.array(z.string({ error: "must be a string" }), { error: "must be a list of strings" }).readonly();
const bool = z.boolean({ error: "must be true or false" });
const num = z.number({ error: "must be a number" });
/** A workload's environment value: a string, or `{ ref }` naming another section's output (resolved when the stack is built). */
// The name itself is checked against what the stack has built (stacks/references.ts), which can list what exists.
const environmentValue = z.union([z.string(), z.strictObject({ ref: z.custom<OutputName>((s) => typeof s === "string" && s.trim().length > 0) })], {
  error: 'must be a string, or { ref: "<section>.<output>" } (e.g. { ref: "auth.userPoolId" })',
});
const tags = z.record(z.string(), z.string({ error: "must be a string" }), { error: "must be an object of string tags" }).readonly();

const tagsSchema = z.strictObject({
  owner: text,
  costCenter: text,
  dataClassification: oneOf(["public", "internal", "confidential", "restricted"]),
});

const vpcSchema = z.strictObject({
  cidr: z.string({ error: "must be an IPv4 CIDR such as 10.0.0.0/16" }),
  azs: texts,
  publicSubnets: texts.optional(),
  privateSubnets: texts.optional(),
  databaseSubnets: texts.optional(),
  databaseSubnetGroupTier: oneOf(["private", "database"]).optional(),
  enableNatGateway: bool.optional(),
  singleNatGateway: bool.optional(),
  createDatabaseNatGatewayRoute: bool.optional(),
  mapPublicIpOnLaunch: bool.optional(),
  mapPublicIpOnLaunchReason: text.optional(),
  flowLogRetentionInDays: num.optional(),
  flowLogTrafficType: oneOf(FLOW_LOG_TRAFFIC_TYPES).optional(),
  interfaceEndpoints: z.array(oneOf(INTERFACE_ENDPOINT_SERVICES)).readonly().optional(),
  tags: tags.optional(),
});

const existingNetworkSchema = z.strictObject({
  vpcId: z.string({ error: "must be a VPC id such as vpc-0123456789abcdef0" }),
  cidr: z.string({ error: "must be an IPv4 CIDR such as 172.31.0.0/16" }),
  azs: texts,
  publicSubnetIds: texts.optional(),
  privateSubnetIds: texts.optional(),
  databaseSubnetIds: texts.optional(),
  internetTiers: z.array(oneOf(SUBNET_TIERS)).readonly().optional(),
  hasSessionManagerEndpoints: bool.optional(),
  tags: tags.optional(),
});

/**
 * `network` is a VPC to create or an existing one. Which one the user meant
 * is told by `vpcId` (see `schemaIssues`), so errors speak of that shape only.
 */
export const NETWORK_BRANCH_KEY = "vpcId";
const networkSchema = z.union([vpcSchema, existingNetworkSchema]);

const securitySchema = z.strictObject({
  secrets: z.array(z.strictObject({ name: text, description: text, rotatedAtSource: text.optional() })).readonly().optional(),
  keyDeletionWindowInDays: num.optional(),
  tags: tags.optional(),
});

/** A database restored beside the original (modules/rds/postgres.ts checks what the values mean). */
const restoreSchema = z.strictObject({
  name: text,
  snapshot: text.optional(),
  pointInTime: z.strictObject({ source: text.optional(), time: text }).optional(),
  serve: bool.optional(),
  retireOriginal: bool.optional(),
});

const auroraSchema = z.strictObject({
  engineVersion: text,
  minCapacity: num.optional(),
  maxCapacity: num.optional(),
  writer: bool.optional(),
  readers: num.optional(),
  databaseName: text.optional(),
  masterUsername: text.optional(),
  backupRetentionPeriod: num.optional(),
  preferredBackupWindow: text.optional(),
  preferredMaintenanceWindow: text.optional(),
  logRetentionInDays: num.optional(),
  writerAvailabilityZone: text.optional(),
  pgauditLog: z.array(oneOf(PGAUDIT_CLASSES)).readonly().optional(),
  monitoringInterval: num.optional(),
  performanceInsightsRetentionPeriod: num.optional(),
  restore: restoreSchema.optional(),
  tags: tags.optional(),
});

/** Egress beyond HTTPS (modules/network/egress.ts checks what the values mean). */
const egressSchema = z
  .array(
    z.strictObject({
      port: z.union([num, z.tuple([num, num])], { error: "must be a port or [from, to]" }).optional(),
      protocol: oneOf(EGRESS_PROTOCOLS).optional(),
      to: text,
      reason: text,
    }),
    { error: "must be a list of { port, protocol, to, reason }" },
  )
  .readonly();

const bastionSchema = z.strictObject({
  egress: egressSchema.optional(),
  subnetTier: oneOf(SUBNET_TIERS).optional(),
  instanceType: text.optional(),
  ami: z
    .union([z.strictObject({ ssmParameter: text }), z.strictObject({ imageId: text, architecture: oneOf(ARCHITECTURES) })], {
      error: 'must be { ssmParameter: "/aws/service/..." } or { imageId: "ami-...", architecture: "x86_64" | "arm64" }',
    })
    .optional(),
  rootVolumeSize: num.optional(),
  sessionLogRetentionInDays: num.optional(),
  idleSessionTimeout: num.optional(),
  tags: tags.optional(),
});

const record = <T extends z.ZodType>(value: T) => z.record(z.string(), value, { error: "must be an object keyed by name" }).readonly();

const lifecycleRuleSchema = z.strictObject({
  id: text,
  prefix: z.string().optional(),
  transitions: z.array(z.strictObject({ days: num, storageClass: oneOf(STORAGE_CLASSES) })).readonly().optional(),
  expirationDays: num.optional(),
  noncurrentVersionExpirationDays: num.optional(),
});

const publicReadSchema = z.strictObject({ reason: text, expires: text.optional() });

const bucketSchema = z.strictObject({
  encryption: oneOf(["kms", "s3-managed"] as const).optional(),
  versioned: bool.optional(),
  lifecycleRules: z.array(lifecycleRuleSchema).readonly().optional(),
  cors: z
    .array(
      z.strictObject({
        allowedOrigins: texts,
        allowedMethods: z.array(oneOf(BUCKET_CORS_METHODS)).readonly(),
        allowedHeaders: texts.optional(),
        exposeHeaders: texts.optional(),
        maxAgeSeconds: num.optional(),
      }),
    )
    .readonly()
    .optional(),
  intelligentTiering: z.strictObject({ archiveAccessDays: num.optional(), deepArchiveAccessDays: num.optional() }).optional(),
  website: z.strictObject({ indexDocument: text, errorDocument: text.optional() }).optional(),
  publicRead: publicReadSchema.optional(),
  accessLogsBucket: text.optional(),
  tags: tags.optional(),
});

const ecrSchema = z.strictObject({
  repositories: texts,
  keepTaggedImages: num.optional(),
  untaggedImageExpiryDays: num.optional(),
  tags: tags.optional(),
});

const grantsSchema = z.strictObject({
  databaseUser: text.optional(),
  readSecrets: texts.optional(),
  buckets: record(oneOf(BUCKET_ACCESS)).optional(),
  sendToQueues: texts.optional(),
  sendEmail: bool.optional(),
});

const serviceSchema = z.strictObject({
  egress: egressSchema.optional(),
  repository: text.optional(),
  imageTag: text,
  cpu: num,
  memory: num,
  desiredCount: num,
  containerPort: num.optional(),
  healthCheck: z.strictObject({
    command: texts,
    intervalSeconds: num.optional(),
    timeoutSeconds: num.optional(),
    retries: num.optional(),
    startPeriodSeconds: num.optional(),
  }),
  environment: record(environmentValue).optional(),
  secrets: record(text).optional(),
  user: text.optional(),
  exceptions: z.strictObject({ runAsRoot: text.optional(), writableRootFilesystem: text.optional() }).optional(),
  cpuArchitecture: oneOf(CPU_ARCHITECTURES).optional(),
  logRetentionInDays: num.optional(),
  minimumHealthyPercent: num.optional(),
  maximumPercent: num.optional(),
  healthCheckGracePeriodSeconds: num.optional(),
  autoscaling: z
    .strictObject({ minCapacity: num, maxCapacity: num, cpuTargetPercent: num.optional(), memoryTargetPercent: num.optional() })
    .optional(),
  deployedBy: oneOf(DEPLOYERS).optional(),
  enableExecuteCommand: bool.optional(),
  connectsToDatabase: bool.optional(),
  taskGrants: grantsSchema.optional(),
  tags: tags.optional(),
});

const ecsSchema = z.strictObject({
  services: record(serviceSchema),
  execLogRetentionInDays: num.optional(),
  tags: tags.optional(),
});

const albSchema = z.strictObject({
  routes: z.array(z.strictObject({ service: text, healthCheckPath: text, pathPatterns: texts.optional() })).readonly(),
  certificateArn: text.optional(),
  deregistrationDelaySeconds: num.optional(),
  idleTimeoutSeconds: num.optional(),
  accessLogRetentionDays: num.optional(),
  tags: tags.optional(),
});

const wafFields = {
  managedRuleGroups: z
    .array(z.strictObject({ name: text, overrides: z.array(z.strictObject({ rule: text, action: oneOf(RULE_ACTIONS) })).readonly().optional() }))
    .readonly()
    .optional(),
  rateLimit: num.optional(),
  rateLimitWindowSeconds: z
    .union(RATE_WINDOWS.map((w) => z.literal(w)) as [z.ZodLiteral<RateWindow>, ...Array<z.ZodLiteral<RateWindow>>], {
      error: `must be one of ${RATE_WINDOWS.join(", ")}`,
    })
    .optional(),
  logRetentionInDays: num.optional(),
  redactedHeaders: texts.optional(),
  tags: tags.optional(),
};
const wafSchema = z.strictObject(wafFields);

const dnsSchema = z.strictObject({ zoneId: text, zoneName: text });

const authSchema = z.strictObject({
  name: text.optional(),
  mfa: oneOf(MFA_MODES).optional(),
  mfaMethods: z.array(oneOf(MFA_METHODS)).readonly().optional(),
  passwordPolicy: z
    .strictObject({
      minimumLength: num.optional(),
      requireLowercase: bool.optional(),
      requireUppercase: bool.optional(),
      requireNumbers: bool.optional(),
      requireSymbols: bool.optional(),
      temporaryPasswordValidityDays: num.optional(),
    })
    .optional(),
  selfSignUp: bool.optional(),
  customAttributes: record(z.strictObject({ type: oneOf(ATTRIBUTE_TYPES), mutable: bool.optional(), min: num.optional(), max: num.optional() })).optional(),
  clients: record(
    z.strictObject({
      authFlows: z.array(oneOf(AUTH_FLOWS)).readonly(),
      accessTokenValidityMinutes: num.optional(),
      idTokenValidityMinutes: num.optional(),
      refreshTokenValidityDays: num.optional(),
    }),
  ).optional(),
  threatProtection: oneOf(THREAT_PROTECTION_MODES).optional(),
  identityPool: z.strictObject({ buckets: record(oneOf(BUCKET_ACCESS)) }).optional(),
  tags: tags.optional(),
});

const cdnSchema = record(
  z.strictObject({
    bucket: text,
    domainNames: texts.optional(),
    certificateArn: text.optional(),
    priceClass: oneOf(PRICE_CLASSES).optional(),
    cachePolicy: oneOf(MANAGED_CACHE_POLICY_NAMES as [ManagedCachePolicy, ...ManagedCachePolicy[]]).optional(),
    subdirectoryIndex: bool.optional(),
    waf: z.strictObject(wafFields).optional(),
    accessLogs: bool.optional(),
    tags: tags.optional(),
  }),
);

const apiCors = z.strictObject({ allowOrigins: texts, allowMethods: z.array(oneOf(API_CORS_METHODS)).readonly().optional(), allowHeaders: texts.optional(), maxAgeSeconds: num.optional() });
const throttle = z.strictObject({ rateLimit: num, burstLimit: num });
const apiSchema = z.strictObject({
  rest: z
    .strictObject({
      name: text.optional(),
      stageName: text.optional(),
      throttle: throttle.optional(),
      cors: apiCors.optional(),
      authorizer: z.literal("cognito", { error: "must be cognito" }).optional(),
      backendUrl: text.optional(),
      healthCheckPath: text.optional(),
      logRetentionInDays: num.optional(),
      tags: tags.optional(),
    })
    .optional(),
  http: z
    .strictObject({
      name: text.optional(),
      throttle: throttle.optional(),
      cors: apiCors.optional(),
      authorizer: z.literal("cognito", { error: "must be cognito" }).optional(),
      backendUrl: text.optional(),
      backendFunction: text.optional(),
      certificateArn: text.optional(),
      domainNames: texts.optional(),
      logRetentionInDays: num.optional(),
      tags: tags.optional(),
    })
    .optional(),
});

const queueSchema = z.strictObject({
  fifo: bool.optional(),
  encryption: oneOf(["kms", "sqs-managed"] as const).optional(),
  visibilityTimeoutSeconds: num.optional(),
  visibilityTimeoutReason: text.optional(),
  messageRetentionSeconds: num.optional(),
  receiveWaitTimeSeconds: num.optional(),
  maxMessageSizeBytes: num.optional(),
  deadLetter: z.union([z.literal(false), z.strictObject({ maxReceiveCount: num.optional(), messageRetentionSeconds: num.optional() })], { error: "must be false or { maxReceiveCount, messageRetentionSeconds }" }).optional(),
  tags: tags.optional(),
});

const emailSchema = z.strictObject({ domain: text, fromAddress: text, tags: tags.optional() });

const databaseConnection = oneOf(["aurora", "rds"] as const);
const functionSchema = z.strictObject({
  runtime: text,
  handler: text,
  code: z.union([z.strictObject({ path: text }), z.strictObject({ bucket: text, key: text })], { error: "must be { path } or { bucket, key }" }),
  deployedBy: oneOf(DEPLOYERS).optional(),
  memorySize: num.optional(),
  timeoutSeconds: num.optional(),
  ephemeralStorageMiB: num.optional(),
  architecture: oneOf(LAMBDA_ARCHITECTURES).optional(),
  environment: record(environmentValue).optional(),
  secrets: record(text).optional(),
  reservedConcurrency: num.optional(),
  vpc: z.strictObject({ subnets: oneOf(SUBNET_TIERS).optional(), noInternetReason: text.optional(), egress: egressSchema.optional() }).optional(),
  connectsToDatabase: databaseConnection.optional(),
  deadLetterQueue: text.optional(),
  queueEvents: z.strictObject({ queue: text, batchSize: num.optional(), maximumConcurrency: num.optional(), reportBatchItemFailures: bool.optional() }).optional(),
  grants: grantsSchema.optional(),
  logRetentionInDays: num.optional(),
  tags: tags.optional(),
});

const rdsSchema = z.strictObject({
  engineVersion: text,
  instanceClass: text.optional(),
  allocatedStorage: num.optional(),
  maxAllocatedStorage: num.optional(),
  multiAz: bool.optional(),
  logRetentionInDays: num.optional(),
  databaseName: text.optional(),
  masterUsername: text.optional(),
  backupRetentionPeriod: num.optional(),
  preferredBackupWindow: text.optional(),
  preferredMaintenanceWindow: text.optional(),
  monitoringInterval: num.optional(),
  performanceInsightsRetentionPeriod: num.optional(),
  clientGroups: record(z.strictObject({ description: text, egress: egressSchema.optional() })).optional(),
  restore: restoreSchema.optional(),
  tags: tags.optional(),
});

const apprunnerSchema = z.strictObject({
  repository: text.optional(),
  imageTag: text,
  port: num.optional(),
  size: z.strictObject({ cpu: text, memory: text }).optional(),
  environment: record(environmentValue).optional(),
  secrets: record(text).optional(),
  healthCheck: z
    .strictObject({
      protocol: oneOf(["HTTP", "TCP"] as const).optional(),
      path: text.optional(),
      intervalSeconds: num.optional(),
      timeoutSeconds: num.optional(),
      healthyThreshold: num.optional(),
      unhealthyThreshold: num.optional(),
    })
    .optional(),
  autoScaling: z.strictObject({ minSize: num.optional(), maxSize: num.optional(), maxConcurrency: num.optional() }).optional(),
  vpc: z.strictObject({ subnets: oneOf(SUBNET_TIERS).optional(), noInternetReason: text.optional(), egress: egressSchema.optional() }).optional(),
  connectsToDatabase: databaseConnection.optional(),
  grants: grantsSchema.optional(),
  deployedBy: oneOf(DEPLOYERS).optional(),
  tags: tags.optional(),
});

const emails = texts.optional();
const thresholdsSchema = z.strictObject(Object.fromEntries(THRESHOLD_NAMES.map((n) => [n, num.optional()])) as Record<(typeof THRESHOLD_NAMES)[number], z.ZodOptional<typeof num>>);
const alarmsSchema = z.strictObject({ emails, thresholds: thresholdsSchema.optional(), groups: z.array(oneOf(ALARM_GROUPS)).readonly().optional(), tags: tags.optional() });

export const environmentSchema = z.strictObject({
  name: z.string({ error: "must be a string" }).regex(NAME_PATTERN, {
    error: "must be lower-case letters, digits and single dashes ([a-z0-9-]), not starting or ending with a dash",
  }),
  accountId,
  region,
  tags: tagsSchema.partial().optional(),
  protection: oneOf(PROTECTION_PROFILE_NAMES as [ProtectionProfileName, ...ProtectionProfileName[]]),
  network: networkSchema.optional(),
  security: securitySchema.optional(),
  aurora: auroraSchema.optional(),
  rds: rdsSchema.optional(),
  bastion: bastionSchema.optional(),
  buckets: record(bucketSchema).optional(),
  ecr: ecrSchema.optional(),
  ecs: ecsSchema.optional(),
  alb: albSchema.optional(),
  waf: wafSchema.optional(),
  dns: dnsSchema.optional(),
  auth: authSchema.optional(),
  cdn: cdnSchema.optional(),
  api: apiSchema.optional(),
  queues: record(queueSchema).optional(),
  email: emailSchema.optional(),
  functions: record(functionSchema).optional(),
  apprunner: record(apprunnerSchema).optional(),
  alarms: alarmsSchema.optional(),
  backup: z
    .strictObject({
      rules: z
        .array(
          z.strictObject({
            name: text,
            schedule: text,
            startWindowMinutes: num.optional(),
            completionWindowMinutes: num.optional(),
            retentionDays: num,
            coldStorageAfterDays: num.optional(),
            continuous: bool.optional(),
          }),
          { error: "must be a list of backup rules" },
        )
        .readonly()
        .optional(),
      copyToVaultArn: text.optional(),
      lock: z.strictObject({ changeableForDays: num.optional(), minRetentionDays: num.optional(), maxRetentionDays: num.optional() }).optional(),
      tags: tags.optional(),
    })
    .optional(),
  suppressions: z
    .array(z.strictObject({ resource: text, rule: text, reason: text, expires: text.optional() }), { error: "must be a list of suppressions" })
    .readonly()
    .optional(),
  naming: z.strictObject({ pattern: text.optional(), globalPattern: text.optional(), names: record(text).optional() }).optional(),
  adopt: record(text).optional(),
  usage: z
    .strictObject(Object.fromEntries(Object.keys(DEFAULT_USAGE).map((k) => [k, num.optional()])) as Record<keyof typeof DEFAULT_USAGE, z.ZodOptional<typeof num>>)
    .optional(),
}) satisfies z.ZodType<EnvironmentConfig>;

const accountSchema = z.strictObject({
  accountId,
  regions: z.array(region).min(1, { error: "must list at least one region (the first is the home region)" }).readonly(),
  cloudtrail: z
    .strictObject({
      retentionDays: num.optional(),
      archiveAfterDays: num.optional(),
      logGroupRetentionInDays: num.optional(),
      dataEventBuckets: texts.optional(),
      tags: tags.optional(),
    })
    .optional(),
  config: z.strictObject({ retentionDays: num.optional(), hipaaConformancePack: bool.optional(), tags: tags.optional() }).optional(),
  guardduty: z.strictObject({ minimumSeverity: num.optional(), tags: tags.optional() }).optional(),
  alarms: z.strictObject({ emails, monthlyBudgetUsd: num.optional(), tags: tags.optional() }).optional(),
  apiGatewayLogging: bool.optional(),
  budget: z.strictObject({ monthlyLimitUsd: num, emails: texts, alertAtPercent: z.array(num).readonly().optional() }).optional(),
  lambdaConcurrencyLimit: num.optional(),
  publicBucketPolicies: publicReadSchema.optional(),
  profile: z.string({ error: "must be a string" }).regex(/^[^\s\[\]]+$/, { error: "must be a profile name from ~/.aws/config: no spaces or brackets" }).optional(),
  roleArn: z.string({ error: "must be a string" }).regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/, { error: "must be an IAM role ARN, arn:aws:iam::<account id>:role/<name>" }).optional(),
}) satisfies z.ZodType<AccountConfig>;

export const projectSchema = z.strictObject({
  namespace: z.string().regex(NAME_PATTERN, { error: "must be lower-case letters, digits and single dashes" }),
  tags: tagsSchema,
  state: z.strictObject({
    accountId,
    region,
    bucket: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
        error: "must be a valid S3 bucket name: 3-63 characters of [a-z0-9.-], starting and ending with a letter or digit",
      })
      .refine((b) => !b.includes("..") && !/^\d+\.\d+\.\d+\.\d+$/.test(b), {
        error: "must not contain '..' or look like an IP address",
      }),
    lockTable: z.string().regex(/^[a-zA-Z0-9_.-]{3,255}$/, {
      error: "must be a DynamoDB table name: 3-255 characters of [a-zA-Z0-9_.-]",
    }),
    noncurrentVersionExpirationDays: z
      .number()
      .int({ error: "must be a whole number of days" })
      .min(1, { error: "must be between 1 and 3650 days" })
      .max(3650, { error: "must be between 1 and 3650 days" }),
    bootstrapStateInBucket: bool,
  }),
  accounts: z.array(accountSchema).min(1, { error: "must list at least the state account" }).readonly(),
  naming: z.strictObject({ pattern: text.optional(), globalPattern: text.optional() }).optional(),
  ci: z
    .strictObject({
      repository: z.string({ error: "must be a string" }).regex(REPOSITORY, { error: "must be a GitHub repository as owner/name, exactly as GitHub spells it, with no wildcard" }),
      branch: z.string({ error: "must be a string" }).regex(BRANCH, { error: "must be a branch name: no wildcard (*, ?, [), no spaces" }).optional(),
      createOidcProvider: bool.optional(),
      environments: z.record(z.string(), z.string().regex(ENVIRONMENT, { error: "must be a GitHub environment name: 1-255 characters, no wildcard, quote, comma or colon" })).optional(),
      runsOn: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, { error: "must be a runner label such as ubuntu-latest" }).optional(),
      driftSchedule: z
        .string()
        .regex(/^\S+( \S+){4}$/, { error: "must be a cron expression of five fields, in UTC" })
        .optional(),
    })
    .optional(),
}) satisfies z.ZodType<ProjectConfig>;
