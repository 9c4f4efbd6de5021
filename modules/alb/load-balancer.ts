import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Label, TaggableProps } from "../label";
import { Metric, MetricOptions, metric } from "../metrics";
import { Connections, IConnectable, INetwork, moduleSecurityGroup } from "../network";
import { ProtectionProfile } from "../protection";
import { PropsCheck } from "../validation";
import { checkCertificateArn } from "../dns/certificate";
import { Bucket } from "../buckets";
import { ELB_LOG_DELIVERY, TLS_POLICY } from "./constants";
import { suppress } from "../compliance/suppress";

/** A service the load balancer can send to (`ecs`'s `FargateService`). */
export interface ILoadBalancerTarget extends IConnectable {
  readonly containerPort?: number;
  attachToTargetGroup(targetGroupArn: string, after: readonly ITerraformDependable[]): void;
}

export interface LoadBalancerTarget {
  /** Short name, `[a-z0-9-]`: the target group is `<namespace>-<env>-<name>`. */
  readonly name: string;
  readonly service: ILoadBalancerTarget;
  /** Path the target group's health check requests. */
  readonly healthCheckPath: string;
  /** Paths routed here; the one target without them is the default. @default - the default */
  readonly pathPatterns?: readonly string[];
}

export interface LoadBalancerProps extends TaggableProps {
  /** The network; the load balancer spans its public subnets. */
  readonly network: INetwork;
  /** Targets in routing order: path rules get priorities 10, 20, ... */
  readonly targets: readonly LoadBalancerTarget[];
  /**
   * An ACM certificate: HTTPS on 443 with a TLS 1.2+ policy, and 80 redirects to it.
   * @default - HTTP on 80 only (Omnirapeutic today): traffic is unencrypted to the load balancer
   */
  readonly certificateArn?: string;
  /** The access-log bucket: SSE-S3, the only encryption ELB log delivery supports. */
  readonly accessLogBucket: Bucket;
  /**
   * Seconds a target drains before it is removed.
   * @default 30
   */
  readonly deregistrationDelaySeconds?: number;
  /**
   * Seconds an idle connection stays open.
   * @default 60
   */
  readonly idleTimeoutSeconds?: number;
  /** `deletionProtection` on the load balancer. */
  readonly protection: Pick<ProtectionProfile, "deletionProtection">;
}

