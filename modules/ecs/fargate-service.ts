import { Construct } from "constructs";
import { ITerraformDependable, dependable } from "cdktf";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { Label, TaggableProps } from "../label";
import { IGrantable, ISecretSource, ServiceRole, pascalCase } from "../iam";
import { LogGroup, checkRetention } from "../logs";
import { Metric, MetricOptions, metric } from "../metrics";
import { Connections, EgressRule, IConnectable, INetwork, checkEgress, httpsClientGroup } from "../network";
import { ProtectionProfile } from "../protection";
import { PropsCheck, PropsError } from "../validation";
import { CPU_ARCHITECTURES, ContainerExceptions, ContainerHealthCheck, CpuArchitecture, DEPLOYERS, Deployer, FARGATE_SIZES, ServiceAutoscaling } from "./constants";
import { Cluster } from "./cluster";

/** Where a service's image comes from: a repository it may pull from (`ecr`'s `Repository`). */
export interface IImageRepository {
  readonly repositoryUrl: string;
  grantPull(grantee: IGrantable): void;
  grantPush(grantee: IGrantable): void;
}

/** A secret a container gets by ARN (`security`'s `Secret`). */
export type { ISecretSource } from "../iam";

export interface FargateServiceProps extends TaggableProps {
  /** The service's name, `[a-z0-9-]`: service and task family `<namespace>-<env>-<name>`. */
  readonly name: string;
  readonly cluster: Cluster;
  /** The network; tasks run in its private subnets without public IPs. */
  readonly network: INetwork;
  readonly repository: IImageRepository;
  /** The image tag to run (immutable in Keel's repositories). */
  readonly imageTag: string;
  /** Task CPU units: 256, 512, 1024, ... (512 is 0.5 vCPU). */
  readonly cpu: number;
  /** Task memory in MiB, a size Fargate pairs with `cpu`. */
  readonly memory: number;
  /** Tasks to run (the autoscaling minimum governs once autoscaling is on). */
  readonly desiredCount: number;
  /**
   * The port the container serves; none for a worker.
   * @default - no port: nothing may connect to it
   */
  readonly containerPort?: number;
  readonly healthCheck: ContainerHealthCheck;
  /**
   * Plain environment variables; never secrets (use `secrets`).
   * @default {}
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Egress beyond HTTPS to anywhere (which every workload has), each rule
   * with its reason: SMTP, Redis, a partner's port. @default []
   */
  readonly egress?: readonly EgressRule[];
  /**
   * Environment variables filled from secrets at start, by ARN (`valueFrom`).
   * @default {}
   */
  readonly secrets?: Readonly<Record<string, ISecretSource>>;
  /**
   * The user the container runs as; never root unless `exceptions.runAsRoot` says why.
   * @default "1000:1000"
   */
  readonly user?: string;
  /** @default {} - non-root, read-only root filesystem */
  readonly exceptions?: ContainerExceptions;
  /** @default "X86_64" */
  readonly cpuArchitecture?: CpuArchitecture;
  /** KMS key of the service's log group. */
  readonly logKmsKeyArn: string;
  /**
   * Days the container logs are kept; one of the values CloudWatch accepts.
   * @default 90
   */
  readonly logRetentionInDays?: number;
  /** @default 100 */
  readonly minimumHealthyPercent?: number;
  /** @default 200 */
  readonly maximumPercent?: number;
  /**
   * Seconds the load balancer's health checks are ignored after a task starts.
   * @default 60
   */
  readonly healthCheckGracePeriodSeconds?: number;
  /** @default - a fixed `desiredCount` */
  readonly autoscaling?: ServiceAutoscaling;
  /**
   * Who rolls out new task definitions: `terraform`, or `ci`, in which case
   * the service ignores changes to its task definition (and Terraform only
   * creates the first).
   * @default "terraform"
   */
  readonly deployedBy?: Deployer;
  /**
   * GuardDuty Runtime Monitoring adds its agent to every task; the execution
   * role must then pull the agent's image from GuardDuty's repository.
   * @default false
   */
  readonly runtimeMonitoringAgent?: boolean;
  /** `preventDestroy` on the service's log group (log groups are stateful: destroying one loses its records). */
  readonly protection: Pick<ProtectionProfile, "preventDestroy">;
  /**
   * Allow `ecs execute-command` into the tasks (logged by the cluster).
   * @default false
   */
  readonly enableExecuteCommand?: boolean;
}

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * One Fargate service: a task definition (image from its repository by tag,
 * awslogs into `/ecs/<cluster>/<service>`, a health check, secrets by ARN,
 * non-root, read-only root filesystem), an execution role that may pull only
 * its repository, write only its log group and read only its secrets, a
 * separate task role with nothing until something is granted, and a service
 * in the private subnets with a circuit breaker and rollback.
 */
