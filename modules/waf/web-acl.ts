import { Construct } from "constructs";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Label, TaggableProps } from "../label";
import { LogGroup, checkRetention } from "../logs";
import { Metric, MetricOptions, metric } from "../metrics";
import { ProtectionProfile } from "../protection";
import { PropsCheck } from "../validation";
import { DEFAULT_MANAGED_RULE_GROUPS, MANAGED_RULE_GROUP_NAMES, ManagedRuleGroup, RATE_WINDOWS, RULE_ACTIONS, RateWindow } from "./constants";

export interface WebAclProps extends TaggableProps {
  /**
   * Where the ACL applies: `REGIONAL` (load balancers, API stages) or
   * `CLOUDFRONT` (distributions name the ACL themselves; it must be created
   * in us-east-1).
   * @default "REGIONAL"
   */
  readonly scope?: "REGIONAL" | "CLOUDFRONT";
  /**
   * What the ACL is for, in its name `<namespace>-<env>-<name>`.
   * @default "waf"
   */
  readonly name?: string;
  /** The regional resource the ACL protects, e.g. a load balancer's ARN; none for `CLOUDFRONT`. */
  readonly resourceArn?: string;
  /**
   * AWS managed rule groups, in priority order from 1.
   * @default DEFAULT_MANAGED_RULE_GROUPS - Common, Known Bad Inputs, SQL injection (Omnirapeutic)
   */
  readonly managedRuleGroups?: readonly ManagedRuleGroup[];
  /**
   * Requests per IP per window above which the IP is blocked; the last rule.
   * @default 2000 - Omnirapeutic
   */
  readonly rateLimit?: number;
  /**
   * The window the rate rule counts over, in seconds.
   * @default 300
   */
  readonly rateLimitWindowSeconds?: RateWindow;
  /** KMS key of the log group. */
  readonly logKmsKeyArn: string;
  /**
   * Days WAF logs are kept; one of the values CloudWatch accepts.
   * @default 365
   */
  readonly logRetentionInDays?: number;
  /**
   * Headers never written to the logs.
   * @default ["authorization", "cookie"]
   */
  readonly redactedHeaders?: readonly string[];
  /** `protectAuditLogs`: `prevent_destroy` on the log group. */
  readonly protection: Pick<ProtectionProfile, "protectAuditLogs">;
}

/**
 * A regional WAFv2 web ACL in front of one resource: default allow, AWS
 * managed rule groups in order, then a rate-based block per IP. Every rule
 * and the ACL emit CloudWatch metrics and sampled requests; requests are
 * logged to `aws-waf-logs-<namespace>-<env>` with secrets' headers redacted.
 *
 * Rule statements are written in Terraform's own snake_case: the provider
 * binding types them as `any`, so nothing converts them.
 */
