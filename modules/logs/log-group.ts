import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Label } from "../label";
import { PropsCheck } from "../validation";

/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export interface LogGroupProps {
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

/** Checks a retention period against what CloudWatch Logs accepts. */
export function checkRetention(module: string, prop: string, days: number): void {
  new PropsCheck(module).oneOf(prop, days, LOG_RETENTION_DAYS);
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
    checkRetention("LogGroup", "retentionInDays", props.retentionInDays);
    new PropsCheck("LogGroup").nonEmpty("logGroupName", props.logGroupName).nonEmpty("kmsKeyArn", props.kmsKeyArn);
    const label = Label.of(this);
    this.resource = new CloudwatchLogGroup(this, "resource", {
      name: props.logGroupName,
      retentionInDays: props.retentionInDays,
      kmsKeyId: props.kmsKeyArn,
      tags: label.resourceTags(props.logGroupName),
      lifecycle: { preventDestroy: props.preventDestroy ?? false },
    });
    this.logGroupName = props.logGroupName;
    this.logGroupArn = label.arn("logs", `log-group:${props.logGroupName}`);
  }
}
