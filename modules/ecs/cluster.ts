import { Construct } from "constructs";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { Label, TaggableProps } from "../label";
import { LogGroup, checkRetention } from "../logs";
import { ProtectionProfile } from "../protection";
import { PropsCheck } from "../validation";

export interface ClusterProps extends TaggableProps {
  /** KMS key of the execute-command log group. */
  readonly logKmsKeyArn: string;
  /**
   * Days execute-command session logs are kept; one of the values CloudWatch accepts.
   * @default 365
   */
  readonly execLogRetentionInDays?: number;
  /** `protectAuditLogs`: `prevent_destroy` on the execute-command log group. */
  readonly protection: Pick<ProtectionProfile, "protectAuditLogs">;
}

/**
 * A Fargate-only ECS cluster, `<namespace>-<env>`: Container Insights on,
 * and every `ecs execute-command` session logged to a KMS-encrypted log group
 * (the agent refuses a session it cannot log encrypted).
 */
export class Cluster extends Construct {
  public readonly resource: EcsCluster;
  public readonly clusterName: string;
  public readonly clusterArn: string;
  public readonly execLogGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ClusterProps) {
    super(scope, id);
    const retention = props.execLogRetentionInDays ?? 365;
    checkRetention(new PropsCheck("Cluster"), "execLogRetentionInDays", retention).nonEmpty("logKmsKeyArn", props.logKmsKeyArn).tags("tags", props.tags).done();
    const label = Label.of(this);
    this.clusterName = label.id("", "ecsCluster");
    this.execLogGroup = new LogGroup(this, "exec-log-group", {
      logGroupName: `/ecs/${this.clusterName}/execute-command`,
      retentionInDays: retention,
      kmsKeyArn: props.logKmsKeyArn,
      preventDestroy: props.protection.protectAuditLogs,
      tags: props.tags,
    });
    this.resource = new EcsCluster(this, "resource", {
      name: this.clusterName,
      setting: [{ name: "containerInsights", value: "enabled" }],
      configuration: {
        executeCommandConfiguration: {
          logging: "OVERRIDE",
          logConfiguration: { cloudWatchLogGroupName: this.execLogGroup.logGroupName, cloudWatchEncryptionEnabled: true },
        },
      },
      tags: label.resourceTags(this.clusterName, props.tags),
    });
    new EcsClusterCapacityProviders(this, "capacity-providers", {
      clusterName: this.resource.name,
      capacityProviders: ["FARGATE"],
      defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
    });
    this.clusterArn = this.resource.arn;
  }
}
