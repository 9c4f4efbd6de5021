import { Testing } from "cdktf";
import { WebAcl, WebAclProps } from "../modules/waf";
import { PROTECTION_PROFILES } from "../environments";
import { moduleStack, only, synth } from "./support/module-stack";
import { TEST_KEY } from "./support/network";

const ALB = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/keel-test-alb/0123456789abcdef";

function build(extra: Partial<WebAclProps> = {}) {
  const stack = moduleStack();
  const acl = new WebAcl(stack, "waf", { resourceArn: ALB, logKmsKeyArn: TEST_KEY, protection: PROTECTION_PROFILES.production, ...extra });
  return { stack, acl, json: () => synth(stack) };
}

interface Rule {
  name: string;
  priority: number;
  statement: Record<string, Record<string, unknown>>;
  action?: unknown;
  override_action?: unknown;
  visibility_config: unknown;
}

describe("WebAcl", () => {
  const json = build().json();
  const acl = only(json, "aws_wafv2_web_acl");
  const rules = acl.rule as Rule[];

  it("matches the snapshot", () => {
    expect(Testing.synth(build().stack)).toMatchSnapshot();
  });

  it("is regional and allows by default", () => {
    expect(acl).toMatchObject({ name: "keel-test-waf", scope: "REGIONAL", default_action: { allow: {} } });
  });

  it("runs seed 003's rules in its order: Common, Known Bad Inputs, SQL injection, then a rate limit", () => {
    expect(rules.map((r) => [r.priority, r.name])).toEqual([
      [1, "AWSManagedRulesCommonRuleSet"],
      [2, "AWSManagedRulesKnownBadInputsRuleSet"],
      [3, "AWSManagedRulesSQLiRuleSet"],
      [4, "RateLimitPerIp"],
    ]);
  });

  it("writes managed-group statements in Terraform's own snake_case (the binding types them as any)", () => {
    expect(rules[0].statement).toEqual({ managed_rule_group_statement: { name: "AWSManagedRulesCommonRuleSet", vendor_name: "AWS" } });
    expect(rules[0].override_action).toEqual({ none: {} });
    expect(JSON.stringify(acl)).not.toContain("[object Object]");
  });

  it("blocks an IP over 2000 requests in 5 minutes", () => {
    expect(rules[3]).toMatchObject({
      action: { block: {} },
      statement: { rate_based_statement: { limit: 2000, aggregate_key_type: "IP", evaluation_window_sec: 300 } },
    });
  });

  it("emits CloudWatch metrics and sampled requests for every rule and the ACL", () => {
    for (const rule of rules) {
      expect(rule.visibility_config).toEqual({ cloudwatch_metrics_enabled: true, sampled_requests_enabled: true, metric_name: rule.name });
    }
    expect(acl.visibility_config).toEqual({ cloudwatch_metrics_enabled: true, sampled_requests_enabled: true, metric_name: "keel-test-waf" });
  });

  it("protects the given resource", () => {
    expect(only(json, "aws_wafv2_web_acl_association")).toEqual({ resource_arn: ALB, web_acl_arn: "${aws_wafv2_web_acl.waf.arn}" });
  });

  it("logs to an aws-waf-logs- group, encrypted and protected, with authorization and cookie headers redacted", () => {
    expect(only(json, "aws_cloudwatch_log_group")).toMatchObject({
      name: "aws-waf-logs-keel-test",
      kms_key_id: TEST_KEY,
      retention_in_days: 365,
      lifecycle: { prevent_destroy: true },
    });
    expect(only(json, "aws_wafv2_web_acl_logging_configuration")).toEqual({
      resource_arn: "${aws_wafv2_web_acl.waf.arn}",
      log_destination_configs: ["arn:aws:logs:us-east-1:111122223333:log-group:aws-waf-logs-keel-test"],
      redacted_fields: [{ single_header: { name: "authorization" } }, { single_header: { name: "cookie" } }],
    });
  });

  it("takes rule groups, overrides and the rate limit from typed props", () => {
    const custom = only(
      build({
        managedRuleGroups: [{ name: "AWSManagedRulesCommonRuleSet", overrides: [{ rule: "SizeRestrictions_BODY", action: "count" }] }, { name: "AWSManagedRulesAmazonIpReputationList" }],
        rateLimit: 500,
        rateLimitWindowSeconds: 60,
      }).json(),
      "aws_wafv2_web_acl",
    ).rule as Rule[];
    expect(custom.map((r) => [r.priority, r.name])).toEqual([
      [1, "AWSManagedRulesCommonRuleSet"],
      [2, "AWSManagedRulesAmazonIpReputationList"],
      [3, "RateLimitPerIp"],
    ]);
    expect(custom[0].statement.managed_rule_group_statement.rule_action_override).toEqual([{ name: "SizeRestrictions_BODY", action_to_use: { count: {} } }]);
    expect(custom[2].statement.rate_based_statement).toMatchObject({ limit: 500, evaluation_window_sec: 60 });
  });

  it("offers the blocked-requests metric", () => {
    expect(build().acl.metricBlockedRequests()).toMatchObject({ namespace: "AWS/WAFV2", metricName: "BlockedRequests", dimensions: { WebACL: "keel-test-waf", Region: "us-east-1", Rule: "ALL" } });
  });

  describe("validation", () => {
    it.each([
      [{ rateLimit: 5 }, "field 'rateLimit': value 5 is not allowed: a whole number from 10 to 2000000000"],
      [{ rateLimitWindowSeconds: 30 as 60 }, "field 'rateLimitWindowSeconds': value 30 is not allowed: one of 60, 120, 300, 600"],
      [{ managedRuleGroups: [{ name: "AWSManagedRulesMadeUp" }] }, "field 'managedRuleGroups.0.name': value \"AWSManagedRulesMadeUp\" is not allowed: one of AWSManagedRulesCommonRuleSet"],
      [{ managedRuleGroups: [{ name: "AWSManagedRulesSQLiRuleSet" }, { name: "AWSManagedRulesSQLiRuleSet" }] }, "field 'managedRuleGroups (names).1'"],
      [{ managedRuleGroups: [{ name: "AWSManagedRulesSQLiRuleSet", overrides: [{ rule: "SQLi_BODY", action: "ignore" as "count" }] }] }, "field 'managedRuleGroups.0.overrides.0.action'"],
      [{ redactedHeaders: ["Authorization"] }, "field 'redactedHeaders.0': value \"Authorization\" is not allowed: a lower-case header name"],
      [{ logRetentionInDays: 10 }, "field 'logRetentionInDays'"],
    ])("rejects %j", (extra, message) => {
      expect(() => build(extra)).toThrow(message);
    });
  });
});
