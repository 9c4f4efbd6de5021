import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import { Metric, MetricOptions, metric } from "../metrics";
import { Label, TaggableProps } from "../label";
import { IGrantable, pascalCase } from "../iam";
import { PropsCheck } from "../validation";
import { LOG_RETENTION_DAYS } from "./retention";

export interface LogGroupProps extends TaggableProps {
  /** Full log group name, e.g. `/aws/vpc/keel-production-flow-logs`. */
  readonly logGroupName: string;
  /** Days to keep events; one of LOG_RETENTION_DAYS. Never "forever" by accident. */
  readonly retentionInDays: number;
  /** KMS key that encrypts the events; its policy must admit CloudWatch Logs of this region. */
  readonly kmsKeyArn: string;
  /**
   * Terraform `prevent_destroy` on the log group (audit logs of a production environment).
   * @default false
   */
  readonly preventDestroy?: boolean;
}

/** Where metrics counted from log events live. */
export const LOG_METRICS_NAMESPACE = "Keel/LogMetrics";

/** Checks a retention period against what CloudWatch Logs accepts. */
export function checkRetention(check: PropsCheck, prop: string, days: number): PropsCheck {
  return check.oneOf(prop, days, LOG_RETENTION_DAYS);
}

/**
 * A KMS-encrypted CloudWatch log group with a set retention: the only way
 * Keel creates log groups, so none is ever unencrypted or kept forever.
 */
export class LogGroup extends Construct {
  public readonly resource: CloudwatchLogGroup;
  public readonly logGroupName: string;
  /** The log group ARN without the trailing `:*`. */
  public readonly logGroupArn: string;

  constructor(scope: Construct, id: string, props: LogGroupProps) {
    super(scope, id);
    const check = new PropsCheck("LogGroup");
    checkRetention(check, "retentionInDays", props.retentionInDays)
      .nonEmpty("logGroupName", props.logGroupName)
      .nonEmpty("kmsKeyArn", props.kmsKeyArn)
      .tags("tags", props.tags)
      .done();
    const label = Label.of(this);
    this.resource = new CloudwatchLogGroup(this, "resource", {
      name: props.logGroupName,
      retentionInDays: props.retentionInDays,
      kmsKeyId: props.kmsKeyArn,
      tags: label.resourceTags(props.logGroupName, props.tags),
      lifecycle: { preventDestroy: props.preventDestroy ?? false },
    });
    this.logGroupName = props.logGroupName;
    this.logGroupArn = label.arn("logs", `log-group:${props.logGroupName}`);
  }

  /**
   * Counts the events matching `pattern` (CloudWatch Logs filter syntax) as
   * the metric `<namespace>-<env>-<name>` in namespace `Keel/LogMetrics`, one
   * per matching event, and returns it (statistic `Sum`) for an alarm.
   */
  public metricFilter(name: string, pattern: string, options?: MetricOptions): Metric {
    const label = Label.of(this);
    new PropsCheck(`LogGroup '${this.logGroupName}'`)
      .shortName("metricFilter.name", name)
      .require(pattern.trim().length > 0 && pattern.length <= 1024, "metricFilter.pattern", pattern, "a filter pattern of 1-1024 characters")
      .done();
    const metricName = `${label.prefix}-${name}`;
    new CloudwatchLogMetricFilter(this, `filter-${name}`, {
      name: metricName,
      logGroupName: this.resource.name,
      pattern,
      metricTransformation: { name: metricName, namespace: LOG_METRICS_NAMESPACE, value: "1", defaultValue: "0", unit: "Count" },
    });
    return metric(LOG_METRICS_NAMESPACE, metricName, {}, "Sum", options);
  }

  /**
   * Lets `grantee` create streams in this group and put events into them,
   * and list log groups (Session Manager and flow logs check the group
   * before they write; the list action has no per-group resource).
   */
  public grantWrite(grantee: IGrantable): void {
    grantee.addToPolicy({
      sid: `WriteTo${pascalCase(this.node.id)}`,
      actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      resources: [this.logGroupArn, `${this.logGroupArn}:*`],
    });
    grantee.addToPolicy({
      sid: "ListLogGroups",
      actions: ["logs:DescribeLogGroups"],
      resources: [Label.of(this).arn("logs", "log-group:*")],
    });
  }
}
