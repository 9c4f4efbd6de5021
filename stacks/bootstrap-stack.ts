import { Construct } from "constructs";
import { LocalBackend } from "cdktf";
import { BOOTSTRAP_STACK, LoadedConfig, accountStackId } from "../environments";
import { ciRoleArn } from "../modules/ci/names";
import { StateAccount, StateBackend } from "../modules/state-backend";
import { KeelStack, configureStack, stateBackend } from "./keel-stack";

/**
 * Creates what every other stack's backend needs. Applied once, first, with
 * local state; afterwards its state may move into the bucket it created
 * (`state.bootstrapStateInBucket`, see README).
 */
export class BootstrapStack extends KeelStack {
  public readonly stateBackend: StateBackend;

  constructor(scope: Construct, config: LoadedConfig) {
    super(scope, BOOTSTRAP_STACK);
    const { project } = config;
    const { state } = project;
    configureStack(this, { project, environment: BOOTSTRAP_STACK, accountId: state.accountId, region: state.region, tags: project.tags, enforceCompliance: true });
    if (state.bootstrapStateInBucket) {
      stateBackend(this, project, BOOTSTRAP_STACK, state.accountId);
    } else {
      // Relative to cdktf.out/stacks/bootstrap: the project root, as cdktf's own default.
      new LocalBackend(this, { path: "../../../terraform.bootstrap.tfstate" });
    }
    this.stateBackend = new StateBackend(this, "state", {
      bucketName: state.bucket,
      lockTableName: state.lockTable,
      noncurrentVersionExpirationDays: state.noncurrentVersionExpirationDays,
      otherAccounts: otherAccounts(config),
    });
  }
}

/** Every account but the state's, with the stacks deployed from it: their state is reached through a role. */
function otherAccounts({ project, environments }: LoadedConfig): StateAccount[] {
  return project.accounts
    .filter((a) => a.accountId !== project.state.accountId)
    .map((a) => ({
      accountId: a.accountId,
      stackIds: [
        ...a.regions.map((r) => accountStackId(a.accountId, r)),
        ...environments.filter((e) => e.accountId === a.accountId).map((e) => e.name),
      ],
      ...(project.ci !== undefined ? { ciPlanRoleArn: ciRoleArn(project.namespace, a.accountId, "plan") } : {}),
    }));
}
