/** CloudWatch statistics Keel's alarms use; percentiles as `p<n>`, e.g. `p99`. */
export type MetricStatistic = "Average" | "Sum" | "Minimum" | "Maximum" | "SampleCount" | `p${number}`;

/**
 * One CloudWatch metric, fully described, as a module hands it to the alarms
 * module: namespace, name, dimensions, statistic and period.
 */
export interface Metric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: MetricStatistic;
  /** Seconds per datapoint: 10, 30, or a multiple of 60. */
  readonly period: number;
}

/** What a caller of a `metric*()` method may change. */
export interface MetricOptions {
  /** @default - the metric's usual statistic (e.g. `Average` for CPU, `Sum` for errors) */
  readonly statistic?: MetricStatistic;
  /** @default 60 */
  readonly period?: number;
}

const STATISTIC = /^(Average|Sum|Minimum|Maximum|SampleCount|p(\d{1,2}(\.\d+)?|100))$/;

/** Builds a metric, checking the statistic and period CloudWatch accepts. */
export function metric(
  namespace: string,
  metricName: string,
  dimensions: Readonly<Record<string, string>>,
  defaultStatistic: MetricStatistic,
  options: MetricOptions = {},
): Metric {
  const statistic = options.statistic ?? defaultStatistic;
  const period = options.period ?? 60;
  if (!STATISTIC.test(statistic)) {
    throw new Error(`metric ${namespace}/${metricName}: statistic '${statistic}' is not one of Average, Sum, Minimum, Maximum, SampleCount or p0-p100`);
  }
  if (!(period === 10 || period === 30 || (Number.isInteger(period) && period > 0 && period % 60 === 0))) {
    throw new Error(`metric ${namespace}/${metricName}: period ${period} is not 10, 30 or a multiple of 60 seconds`);
  }
  return { namespace, metricName, dimensions, statistic, period };
}

/**
 * A CloudWatch metric-math expression over named metrics, e.g. an error
 * rate `100 * errors / invocations`. Ids in `expression` are keys of `using`
 * (lower-case first letter, as CloudWatch requires).
 */
export interface MetricExpression {
  readonly expression: string;
  readonly using: Readonly<Record<string, Metric>>;
  /** What the result means, shown on the alarm's graph. */
  readonly label: string;
}

/**
 * `numerator` as a percentage of `denominator`, 0 while the denominator is 0
 * (no traffic is no error), e.g. Lambda errors per invocation.
 */
export function percentOf(numerator: Metric, denominator: Metric, label: string): MetricExpression {
  return { expression: "IF(total > 0, 100 * part / total, 0)", using: { part: numerator, total: denominator }, label };
}
