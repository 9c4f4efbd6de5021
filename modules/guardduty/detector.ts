import { Construct } from "constructs";
import { GuarddutyDetector } from "@cdktf/provider-aws/lib/guardduty-detector";
import { GuarddutyDetectorFeature } from "@cdktf/provider-aws/lib/guardduty-detector-feature";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { Label, TaggableProps } from "../label";
import { PropsCheck } from "../validation";

export interface DetectorProps extends TaggableProps {
  /** The topic high-severity findings go to (the account's alarm topic). */
  readonly alarmTopicArn: string;
  /**
   * Findings at or above this severity (1-8.9; 7 and up is "high") go to the topic.
   * @default 7
   */
  readonly minimumSeverity?: number;
}

/**
 * The protections that fit Keel's platform, as detector features: S3 data
 * events, RDS login events, EBS malware scans, runtime monitoring of ECS
 * Fargate with GuardDuty managing its agent, and Lambda network activity.
 */
export const DETECTOR_FEATURES: ReadonlyArray<{ readonly name: string; readonly agentManagement?: string }> = [
  { name: "S3_DATA_EVENTS" },
  { name: "RDS_LOGIN_EVENTS" },
  { name: "EBS_MALWARE_PROTECTION" },
  { name: "RUNTIME_MONITORING", agentManagement: "ECS_FARGATE_AGENT_MANAGEMENT" },
  { name: "LAMBDA_NETWORK_LOGS" },
];

/**
 * A GuardDuty detector for one region: findings published every 15 minutes,
 * Keel's features on, and high-severity findings sent through EventBridge to
 * the alarm topic.
 */
export class Detector extends Construct {
  public readonly resource: GuarddutyDetector;
  public readonly detectorId: string;

  constructor(scope: Construct, id: string, props: DetectorProps) {
    super(scope, id);
    const severity = props.minimumSeverity ?? 7;
    new PropsCheck("Detector")
      .require(Number.isFinite(severity) && severity >= 1 && severity < 9, "minimumSeverity", severity, "a severity from 1 to 8.9 (7 and up is high)")
      .nonEmpty("alarmTopicArn", props.alarmTopicArn)
      .tags("tags", props.tags)
      .done();
    const label = Label.of(this);
    this.resource = new GuarddutyDetector(this, "resource", {
      enable: true,
      findingPublishingFrequency: "FIFTEEN_MINUTES",
      tags: label.resourceTags(label.id("guardduty"), props.tags),
    });
    this.detectorId = this.resource.id;
    for (const feature of DETECTOR_FEATURES) {
      new GuarddutyDetectorFeature(this, `feature-${feature.name.toLowerCase().replace(/_/g, "-")}`, {
        detectorId: this.resource.id,
        name: feature.name,
        status: "ENABLED",
        ...(feature.agentManagement ? { additionalConfiguration: [{ name: feature.agentManagement, status: "ENABLED" }] } : {}),
      });
    }
    const rule = new CloudwatchEventRule(this, "high-severity-findings", {
      name: label.id("guardduty-findings"),
      description: `GuardDuty findings of severity ${severity} and above, to the alarm topic`,
      eventPattern: JSON.stringify({
        source: ["aws.guardduty"],
        "detail-type": ["GuardDuty Finding"],
        detail: { severity: [{ numeric: [">=", severity] }] },
      }),
      tags: label.resourceTags(label.id("guardduty-findings"), props.tags),
    });
    new CloudwatchEventTarget(this, "to-alarm-topic", { rule: rule.name, arn: props.alarmTopicArn, targetId: "alarm-topic" });
  }
}
