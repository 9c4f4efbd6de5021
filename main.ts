import { Construct } from "constructs";
import { App, LocalBackend, S3Backend, TerraformElement, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ConfigError, EnvironmentConfig, LoadedConfig, ProjectConfig, loadConfig } from "./environments";
import { Label } from "./modules/label";
import { StateBackend } from "./modules/state-backend";

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

/** One environment: everything it runs, with its state in the shared S3 backend. */
export class EnvironmentStack extends KeelStack {
  public readonly label: Label;

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
  let config: LoadedConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      // One clear message, no stack trace: the problem is the config, not the code.
      process.stderr.write(`Keel configuration is invalid:\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  buildApp(new App(), config).synth();
}

if (require.main === module) main();