export class WebAcl extends Construct {
  public readonly resource: Wafv2WebAcl;
  public readonly webAclName: string;
  public readonly webAclArn: string;
  public readonly logGroup: LogGroup;
  /** `REGIONAL` or `CLOUDFRONT`. */
  public readonly aclScope: "REGIONAL" | "CLOUDFRONT";

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const groups = props.managedRuleGroups ?? DEFAULT_MANAGED_RULE_GROUPS;
    const limit = props.rateLimit ?? 2000;
    const window = props.rateLimitWindowSeconds ?? 300;
    validate(props, groups, limit, window, Label.of(this).region);
    const label = Label.of(this);
    const name = props.name ?? "waf";
    const aclScope = props.scope ?? "REGIONAL";
    this.aclScope = aclScope;
    this.webAclName = label.id(name, "wafWebAcl");
    const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });

    const rules = [
      ...groups.map((group, i) => ({
        name: group.name,
        priority: i + 1,
        // A managed group keeps its rules' own actions, except those overridden.
        overrideAction: { none: {} },
        statement: {
          managed_rule_group_statement: {
            name: group.name,
            vendor_name: "AWS",
            ...((group.overrides ?? []).length > 0
              ? { rule_action_override: (group.overrides ?? []).map((o) => ({ name: o.rule, action_to_use: { [o.action]: {} } })) }
              : {}),
          },
        },
        visibilityConfig: visibility(group.name),
      })),
      {
        name: "RateLimitPerIp",
        priority: groups.length + 1,
        action: { block: {} },
        statement: { rate_based_statement: { limit, aggregate_key_type: "IP", evaluation_window_sec: window } },
        visibilityConfig: visibility("RateLimitPerIp"),
      },
    ];
    this.resource = new Wafv2WebAcl(this, "resource", {
      name: this.webAclName,
      description: `Managed rules and a per-IP rate limit in front of ${label.prefix}`,
      scope: aclScope,
      defaultAction: { allow: {} },
      rule: rules,
      visibilityConfig: visibility(this.webAclName),
      tags: label.resourceTags(this.webAclName, props.tags),
    });
    this.webAclArn = this.resource.arn;
    if (props.resourceArn !== undefined) new Wafv2WebAclAssociation(this, "association", { resourceArn: props.resourceArn, webAclArn: this.resource.arn });

    // WAF delivers only to log groups whose name starts with aws-waf-logs-.
    this.logGroup = new LogGroup(this, "log-group", {
      // WAF requires the aws-waf-logs- prefix; the first ACL's name is kept as it always was.
      logGroupName: name === "waf" ? `aws-waf-logs-${label.prefix}` : `aws-waf-logs-${this.webAclName}`,
      retentionInDays: props.logRetentionInDays ?? 365,
      kmsKeyArn: props.logKmsKeyArn,
      preventDestroy: props.protection.protectAuditLogs,
      tags: props.tags,
    });
    new Wafv2WebAclLoggingConfiguration(this, "logging", {
      resourceArn: this.resource.arn,
      logDestinationConfigs: [this.logGroup.logGroupArn],
      redactedFields: (props.redactedHeaders ?? ["authorization", "cookie"]).map((name) => ({ singleHeader: { name } })),
    });
  }

  /** An ACL metric (namespace AWS/WAFV2); `rule` defaults to all rules. */
  public metric(metricName: string, options?: MetricOptions, rule = "ALL"): Metric {
    // CloudFront ACLs report from us-east-1 without a Region dimension.
    const where: Record<string, string> = this.aclScope === "CLOUDFRONT" ? {} : { Region: Label.of(this).region };
    return metric("AWS/WAFV2", metricName, { WebACL: this.webAclName, ...where, Rule: rule }, "Sum", options);
  }

  /** Requests the ACL blocked. */
  public metricBlockedRequests(options?: MetricOptions): Metric {
    return this.metric("BlockedRequests", options);
  }
}

function validate(props: WebAclProps, groups: readonly ManagedRuleGroup[], limit: number, window: number, region: string): void {
  const check = new PropsCheck("WebAcl");
  const scope = props.scope ?? "REGIONAL";
  check
    .require(scope === "CLOUDFRONT" ? props.resourceArn === undefined : props.resourceArn !== undefined, "resourceArn", props.resourceArn ?? "(none)", scope === "CLOUDFRONT" ? "none for a CLOUDFRONT ACL: the distribution names the ACL" : "the ARN of the regional resource the ACL protects")
    .require(scope !== "CLOUDFRONT" || region === "us-east-1", "scope", scope, "CLOUDFRONT only in us-east-1: create the ACL in the stack's us-east-1 scope")
    .shortName("name", props.name ?? "waf")
    .require(groups.length <= 10, "managedRuleGroups", groups.length, "at most 10 groups")
    .distinct("managedRuleGroups (names)", groups.map((g) => g.name))
    // WAF's rate-based rules accept 10 to 2,000,000,000 requests per window.
    .integer("rateLimit", limit, 10, 2_000_000_000)
    .oneOf("rateLimitWindowSeconds", window, RATE_WINDOWS)
    .nonEmpty("logKmsKeyArn", props.logKmsKeyArn)
    .tags("tags", props.tags);
  checkRetention(check, "logRetentionInDays", props.logRetentionInDays ?? 365);
  groups.forEach((g, i) => {
    check.oneOf(`managedRuleGroups.${i}.name`, g.name as (typeof MANAGED_RULE_GROUP_NAMES)[number], MANAGED_RULE_GROUP_NAMES);
    (g.overrides ?? []).forEach((o, j) => {
      check
        .require(/^[A-Za-z0-9_-]{1,128}$/.test(o.rule), `managedRuleGroups.${i}.overrides.${j}.rule`, o.rule, "a rule name of the group (letters, digits, _ and -)")
        .oneOf(`managedRuleGroups.${i}.overrides.${j}.action`, o.action, RULE_ACTIONS);
    });
  });
  (props.redactedHeaders ?? []).forEach((h, i) => check.require(/^[a-z0-9-]{1,64}$/.test(h), `redactedHeaders.${i}`, h, "a lower-case header name"));
  check.done();
}
