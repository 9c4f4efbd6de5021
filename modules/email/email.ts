import { Construct } from "constructs";
import { Fn } from "cdktf";
import { Sesv2EmailIdentity } from "@cdktf/provider-aws/lib/sesv2-email-identity";
import { Sesv2ConfigurationSet } from "@cdktf/provider-aws/lib/sesv2-configuration-set";
import { Sesv2ConfigurationSetEventDestination } from "@cdktf/provider-aws/lib/sesv2-configuration-set-event-destination";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Label, TaggableProps } from "../label";
import { IGrantable, IKeyPolicy, policyDocument } from "../iam";
import { Metric, MetricOptions, metric } from "../metrics";
import { HostedZone, isDomainName } from "../dns/zone";
import { PropsCheck } from "../validation";

export interface EmailProps extends TaggableProps {
  /** The sending domain, e.g. `outreachpass.base2ml.com`: in the zone, which gets its DKIM records. */
  readonly domain: string;
  /** The address mail is sent from, in `domain`, e.g. `noreply@outreachpass.base2ml.com`. */
  readonly fromAddress: string;
  /** The existing zone (module `dns`) the DKIM records go in. */
  readonly zone: HostedZone;
  /** Key of the bounce-and-complaint topic; SES is let use it for this account only. */
  readonly topicKey: IKeyPolicy;
}

/** SES's DKIM records: three CNAMEs per Easy DKIM identity. */
const DKIM_RECORDS = 3;
const EMAIL = /^[^@\s]+@([^@\s]+)$/;

/**
 * An SES domain identity with Easy DKIM (its three CNAMEs in the existing
 * zone), an email identity for the From address, a configuration set that
 * requires TLS to receiving servers, tracks reputation and suppresses
 * bounced and complaining addresses, and bounce and complaint events
 * published to an encrypted, TLS-only SNS topic.
 */
export class EmailIdentity extends Construct {
  public readonly domainIdentity: Sesv2EmailIdentity;
  public readonly configurationSetName: string;
  public readonly feedbackTopicArn: string;
  public readonly fromAddress: string;
  public readonly domain: string;

  constructor(scope: Construct, id: string, props: EmailProps) {
    super(scope, id);
    const from = EMAIL.exec(props.fromAddress);
    const check = new PropsCheck("EmailIdentity")
      .require(isDomainName(props.domain) && !props.domain.startsWith("*."), "domain", props.domain, "a lower-case DNS name")
      .require(props.zone.contains(props.domain), "domain", props.domain, `a name in the zone ${props.zone.zoneName}, where its DKIM records go`)
      .require(from !== null && from[1] === props.domain, "fromAddress", props.fromAddress, `an address at ${props.domain}, the verified domain`)
      .tags("tags", props.tags);
    check.done();
    const label = Label.of(this);
    this.domain = props.domain;
    this.fromAddress = props.fromAddress;
    this.configurationSetName = label.id("email", "sesConfigurationSet");

    const configurationSet = new Sesv2ConfigurationSet(this, "configuration-set", {
      configurationSetName: this.configurationSetName,
      deliveryOptions: { tlsPolicy: "REQUIRE" },
      reputationOptions: { reputationMetricsEnabled: true },
      sendingOptions: { sendingEnabled: true },
      suppressionOptions: { suppressedReasons: ["BOUNCE", "COMPLAINT"] },
      tags: label.resourceTags(this.configurationSetName, props.tags),
    });

    this.domainIdentity = new Sesv2EmailIdentity(this, "domain", {
      emailIdentity: props.domain,
      configurationSetName: configurationSet.configurationSetName,
      dkimSigningAttributes: { nextSigningKeyLength: "RSA_2048_BIT" },
      tags: label.resourceTags(props.domain, props.tags),
    });
    const tokens = this.domainIdentity.dkimSigningAttributes.tokens;
    for (let i = 0; i < DKIM_RECORDS; i++) {
      const token = Fn.element(tokens, i);
      new Route53Record(this, `dkim-${i + 1}`, {
        zoneId: props.zone.zoneId,
        name: `${token}._domainkey.${props.domain}`,
        type: "CNAME",
        ttl: 1800,
        records: [`${token}.dkim.amazonses.com`],
      });
    }
    new Sesv2EmailIdentity(this, "from-address", {
      emailIdentity: props.fromAddress,
      configurationSetName: configurationSet.configurationSetName,
      tags: label.resourceTags(props.fromAddress, props.tags),
    });

    const topicName = label.id("email-feedback");
    const topic = new SnsTopic(this, "feedback-topic", {
      name: topicName,
      kmsMasterKeyId: props.topicKey.keyArn,
      tags: label.resourceTags(topicName, props.tags),
    });
    this.feedbackTopicArn = topic.arn;
    const fromThisSet = { StringEquals: { "aws:SourceAccount": label.accountId }, ArnLike: { "aws:SourceArn": label.arn("ses", `configuration-set/${this.configurationSetName}`) } };
    props.topicKey.addToKeyPolicy({
      sid: "SesPublishesFeedback",
      principal: { Service: "ses.amazonaws.com" },
      actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
      resources: ["*"],
      conditions: { StringEquals: { "aws:SourceAccount": label.accountId } },
    });
    new SnsTopicPolicy(this, "feedback-topic-policy", {
      arn: topic.arn,
      policy: policyDocument([
        { sid: "SesPublishesFeedback", principal: { Service: "ses.amazonaws.com" }, actions: ["sns:Publish"], resources: [topic.arn], conditions: fromThisSet },
        { sid: "DenyInsecureTransport", effect: "Deny", principal: "*", actions: ["sns:Publish"], resources: [topic.arn], conditions: { Bool: { "aws:SecureTransport": "false" } } },
      ]),
    });
    new Sesv2ConfigurationSetEventDestination(this, "feedback", {
      configurationSetName: configurationSet.configurationSetName,
      eventDestinationName: "bounces-and-complaints",
      eventDestination: { enabled: true, matchingEventTypes: ["BOUNCE", "COMPLAINT"], snsDestination: { topicArn: topic.arn } },
    });
  }

  /**
   * Lets `grantee` send from this domain through its configuration set
   * (SES v2 authorizes both), and from no other identity.
   */
  public grantSend(grantee: IGrantable): void {
    const label = Label.of(this);
    grantee.addToPolicy({
      sid: "SendEmailFromDomain",
      actions: ["ses:SendEmail", "ses:SendRawEmail"],
      resources: [label.arn("ses", `identity/${this.domain}`), label.arn("ses", `identity/${this.fromAddress}`), label.arn("ses", `configuration-set/${this.configurationSetName}`)],
    });
  }

  /** An account reputation metric (namespace AWS/SES), a fraction: 0.05 is 5%. */
  public metric(metricName: string, options?: MetricOptions): Metric {
    return metric("AWS/SES", metricName, {}, "Maximum", options);
  }

  /** Bounces per message sent, over SES's own window: AWS reviews an account above 5%, and may pause it above 10%. */
  public metricBounceRate(options?: MetricOptions): Metric {
    return this.metric("Reputation.BounceRate", options);
  }

  /** Complaints per message sent: AWS reviews an account above 0.1%, and may pause it above 0.5%. */
  public metricComplaintRate(options?: MetricOptions): Metric {
    return this.metric("Reputation.ComplaintRate", options);
  }
}
