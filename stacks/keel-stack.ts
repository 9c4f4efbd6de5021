import { Construct } from "constructs";
import { S3Backend, TerraformElement, TerraformOutput, TerraformResource, TerraformStack } from "cdktf";
import { AwsProvider, AwsProviderConfig } from "@cdktf/provider-aws/lib/provider";
import type { EnvironmentTags, ProjectConfig } from "../environments";
import { Label, NamingProps } from "../modules/label";
import { enforceCompliance, utcToday } from "../modules/compliance/check";
import { isDate } from "../modules/compliance/suppress";
import { stateAccessRoleArn, stateKey, stateKeyAliasArn, stateReadRoleArn } from "../modules/state-backend/names";

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

  private readonly moves: { from: string; to: string }[] = [];

  /**
   * A `moved` block from an address the resource had before to the one it has
   * now, so that Terraform renames it in state instead of replacing it. The
   * same block cdktf's `moveFromId` writes, without the `terraform version`
   * process cdktf starts on every synth to check that moves are supported:
   * `terraform.required_version` already demands 1.11.
   */
  public moved(resource: TerraformResource, from: string): void {
    this.moves.push({ from, to: `${resource.terraformResourceType}.${resource.friendlyUniqueId}` });
    this.addOverride("moved", [...this.moves]);
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
  /**
   * Whether an error-level compliance finding stops synth: environments
   * protected as `production`, and the bootstrap and account stacks, which
   * hold the state and the audit trail of every environment.
   */
  readonly enforceCompliance: boolean;
  /** How names are made, and names set by hand. @default - Keel's pattern */
  readonly naming?: NamingProps;
}

/**
 * The Terraform versions every stack accepts: 1.11 is what Keel is tested
 * with, and the S3 backend's `use_lockfile` needs at least 1.10.
 */
export const REQUIRED_TERRAFORM_VERSION = ">= 1.11.0, < 2.0.0";

/**
 * Attaches the stack's Label, declares the Terraform versions it accepts and
 * configures its one AWS provider from the Label.
 */
export function configureStack(stack: TerraformStack, place: StackPlace): Label {
  // cdktf 0.21 has no property for it; the override lands in the `terraform` block.
  stack.addOverride("terraform.required_version", REQUIRED_TERRAFORM_VERSION);
  const label = Label.attach(
    stack,
    new Label({
      namespace: place.project.namespace,
      environment: place.environment,
      tags: place.tags,
      accountId: place.accountId,
      region: place.region,
      ...(place.naming === undefined ? {} : { naming: place.naming }),
    }),
  );
  enforceCompliance(stack, place.enforceCompliance, complianceDate());
  new AwsProvider(stack, "aws", {
    region: place.region,
    allowedAccountIds: [place.accountId],
    defaultTags: [{ tags: label.tags }],
    ...credentials(stack, providerCredentials(place.project, place.accountId, stack.node.id)),
  });
  return label;
}

const CREDENTIALS = new WeakMap<TerraformStack, Pick<AwsProviderConfig, "profile" | "assumeRole">>();

function credentials<T extends Pick<AwsProviderConfig, "profile" | "assumeRole">>(stack: TerraformStack, given: T): T {
  CREDENTIALS.set(stack, given);
  return given;
}

/** The credentials settings of a stack's provider, for its other AWS providers (the us-east-1 one). */
export function stackCredentials(stack: TerraformStack): Pick<AwsProviderConfig, "profile" | "assumeRole"> {
  return CREDENTIALS.get(stack) ?? {};
}

/**
 * How Terraform authenticates to an account, from its entry in
 * `project.accounts`: a shared-config profile, a role to assume, both, or
 * (neither given) the default credential chain. Every AWS provider of a stack
 * in that account uses the same.
 */
export function providerCredentials(project: ProjectConfig, accountId: string, stackId: string): Pick<AwsProviderConfig, "profile" | "assumeRole"> {
  // In a CI job the credentials are already the account's CI role (README, CI/CD).
  if (ciRole() !== undefined) return {};
  const account = project.accounts.find((a) => a.accountId === accountId);
  return {
    ...(account?.profile !== undefined ? { profile: account.profile } : {}),
    // The session name shows in CloudTrail as who made each change: the project and the stack.
    ...(account?.roleArn !== undefined ? { assumeRole: [{ roleArn: account.roleArn, sessionName: `${project.namespace}-${stackId}`.slice(0, 64) }] } : {}),
  };
}

/**
 * The one S3 backend block every stack uses: its own key in the state
 * bucket, encrypted with the state key (without `kms_key_id`, Terraform sends
 * SSE-S3 and overrides the bucket's SSE-KMS default), locked both by
 * DynamoDB and by Terraform's S3 lock file (HashiCorp's migration path off
 * the deprecated DynamoDB locking: both are taken while both are set), and,
 * for a stack in another account than the state's, through the role the
 * bootstrap stack made for that account.
 */
export function stateBackend(stack: TerraformStack, project: ProjectConfig, stackId: string, accountId: string): S3Backend {
  const { state } = project;
  const backend = new S3Backend(stack, {
    bucket: state.bucket,
    key: stateKey(stackId),
    region: state.region,
    encrypt: true,
    kmsKeyId: stateKeyAliasArn(project.namespace, state.accountId, state.region),
    dynamodbTable: state.lockTable,
    ...(accountId === state.accountId
      ? {}
      : {
          assumeRole: {
            roleArn: ciRole() === "plan" ? stateReadRoleArn(project.namespace, state.accountId, accountId) : stateAccessRoleArn(project.namespace, state.accountId, accountId),
          },
        }),
  });
  // cdktf 0.21's S3Backend predates `use_lockfile` (Terraform 1.10).
  backend.addOverride("use_lockfile", true);
  return backend;
}

/**
 * `KEEL_CI_ROLE`, set by the workflows `keel ci` writes: `plan` or `apply`.
 * A synth for CI leaves every provider on the job's credentials (the
 * account's CI role from GitHub's OIDC token, never a profile or another
 * role), and a plan reaches another account's state through the read-only
 * state role. Undefined outside CI.
 */
export function ciRole(): "plan" | "apply" | undefined {
  const role = process.env.KEEL_CI_ROLE;
  if (role === undefined || role === "") return undefined;
  if (role !== "plan" && role !== "apply") throw new Error(`KEEL_CI_ROLE is '${role}': it must be plan or apply, or unset outside CI`);
  return role;
}

/**
 * The day suppression expiry dates are judged on: today (UTC), or
 * `KEEL_TODAY` (YYYY-MM-DD) so that tests and a re-run of an old synth are
 * reproducible. An expired suppression stops a production synth.
 */
export function complianceDate(): string {
  const pinned = process.env.KEEL_TODAY;
  if (pinned === undefined || pinned === "") return utcToday();
  if (!isDate(pinned)) throw new Error(`KEEL_TODAY is '${pinned}': it must be a date as YYYY-MM-DD, or unset for today`);
  return pinned;
}
