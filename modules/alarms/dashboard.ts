import { Construct } from "constructs";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { Label } from "../label";
import { Metric } from "../metrics";

export interface DashboardWidget {
  readonly title: string;
  readonly metrics: readonly Metric[];
}

/**
 * A CloudWatch dashboard `<namespace>-<env>`, one graph per widget, two per
 * row, from the same `metric*()` helpers the alarms use.
 */
export class Dashboard extends Construct {
  public readonly resource: CloudwatchDashboard;

  constructor(scope: Construct, id: string, widgets: readonly DashboardWidget[]) {
    super(scope, id);
    const label = Label.of(this);
    const body = {
      widgets: widgets.map((w, i) => ({
        type: "metric",
        x: (i % 2) * 12,
        y: Math.floor(i / 2) * 6,
        width: 12,
        height: 6,
        properties: {
          title: w.title,
          region: label.region,
          view: "timeSeries",
          stacked: false,
          metrics: w.metrics.map((m) => [m.namespace, m.metricName, ...Object.entries(m.dimensions).flat(), { stat: m.statistic, period: m.period }]),
        },
      })),
    };
    this.resource = new CloudwatchDashboard(this, "resource", { dashboardName: label.override("dashboard", "default") ?? label.prefix, dashboardBody: JSON.stringify(body) });
  }
}
