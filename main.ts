import { Construct } from "constructs";
import { App, LocalBackend, S3Backend, TerraformElement, TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ConfigError, EnvironmentConfig, LoadedConfig, ProjectConfig, loadConfig } from "./environments";
import { Label } from "./modules/label";
import { StateBackend } from "./modules/state-backend";
import { Security } from "./modules/security";
import { Vpc, VpcProps } from "./modules/vpc";
import { Aurora, AuroraProps } from "./modules/aurora";
import { Bastion, BastionProps } from "./modules/bastion";
import { PropsError } from "./modules/validation";

/**
 * Every key of a config section must be a prop of the module it is spread
 * into: a misspelt key fails to compile instead of silently not applying.
 */
type KeysOf<Config, Props> = Exclude<keyof Config, keyof Props> extends never ? true : ["unknown keys", Exclude<keyof Config, keyof Props>];
const configKeysAreProps: [
  KeysOf<EnvironmentConfig["network"], VpcProps>,
  KeysOf<EnvironmentConfig["database"], AuroraProps>,
  KeysOf<Omit<EnvironmentConfig["bastion"], "enabled">, BastionProps>,
] = [true, true, true];
void configKeysAreProps;

/** The id of the stack that creates the state bucket and lock table. */
export const BOOTSTRAP_STACK = "bootstrap";

interface StackContext {
  readonly project: ProjectConfig;
  readonly environment: string;
  readonly accountId: string;
  readonly region: string;
  readonly tags: EnvironmentConfig["tags"];
}

/**
 * A stack whose Terraform addresses read like hand-written Terraform:
 * `aws_kms_key.state_key` instead of `state_key_resource_D5FEB0B7`. The name is
 * the construct path below the stack, `_`-joined, with the `resource` segment
 * (a module's main resource) left out. Renaming a construct id renames the
 * address, so ids are part of the contract; two paths that map to one name
 * stop synth instead of silently sharing an address.
 */
export abstract class KeelStack extends TerraformStack {
  private readonly logicalIds = new Map<string, string>();

  protected override allocateLogicalId(element: TerraformElement | Construct["node"]): string {
    const node = element instanceof TerraformElement ? element.node : element;
    const path = node.scopes.slice(node.scopes.indexOf(this) + 1).map((c) => c.node.id);
    const name = path
      .filter((id) => id !== "resource")
      .join("_")
      .replace(/[^A-Za-z0-9_]/g, "_");
    const owner = this.logicalIds.get(name);
    if (owner !== undefined && owner !== node.path) {
      throw new Error(`Terraform address '${name}' is claimed by both '${owner}' and '${node.path}': rename one construct id`);
    }
    this.logicalIds.set(name, node.path);
    return name;
  }
}

/** Attaches the stack's Label and configures the one AWS provider from it. */
function configureStack(stack: TerraformStack, ctx: StackContext): Label {
  const label = Label.attach(
    stack,
    new Label({
      namespace: ctx.project.namespace,
      environment: ctx.environment,
      tags: ctx.tags,
      accountId: ctx.accountId,
      region: ctx.region,
    }),
  );
  new AwsProvider(stack, "aws", {
    region: ctx.region,
    allowedAccountIds: [ctx.accountId],
    defaultTags: [{ tags: label.tags }],
  });
  return label;
}

/** What an environment stack runs; exposed for tests and later modules. */
export interface Platform {
  readonly security: Security;
  readonly vpc: Vpc;
  readonly aurora: Aurora;
  readonly bastion?: Bastion;
}

/** One environment: everything it runs, with its state in the shared S3 backend. */
export class EnvironmentStack extends KeelStack {
  public readonly label: Label;
  public readonly platform: Platform;

  constructor(scope: Construct, config: EnvironmentConfig, project: ProjectConfig) {
    super(scope, config.name);
    this.label = configureStack(this, {
      project,
      environment: config.name,
      accountId: config.accountId,
      region: config.region,
      tags: config.tags,
    });
    new S3Backend(this, {
      bucket: project.state.bucket,
      key: `${config.name}/terraform.tfstate`,
      region: project.state.region,
      encrypt: true,
      dynamodbTable: project.state.lockTable,
    });
    try {
      this.platform = composePlatform(this, config);
    } catch (error) {
      if (error instanceof PropsError) throw error.in(`environment '${config.name}' (environments/${config.name}.ts)`);
      throw error;
    }
    platformOutputs(this, this.platform);
  }
}

/** Seed 003's network and data layer, from one environment's config. */
function composePlatform(stack: EnvironmentStack, config: EnvironmentConfig): Platform {
  const protect = config.productionGrade;
  const security = new Security(stack, "security", {
    secrets: config.secrets,
    secretRecoveryWindowInDays: protect ? 30 : 7,
    preventDestroy: protect,
  });
  const vpc = new Vpc(stack, "vpc", { ...config.network, flowLogKmsKeyArn: security.logsKey.keyArn });
  const aurora = new Aurora(stack, "aurora", {
    ...config.database,
    vpc,
    storageKmsKeyArn: security.databaseKey.keyArn,
    secretKmsKeyArn: security.secretsKey.keyArn,
    logKmsKeyArn: security.logsKey.keyArn,
    deletionProtection: protect,
    skipFinalSnapshot: !protect,
    preventDestroy: protect,
  });
  const { enabled: bastionEnabled, ...bastionConfig } = config.bastion;
  let bastion: Bastion | undefined;
  if (bastionEnabled) {
    bastion = new Bastion(stack, "bastion", {
      ...bastionConfig,
      vpc,
      volumeKmsKeyArn: security.logsKey.keyArn,
      logKmsKeyArn: security.logsKey.keyArn,
    });
    aurora.allowFrom(bastion);
  }
  return { security, vpc, aurora, bastion };
}

