import { Construct } from "constructs";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Label, TaggableProps } from "../label";
import { policyDocument } from "../iam";
import { PropsCheck } from "../validation";

export interface AlarmTopicProps extends TaggableProps {
  /**
   * KMS key of the topic; its policy must let CloudWatch and EventBridge
   * publish (`cloudwatch` and `events` service principals) and admit SNS.
   */
  readonly kmsKeyArn: string;
  /**
   * Addresses that get every alarm by email (each confirms once).
   * @default [] - no subscription; add one outside Keel (chat, paging)
   */
  readonly emails?: readonly string[];
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * The stack's alarm topic, `<namespace>-<env>-alarms`: KMS-encrypted, TLS-only,
 * published to only by this account's CloudWatch alarms and EventBridge rules,
 * with email subscriptions from config.
 */
export class AlarmTopic extends Construct {
  public readonly resource: SnsTopic;
  public readonly topicArn: string;
  public readonly topicName: string;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const emails = props.emails ?? [];
    const check = new PropsCheck("AlarmTopic").nonEmpty("kmsKeyArn", props.kmsKeyArn).distinct("emails", emails).tags("tags", props.tags);
    emails.forEach((e, i) => check.require(EMAIL.test(e), `emails.${i}`, e, "an email address"));
    check.done();
    const label = Label.of(this);
    this.topicName = label.id("alarms");
    this.resource = new SnsTopic(this, "resource", {
      name: this.topicName,
      kmsMasterKeyId: props.kmsKeyArn,
      tags: label.resourceTags(this.topicName, props.tags),
    });
    this.topicArn = this.resource.arn;
    const fromAccount = { StringEquals: { "aws:SourceAccount": label.accountId } };
    new SnsTopicPolicy(this, "policy", {
      arn: this.resource.arn,
      policy: policyDocument([
        {
          sid: "AccountManagesTopic",
          principal: { AWS: label.accountRootArn },
          actions: ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish"],
          resources: [this.topicArn],
        },
        { sid: "CloudWatchAlarmsPublish", principal: { Service: "cloudwatch.amazonaws.com" }, actions: ["sns:Publish"], resources: [this.topicArn], conditions: fromAccount },
        { sid: "EventBridgeRulesPublish", principal: { Service: "events.amazonaws.com" }, actions: ["sns:Publish"], resources: [this.topicArn], conditions: fromAccount },
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          principal: "*",
          actions: ["sns:Publish"],
          resources: [this.topicArn],
          conditions: { Bool: { "aws:SecureTransport": "false" } },
        },
      ]),
    });
    emails.forEach((email, i) => new SnsTopicSubscription(this, `email-${i + 1}`, { topicArn: this.topicArn, protocol: "email", endpoint: email }));
  }
}
