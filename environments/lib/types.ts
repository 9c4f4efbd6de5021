import type { VpcProps } from "../../modules/vpc/vpc";
import type { ExistingNetworkProps } from "../../modules/network/existing-network";
import type { SecurityProps } from "../../modules/security/security";
import type { AuroraProps } from "../../modules/aurora/aurora";
import type { BastionProps } from "../../modules/bastion/bastion";
import type { BucketProps } from "../../modules/buckets/bucket";
import type { BucketAccess } from "../../modules/buckets/constants";
import type { RepositoryProps } from "../../modules/ecr/repository";
import type { ClusterProps } from "../../modules/ecs/cluster";
import type { FargateServiceProps } from "../../modules/ecs/fargate-service";
import type { LoadBalancerProps } from "../../modules/alb/load-balancer";
import type { AlbRoute } from "../../modules/alb/constants";
import type { WebAclProps } from "../../modules/waf/web-acl";
import type { AlarmTopicProps } from "../../modules/alarms/alarm-topic";
import type { AlarmGroup, AlarmThresholds } from "../../modules/alarms/thresholds";
import type { TrailProps } from "../../modules/cloudtrail/trail";
import type { ConfigRecorderProps } from "../../modules/config/recorder";
import type { DetectorProps } from "../../modules/guardduty/detector";
import type { HostedZoneProps } from "../../modules/dns/zone";
import type { UserPoolProps } from "../../modules/auth/user-pool";
import type { DistributionProps } from "../../modules/cdn/distribution";
import type { RestApiProps } from "../../modules/api/rest-api";
import type { HttpApiProps } from "../../modules/api/http-api";
import type { PublicRead } from "../../modules/buckets/constants";
import type { QueueProps } from "../../modules/queues/queue";
import type { LambdaFunctionProps, FunctionVpcProps } from "../../modules/functions/function";
import type { EmailProps } from "../../modules/email/email";
import type { RdsInstanceProps } from "../../modules/rds/instance";
import type { AppRunnerServiceProps, AppRunnerVpcProps } from "../../modules/apprunner/service";
import type { BudgetProps } from "../../modules/budgets/budget";
import type { GithubCiProps } from "../../modules/ci/github-ci";
import type { BackupProps } from "../../modules/backup/backup";
import type { UsageAssumptions } from "../../tools/review/cost";
import type { Suppression } from "../../modules/compliance/suppress";
import type { ProtectionProfileName } from "./protection";
import type { NamingProps } from "../../modules/label/naming";

// Each config section is its module's props minus what the stack supplies
// (keys, the network, the protection profile), so a prop is declared once,
// with its TSDoc and @default, in the module. Type-only imports: at run time
// config loads nothing from modules but provider-free constants.

/** How sensitive the data an environment holds is; it becomes the DataClassification tag. */
export type DataClassification = "public" | "internal" | "confidential" | "restricted";

/** Ownership tags of an environment; Project, Environment and ManagedBy are derived. */
export interface EnvironmentTags {
  /** Team or person answerable for the environment. */
  readonly owner: string;
  /** Cost centre that pays for it. */
  readonly costCenter: string;
  /** Sensitivity of the data it holds (`restricted` for PHI). */
  readonly dataClassification: DataClassification;
}

/** A VPC Keel creates (module `vpc`). */
export type VpcConfig = Omit<VpcProps, "flowLogKmsKeyArn" | "protection">;
/** A VPC Keel is given by ids, e.g. the account's default VPC (module `network`). */
export type ExistingNetworkConfig = ExistingNetworkProps;
/** Either kind of network: a config with `vpcId` names an existing one, one with `cidr` creates one. */
export type NetworkConfig = VpcConfig | ExistingNetworkConfig;
/** Keys and application secrets (module `security`). */
export type SecurityConfig = Omit<SecurityProps, "protection">;
/** Aurora PostgreSQL Serverless v2 (module `aurora`). */
export type AuroraConfig = Omit<AuroraProps, "network" | "storageKmsKeyArn" | "secretKmsKeyArn" | "logKmsKeyArn" | "protection">;
/** The Session Manager bastion (module `bastion`). */
export type BastionConfig = Omit<BastionProps, "network" | "volumeKmsKeyArn" | "logKmsKeyArn" | "protection">;

/**
 * One application bucket (module `buckets`), keyed by its short name. It is
 * encrypted with the environment's logs-and-storage key unless it says
 * `s3-managed`.
 */