const PATH = /^\/[A-Za-z0-9_\-.$/~"'@:+*?&=]*$/;

/**
 * An internet-facing Application Load Balancer across the public subnets:
 * invalid headers dropped, defensive desync mitigation, deletion protection
 * from the profile, access logs, `ip` target groups with health checks, path
 * rules, and a security group that admits 80/443 from anywhere and sends only
 * to its targets on their ports.
 */
export class LoadBalancer extends Construct implements IConnectable {
  public readonly resource: Lb;
  public readonly connections: Connections;
  public readonly securityGroupId: string;
  public readonly loadBalancerArn: string;
  public readonly dnsName: string;
  public readonly zoneId: string;
  public readonly targetGroups: ReadonlyMap<string, LbTargetGroup>;
  /** The listener that forwards (443 with a certificate, otherwise 80). */
  public readonly listener: LbListener;
  private readonly arnSuffix: string;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const label = Label.of(this);
    validate(props, label.region, label.accountId);
    const name = label.id("alb", "loadBalancer");

    const group = moduleSecurityGroup(this, "security-group", {
      role: "alb",
      description: "Load balancer: HTTP and HTTPS from anywhere; out only to its targets' ports",
      vpcId: props.network.vpcId,
      tags: props.tags,
    });
    this.securityGroupId = group.id;
    this.connections = new Connections(this, { name: "alb", displayName: "the load balancer", securityGroupId: group.id });
    for (const port of [80, 443]) {
      new VpcSecurityGroupIngressRule(this, `ingress-${port}`, {
        securityGroupId: group.id,
        description: `${port === 80 ? "HTTP" : "HTTPS"} from the internet`,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrIpv4: "0.0.0.0/0",
      });
    }

    const logPrefix = "alb";
    const delivery = ELB_LOG_DELIVERY[label.region];
    props.accessLogBucket.allowServiceWrite(
      "account" in delivery ? { AWS: `arn:${label.partition}:iam::${delivery.account}:root` } : delivery.servicePrincipal,
      `${logPrefix}/AWSLogs/${label.accountId}/`,
    );
    this.resource = new Lb(this, "resource", {
      name,
      loadBalancerType: "application",
      internal: false,
      subnets: [...props.network.subnetIds("public")],
      securityGroups: [group.id],
      dropInvalidHeaderFields: true,
      desyncMitigationMode: "defensive",
      enableDeletionProtection: props.protection.deletionProtection,
      idleTimeout: props.idleTimeoutSeconds ?? 60,
      accessLogs: { bucket: props.accessLogBucket.bucketName, prefix: logPrefix, enabled: true },
      tags: label.resourceTags(name, props.tags),
      // The bucket policy must admit ELB before it checks the bucket.
      dependsOn: [props.accessLogBucket.bucketPolicy],
    });
    this.loadBalancerArn = this.resource.arn;
    this.dnsName = this.resource.dnsName;
    this.zoneId = this.resource.zoneId;
    this.arnSuffix = this.resource.arnSuffix;

    const groups = new Map<string, LbTargetGroup>();
    for (const target of props.targets) {
      const port = target.service.containerPort ?? 0;
      const groupName = label.id(target.name, "targetGroup");
      const group = new LbTargetGroup(this, `target-group-${target.name}`, {
        name: groupName,
        targetType: "ip",
        protocol: "HTTP",
        port,
        vpcId: props.network.vpcId,
        deregistrationDelay: String(props.deregistrationDelaySeconds ?? 30),
        healthCheck: {
          enabled: true,
          path: target.healthCheckPath,
          protocol: "HTTP",
          port: "traffic-port",
          matcher: "200-399",
          interval: 30,
          timeout: 5,
          healthyThreshold: 3,
          unhealthyThreshold: 3,
        },
        tags: label.resourceTags(groupName, props.tags),
      });
      suppress(group, {
        rule: "lb-target-group-https",
        reason: "TLS ends at the load balancer; targets are in private subnets and their security groups admit only the load balancer's",
      });
      groups.set(target.name, group);
      target.service.connections.allowFrom(this, port);
    }
    this.targetGroups = groups;

    const fallback = props.targets.find((t) => t.pathPatterns === undefined);
    const forwardTo = (t: LoadBalancerTarget) => [{ type: "forward", targetGroupArn: groups.get(t.name)!.arn }];
    if (props.certificateArn !== undefined) {
      this.listener = new LbListener(this, "https", {
        loadBalancerArn: this.resource.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: TLS_POLICY,
        certificateArn: props.certificateArn,
        defaultAction: forwardTo(fallback!),
        tags: props.tags,
      });
      new LbListener(this, "http", {
        loadBalancerArn: this.resource.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: [{ type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } }],
        tags: props.tags,
      });
    } else {
      this.listener = new LbListener(this, "http", {
        loadBalancerArn: this.resource.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: forwardTo(fallback!),
        tags: props.tags,
      });
    }
    const rules: LbListenerRule[] = [];
    props.targets
      .filter((t) => t.pathPatterns !== undefined)
      .forEach((t, i) =>
        rules.push(
          new LbListenerRule(this, `rule-${t.name}`, {
            listenerArn: this.listener.arn,
            priority: (i + 1) * 10,
            action: forwardTo(t),
            condition: [{ pathPattern: { values: [...t.pathPatterns!] } }],
            tags: props.tags,
          }),
        ),
      );
    for (const target of props.targets) target.service.attachToTargetGroup(groups.get(target.name)!.arn, [this.listener, ...rules]);
  }

  /** A load balancer metric (namespace AWS/ApplicationELB). */
  public metric(metricName: string, statistic: Metric["statistic"], options?: MetricOptions, targetGroup?: string): Metric {
    const dimensions: Record<string, string> = { LoadBalancer: this.arnSuffix };
    if (targetGroup !== undefined) {
      const group = this.targetGroups.get(targetGroup);
      if (group === undefined) throw new Error(`LoadBalancer: no target group '${targetGroup}'; target groups: ${[...this.targetGroups.keys()].join(", ")}`);
      dimensions.TargetGroup = group.arnSuffix;
    }
    return metric("AWS/ApplicationELB", metricName, dimensions, statistic, options);
  }

  /** 5xx responses the load balancer itself generated (no healthy target, timeouts). */
  public metricHttpCodeElb5xxCount(options?: MetricOptions): Metric {
    return this.metric("HTTPCode_ELB_5XX_Count", "Sum", options);
  }

  /** 5xx responses from the targets. */
  public metricHttpCodeTarget5xxCount(options?: MetricOptions): Metric {
    return this.metric("HTTPCode_Target_5XX_Count", "Sum", options);
  }

  /** Seconds from the request leaving the load balancer to the response headers arriving. */
  public metricTargetResponseTime(options?: MetricOptions): Metric {
    return this.metric("TargetResponseTime", "p99", options);
  }

  /** Targets failing health checks in one target group. */
  public metricUnhealthyHostCount(targetGroup: string, options?: MetricOptions): Metric {
    return this.metric("UnHealthyHostCount", "Maximum", options, targetGroup);
  }
}

