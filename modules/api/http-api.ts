import { Construct } from "constructs";
import { Apigatewayv2Api } from "@cdktf/provider-aws/lib/apigatewayv2-api";
import { Apigatewayv2Stage } from "@cdktf/provider-aws/lib/apigatewayv2-stage";
import { Apigatewayv2Route } from "@cdktf/provider-aws/lib/apigatewayv2-route";
import { Apigatewayv2Integration } from "@cdktf/provider-aws/lib/apigatewayv2-integration";
import { Apigatewayv2Authorizer } from "@cdktf/provider-aws/lib/apigatewayv2-authorizer";
import { Apigatewayv2DomainName } from "@cdktf/provider-aws/lib/apigatewayv2-domain-name";
import { Apigatewayv2ApiMapping } from "@cdktf/provider-aws/lib/apigatewayv2-api-mapping";
import { checkCertificateArn } from "../dns/certificate";
import { Label, TaggableProps } from "../label";
import { LogGroup } from "../logs";
import { IAliasTarget, isDomainName } from "../dns/zone";
import { Metric, MetricExpression, MetricOptions, metric, percentOf } from "../metrics";
import { PropsCheck } from "../validation";
import { ApiCors, ApiThrottle, accessLogFormat } from "./constants";
import { checkApiProps } from "./checks";

/** A Lambda function an API may invoke: the functions module's `LambdaFunction`. */
export interface IInvocable {
  readonly invokeArn: string;
  /** Adds the resource policy that lets `service` invoke it for `sourceArn`. */
  allowInvoke(id: string, service: string, sourceArn: string): unknown;
}

export interface HttpApiProps extends TaggableProps {
  /** What the API is, `[a-z0-9-]`; it is named `<namespace>-<env>-<name>`. @default "api" */
  readonly name?: string;
  /** Throttling of the `$default` stage. @default 1000 requests per second, burst 2000 */
  readonly throttle?: ApiThrottle;
  /** @default - no CORS */
  readonly cors?: ApiCors;
  /** Where `ANY /{proxy+}` goes: an HTTP(S) URL (HTTP_PROXY). @default - no route yet */
  readonly backendUrl?: string;
  /**
   * Or a Lambda function (AWS_PROXY, payload 2.0), which the API is allowed
   * to invoke. At most one of `backendUrl` and `backendFunction`.
   * @default - no route yet
   */
  readonly backendFunction?: IInvocable;
  /**
   * Callers present a JWT from this issuer with one of these audiences (a
   * Cognito user pool's issuer URL and client ids).
   * @default - no authorizer: the backend checks tokens itself
   */
  readonly jwt?: { readonly issuer: string; readonly audience: readonly string[] };
  /** Custom domains, each mapped to the `$default` stage; `certificateArn` must cover them all. @default [] */
  readonly domainNames?: readonly string[];
  /** A regional ACM certificate (in the stack's region) for `domainNames`. */
  readonly certificateArn?: string;
  /** KMS key of the access log group. */
  readonly logKmsKeyArn: string;
  /** Days access logs are kept. @default 365 */
  readonly logRetentionInDays?: number;
}

/**
 * A regional HTTP API (v2): the `$default` stage deploying automatically,
 * JSON access logs to `/aws/apigateway/<name>`, stage throttling, CORS,
 * optionally `ANY /{proxy+}` to a backend, a JWT authorizer, and custom
 * domains (TLS 1.2) mapped to the stage, with the default execute-api
 * endpoint turned off once a custom domain exists.
 */
export class HttpApi extends Construct {
  public readonly resource: Apigatewayv2Api;
  public readonly apiId: string;
  public readonly apiName: string;
  public readonly apiEndpoint: string;
  /** Alias targets of the custom domains, by domain name. */
  public readonly domainTargets: ReadonlyMap<string, IAliasTarget>;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    const throttle = props.throttle ?? { rateLimit: 1000, burstLimit: 2000 };
    const domains = props.domainNames ?? [];
    const check = checkApiProps(new PropsCheck(`HttpApi '${props.name ?? "api"}'`), props, throttle)
      .require(props.backendUrl === undefined || /^https?:\/\/[^\s]+$/.test(props.backendUrl), "backendUrl", props.backendUrl, "an http(s):// URL")
      .require(props.backendUrl === undefined || props.backendFunction === undefined, "backendFunction", "(given with backendUrl)", "at most one of backendUrl and backendFunction")
      .require(domains.length === 0 || props.certificateArn !== undefined, "certificateArn", "(none)", "a regional ACM certificate covering domainNames")
      .distinct("domainNames", domains)
      .nonEmpty("logKmsKeyArn", props.logKmsKeyArn)
      .tags("tags", props.tags);
    domains.forEach((d, i) => check.require(isDomainName(d) && !d.startsWith("*."), `domainNames.${i}`, d, "a lower-case DNS name"));
    // A regional custom domain takes a certificate of the API's own region and account.
    checkCertificateArn(check, "certificateArn", props.certificateArn, { region: Label.of(this).region, accountId: Label.of(this).accountId }, "a regional API Gateway domain");
    if (props.jwt !== undefined) {
      check.require(/^https:\/\/\S+$/.test(props.jwt.issuer), "jwt.issuer", props.jwt.issuer, "an https:// issuer URL").require(props.jwt.audience.length > 0, "jwt.audience", props.jwt.audience, "at least one audience (client id)");
    }
    check.done();
    const label = Label.of(this);
    this.apiName = label.id(props.name ?? "api");
    const cors = props.cors;
    this.resource = new Apigatewayv2Api(this, "resource", {
      name: this.apiName,
      protocolType: "HTTP",
      disableExecuteApiEndpoint: domains.length > 0,
      ...(cors === undefined
        ? {}
        : {
            corsConfiguration: {
              allowOrigins: [...cors.allowOrigins],
              allowMethods: [...(cors.allowMethods ?? ["*"])],
              allowHeaders: [...(cors.allowHeaders ?? ["authorization", "content-type"])],
              maxAge: cors.maxAgeSeconds ?? 600,
            },
          }),
      tags: label.resourceTags(this.apiName, props.tags),
    });
    this.apiId = this.resource.id;
    this.apiEndpoint = this.resource.apiEndpoint;

