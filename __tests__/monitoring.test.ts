import { Body, resources } from "./support/module-stack";
import { projectConfig } from "./support/config";
import { realStacks, synthJson } from "./support/stacks";
import { validateProject } from "../environments";

const stacks = realStacks();
const ACCOUNT = "account-111122223333-us-east-1";
const json = (name: string) => synthJson(stacks.get(name)!);
const alarms = (name: string): Array<[string, Body]> => Object.entries(resources(json(name), "aws_cloudwatch_metric_alarm"));

/** Seed 003's groups, by the alarm's short name. */
function group(name: string): string {
  if (name.startsWith("alarm_aurora")) return "Aurora";
  if (/security_group_changes|network_acl_changes|gateway_and_route_changes/.test(name)) return "VPC";
  if (name.includes("estimated_charges")) return "Cost";
  if (name.startsWith("alarm_alb")) return "ALB";
  if (name.startsWith("alarm_ecs")) return "ECS";
  if (name.startsWith("alarm_waf")) return "WAF";
  if (name.startsWith("alarm_nat")) return "NAT gateway";
  if (name.startsWith("alarm_flow_log")) return "Flow logs";
  return "unknown";
}

describe("seed 003's 21 alarms: production and its account stack together", () => {
  const all = [...alarms("production"), ...alarms(ACCOUNT)];

  it("are 21, in the seed's groups and counts", () => {
    expect(all).toHaveLength(21);
    const counts: Record<string, number> = {};
    for (const [name] of all) counts[group(name)] = (counts[group(name)] ?? 0) + 1;
    expect(counts).toEqual({ Aurora: 5, VPC: 3, Cost: 1, ALB: 3, ECS: 3, WAF: 1, "NAT gateway": 3, "Flow logs": 2 });
  });

  it("each notify its stack's topic on alarm and OK, state missing data, and say what to do", () => {
    expect(all.length).toBeGreaterThan(0);
    for (const [name, alarm] of all) {
      // Both stacks name their topic construct `alarms`: each alarm notifies its own stack's topic.
      const topic = "${aws_sns_topic.alarms.arn}";
      expect({ name, actions: alarm.alarm_actions, ok: alarm.ok_actions }).toEqual({ name, actions: [topic], ok: [topic] });
      expect({ name, missing: alarm.treat_missing_data }).toEqual({ name, missing: expect.stringMatching(/^(breaching|notBreaching|ignore|missing)$/) });
      expect({ name, runbook: String(alarm.alarm_description).length >= 20 }).toEqual({ name, runbook: true });
    }
  });

  it("never alarm on FreeStorageSpace, which Aurora does not publish", () => {
    expect(JSON.stringify(all)).not.toContain("FreeStorageSpace");
  });

  it("use the seeds' thresholds: CPU above 80% for 10 minutes, connections above 80, read and write latency p99 above 50 ms", () => {
    const byName = Object.fromEntries(all);
    expect(byName.alarm_aurora_cpu).toMatchObject({ metric_name: "CPUUtilization", threshold: 80, period: 300, evaluation_periods: 2, comparison_operator: "GreaterThanThreshold" });
    expect(byName.alarm_aurora_connections).toMatchObject({ metric_name: "DatabaseConnections", threshold: 80 });
    // Read and write latency in one alarm (Omnirapeutic's "Read/WriteLatency", one of its five Aurora alarms; OutreachPass's both).
    expect(byName.alarm_aurora_latency).toMatchObject({ threshold: 0.05, comparison_operator: "GreaterThanThreshold" });
    const queries = byName.alarm_aurora_latency.metric_query as Array<{ expression?: string; metric?: { metric_name: string; stat: string } }>;
    expect(queries.filter((q) => q.metric !== undefined).map((q) => [q.metric!.metric_name, q.metric!.stat])).toEqual([["ReadLatency", "p99"], ["WriteLatency", "p99"]]);
    expect(queries.some((q) => q.expression?.startsWith("MAX("))).toBe(true);
    // 10% of 1 ACU's 2 GiB, not seed 001's 500 MB for a fixed instance.
    expect(byName.alarm_aurora_freeable_memory).toMatchObject({ comparison_operator: "LessThanThreshold", threshold: 205 * 1024 * 1024 });
    expect(byName.alarm_ecs_api_running_tasks).toMatchObject({ namespace: "ECS/ContainerInsights", metric_name: "RunningTaskCount", threshold: 2, comparison_operator: "LessThanThreshold" });
    expect(byName.alarm_ecs_worker_running_tasks).toMatchObject({ threshold: 1 });
    expect(byName.alarm_estimated_charges).toMatchObject({ namespace: "AWS/Billing", dimensions: { Currency: "USD" }, threshold: 1500 });
  });
});

