import { Testing } from "cdktf";
import { Alarm, AlarmProps, AlarmTopic, Dashboard } from "../modules/alarms";
import { LogGroup } from "../modules/logs";
import { metric } from "../modules/metrics";
import { moduleStack, only, resources, synth } from "./support/module-stack";
import { TEST_KEY } from "./support/network";

const TOPIC = "arn:aws:sns:us-east-1:111122223333:keel-test-alarms";
const cpu = metric("AWS/RDS", "CPUUtilization", { DBClusterIdentifier: "c" }, "Average", { period: 300 });

function alarm(extra: Partial<AlarmProps> = {}) {
  const stack = moduleStack();
  new Alarm(stack, "cpu", {
    name: "aurora-cpu",
    metric: cpu,
    comparison: "GreaterThanThreshold",
    threshold: 80,
    evaluationPeriods: 2,
    treatMissingData: "notBreaching",
    runbook: "Aurora CPU above 80% for 10 minutes. Check Performance Insights.",
    topicArn: TOPIC,
    ...extra,
  });
  return { stack, json: () => synth(stack) };
}

describe("AlarmTopic", () => {
  const stack = moduleStack();
  new AlarmTopic(stack, "alarms", { kmsKeyArn: TEST_KEY, emails: ["oncall@example.com", "lead@example.com"] });
  const json = synth(stack);

  it("matches the snapshot", () => {
    expect(Testing.synth(stack)).toMatchSnapshot();
  });

  it("is <ns>-<env>-alarms, encrypted with the given key", () => {
    expect(only(json, "aws_sns_topic")).toMatchObject({ name: "keel-test-alarms", kms_master_key_id: TEST_KEY });
  });

  it("lets only this account's CloudWatch alarms and EventBridge rules publish, over TLS", () => {
    const statements = JSON.parse(only(json, "aws_sns_topic_policy").policy as string).Statement;
    expect(statements.map((s: { Sid: string }) => s.Sid)).toEqual(["AccountManagesTopic", "CloudWatchAlarmsPublish", "EventBridgeRulesPublish", "DenyInsecureTransport"]);
    for (const s of statements.slice(1, 3)) {
      expect(s).toMatchObject({ Action: "sns:Publish", Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } });
    }
    expect(statements[3]).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
  });

  it("subscribes each email", () => {
    expect(Object.values(resources(json, "aws_sns_topic_subscription")).map((s) => [s.protocol, s.endpoint])).toEqual([
      ["email", "oncall@example.com"],
      ["email", "lead@example.com"],
    ]);
  });

  it("rejects an address that is not one", () => {
    expect(() => new AlarmTopic(moduleStack(), "alarms", { kmsKeyArn: TEST_KEY, emails: ["oncall"] })).toThrow("field 'emails.0': value \"oncall\" is not allowed: an email address");
  });
});

