import { Construct } from "constructs";
import { ApiGatewayAccount } from "@cdktf/provider-aws/lib/api-gateway-account";
import { Label } from "../label";
import { ServiceRole } from "../iam";

/**
 * The account's API Gateway CloudWatch role, in one region: REST API
 * execution logging (and access logging) needs it, and it is one setting
 * per account and region, so only the account stack makes it. The role may
 * write to API Gateway's own log groups only, not every log group.
 */
export class ApiGatewayLogging extends Construct {
  public readonly role: ServiceRole;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const label = Label.of(this);
    this.role = new ServiceRole(this, "role", {
      purpose: "apigateway-logs",
      servicePrincipal: "apigateway.amazonaws.com",
      trustConditions: { StringEquals: { "aws:SourceAccount": label.accountId } },
    });
    this.role.addToPolicy({ sid: "FindLogGroups", actions: ["logs:DescribeLogGroups"], resources: [label.arn("logs", "log-group:*")] });
    this.role.addToPolicy({
      sid: "WriteApiGatewayLogs",
      actions: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents", "logs:GetLogEvents", "logs:FilterLogEvents"],
      resources: [label.arn("logs", "log-group:API-Gateway-Execution-Logs_*"), label.arn("logs", "log-group:API-Gateway-Execution-Logs_*:log-stream:*"), label.arn("logs", "log-group:/aws/apigateway/*"), label.arn("logs", "log-group:/aws/apigateway/*:log-stream:*")],
    });
    new ApiGatewayAccount(this, "settings", { cloudwatchRoleArn: this.role.roleArn });
  }
}