describe("the count scales with what was built", () => {
  it("gives dev one NAT alarm (one NAT gateway) and one ECS alarm (one service)", () => {
    const names = alarms("dev").map(([n]) => n);
    expect(names.filter((n) => n.startsWith("alarm_nat"))).toEqual(["alarm_nat_us_east_1a_port_allocation"]);
    expect(names.filter((n) => n.startsWith("alarm_ecs"))).toEqual(["alarm_ecs_nginx_running_tasks"]);
  });

  it("gives staging (no alarms section) no alarm", () => {
    expect(alarms("staging")).toEqual([]);
  });
});

describe("per-account services live in the account stack only", () => {
  const perAccount = ["aws_cloudtrail", "aws_config_configuration_recorder", "aws_config_delivery_channel", "aws_config_conformance_pack", "aws_guardduty_detector"];
  const defaultsDocument = (stack: string) => Object.values(resources(json(stack), "aws_ssm_document")).filter((d) => d.name === "SSM-SessionManagerRunShell");

  it.each(["dev", "staging", "production"])("%s carries none of CloudTrail, Config, GuardDuty or the Session Manager defaults", (env) => {
    expect(perAccount.filter((type) => Object.keys(resources(json(env), type)).length > 0)).toEqual([]);
    expect(defaultsDocument(env)).toEqual([]);
  });

  it("the account stack carries each once", () => {
    const account = json(ACCOUNT);
    expect(perAccount.map((type) => Object.keys(resources(account, type)).length)).toEqual([1, 1, 1, 1, 1]);
    expect(defaultsDocument(ACCOUNT)).toHaveLength(1);
  });

  it("the environment's dashboard shows the alarms' metrics", () => {
    const dashboard = Object.values(resources(json("production"), "aws_cloudwatch_dashboard"));
    expect(dashboard).toHaveLength(1);
    const titles = JSON.parse(dashboard[0].dashboard_body as string).widgets.map((w: { properties: { title: string } }) => w.properties.title);
    expect(titles).toEqual([
      "Aurora CPU (%)",
      "Aurora connections",
      "Aurora freeable memory (bytes)",
      "Aurora capacity used (%)",
      "Aurora read/write latency (s)",
      "Load balancer 5xx",
      "Load balancer p99 response time (s)",
      "Services CPU (%)",
      "Services memory (%)",
      "Services running tasks",
      "WAF blocked requests",
      "NAT port-allocation errors",
    ]);
  });
});

describe("the account's audit services in config", () => {
  it("refuses GuardDuty without an alarm topic for its findings", () => {
    expect(() => validateProject(projectConfig((p) => delete (p.accounts[0] as { alarms?: unknown }).alarms))).toThrow(
      "project settings (environments/project.ts): field 'accounts.0.guardduty': value \"(section given)\" is not allowed: only with an alarms section",
    );
  });

  it("refuses a billing alarm in an account without us-east-1", () => {
    expect(() => validateProject(projectConfig((p) => ((p.accounts[0] as { regions: string[] }).regions = ["eu-west-1"])))).toThrow(
      "field 'accounts.0.alarms.monthlyBudgetUsd': value 1500 is not allowed: only for an account that lists us-east-1 in regions",
    );
  });
});

describe("metric filters", () => {
  it("watch the trail for CIS-style security-group, network-ACL and gateway/route changes", () => {
    const filters = Object.values(resources(json(ACCOUNT), "aws_cloudwatch_log_metric_filter"));
    expect(filters.map((f) => f.name).sort()).toEqual([
      "keel-account-us-east-1-gateway-and-route-changes",
      "keel-account-us-east-1-network-acl-changes",
      "keel-account-us-east-1-security-group-changes",
    ]);
    expect(filters.find((f) => String(f.name).endsWith("security-group-changes"))?.pattern).toBe(
      "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
    );
    for (const f of filters) expect(f.log_group_name).toBe("${aws_cloudwatch_log_group.cloudtrail_log_group.name}");
  });

  it("count rejected flows and flows to SSH or RDP in the default flow-log format", () => {
    const filters = Object.values(resources(json("production"), "aws_cloudwatch_log_metric_filter")).map((f) => [f.name, f.pattern]);
    expect(filters).toEqual([
      ["omnirapeutic-production-flow-log-rejects", "[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes, windowstart, windowend, action=\"REJECT\", flowlogstatus]"],
      ["omnirapeutic-production-flow-log-ssh-rdp", "[version, account, eni, source, destination, srcport, destport=22 || destport=3389, protocol, packets, bytes, windowstart, windowend, action, flowlogstatus]"],
    ]);
  });
});
