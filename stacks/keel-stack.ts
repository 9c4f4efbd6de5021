import { Construct } from "constructs";
import { S3Backend, TerraformElement, TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { EnvironmentTags, ProjectConfig } from "../environments";
import { Label } from "../modules/label";
import { stateAccessRoleArn, stateKey } from "../modules/state-backend/names";

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

  /** A stack output with a description; outputs hold ids and ARNs, never a secret value. */
  public output(id: string, value: unknown, description: string): TerraformOutput {
    return new TerraformOutput(this, id, { value, description });
  }
}

/** Where a stack deploys and how its resources are named and tagged. */
export interface StackPlace {
  readonly project: ProjectConfig;
  /** The Label's environment: the environment name, `bootstrap`, or `account-<region>`. */
  readonly environment: string;
  readonly accountId: string;
  readonly region: string;
  readonly tags: EnvironmentTags;
}

/** Attaches the stack's Label and configures its one AWS provider from it. */
export function configureStack(stack: TerraformStack, place: StackPlace): Label {
  const label = Label.attach(
    stack,
    new Label({
      namespace: place.project.namespace,
      environment: place.environment,
      tags: place.tags,
      accountId: place.accountId,
      region: place.region,
    }),
  );
  new AwsProvider(stack, "aws", {
    region: place.region,
    allowedAccountIds: [place.accountId],
    defaultTags: [{ tags: label.tags }],
  });
  return label;
}

/**
 * The one S3 backend block every stack uses: its own key in the state
 * bucket, DynamoDB locking, and, for a stack in another account than the
 * state's, the role the bootstrap stack made for that account.
 */
export function stateBackend(stack: TerraformStack, project: ProjectConfig, stackId: string, accountId: string): S3Backend {
  const { state } = project;
  return new S3Backend(stack, {
    bucket: state.bucket,
    key: stateKey(stackId),
    region: state.region,
    encrypt: true,
    dynamodbTable: state.lockTable,
    ...(accountId === state.accountId ? {} : { assumeRole: { roleArn: stateAccessRoleArn(project.namespace, state.accountId, accountId) } }),
  });
}