export type BucketConfig = Omit<BucketProps, "name" | "encryption" | "logBucket" | "protection"> & {
  /** @default "kms" - SSE-KMS with the environment's storage key */
  readonly encryption?: "kms" | "s3-managed";
  /** Another bucket of this section that receives this one's server access logs. @default - none */
  readonly accessLogsBucket?: string;
};
/** Application buckets by short name. */
export type BucketsConfig = Readonly<Record<string, BucketConfig>>;

/** ECR repositories (module `ecr`): one per name, sharing the lifecycle settings. */
export type EcrConfig = Omit<RepositoryProps, "name" | "kmsKeyArn" | "protection"> & {
  /** Repository short names, usually one per service. */
  readonly repositories: readonly string[];
};

/** What a workload's role (task, function, App Runner instance) may do, granted with the modules' `grant*` methods. */
export interface TaskGrants {
  /** IAM database authentication to Aurora as this PostgreSQL user (`aurora.grantConnect`). @default - none */
  readonly databaseUser?: string;
  /** Application secrets (names in `security.secrets`) the application reads itself. @default [] */
  readonly readSecrets?: readonly string[];
  /** Buckets of the `buckets` section, and the access to each. @default {} */
  readonly buckets?: Readonly<Record<string, BucketAccess>>;
  /** Queues of the `queues` section it sends to (`queue.grantSend`). @default [] */
  readonly sendToQueues?: readonly string[];
  /** Send mail from the `email` section's domain (`email.grantSend`). @default false */
  readonly sendEmail?: boolean;
}

/**
 * An output of another section, by name, for a workload's environment: its
 * value exists only once Terraform has created that resource. Checked before
 * synth: an unknown name is a config error listing every name there is.
 */
export type OutputName =
  | "auth.userPoolId"
  | "auth.userPoolArn"
  | "auth.issuerUrl"
  | "auth.identityPoolId"
  | `auth.clients.${string}.id`
  | `buckets.${string}.${"name" | "arn"}`
  | `queues.${string}.${"url" | "arn" | "name"}`
  | `cdn.${string}.${"domainName" | "id"}`
  | `api.${"rest" | "http"}.url`
  | `email.${"fromAddress" | "configurationSet"}`
  | `${"aurora" | "rds"}.${"endpoint" | "port"}`
  | "aurora.readerEndpoint"
  | `functions.${string}.${"name" | "arn"}`;

/** A plain value, or another section's output: `{ ref: "auth.userPoolId" }`. */
export type EnvironmentValue = string | { readonly ref: OutputName };

/** A workload's plain environment variables (never secrets: those go through `secrets`). */
export type WorkloadEnvironment = Readonly<Record<string, EnvironmentValue>>;

/** Where a workload reaches the database: the environment's `aurora` or `rds`. */
export type DatabaseConnection = "aurora" | "rds";

/** One Fargate service (module `ecs`), keyed by its name. */
export type ServiceConfig = Omit<FargateServiceProps, "name" | "cluster" | "network" | "repository" | "secrets" | "environment" | "logKmsKeyArn" | "protection" | "runtimeMonitoringAgent"> & {
  /** Plain variables, literal or another section's output (`{ ref }`); the grants add theirs (BUCKET_*, QUEUE_URL_*, DATABASE_HOST, ...). @default {} */
  readonly environment?: WorkloadEnvironment;
  /** The `ecr` repository its image comes from. @default - the service's own name */
  readonly repository?: string;
  /** Environment variables filled from application secrets (names in `security.secrets`), by ARN. @default {} */
  readonly secrets?: Readonly<Record<string, string>>;
  /** Whether it connects to Aurora (PostgreSQL allowed from its security group). @default false */
  readonly connectsToDatabase?: boolean;
  /** @default {} - the task role may do nothing */
  readonly taskGrants?: TaskGrants;
};

/** The Fargate cluster and its services (module `ecs`). */
export type EcsConfig = Omit<ClusterProps, "logKmsKeyArn" | "protection"> & {
  readonly services: Readonly<Record<string, ServiceConfig>>;
};

/** The internet-facing load balancer (module `alb`); its access-log bucket comes with it. */
export type AlbConfig = Omit<LoadBalancerProps, "network" | "targets" | "accessLogBucket" | "protection"> & {
  /** Routes to `ecs` services, in priority order; exactly one without `pathPatterns` is the default. */
  readonly routes: readonly AlbRoute[];
  /** Days access logs are kept in their bucket. @default 365 */
  readonly accessLogRetentionDays?: number;
};