export class FargateService extends Construct implements IConnectable {
  public readonly connections: Connections;
  public readonly securityGroupId: string;
  public readonly service: EcsService;
  public readonly taskDefinition: EcsTaskDefinition;
  public readonly logGroup: LogGroup;
  /** The role the application runs as: grant to it (`aurora.grantConnect(service.taskRole, user)`). */
  public readonly taskRole: ServiceRole;
  public readonly executionRole: ServiceRole;
  public readonly serviceName: string;
  public readonly containerPort?: number;
  private readonly clusterName: string;
  private readonly containerName: string;
  private readonly repository: IImageRepository;
  private readonly gracePeriod: number;

  constructor(scope: Construct, id: string, props: FargateServiceProps) {
    super(scope, id);
    validate(props);
    const label = Label.of(this);
    this.serviceName = label.id(props.name, "ecsService");
    this.clusterName = props.cluster.clusterName;
    this.repository = props.repository;
    this.containerPort = props.containerPort;
    this.containerName = props.name;
    this.gracePeriod = props.healthCheckGracePeriodSeconds ?? 60;
    const deployedBy = props.deployedBy ?? "terraform";

    const { securityGroup, connections } = httpsClientGroup(this, {
      role: `ecs-${props.name}`,
      description: `ECS service ${props.name}: its port from granted peers only; HTTPS out`,
      vpcId: props.network.vpcId,
      tags: props.tags,
      name: props.name,
      defaultPort: props.containerPort,
      egressDescription: "HTTPS to ECR, Secrets Manager, CloudWatch Logs and the APIs the service calls",
      egress: props.egress,
    });
    this.securityGroupId = securityGroup.id;
    this.connections = connections;

    this.logGroup = new LogGroup(this, "log-group", {
      logGroupName: `/ecs/${props.cluster.clusterName}/${props.name}`,
      retentionInDays: props.logRetentionInDays ?? 90,
      kmsKeyArn: props.logKmsKeyArn,
      preventDestroy: props.protection.preventDestroy,
      tags: props.tags,
    });

    const trust = { StringEquals: { "aws:SourceAccount": label.accountId } };
    this.executionRole = new ServiceRole(this, "execution-role", {
      purpose: `ecs-${props.name}-execution`,
      servicePrincipal: "ecs-tasks.amazonaws.com",
      trustConditions: trust,
      tags: props.tags,
    });
    props.repository.grantPull(this.executionRole);
    if (props.runtimeMonitoringAgent) {
      // GuardDuty's agent image lives in a regional repository of GuardDuty's own account.
      this.executionRole.addToPolicy({
        sid: "PullGuardDutyRuntimeAgent",
        actions: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
        resources: [label.arn("ecr", "repository/aws-guardduty-agent-fargate", { account: "*" })],
      });
    }
    this.logGroup.grantWrite(this.executionRole);
    const secrets = Object.entries(props.secrets ?? {});
    for (const [, secret] of secrets) secret.grantRead(this.executionRole);
    this.taskRole = new ServiceRole(this, "task-role", {
      purpose: `ecs-${props.name}-task`,
      servicePrincipal: "ecs-tasks.amazonaws.com",
      trustConditions: trust,
      tags: props.tags,
    });
    if (props.enableExecuteCommand) {
      this.taskRole.addToPolicy({
        sid: "ExecuteCommandChannels",
        actions: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
        resources: ["*"],
      });
      props.cluster.execLogGroup.grantWrite(this.taskRole);
    }

    const readonlyRoot = props.exceptions?.writableRootFilesystem === undefined;
    const environment = Object.entries(props.environment ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => ({ name, value }));
    const injected = secrets.sort(([a], [b]) => a.localeCompare(b)).map(([name, secret]) => ({ name, valueFrom: secret.secretArn }));
    // Empty lists are left out: ECS does not return them, and the plan would show them as a change.
    const container = {
      name: props.name,
      image: `${props.repository.repositoryUrl}:${props.imageTag}`,
      essential: true,
      user: props.user ?? "1000:1000",
      readonlyRootFilesystem: readonlyRoot,
      ...(props.containerPort === undefined ? {} : { portMappings: [{ containerPort: props.containerPort, protocol: "tcp" }] }),
      ...(environment.length > 0 ? { environment } : {}),
      ...(injected.length > 0 ? { secrets: injected } : {}),
      healthCheck: {
        command: props.healthCheck.command,
        interval: props.healthCheck.intervalSeconds ?? 30,
        timeout: props.healthCheck.timeoutSeconds ?? 5,
        retries: props.healthCheck.retries ?? 3,
        startPeriod: props.healthCheck.startPeriodSeconds ?? 60,
      },
      // A writable scratch directory, so a read-only root filesystem does not break temp files.
      mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
      logConfiguration: {
        logDriver: "awslogs",
        options: { "awslogs-group": this.logGroup.logGroupName, "awslogs-region": label.region, "awslogs-stream-prefix": props.name },
      },
    };
    const family = label.id(props.name, "taskFamily");
    this.taskDefinition = new EcsTaskDefinition(this, "task-definition", {
      family,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(props.cpu),
      memory: String(props.memory),
      executionRoleArn: this.executionRole.roleArn,
      taskRoleArn: this.taskRole.roleArn,
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: props.cpuArchitecture ?? "X86_64" },
      volume: [{ name: "tmp" }],
      containerDefinitions: JSON.stringify([container]),
      tags: label.resourceTags(family, props.tags),
    });

