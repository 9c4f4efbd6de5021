import { Construct } from "constructs";
import { ApprunnerService } from "@cdktf/provider-aws/lib/apprunner-service";
import { ApprunnerVpcConnector } from "@cdktf/provider-aws/lib/apprunner-vpc-connector";
import { ApprunnerAutoScalingConfigurationVersion } from "@cdktf/provider-aws/lib/apprunner-auto-scaling-configuration-version";
import { Label, TaggableProps } from "../label";
import { IGrantable, ISecretSource, ServiceRole, pascalCase } from "../iam";
import type { IImageRepository } from "../ecs/fargate-service";
import { Metric, MetricOptions, metric } from "../metrics";
import { Connections, EgressRule, IConnectable, INetwork, SubnetTier, checkEgress, httpsClientGroup, privateEgress } from "../network";
import { PropsCheck, PropsError } from "../validation";
import { hasUrlCredentials, isCredentialName } from "../validation/secrets";
import { DEPLOYERS, Deployer } from "../ecs/constants";
import { APPRUNNER_SIZES, AppRunnerHealthCheck, AppRunnerScaling } from "./constants";

/** The VPC connector: the service's outbound traffic goes through the network's subnets. */
export interface AppRunnerVpcProps {
  readonly network: INetwork;
  /** @default "private" */
  readonly subnets?: SubnetTier;
  /**
   * Why the service needs no internet. With a connector, all its egress
   * leaves through these subnets; without a NAT route there, calls to outside
   * APIs time out. Without this, Keel refuses such subnets.
   * @default - the service needs egress
   */
  readonly noInternetReason?: string;
  /**
   * Egress beyond HTTPS to anywhere (which every workload has), each rule
   * with its reason: SMTP, Redis, a partner's port. @default []
   */
  readonly egress?: readonly EgressRule[];
}

export interface AppRunnerServiceProps extends TaggableProps {
  /** Short name, `[a-z0-9-]`: the service is `<namespace>-<env>-<name>`. */
  readonly name: string;
  /** The ECR repository the image comes from, pulled through an access role. */
  readonly repository: IImageRepository;
  /** @default "latest" is refused: a tag that names one build, e.g. a git sha */
  readonly imageTag: string;
  /** @default 8080 */
  readonly port?: number;
  /** vCPU and memory, e.g. `{ cpu: "1024", memory: "2048" }`. @default { cpu: "1024", memory: "2048" } */
  readonly size?: { readonly cpu: string; readonly memory: string };
  /** Plain settings; credentials are refused (use `secrets`). @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /** Secrets App Runner reads into the environment by ARN; the instance role may read each. @default {} */
  readonly secrets?: Readonly<Record<string, ISecretSource>>;
  /** @default { protocol: "HTTP", path: "/health" } */
  readonly healthCheck?: AppRunnerHealthCheck;
  /** @default { minSize: 1, maxSize: 3, maxConcurrency: 100 } */
  readonly autoScaling?: AppRunnerScaling;
  /** Egress through a VPC connector (to reach RDS). @default - App Runner's own internet egress */
  readonly vpc?: AppRunnerVpcProps;
  /**
   * `ci`: CI deploys new images (`aws apprunner start-deployment` or an
   * image update); Terraform ignores the image after creating the service.
   * @default "terraform"
   */
  readonly deployedBy?: Deployer;
}

const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9-_]{3,39}$/;
const ENV_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * An App Runner service from an ECR image: pulled through an access role
 * only App Runner's build service may assume, run as an instance role that
 * holds only what `grant*` calls add, with secrets by ARN, an auto-scaling
 * configuration, a health check, and optionally a VPC connector whose
 * subnets are checked for egress.
 */
export class AppRunnerService extends Construct implements IConnectable {
  public readonly resource: ApprunnerService;
  public readonly serviceName: string;
  public readonly serviceUrl: string;
  public readonly serviceArn: string;
  /** What the application runs as: grant to this. */
  public readonly instanceRole: ServiceRole;
  public readonly accessRole: ServiceRole;
  private readonly repository: IImageRepository;
  private readonly vpcConnections?: Connections;
  /** The VPC connector's security group, when the service has one. */
  public readonly connectorSecurityGroupId?: string;