/** The stack's outputs: ids and endpoints other stacks and people need; never a secret value. */
function platformOutputs(stack: EnvironmentStack, p: Platform): void {
  const output = (id: string, value: unknown, description: string): void => {
    new TerraformOutput(stack, id, { value, description });
  };
  output("vpc-id", p.vpc.vpcId, "ID of the VPC");
  output("public-subnet-ids", p.vpc.publicSubnetIds, "IDs of the public subnets, in AZ order");
  output("private-subnet-ids", p.vpc.privateSubnetIds, "IDs of the private (application) subnets, in AZ order");
  output("database-subnet-ids", p.vpc.databaseSubnetIds, "IDs of the data subnets, in AZ order");
  output("public-route-table-ids", p.vpc.publicRouteTableIds, "IDs of the public route tables");
  output("private-route-table-ids", p.vpc.privateRouteTableIds, "IDs of the private route tables, one per AZ");
  output("database-route-table-ids", p.vpc.databaseRouteTableIds, "IDs of the data route tables, one per AZ");
  output("nat-gateway-ids", p.vpc.natGatewayIds, "IDs of the NAT gateways");
  output("database-subnet-group-name", p.vpc.databaseSubnetGroup?.name ?? "", "Name of the DB subnet group over the data subnets");
  output("aurora-cluster-endpoint", p.aurora.clusterEndpoint, "Writer endpoint of the Aurora cluster");
  output("aurora-reader-endpoint", p.aurora.clusterReaderEndpoint, "Reader endpoint of the Aurora cluster");
  output("aurora-port", p.aurora.clusterPort, "PostgreSQL port");
  output("aurora-master-user-secret-arn", p.aurora.masterUserSecretArn, "ARN of the RDS-managed secret holding the master password (the ARN, not the value)");
  output("aurora-security-group-id", p.aurora.securityGroupId, "Security group of the Aurora cluster");
  output("kms-key-arns", {
    database: p.security.databaseKey.keyArn,
    logs: p.security.logsKey.keyArn,
    secrets: p.security.secretsKey.keyArn,
  }, "ARNs of the database, logs-and-storage and secrets KMS keys");
  output(
    "secret-arns",
    Object.fromEntries([...p.security.secrets].map(([name, secret]) => [name, secret.arn])),
    "ARNs of the application secrets (created empty; set values outside Terraform)",
  );
  if (p.bastion) {
    output("bastion-instance-id", p.bastion.instanceId, "Instance ID of the bastion (aws ssm start-session --target)");
    output("bastion-session-document", p.bastion.sessionDocumentName, "Session Manager document that logs sessions (--document-name)");
  }
}

/**
 * Creates what every environment's backend needs. Applied once, first, with
 * local state; afterwards its state may move into the bucket it created
 * (`state.bootstrapStateInBucket`, see README).
 */
export class BootstrapStack extends KeelStack {
  public readonly stateBackend: StateBackend;

  constructor(scope: Construct, project: ProjectConfig) {
    super(scope, BOOTSTRAP_STACK);
    const { state } = project;
    configureStack(this, {
      project,
      environment: BOOTSTRAP_STACK,
      accountId: state.accountId,
      region: state.region,
      tags: project.tags,
    });
    if (state.bootstrapStateInBucket) {
      new S3Backend(this, {
        bucket: state.bucket,
        key: `${BOOTSTRAP_STACK}/terraform.tfstate`,
        region: state.region,
        encrypt: true,
        dynamodbTable: state.lockTable,
      });
    } else {
      // Relative to cdktf.out/stacks/bootstrap: the project root, as cdktf's own default.
      new LocalBackend(this, { path: "../../../terraform.bootstrap.tfstate" });
    }
    this.stateBackend = new StateBackend(this, "state", {
      bucketName: state.bucket,
      lockTableName: state.lockTable,
      noncurrentVersionExpirationDays: state.noncurrentVersionExpirationDays,
    });
  }
}

/** Adds the bootstrap stack and one stack per environment to `app`. */
export function buildApp(app: App, config: LoadedConfig): App {
  new BootstrapStack(app, config.project);
  for (const environment of config.environments) new EnvironmentStack(app, environment, config.project);
  return app;
}

function main(): void {
  let app: App;
  try {
    app = buildApp(new App(), loadConfig());
  } catch (error) {
    if (error instanceof ConfigError || error instanceof PropsError) {
      // One clear message, no stack trace: the problem is the config, not the code.
      process.stderr.write(`Keel configuration is invalid:\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  app.synth();
}

if (require.main === module) main();
