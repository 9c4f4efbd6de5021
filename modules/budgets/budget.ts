import { Construct } from "constructs";
import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { Label } from "../label";
import { PropsCheck } from "../validation";

export interface BudgetProps {
  /** The month's cost, in US dollars, that the alerts are measured against. */
  readonly monthlyLimitUsd: number;
  /** Addresses the alerts go to by email (AWS Budgets sends them itself). */
  readonly emails: readonly string[];
  /**
   * Percentages of the limit that alert: once actual spend passes each, and
   * once the month's forecast passes 100%.
   * @default [80, 100]
   */
  readonly alertAtPercent?: readonly number[];
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * A monthly AWS Budgets cost budget for the whole account, with email
 * alerts on actual spend and on the forecast. Unlike a billing alarm it
 * needs no "Receive Billing Alerts" setting and works from any region.
 */
export class Budget extends Construct {
  public readonly resource: BudgetsBudget;
  public readonly budgetName: string;

  constructor(scope: Construct, id: string, props: BudgetProps) {
    super(scope, id);
    const percents = props.alertAtPercent ?? [80, 100];
    const check = new PropsCheck("Budget")
      .require(Number.isFinite(props.monthlyLimitUsd) && props.monthlyLimitUsd > 0, "monthlyLimitUsd", props.monthlyLimitUsd, "a positive number of US dollars")
      .require(props.emails.length >= 1 && props.emails.length <= 10, "emails", props.emails, "1 to 10 addresses (AWS Budgets' limit per notification)")
      .distinct("emails", props.emails)
      .distinct("alertAtPercent", percents)
      .require(percents.length >= 1 && percents.length <= 4, "alertAtPercent", percents, "1 to 4 percentages (with the forecast alert, AWS allows 5 notifications per budget)");
    props.emails.forEach((e, i) => check.require(EMAIL.test(e), `emails.${i}`, e, "an email address"));
    percents.forEach((p, i) => check.require(Number.isFinite(p) && p > 0 && p <= 1000, `alertAtPercent.${i}`, p, "a percentage above 0, at most 1000"));
    check.done();
    const label = Label.of(this);
    this.budgetName = label.id("monthly-cost", "budget");
    const notify = (type: "ACTUAL" | "FORECASTED", threshold: number) => ({
      comparisonOperator: "GREATER_THAN",
      threshold,
      thresholdType: "PERCENTAGE",
      notificationType: type,
      subscriberEmailAddresses: [...props.emails],
    });
    this.resource = new BudgetsBudget(this, "resource", {
      name: this.budgetName,
      budgetType: "COST",
      limitAmount: props.monthlyLimitUsd.toFixed(2),
      limitUnit: "USD",
      timeUnit: "MONTHLY",
      notification: [...[...percents].sort((a, b) => a - b).map((p) => notify("ACTUAL", p)), notify("FORECASTED", 100)],
      tags: label.resourceTags(this.budgetName),
    });
  }
}