  constructor(scope: Construct, id: string, props: AppRunnerServiceProps) {
    super(scope, id);
    const label = Label.of(this);
    this.serviceName = label.id(props.name, "apprunnerService");
    validate(props, this.serviceName);
    const trust = { StringEquals: { "aws:SourceAccount": label.accountId } };
    this.accessRole = new ServiceRole(this, "access-role", { purpose: `apprunner-${props.name}-access`, servicePrincipal: "build.apprunner.amazonaws.com", trustConditions: trust, tags: props.tags });
    props.repository.grantPull(this.accessRole);
    this.instanceRole = new ServiceRole(this, "instance-role", { purpose: `apprunner-${props.name}`, servicePrincipal: "tasks.apprunner.amazonaws.com", trustConditions: trust, tags: props.tags });
    const secrets = Object.entries(props.secrets ?? {}).sort(([a], [b]) => a.localeCompare(b));
    for (const [, secret] of secrets) secret.grantRead(this.instanceRole);

    const scaling = { minSize: 1, maxSize: 3, maxConcurrency: 100, ...props.autoScaling };
    const autoScaling = new ApprunnerAutoScalingConfigurationVersion(this, "auto-scaling", {
      autoScalingConfigurationName: label.id(props.name, "apprunnerAutoScaling"),
      minSize: scaling.minSize,
      maxSize: scaling.maxSize,
      maxConcurrency: scaling.maxConcurrency,
      tags: label.resourceTags(label.id(props.name, "apprunnerAutoScaling"), props.tags),
    });

    let connectorArn: string | undefined;
    if (props.vpc !== undefined) {
      const { securityGroup, connections } = httpsClientGroup(this, {
        role: `apprunner-${props.name}`,
        description: `App Runner ${props.name} connector: nothing in; HTTPS out`,
        vpcId: props.vpc.network.vpcId,
        tags: props.tags,
        name: props.name,
        egressDescription: "HTTPS to AWS APIs and the services the application calls",
        egress: props.vpc.egress,
      });
      this.vpcConnections = connections;
      this.connectorSecurityGroupId = securityGroup.id;
      const connectorName = label.id(props.name, "apprunnerVpcConnector");
      connectorArn = new ApprunnerVpcConnector(this, "vpc-connector", {
        vpcConnectorName: connectorName,
        subnets: [...props.vpc.network.subnetIds(props.vpc.subnets ?? "private")],
        securityGroups: [securityGroup.id],
        tags: label.resourceTags(connectorName, props.tags),
      }).arn;
    }

    const health = { protocol: "HTTP", path: "/health", intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 1, unhealthyThreshold: 5, ...props.healthCheck };
    const size = props.size ?? { cpu: "1024", memory: "2048" };
    const ci = (props.deployedBy ?? "terraform") === "ci";
    this.resource = new ApprunnerService(this, "resource", {
      serviceName: this.serviceName,
      sourceConfiguration: {
        authenticationConfiguration: { accessRoleArn: this.accessRole.roleArn },
        autoDeploymentsEnabled: false,
        imageRepository: {
          imageIdentifier: `${props.repository.repositoryUrl}:${props.imageTag}`,
          imageRepositoryType: "ECR",
          imageConfiguration: {
            port: String(props.port ?? 8080),
            runtimeEnvironmentVariables: props.environment === undefined ? undefined : { ...props.environment },
            runtimeEnvironmentSecrets: secrets.length === 0 ? undefined : Object.fromEntries(secrets.map(([name, s]) => [name, s.secretArn])),
          },
        },
      },
      instanceConfiguration: { cpu: size.cpu, memory: size.memory, instanceRoleArn: this.instanceRole.roleArn },
      healthCheckConfiguration: {
        protocol: health.protocol,
        path: health.protocol === "HTTP" ? health.path : undefined,
        interval: health.intervalSeconds,
        timeout: health.timeoutSeconds,
        healthyThreshold: health.healthyThreshold,
        unhealthyThreshold: health.unhealthyThreshold,
      },
      autoScalingConfigurationArn: autoScaling.arn,
      networkConfiguration: {
        ingressConfiguration: { isPubliclyAccessible: true },
        egressConfiguration: connectorArn === undefined ? { egressType: "DEFAULT" } : { egressType: "VPC", vpcConnectorArn: connectorArn },
      },
      tags: label.resourceTags(this.serviceName, props.tags),
      lifecycle: ci ? { ignoreChanges: ["source_configuration[0].image_repository[0].image_identifier"] } : undefined,
    });
    this.serviceArn = this.resource.arn;
    this.repository = props.repository;
    this.serviceUrl = this.resource.serviceUrl;
  }

  /** The connector's security group, for `rds.allowFrom(service)`: only with a VPC connector. */

  /**
   * Lets `grantee` (CI's deploy role) roll out a new image: push it to the
   * service's repository, point this service at it (`UpdateService` with
   * the same access role, which it may pass to App Runner only), and watch
   * the deployment.
   */
  public grantDeploy(grantee: IGrantable): void {
    const name = pascalCase(this.node.id);
    this.repository.grantPush(grantee);
    grantee.addToPolicy({ sid: `Deploy${name}`, actions: ["apprunner:UpdateService", "apprunner:DescribeService", "apprunner:ListOperations"], resources: [this.serviceArn] });
    grantee.addToPolicy({
      sid: `PassAccessRoleOf${name}`,
      actions: ["iam:PassRole"],
      resources: [this.accessRole.roleArn],
      conditions: { StringEquals: { "iam:PassedToService": "build.apprunner.amazonaws.com" } },
    });
  }
  public get connections(): Connections {
    if (this.vpcConnections === undefined) {
      throw new PropsError(`AppRunnerService '${this.serviceName}'`, [{ field: "vpc", value: "(none)", allowed: "a VPC connector: without one the service has no security group to allow traffic from" }]);
    }
    return this.vpcConnections;
  }