/** The web ACL in front of the load balancer (module `waf`). */
export type WafConfig = Omit<WebAclProps, "resourceArn" | "logKmsKeyArn" | "protection">;

/** The existing Route 53 zone that records and certificates go in (module `dns`). */
export type DnsConfig = HostedZoneProps;

/** The Cognito user pool, its clients and optionally an identity pool (module `auth`). */
export type AuthConfig = Omit<UserPoolProps, "identityPool" | "protection"> & {
  /**
   * An identity pool for the pool's users, whose authenticated role may use
   * only its own prefix (`<identity id>/`) of each bucket listed.
   * @default - no identity pool
   */
  readonly identityPool?: { readonly buckets: Readonly<Record<string, BucketAccess>> };
};

/**
 * One CloudFront distribution (module `cdn`), keyed by its short name, in
 * front of a bucket of the `buckets` section. With `domainNames` and no
 * `certificateArn`, Keel issues the certificate in us-east-1 in the `dns`
 * zone and adds an alias record per name.
 */
export type DistributionConfig = Omit<DistributionProps, "name" | "origin" | "webAclArn" | "logBucket"> & {
  /** The bucket it serves, by its short name in the `buckets` section. */
  readonly bucket: string;
  /** A web ACL of scope CLOUDFRONT in front of it (created in us-east-1). @default - none */
  readonly waf?: Omit<WebAclProps, "scope" | "name" | "resourceArn" | "logKmsKeyArn" | "protection">;
  /** Access logs to the environment's `cdn-access-logs` bucket (kept 365 days). @default true */
  readonly accessLogs?: boolean;
};
/** CloudFront distributions by short name. */
export type CdnConfig = Readonly<Record<string, DistributionConfig>>;

/** A regional REST API (module `api`). */
export type RestApiConfig = Omit<RestApiProps, "userPoolArn" | "logKmsKeyArn"> & {
  /** `cognito`: `ANY /{proxy+}` needs an id token of the `auth` user pool. @default - none */
  readonly authorizer?: "cognito";
};
/**
 * A regional HTTP API (module `api`); its `domainNames` get alias records in
 * the `dns` zone, and a certificate Keel issues there unless `certificateArn`
 * brings one (in the API's region and account, covering every name).
 */
export type HttpApiConfig = Omit<HttpApiProps, "jwt" | "logKmsKeyArn" | "backendFunction"> & {
  /** `cognito`: a JWT authorizer for the `auth` user pool's clients. @default - none */
  readonly authorizer?: "cognito";
  /** `ANY /{proxy+}` to this function of the `functions` section. @default - none */
  readonly backendFunction?: string;
};

/** One SQS queue (module `queues`), keyed by its short name, under the environment's secrets key unless `sqs-managed`. */
export type QueueConfig = Omit<QueueProps, "name" | "kmsKey">;
/** SQS queues by short name. */
export type QueuesConfig = Readonly<Record<string, QueueConfig>>;

/** The queue a function consumes (an event-source mapping), and how. */
export interface FunctionQueueEvents {
  /** A queue of the `queues` section. */
  readonly queue: string;
  /** @default 10 */
  readonly batchSize?: number;
  /** @default - no cap */
  readonly maximumConcurrency?: number;
  /** @default false */
  readonly reportBatchItemFailures?: boolean;
}

/** One Lambda function (module `functions`), keyed by its short name. */
export type FunctionConfig = Omit<
  LambdaFunctionProps,
  "name" | "code" | "secrets" | "environment" | "vpc" | "deadLetterQueue" | "environmentKey" | "logKmsKeyArn" | "accountConcurrencyLimit"
> & {
  /** Plain variables, literal or another section's output (`{ ref }`); the grants add theirs (BUCKET_*, QUEUE_URL_*, DATABASE_HOST, ...). @default {} */
  readonly environment?: WorkloadEnvironment;
  /** A directory of the repository, zipped at synth, or a zip in a bucket of the `buckets` section. */
  readonly code: { readonly path: string } | { readonly bucket: string; readonly key: string };
  /**
   * Variables (ending `_ARN`) carrying a secret's ARN: a name in
   * `security.secrets`, or `aurora` / `rds` for the database's master secret.
   * @default {}
   */
  readonly secrets?: Readonly<Record<string, string>>;
  /** In the environment's network, `private` subnets unless told. @default - not in a VPC */
  readonly vpc?: Omit<FunctionVpcProps, "network">;
  /** PostgreSQL allowed from its security group to this database (needs `vpc`). @default - none */
  readonly connectsToDatabase?: DatabaseConnection;
  /** A queue of the `queues` section that takes failed asynchronous invocations. @default - none */
  readonly deadLetterQueue?: string;
  /** A queue it consumes. @default - none */
  readonly queueEvents?: FunctionQueueEvents;
  /** @default {} */
  readonly grants?: TaskGrants;
};
/** Lambda functions by short name. */
export type FunctionsConfig = Readonly<Record<string, FunctionConfig>>;

