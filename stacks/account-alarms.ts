import { Construct } from "constructs";
import { Alarm, AlarmTopic } from "../modules/alarms";
import { Trail } from "../modules/cloudtrail";
import { metric } from "../modules/metrics";

/**
 * CIS-benchmark style filters on the trail's CloudWatch Logs copy: an event
 * with one of these names is a change worth a look. Omnirapeutic's "VPC: 3 alarms".
 */
export const VPC_CHANGE_FILTERS: ReadonlyArray<{ readonly name: string; readonly events: readonly string[]; readonly what: string }> = [
  {
    name: "security-group-changes",
    what: "a security group was created, deleted, or had a rule added or removed",
    events: ["AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress", "CreateSecurityGroup", "DeleteSecurityGroup"],
  },
  {
    name: "network-acl-changes",
    what: "a network ACL or one of its entries or associations changed",
    events: ["CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl", "DeleteNetworkAclEntry", "ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation"],
  },
  {
    name: "gateway-and-route-changes",
    what: "an internet, customer or NAT gateway, a route or a route table changed",
    events: [
      "CreateCustomerGateway",
      "DeleteCustomerGateway",
      "AttachInternetGateway",
      "CreateInternetGateway",
      "DeleteInternetGateway",
      "DetachInternetGateway",
      "CreateNatGateway",
      "DeleteNatGateway",
      "CreateRoute",
      "CreateRouteTable",
      "ReplaceRoute",
      "ReplaceRouteTableAssociation",
      "DeleteRouteTable",
      "DeleteRoute",
      "DisassociateRouteTable",
    ],
  },
];

/** A CloudWatch Logs filter pattern matching any of the event names. */
export function eventNamePattern(events: readonly string[]): string {
  return `{ ${events.map((e) => `($.eventName = ${e})`).join(" || ")} }`;
}

/**
 * The account's alarms: the three VPC-change filters on the trail (home
 * region, where the trail is) and the billing alarm (us-east-1 only, where
 * the billing metric exists).
 */
export function accountAlarms(scope: Construct, topic: AlarmTopic, trail: Trail | undefined, monthlyBudgetUsd: number | undefined): void {
  for (const filter of VPC_CHANGE_FILTERS) {
    if (trail === undefined) break;
    new Alarm(scope, `alarm-${filter.name}`, {
      name: filter.name,
      metric: trail.metricEvents(filter.name, eventNamePattern(filter.events), { period: 300 }),
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: 1,
      treatMissingData: "notBreaching",
      runbook: `CloudTrail saw ${filter.what}. If no reviewed Terraform apply ran at that time, find the caller in CloudTrail (event names: ${filter.events.slice(0, 3).join(", ")}, ...) and treat it as an incident.`,
      topicArn: topic.topicArn,
    });
  }
  if (monthlyBudgetUsd !== undefined) {
    new Alarm(scope, "alarm-estimated-charges", {
      name: "estimated-charges",
      metric: metric("AWS/Billing", "EstimatedCharges", { Currency: "USD" }, "Maximum", { period: 21600 }),
      comparison: "GreaterThanThreshold",
      threshold: monthlyBudgetUsd,
      evaluationPeriods: 1,
      // The metric comes every few hours; no data is not a breach.
      treatMissingData: "notBreaching",
      runbook: `This month's estimated AWS charges passed ${monthlyBudgetUsd} USD. Open Cost Explorer, group by service, and find what grew; NAT data, Aurora capacity and log ingestion are the usual suspects.`,
      topicArn: topic.topicArn,
    });
  }
}
