import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Label } from "../label";
import { Metric, MetricExpression } from "../metrics";
import { PropsCheck } from "../validation";

/** How an alarm compares its metric with the threshold. */
export type Comparison = "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";

/** What missing datapoints mean: a choice every alarm states. */
export type MissingData = "breaching" | "notBreaching" | "ignore" | "missing";

/** The largest of several metrics of one kind, e.g. unhealthy hosts across target groups. */
export interface MaxOfMetrics {
  readonly maxOf: readonly Metric[];
  readonly label: string;
}

export interface AlarmProps {
  /** Short name, `[a-z0-9-]`: the alarm is `<namespace>-<env>-<name>`. */
  readonly name: string;
  /** A module's `metric*()`, the largest of several, or metric math (an error rate). */
  readonly metric: Metric | MaxOfMetrics | MetricExpression;
  readonly comparison: Comparison;
  readonly threshold: number;
  /** Consecutive periods that must breach. */
  readonly evaluationPeriods: number;
  readonly treatMissingData: MissingData;
  /** What the alarm means and what to do: the runbook line the page shows. */
  readonly runbook: string;
  /** The topic alarm and OK notifications go to. */
  readonly topicArn: string;
}

/**
 * A CloudWatch alarm with Keel's rules: alarm and OK actions on the topic, a
 * deliberate `treat_missing_data`, a description that says what to do, and a
 * metric from a module's `metric*()` helper.
 */
export class Alarm extends Construct {
  public readonly resource: CloudwatchMetricAlarm;
  public readonly alarmName: string;

  constructor(scope: Construct, id: string, props: AlarmProps) {
    super(scope, id);
    new PropsCheck(`Alarm '${props.name}'`)
      .shortName("name", props.name)
      .require(Number.isFinite(props.threshold), "threshold", props.threshold, "a number")
      .integer("evaluationPeriods", props.evaluationPeriods, 1, 100)
      .require(props.runbook.trim().length >= 20 && props.runbook.length <= 1024, "runbook", props.runbook, "a sentence of 20-1024 characters saying what to do")
      .require(!("maxOf" in props.metric) || props.metric.maxOf.length > 0, "metric.maxOf", [], "at least one metric")
      .require(!("expression" in props.metric) || Object.keys(props.metric.using).every((id) => /^[a-z][a-zA-Z0-9_]*$/.test(id)), "metric.using", "expression" in props.metric ? Object.keys(props.metric.using) : [], "metric ids that start with a lower-case letter (CloudWatch's rule)")
      .done();
    const label = Label.of(this);
    this.alarmName = label.id(props.name);
    const common = {
      alarmName: this.alarmName,
      alarmDescription: props.runbook,
      comparisonOperator: props.comparison,
      threshold: props.threshold,
      evaluationPeriods: props.evaluationPeriods,
      treatMissingData: props.treatMissingData,
      alarmActions: [props.topicArn],
      okActions: [props.topicArn],
      tags: label.resourceTags(this.alarmName),
    };
    const m = props.metric;
    const query = (id: string, one: Metric) => ({ id, metric: { ...statistic(one), namespace: one.namespace, metricName: one.metricName, dimensions: { ...one.dimensions }, period: one.period } });
    this.resource =
      "expression" in m
        ? new CloudwatchMetricAlarm(this, "resource", {
            ...common,
            metricQuery: [{ id: "result", expression: m.expression, label: m.label, returnData: true }, ...Object.entries(m.using).map(([id, one]) => query(id, one))],
          })
        : "maxOf" in m
        ? new CloudwatchMetricAlarm(this, "resource", {
            ...common,
            metricQuery: [
              { id: "result", expression: `MAX([${m.maxOf.map((_, i) => `m${i}`).join(", ")}])`, label: m.label, returnData: true },
              ...m.maxOf.map((one, i) => query(`m${i}`, one)),
            ],
          })
        : new CloudwatchMetricAlarm(this, "resource", {
            ...common,
            namespace: m.namespace,
            metricName: m.metricName,
            dimensions: { ...m.dimensions },
            period: m.period,
            ...(m.statistic.startsWith("p") ? { extendedStatistic: m.statistic } : { statistic: m.statistic }),
          });
  }
}

/** A metric query's `stat` (a statistic or a percentile). */
function statistic(m: Metric): { stat: string } {
  return { stat: m.statistic };
}