/** SES sending (module `email`): the domain's DKIM records go in the `dns` zone. */
export type EmailConfig = Omit<EmailProps, "zone" | "topicKey">;

/** An RDS for PostgreSQL instance (module `rds`) in the network's DB subnet group. */
export type RdsConfig = Omit<RdsInstanceProps, "network" | "storageKmsKeyArn" | "secretKmsKeyArn" | "logKmsKeyArn" | "protection">;

/** One App Runner service (module `apprunner`), keyed by its short name. */
export type AppRunnerConfig = Omit<AppRunnerServiceProps, "name" | "repository" | "secrets" | "environment" | "vpc"> & {
  /** Plain variables, literal or another section's output (`{ ref }`); the grants add theirs (BUCKET_*, QUEUE_URL_*, DATABASE_HOST, ...). @default {} */
  readonly environment?: WorkloadEnvironment;
  /** The `ecr` repository its image comes from. @default - the service's own name */
  readonly repository?: string;
  /** Variables App Runner fills from secrets: a name in `security.secrets`, or `aurora` / `rds`. @default {} */
  readonly secrets?: Readonly<Record<string, string>>;
  /** A VPC connector into the environment's network. @default - no connector */
  readonly vpc?: Omit<AppRunnerVpcProps, "network">;
  /** @default - none */
  readonly connectsToDatabase?: DatabaseConnection;
  /** @default {} */
  readonly grants?: TaskGrants;
};
/** App Runner services by short name. */
export type AppRunnerServicesConfig = Readonly<Record<string, AppRunnerConfig>>;
/** API Gateway (module `api`): a REST API, an HTTP API, or both. */
export interface ApiConfig {
  readonly rest?: RestApiConfig;
  readonly http?: HttpApiConfig;
}

/**
 * The environment's alarms (module `alarms`): its topic `<ns>-<env>-alarms`,
 * under the secrets key, and one alarm per group that its sections turn on.
 */
export type AlarmsConfig = Omit<AlarmTopicProps, "kmsKeyArn"> & {
  /** @default DEFAULT_THRESHOLDS */
  readonly thresholds?: AlarmThresholds;
  /**
   * Only these alarm groups (and their dashboard widgets), e.g. a seed that
   * names its alarms exactly. Turning one off is a reviewed config change.
   * @default ALARM_GROUPS - every group whose section is on
   */
  readonly groups?: readonly AlarmGroup[];
};

/**
 * One environment: one file in `environments/` (or `examples/`). A section
 * that is present turns its module on; an absent one leaves it off.
 */