    const logs = new LogGroup(this, "access-logs", {
      logGroupName: `/aws/apigateway/${this.apiName}`,
      retentionInDays: props.logRetentionInDays ?? 365,
      kmsKeyArn: props.logKmsKeyArn,
      tags: props.tags,
    });
    const stage = new Apigatewayv2Stage(this, "stage", {
      apiId: this.apiId,
      name: "$default",
      autoDeploy: true,
      accessLogSettings: { destinationArn: logs.logGroupArn, format: accessLogFormat("http") },
      defaultRouteSettings: { throttlingRateLimit: throttle.rateLimit, throttlingBurstLimit: throttle.burstLimit, detailedMetricsEnabled: true },
      tags: label.resourceTags(`${this.apiName}-default`, props.tags),
    });

    const authorizer =
      props.jwt === undefined
        ? undefined
        : new Apigatewayv2Authorizer(this, "authorizer", {
            apiId: this.apiId,
            name: `${this.apiName}-jwt`,
            authorizerType: "JWT",
            identitySources: ["$request.header.Authorization"],
            jwtConfiguration: { issuer: props.jwt.issuer, audience: [...props.jwt.audience] },
          });
    const backend = props.backendFunction;
    if (backend !== undefined) backend.allowInvoke(`http-api-${props.name ?? "api"}`, "apigateway.amazonaws.com", `${this.resource.executionArn}/*/*`);
    if (props.backendUrl !== undefined || backend !== undefined) {
      const integration = new Apigatewayv2Integration(this, "proxy-integration", {
        apiId: this.apiId,
        ...(backend === undefined
          ? { integrationType: "HTTP_PROXY", integrationMethod: "ANY", integrationUri: props.backendUrl, payloadFormatVersion: "1.0" }
          : { integrationType: "AWS_PROXY", integrationMethod: "POST", integrationUri: backend.invokeArn, payloadFormatVersion: "2.0" }),
      });
      new Apigatewayv2Route(this, "proxy-route", {
        apiId: this.apiId,
        routeKey: "ANY /{proxy+}",
        target: `integrations/${integration.id}`,
        authorizationType: authorizer === undefined ? "NONE" : "JWT",
        ...(authorizer === undefined ? {} : { authorizerId: authorizer.id }),
      });
    }

    const targets = new Map<string, IAliasTarget>();
    for (const domain of domains) {
      const id = domain.replace(/\./g, "-");
      const name = new Apigatewayv2DomainName(this, `domain-${id}`, {
        domainName: domain,
        domainNameConfiguration: { certificateArn: props.certificateArn ?? "", endpointType: "REGIONAL", securityPolicy: "TLS_1_2" },
        tags: label.resourceTags(domain, props.tags),
      });
      new Apigatewayv2ApiMapping(this, `mapping-${id}`, { apiId: this.apiId, domainName: name.id, stage: stage.id });
      const configuration = name.domainNameConfiguration;
      targets.set(domain, { aliasDnsName: configuration.targetDomainName, aliasZoneId: configuration.hostedZoneId });
    }
    this.domainTargets = targets;
  }

  /** A `$default` stage metric (namespace AWS/ApiGateway, by ApiId and Stage). */
  public metric(metricName: string, options?: MetricOptions): Metric {
    return metric("AWS/ApiGateway", metricName, { ApiId: this.apiId, Stage: "$default" }, metricName === "Latency" ? "Average" : "Sum", options);
  }

  public metricCount(options?: MetricOptions): Metric {
    return this.metric("Count", options);
  }

  public metric4xxError(options?: MetricOptions): Metric {
    return this.metric("4xx", options);
  }

  public metric5xxError(options?: MetricOptions): Metric {
    return this.metric("5xx", options);
  }

  public metricLatency(options?: MetricOptions): Metric {
    return this.metric("Latency", { statistic: "p99", ...options });
  }

  /** 5xx responses as a percentage of requests (metric math; 0 without traffic). */
  public metric5xxErrorRate(options?: Omit<MetricOptions, "statistic">): MetricExpression {
    return percentOf(this.metric5xxError(options), this.metricCount(options), "HTTP API 5xx rate (%)");
  }
}