function validate(props: LoadBalancerProps, region: string, accountId: string): void {
  const check = new PropsCheck("LoadBalancer");
  const defaults = props.targets.filter((t) => t.pathPatterns === undefined);
  check
    .require(props.targets.length > 0, "targets", props.targets.length, "at least one target")
    .require(defaults.length === 1, "targets", defaults.map((t) => t.name), "exactly one target without pathPatterns: the default route")
    .distinct("targets (names)", props.targets.map((t) => t.name))
    .require(ELB_LOG_DELIVERY[region] !== undefined, "(region)", region, `a region whose ELB log delivery Keel knows (modules/alb/constants.ts): ${Object.keys(ELB_LOG_DELIVERY).join(", ")}`)
    .require(props.network.subnetIds("public").length >= 2, "network", "(public subnets)", "at least two public subnets in different AZs: an ALB needs two")
    .integer("deregistrationDelaySeconds", props.deregistrationDelaySeconds ?? 30, 0, 3600)
    .integer("idleTimeoutSeconds", props.idleTimeoutSeconds ?? 60, 1, 4000)
    .tags("tags", props.tags);
  // A listener can use only a certificate of its own account and region (CloudFront's us-east-1 rule does not apply here).
  checkCertificateArn(check, "certificateArn", props.certificateArn, { region, accountId }, "an ALB listener");
  // The same pattern on two targets: the lower-priority rule never matches, so its traffic silently goes elsewhere.
  const firstWith = new Map<string, number>();
  props.targets.forEach((t, i) =>
    (t.pathPatterns ?? []).forEach((p, j) => {
      const earlier = firstWith.get(p);
      if (earlier === undefined) firstWith.set(p, i);
      else check.require(false, `targets.${i}.pathPatterns.${j}`, p, `a pattern no other target routes: ${props.targets[earlier].name} already has it, and its rule would always win`);
    }),
  );
  props.targets.forEach((t, i) => {
    check
      .shortName(`targets.${i}.name`, t.name)
      .require(t.service.containerPort !== undefined, `targets.${i}.service`, t.name, "a service with a containerPort (a worker serves no traffic)")
      .require(PATH.test(t.healthCheckPath) && t.healthCheckPath.length <= 1024, `targets.${i}.healthCheckPath`, t.healthCheckPath, "a path starting with /");
    const patterns = t.pathPatterns ?? [];
    check.require(t.pathPatterns === undefined || (patterns.length >= 1 && patterns.length <= 5), `targets.${i}.pathPatterns`, patterns, "1 to 5 patterns (an ALB condition's limit)");
    patterns.forEach((p, j) => check.require(PATH.test(p) && p.length <= 128, `targets.${i}.pathPatterns.${j}`, p, "a path pattern starting with /, at most 128 characters"));
  });
  check.done();
}
