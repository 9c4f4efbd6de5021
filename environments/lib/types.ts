import type { InterfaceEndpointService, SubnetTier } from "../../modules/vpc";
import type { PgauditClass } from "../../modules/aurora";
import type { BastionAmi } from "../../modules/bastion";
import type { SecretSpec } from "../../modules/security";

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

/** The network of an environment (module `vpc`). */
export interface NetworkConfig {
  /** IPv4 CIDR of the VPC, between /16 and /24. */
  readonly cidr: string;
  /** Two or three distinct availability zones of the environment's region. */
  readonly azs: readonly string[];
  /** One public subnet per AZ, or none. */
  readonly publicSubnets: readonly string[];
  /** One private (application) subnet per AZ, or none. */
  readonly privateSubnets: readonly string[];
  /** One data subnet per AZ, or none. */
  readonly databaseSubnets: readonly string[];
  /** NAT gateways for private subnets. */
  readonly enableNatGateway: boolean;
  /** One NAT gateway instead of one per AZ. */
  readonly singleNatGateway: boolean;
  /** Route data subnets to NAT (seed 003) instead of keeping them isolated (seed 002). */
  readonly createDatabaseNatGatewayRoute: boolean;
  /** Auto-assign public IPs in public subnets; only with a reason. */
  readonly mapPublicIpOnLaunch: boolean;
  /** Why public subnets auto-assign public IPs (required when they do). */
  readonly mapPublicIpOnLaunchReason?: string;
  /** Days VPC flow logs are kept. */
  readonly flowLogRetentionInDays: number;
  /** Interface endpoints, for private subnets without NAT. */
  readonly interfaceEndpoints: readonly InterfaceEndpointService[];
}

/** The Aurora PostgreSQL Serverless v2 cluster (module `aurora`). */
export interface DatabaseConfig {
  readonly engineVersion: string;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly writer: boolean;
  readonly readers: number;
  readonly backupRetentionPeriod: number;
  readonly preferredBackupWindow: string;
  readonly logRetentionInDays: number;
  readonly pgauditLog: readonly PgauditClass[];
}

/** The Session Manager bastion (module `bastion`). */
export interface BastionConfig {
  readonly enabled: boolean;
  readonly subnetTier: SubnetTier;
  readonly instanceType: string;
  readonly ami: BastionAmi;
  readonly sessionLogRetentionInDays: number;
}

/** Everything that differs between environments. One file per environment in `environments/`. */
export interface EnvironmentConfig {
  /** Environment name, `[a-z0-9-]`; must equal the file name. */
  readonly name: string;
  /** The 12-digit AWS account the environment is deployed to (`allowed_account_ids`). */
  readonly accountId: string;
  /** AWS region, one of the regions in `lib/regions.ts`. */
  readonly region: string;
  readonly tags: EnvironmentTags;
  /**
   * Production-grade protection of stateful resources: deletion protection,
   * final snapshots, `prevent_destroy` on keys and the database, 30-day
   * secret recovery. `false` lets the environment be destroyed and rebuilt.
   */
  readonly productionGrade: boolean;
  readonly network: NetworkConfig;
  /** Application secrets, created empty (values are set outside Terraform). */
  readonly secrets: readonly SecretSpec[];
  readonly database: DatabaseConfig;
  readonly bastion: BastionConfig;
}

/** Where Terraform state lives: created by the bootstrap stack, used by every environment. */
export interface StateBackendConfig {
  /** Account that holds the state bucket and lock table. */
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
export interface ProjectConfig {
  /** The first part of every physical name and the Project tag. */
  readonly namespace: string;
  readonly tags: EnvironmentTags;
  readonly state: StateBackendConfig;
}