    const ignored = [...(deployedBy === "ci" ? ["task_definition"] : []), ...(props.autoscaling ? ["desired_count"] : [])];
    this.service = new EcsService(this, "resource", {
      name: this.serviceName,
      cluster: props.cluster.clusterArn,
      taskDefinition: this.taskDefinition.arn,
      desiredCount: props.autoscaling?.minCapacity ?? props.desiredCount,
      launchType: "FARGATE",
      platformVersion: "LATEST",
      enableExecuteCommand: props.enableExecuteCommand ?? false,
      networkConfiguration: { subnets: [...props.network.subnetIds("private")], securityGroups: [securityGroup.id], assignPublicIp: false },
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: props.minimumHealthyPercent ?? 100,
      deploymentMaximumPercent: props.maximumPercent ?? 200,
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
      // Decided per service at synth: CI rolls out task definitions; autoscaling owns the count.
      ...(ignored.length > 0 ? { lifecycle: { ignoreChanges: ignored } } : {}),
      tags: label.resourceTags(this.serviceName, props.tags),
    });
    if (props.autoscaling) this.autoscale(props.autoscaling);
  }

  /**
   * Puts the service behind a load balancer's target group (on its container
   * port) and starts the health-check grace period. `after` is what must
   * exist first: the listener that attaches the target group to the load
   * balancer, or ECS refuses the service.
   */
  public attachToTargetGroup(targetGroupArn: string, after: readonly ITerraformDependable[]): void {
    if (this.containerPort === undefined) {
      throw new PropsError(`FargateService '${this.containerName}'`, [
        { field: "containerPort", value: undefined, allowed: "a port: a service without one (a worker) cannot join a target group" },
      ]);
    }
    this.service.putLoadBalancer([{ targetGroupArn, containerName: this.containerName, containerPort: this.containerPort }]);
    this.service.healthCheckGracePeriodSeconds = this.gracePeriod;
    this.service.dependsOn = [...(this.service.dependsOn ?? []), ...after.map((a) => dependable(a))];
  }

  /** Admits the container port from `peer` (a load balancer), and lets the peer send to it. */
  /**
   * Lets `grantee` (CI's deploy role) roll out a new image: push it to the
   * service's repository, register a task-definition revision (ECS scopes
   * neither RegisterTaskDefinition nor DescribeTaskDefinition to a
   * resource), pass only this service's task and execution roles to ECS
   * tasks, and update and watch this service alone.
   */
  public grantDeploy(grantee: IGrantable): void {
    const name = pascalCase(this.node.id);
    this.repository.grantPush(grantee);
    grantee.addToPolicy({ sid: "RegisterTaskDefinitions", actions: ["ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition"], resources: ["*"] });
    grantee.addToPolicy({
      sid: `PassRolesOf${name}`,
      actions: ["iam:PassRole"],
      resources: [this.taskRole.roleArn, this.executionRole.roleArn],
      conditions: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
    });
    grantee.addToPolicy({ sid: `Update${name}`, actions: ["ecs:UpdateService", "ecs:DescribeServices"], resources: [this.service.id] });
  }

  public allowFrom(peer: IConnectable): void {
    this.connections.allowFrom(peer);
  }

  /** A service metric (namespace AWS/ECS). */
  public metric(metricName: string, options?: MetricOptions): Metric {
    return metric("AWS/ECS", metricName, { ClusterName: this.clusterName, ServiceName: this.serviceName }, "Average", options);
  }

  /** Average CPU of the service's tasks, percent of what they reserve. */
  public metricCpuUtilization(options?: MetricOptions): Metric {
    return this.metric("CPUUtilization", options);
  }

  /** Average memory of the service's tasks, percent of what they reserve. */
  public metricMemoryUtilization(options?: MetricOptions): Metric {
    return this.metric("MemoryUtilization", options);
  }

  /** Tasks running (Container Insights). */
  public metricRunningTaskCount(options?: MetricOptions): Metric {
    return metric("ECS/ContainerInsights", "RunningTaskCount", { ClusterName: this.clusterName, ServiceName: this.serviceName }, "Minimum", options);
  }

  private autoscale(scaling: ServiceAutoscaling): void {
    const target = new AppautoscalingTarget(this, "scaling-target", {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: `service/${this.clusterName}/${this.service.name}`,
      minCapacity: scaling.minCapacity,
      maxCapacity: scaling.maxCapacity,
    });
    const policies: Array<[string, string, number]> = [
      ["cpu", "ECSServiceAverageCPUUtilization", scaling.cpuTargetPercent ?? 70],
      ["memory", "ECSServiceAverageMemoryUtilization", scaling.memoryTargetPercent ?? 80],
    ];
    for (const [name, predefined, value] of policies) {
      new AppautoscalingPolicy(this, `scaling-${name}`, {
        name: `${this.serviceName}-${name}`,
        policyType: "TargetTrackingScaling",
        serviceNamespace: target.serviceNamespace,
        scalableDimension: target.scalableDimension,
        resourceId: target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: value,
          predefinedMetricSpecification: { predefinedMetricType: predefined },
          scaleInCooldown: 300,
          scaleOutCooldown: 60,
        },
      });
    }
  }
}