  /** A service metric (namespace AWS/AppRunner, by ServiceName). */
  public metric(metricName: string, statistic: Metric["statistic"], options?: MetricOptions): Metric {
    return metric("AWS/AppRunner", metricName, { ServiceName: this.serviceName }, statistic, options);
  }

  /** Responses with a 5xx status. */
  public metric5xxStatusResponses(options?: MetricOptions): Metric {
    return this.metric("5xxStatusResponses", "Sum", options);
  }

  /** Request latency, milliseconds, p99. */
  public metricRequestLatency(options?: MetricOptions): Metric {
    return this.metric("RequestLatency", "p99", options);
  }
}

function validate(props: AppRunnerServiceProps, serviceName: string): void {
  const check = new PropsCheck(`AppRunnerService '${props.name}'`).shortName("name", props.name).tags("tags", props.tags);
  check
    .require(SERVICE_NAME.test(serviceName), "(service name)", serviceName, "4-40 letters, digits, dashes or underscores (App Runner's limit): shorten the name")
    .require(/^[\w][\w.-]{0,127}$/.test(props.imageTag) && props.imageTag !== "latest", "imageTag", props.imageTag, "an image tag that names one build (not latest), up to 128 characters")
    .integer("port", props.port ?? 8080, 1, 65535)
    .oneOf("deployedBy", props.deployedBy ?? "terraform", DEPLOYERS);
  const size = props.size ?? { cpu: "1024", memory: "2048" };
  const memories = APPRUNNER_SIZES[size.cpu];
  check.require(memories !== undefined && memories.includes(size.memory), "size", `${size.cpu} CPU / ${size.memory} MB`, `one of App Runner's sizes: ${Object.entries(APPRUNNER_SIZES).map(([c, m]) => `${c} with ${m.join("|")}`).join("; ")}`);
  const scaling = { minSize: 1, maxSize: 3, maxConcurrency: 100, ...props.autoScaling };
  check
    .integer("autoScaling.minSize", scaling.minSize, 1, 25)
    .integer("autoScaling.maxSize", scaling.maxSize, scaling.minSize, 25)
    .integer("autoScaling.maxConcurrency", scaling.maxConcurrency, 1, 200);
  const health = props.healthCheck ?? {};
  check
    .oneOf("healthCheck.protocol", health.protocol ?? "HTTP", ["HTTP", "TCP"])
    .integer("healthCheck.intervalSeconds", health.intervalSeconds ?? 10, 1, 20)
    .integer("healthCheck.timeoutSeconds", health.timeoutSeconds ?? 5, 1, 20)
    .integer("healthCheck.healthyThreshold", health.healthyThreshold ?? 1, 1, 20)
    .integer("healthCheck.unhealthyThreshold", health.unhealthyThreshold ?? 5, 1, 20)
    .require((health.path ?? "/health").startsWith("/"), "healthCheck.path", health.path, "a path starting with /");
  for (const [name, value] of Object.entries(props.environment ?? {})) {
    check
      .require(ENV_NAME.test(name) && !name.startsWith("AWSAPPRUNNER"), `environment.${name}`, name, "a name of letters, digits and underscores, not starting with AWSAPPRUNNER (reserved)")
      .require(!isCredentialName(name), `environment.${name}`, "(value hidden)", "no credential: the name says it holds one. Put it in security.secrets and list it under secrets")
      .require(!hasUrlCredentials(value), `environment.${name}`, "(a URL with a password; value hidden)", "no password in a URL: keep it in a secret");
  }
  for (const name of Object.keys(props.secrets ?? {})) {
    check.require(ENV_NAME.test(name) && !(name in (props.environment ?? {})), `secrets.${name}`, name, "a variable name, not also in environment");
  }
  const vpc = props.vpc;
  if (vpc !== undefined) {
    const tier = vpc.subnets ?? "private";
    check
      .require(vpc.network.subnetIds(tier).length > 0, "vpc.subnets", tier, "a tier the network has subnets in")
      .require(
        privateEgress(vpc.network, tier) || (vpc.noInternetReason ?? "").trim().length >= 20,
        "vpc.subnets",
        tier,
        `subnets with a NAT route, or a vpc.noInternetReason: with a VPC connector all of the service's egress leaves through these subnets, whose interfaces have no public IP, so in ${tier} subnets calls to the internet and public AWS endpoints time out (aws/apprunner-roadmap#167)`,
      );
  }
  checkEgress(check, "vpc.egress", props.vpc?.egress);
  check.done();
}