export interface EnvironmentConfig {
  /** Environment name, `[a-z0-9-]`; must equal the file name. */
  readonly name: string;
  /** The 12-digit AWS account the environment is deployed to; it needs an entry in `project.accounts`. */
  readonly accountId: string;
  /** AWS region, one of the regions Keel knows (`modules/label/regions.ts`); listed for the account. */
  readonly region: string;
  /** The environment's ownership tags, each over the project's `tags` (which it inherits where absent). */
  readonly tags?: Partial<EnvironmentTags>;
  /** How hard stateful resources are protected: `production` or `disposable` (`lib/protection.ts`). */
  readonly protection: ProtectionProfileName;
  /** The network: a VPC Keel creates, or an existing one. */
  readonly network?: NetworkConfig;
  /** KMS keys (always, as modules need them) and application secrets, created empty. */
  readonly security?: SecurityConfig;
  /** An Aurora PostgreSQL Serverless v2 cluster in the network's database subnets. */
  readonly aurora?: AuroraConfig;
  /** An RDS for PostgreSQL instance in the network's DB subnet group. */
  readonly rds?: RdsConfig;
  /** A Session Manager bastion; it is granted PostgreSQL to Aurora (or RDS) when both are on. */
  readonly bastion?: BastionConfig;
  /** Application S3 buckets. */
  readonly buckets?: BucketsConfig;
  /** Container image repositories. */
  readonly ecr?: EcrConfig;
  /** A Fargate cluster and its services. */
  readonly ecs?: EcsConfig;
  /** An internet-facing load balancer routing to `ecs` services. */
  readonly alb?: AlbConfig;
  /** A WAF web ACL in front of the load balancer. */
  readonly waf?: WafConfig;
  /** An existing Route 53 hosted zone for records and certificate validation. */
  readonly dns?: DnsConfig;
  /** A Cognito user pool (and identity pool). */
  readonly auth?: AuthConfig;
  /** CloudFront distributions in front of buckets. */
  readonly cdn?: CdnConfig;
  /** API Gateway REST and HTTP APIs. */
  readonly api?: ApiConfig;
  /** SQS queues. */
  readonly queues?: QueuesConfig;
  /** SES sending from a domain in the `dns` zone. */
  readonly email?: EmailConfig;
  /** Lambda functions. */
  readonly functions?: FunctionsConfig;
  /** App Runner services. */
  readonly apprunner?: AppRunnerServicesConfig;
  /** The environment's alarm topic, alarms and dashboard. */
  readonly alarms?: AlarmsConfig;
  /**
   * AWS Backup of the environment's data stores (Aurora, RDS, the `buckets`), in a vault under
   * its own key, locked in the production profile; failed jobs go to the alarm topic.
   */
  readonly backup?: BackupConfig;
  /**
   * Compliance findings this environment accepts, each on one resource by its
   * Terraform address, with a reason (and, for an error-level rule in a
   * `production` environment, an expiry date). `keel check` prints them.
   * @default []
   */
  readonly suppressions?: readonly ConfigSuppression[];
  /** What a month's use looks like, for `keel cost` only (builds nothing). @default DEFAULT_USAGE */
  readonly usage?: UsageAssumptions;
  /**
   * How this environment's physical names are made, over the project's
   * `naming`, and names set by hand (`names`), e.g. an existing system's
   * names to adopt it under. (module `label`)
   * @default - the project's naming
   */
  readonly naming?: NamingConfig;
  /**
   * Resources that already exist in AWS, imported (Terraform `import`
   * blocks) instead of created: each keyed by its Terraform address, as
   * `keel plan` prints it, to its AWS id in the form its import takes (a
   * bucket's name, a load balancer's ARN; `environments/lib/import-ids.ts`).
   * `keel adopt <env>` finds them and writes `<env>.adopt.ts`.
   * @default {} - everything is created
   */
  readonly adopt?: AdoptionList;
}

/** How physical names are made, and names set by hand (module `label`). */
export type NamingConfig = NamingProps;

/** AWS Backup (module `backup`): the vault's key, the alarm topic and the protection come from the stack. */
export type BackupConfig = Omit<BackupProps, "kmsKeyArn" | "alarmTopicArn" | "protection">;

/** Existing resources to import: Terraform address to AWS import id. */
export type AdoptionList = Readonly<Record<string, string>>;

/** A suppression in config: the resource by its Terraform address (`aws_lb_listener.alb_http`), and the rule it may break. */
export type ConfigSuppression = Suppression & {
  /** The resource's Terraform address, as `terraform plan` and `keel check` print it. */
  readonly resource: string;
};

/** The account's multi-region trail (module `cloudtrail`), in its home region. */
export type CloudTrailConfig = Omit<TrailProps, "kmsKeyArn" | "protection">;
/** AWS Config and the HIPAA conformance pack (module `config`), in every region of the account. */
export type AwsConfigConfig = Omit<ConfigRecorderProps, "kmsKeyArn" | "recordGlobalResources" | "protection">;
/** GuardDuty (module `guardduty`), in every region of the account; findings go to the alarm topic. */
export type GuardDutyConfig = Omit<DetectorProps, "alarmTopicArn">;
/** The account's alarm topic and account-wide alarms. */
export type AccountAlarmsConfig = Omit<AlarmTopicProps, "kmsKeyArn"> & {
  /**
   * Alarm when the month's estimated charges pass this many US dollars. The
   * billing metric exists only in us-east-1, so the account must list it, and
   * "Receive Billing Alerts" must be on in the account's billing preferences.
   * @default - no billing alarm
   */
  readonly monthlyBudgetUsd?: number;
};