function validate(props: FargateServiceProps): void {
  const check = new PropsCheck(`FargateService '${props.name}'`);
  const memories = FARGATE_SIZES[props.cpu];
  check
    .require(/^[a-z0-9]+(-[a-z0-9]+)*$/.test(props.name) && props.name.length <= 32, "name", props.name, "lower-case letters, digits and single dashes, at most 32")
    .require(TAG.test(props.imageTag) && props.imageTag !== "latest", "imageTag", props.imageTag, "an image tag (1-128 of [A-Za-z0-9_.-]); not latest, which names no one image")
    .require(memories !== undefined, "cpu", props.cpu, `CPU units Fargate offers: ${Object.keys(FARGATE_SIZES).join(", ")} (512 is 0.5 vCPU)`)
    .require(memories === undefined || memories.includes(props.memory), "memory", props.memory, `a memory size Fargate pairs with ${props.cpu} CPU units: ${(memories ?? []).join(", ")} MiB`)
    .integer("desiredCount", props.desiredCount, 0, 1000)
    .require(props.healthCheck.command.length > 0 && ["CMD", "CMD-SHELL"].includes(props.healthCheck.command[0]), "healthCheck.command", props.healthCheck.command, 'a command starting with "CMD" or "CMD-SHELL"')
    .integer("healthCheck.intervalSeconds", props.healthCheck.intervalSeconds ?? 30, 5, 300)
    .integer("healthCheck.timeoutSeconds", props.healthCheck.timeoutSeconds ?? 5, 2, 60)
    .integer("healthCheck.retries", props.healthCheck.retries ?? 3, 1, 10)
    .integer("healthCheck.startPeriodSeconds", props.healthCheck.startPeriodSeconds ?? 60, 0, 300)
    .integer("minimumHealthyPercent", props.minimumHealthyPercent ?? 100, 0, 100)
    .integer("maximumPercent", props.maximumPercent ?? 200, 100, 200)
    .integer("healthCheckGracePeriodSeconds", props.healthCheckGracePeriodSeconds ?? 60, 0, 2147483647)
    .oneOf("deployedBy", props.deployedBy ?? "terraform", DEPLOYERS)
    .oneOf("cpuArchitecture", props.cpuArchitecture ?? "X86_64", CPU_ARCHITECTURES)
    .nonEmpty("logKmsKeyArn", props.logKmsKeyArn)
    .tags("tags", props.tags);
  checkRetention(check, "logRetentionInDays", props.logRetentionInDays ?? 90);
  if (props.containerPort !== undefined) check.integer("containerPort", props.containerPort, 1024, 65535);
  const user = props.user ?? "1000:1000";
  const root = /^(0|root)(:|$)/.test(user);
  check.require(!root || (props.exceptions?.runAsRoot ?? "").trim().length > 0, "user", user, "a non-root user, unless exceptions.runAsRoot says why");
  for (const [field, reason] of Object.entries(props.exceptions ?? {})) {
    check.require(typeof reason === "string" && reason.trim().length >= 10, `exceptions.${field}`, reason, "a sentence saying why (at least 10 characters)");
  }
  for (const name of [...Object.keys(props.environment ?? {}), ...Object.keys(props.secrets ?? {})]) {
    check.require(ENV_NAME.test(name), `environment/secrets.${name}`, name, "an environment variable name: a letter or _, then letters, digits or _");
  }
  for (const name of Object.keys(props.secrets ?? {})) {
    check.require(!(name in (props.environment ?? {})), `secrets.${name}`, name, "a name not also in environment");
  }
  const scaling = props.autoscaling;
  if (scaling !== undefined) {
    check
      .integer("autoscaling.minCapacity", scaling.minCapacity, 1, 1000)
      .integer("autoscaling.maxCapacity", scaling.maxCapacity, scaling.minCapacity, 1000)
      .integer("autoscaling.cpuTargetPercent", scaling.cpuTargetPercent ?? 70, 10, 95)
      .integer("autoscaling.memoryTargetPercent", scaling.memoryTargetPercent ?? 80, 10, 95);
  }
  checkEgress(check, "egress", props.egress);
  check.done();
}