describe("Alarm", () => {
  const json = alarm().json();
  const resource = only(json, "aws_cloudwatch_metric_alarm");

  it("matches the snapshot", () => {
    expect(Testing.synth(alarm().stack)).toMatchSnapshot();
  });

  it("notifies the topic on alarm and on OK", () => {
    expect(resource).toMatchObject({ alarm_actions: [TOPIC], ok_actions: [TOPIC] });
  });

  it("states missing-data handling and carries its runbook line as the description", () => {
    expect(resource).toMatchObject({ treat_missing_data: "notBreaching", alarm_description: "Aurora CPU above 80% for 10 minutes. Check Performance Insights." });
  });

  it("takes namespace, name, dimensions, statistic and period from the metric", () => {
    expect(resource).toMatchObject({
      alarm_name: "keel-test-aurora-cpu",
      namespace: "AWS/RDS",
      metric_name: "CPUUtilization",
      dimensions: { DBClusterIdentifier: "c" },
      statistic: "Average",
      period: 300,
      comparison_operator: "GreaterThanThreshold",
      threshold: 80,
      evaluation_periods: 2,
    });
  });

  it("uses an extended statistic for a percentile", () => {
    const p99 = only(alarm({ metric: { ...cpu, statistic: "p99" } }).json(), "aws_cloudwatch_metric_alarm");
    expect(p99).toMatchObject({ extended_statistic: "p99" });
    expect(p99).not.toHaveProperty("statistic");
  });

  it("alarms on the largest of several metrics with metric math", () => {
    const a = metric("AWS/ApplicationELB", "UnHealthyHostCount", { TargetGroup: "a" }, "Maximum");
    const b = metric("AWS/ApplicationELB", "UnHealthyHostCount", { TargetGroup: "b" }, "Maximum");
    const out = only(alarm({ metric: { maxOf: [a, b], label: "worst" } }).json(), "aws_cloudwatch_metric_alarm");
    expect(out.metric_query).toEqual([
      { id: "result", expression: "MAX([m0, m1])", label: "worst", return_data: true },
      { id: "m0", metric: { stat: "Maximum", namespace: "AWS/ApplicationELB", metric_name: "UnHealthyHostCount", dimensions: { TargetGroup: "a" }, period: 60 } },
      { id: "m1", metric: { stat: "Maximum", namespace: "AWS/ApplicationELB", metric_name: "UnHealthyHostCount", dimensions: { TargetGroup: "b" }, period: 60 } },
    ]);
    expect(out).not.toHaveProperty("metric_name");
  });

  it.each([
    [{ runbook: "Fix it." }, "field 'runbook': value \"Fix it.\" is not allowed: a sentence of 20-1024 characters saying what to do"],
    [{ evaluationPeriods: 0 }, "field 'evaluationPeriods': value 0 is not allowed"],
    [{ name: "Aurora CPU" }, "field 'name': value \"Aurora CPU\" is not allowed"],
    [{ threshold: NaN }, "field 'threshold': value NaN is not allowed: a number"],
  ])("rejects %j", (extra, message) => {
    expect(() => alarm(extra)).toThrow(message);
  });
});

describe("Dashboard", () => {
  it("draws one graph per widget, two per row, from the metrics", () => {
    const stack = moduleStack();
    new Dashboard(stack, "dashboard", [
      { title: "CPU", metrics: [cpu] },
      { title: "p99", metrics: [{ ...cpu, statistic: "p99" }] },
      { title: "third", metrics: [cpu] },
    ]);
    const dash = only(synth(stack), "aws_cloudwatch_dashboard");
    expect(dash.dashboard_name).toBe("keel-test");
    const widgets = JSON.parse(dash.dashboard_body as string).widgets;
    expect(widgets.map((w: { x: number; y: number }) => [w.x, w.y])).toEqual([
      [0, 0],
      [12, 0],
      [0, 6],
    ]);
    expect(widgets[1].properties.metrics).toEqual([["AWS/RDS", "CPUUtilization", "DBClusterIdentifier", "c", { stat: "p99", period: 300 }]]);
  });
});

describe("LogGroup.metricFilter", () => {
  it("counts matching events as a Keel/LogMetrics metric named after the environment", () => {
    const stack = moduleStack();
    const group = new LogGroup(stack, "logs", { logGroupName: "/x", retentionInDays: 30, kmsKeyArn: TEST_KEY });
    const m = group.metricFilter("rejects", "[a, b]", { period: 300 });
    expect(m).toEqual({ namespace: "Keel/LogMetrics", metricName: "keel-test-rejects", dimensions: {}, statistic: "Sum", period: 300 });
    expect(only(synth(stack), "aws_cloudwatch_log_metric_filter")).toMatchObject({
      name: "keel-test-rejects",
      pattern: "[a, b]",
      metric_transformation: { name: "keel-test-rejects", namespace: "Keel/LogMetrics", value: "1", default_value: "0", unit: "Count" },
    });
  });
});