/** One AWS account Keel deploys to, with the regions it uses. Each gets an account stack per region. */
export interface AccountConfig {
  /** The 12-digit account id. */
  readonly accountId: string;
  /**
   * Regions used in the account. The first is its home region, where
   * account-wide settings (the S3 public access block) are managed.
   */
  readonly regions: readonly string[];
  /** A multi-region trail, managed from the home region. */
  readonly cloudtrail?: CloudTrailConfig;
  /** AWS Config with the HIPAA conformance pack, in every region; global resources in the home region. */
  readonly config?: AwsConfigConfig;
  /** GuardDuty in every region (needs `alarms`). */
  readonly guardduty?: GuardDutyConfig;
  /** The account's alarm topic, CloudTrail metric-filter alarms and the billing alarm. */
  readonly alarms?: AccountAlarmsConfig;
  /**
   * The API Gateway CloudWatch role of each region, which REST API execution
   * logging needs (one setting per account and region).
   * @default false
   */
  readonly apiGatewayLogging?: boolean;
  /** A monthly AWS Budgets cost budget with email alerts, managed from the home region. @default - none */
  readonly budget?: BudgetProps;
  /**
   * The account's Lambda concurrency quota in its regions (Service Quotas),
   * which reserved concurrency is checked against.
   * @default 1000 - the default quota
   */
  readonly lambdaConcurrencyLimit?: number;
  /**
   * Let buckets have public policies (a `publicRead` bucket): the
   * account-wide block then still refuses public ACLs. Needs a reason.
   * @default - public bucket policies blocked account-wide
   */
  readonly publicBucketPolicies?: PublicRead;
  /**
   * The AWS shared-config profile Terraform uses for every stack in this
   * account (`aws configure sso --profile <name>`), e.g. one profile per
   * account on a workstation.
   * @default - the default credential chain: environment variables, the default profile, SSO, an instance or CI role
   */
  readonly profile?: string;
  /**
   * A role in this account that Terraform assumes, from whatever credentials
   * it starts with, for every stack in the account: one CI identity deploys
   * several accounts. The session is named after the stack.
   * @default - no role: the credentials are used as they are
   */
  readonly roleArn?: string;
}

/** Where Terraform state lives: created by the bootstrap stack, used by every other stack. */
export interface StateBackendConfig {
  /** Account that holds the state bucket and lock table; one of `accounts`. */
  readonly accountId: string;
  readonly region: string;
  /** Globally unique S3 bucket name for state. */
  readonly bucket: string;
  /** DynamoDB table for state locks. */
  readonly lockTable: string;
  /** Days a noncurrent state version is kept before it expires. */
  readonly noncurrentVersionExpirationDays: number;
  /**
   * Whether the bootstrap stack's own state has been migrated into the bucket
   * (see README). `false` keeps it in a local file at the project root.
   */
  readonly bootstrapStateInBucket: boolean;
}

/** Project-wide settings, shared by every environment. */
/**
 * Delivery from GitHub Actions (README, CI/CD): keyless roles in every
 * account and the workflows `keel ci` writes.
 */
export interface CiConfig extends Pick<GithubCiProps, "repository" | "branch" | "createOidcProvider"> {
  /**
   * The GitHub environment each stack applies in, by stack id (an
   * environment's name, `account-<accountId>-<region>`). Give production's
   * required reviewers in GitHub; the apply role of an account trusts only
   * its stacks' environments.
   * @default - a GitHub environment named after the stack
   */
  readonly environments?: Readonly<Record<string, string>>;
  /**
   * The runner every job runs on.
   * @default "ubuntu-latest"
   */
  readonly runsOn?: string;
  /**
   * When the drift check runs, as a cron expression in UTC (GitHub's `schedule`).
   * @default "17 5 * * *" - daily at 05:17 UTC, off the hour GitHub's schedules crowd
   */
  readonly driftSchedule?: string;
}

export interface ProjectConfig {
  /** The first part of every physical name and the Project tag. */
  readonly namespace: string;
  readonly tags: EnvironmentTags;
  readonly state: StateBackendConfig;
  /** Every account and region an environment uses; each gets an account stack, deployed first. */
  readonly accounts: readonly AccountConfig[];
  /**
   * How every environment's physical names are made (an environment's
   * `naming` goes over it; the bootstrap and account stacks keep Keel's,
   * which carry the region that keeps account-wide names apart). Names set
   * by hand belong to an environment. Changing it renames, and so replaces,
   * what exists.
   * @default - `<namespace>-<environment>-<name>`
   */
  readonly naming?: Omit<NamingConfig, "names">;
  /**
   * Plan in pull requests, apply on merge and check drift nightly from this
   * GitHub repository, with keyless roles in every account.
   * @default - no CI roles and no workflows
   */
  readonly ci?: CiConfig;
}
