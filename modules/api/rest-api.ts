import { Construct } from "constructs";
import { createHash } from "crypto";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayResource } from "@cdktf/provider-aws/lib/api-gateway-resource";
import { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { ApiGatewayIntegration } from "@cdktf/provider-aws/lib/api-gateway-integration";
import { ApiGatewayMethodResponse } from "@cdktf/provider-aws/lib/api-gateway-method-response";
import { ApiGatewayIntegrationResponse } from "@cdktf/provider-aws/lib/api-gateway-integration-response";
import { ApiGatewayAuthorizer } from "@cdktf/provider-aws/lib/api-gateway-authorizer";
import { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { ApiGatewayMethodSettings } from "@cdktf/provider-aws/lib/api-gateway-method-settings";
import { ITerraformDependable } from "cdktf";
import { Label, TaggableProps } from "../label";
import { LogGroup } from "../logs";
import { Metric, MetricExpression, MetricOptions, metric, percentOf } from "../metrics";
import { PropsCheck } from "../validation";
import { suppress } from "../compliance/suppress";
import { ApiCors, ApiThrottle, accessLogFormat } from "./constants";
import { checkApiProps } from "./checks";

export interface RestApiProps extends TaggableProps {
  /** What the API is, `[a-z0-9-]`; it is named `<namespace>-<env>-<name>`. @default "api" */
  readonly name?: string;
  /** @default "prod" */
  readonly stageName?: string;
  /** Stage-wide throttling. @default 1000 requests per second, burst 2000 */
  readonly throttle?: ApiThrottle;
  /** Browser origins allowed by preflight (OPTIONS) answers. @default - no CORS */
  readonly cors?: ApiCors;
  /**
   * Callers of `ANY /{proxy+}` present an id token of this user pool
   * (`Authorization` header).
   * @default - no authorizer: the proxy route is open
   */
  readonly userPoolArn?: string;
  /**
   * Where `ANY /{proxy+}` goes: an HTTP(S) backend, `{proxy}` standing for
   * the path.
   * @default - no backend yet: the route answers 503 until one is connected
   */
  readonly backendUrl?: string;
  /** Path of the health check, answered by the gateway itself without authorization. @default "/health" */
  readonly healthCheckPath?: string;
  /** KMS key of the access and execution log groups. */
  readonly logKmsKeyArn: string;
  /** Days access and execution logs are kept. @default 365 */
  readonly logRetentionInDays?: number;
}

/** CreateStage: "Stage names can only contain alphanumeric characters, hyphens, and underscores. Maximum length is 128 characters." */
const STAGE = /^[A-Za-z0-9_-]{1,128}$/;
const PATH_PART = /^\/[a-z0-9-]{1,64}$/;

/**
 * A regional REST API: `GET <healthCheckPath>` answered by the gateway
 * without authorization, `ANY /{proxy+}` behind a Cognito authorizer, CORS
 * preflight answers for an allow-list of origins, and one stage with X-Ray
 * tracing, JSON access logs, execution logging at INFO (never request
 * bodies: `data_trace_enabled` stays off) into a log group Keel creates
 * first (so it is encrypted and expires), and stage-wide throttling.
 *
 * Execution logging needs the account's API Gateway CloudWatch role: the
 * account stack creates it with `accounts[].apiGatewayLogging`.
 */
export class RestApi extends Construct {
  public readonly resource: ApiGatewayRestApi;
  public readonly restApiId: string;
  public readonly apiName: string;
  public readonly stageName: string;
  /** `https://<id>.execute-api.<region>.amazonaws.com/<stage>`. */
  public readonly invokeUrl: string;
  public readonly accessLogGroup: LogGroup;

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
    const throttle = props.throttle ?? { rateLimit: 1000, burstLimit: 2000 };
    const stageName = props.stageName ?? "prod";
    const health = props.healthCheckPath ?? "/health";
    checkApiProps(new PropsCheck(`RestApi '${props.name ?? "api"}'`), props, throttle)
      .require(STAGE.test(stageName), "stageName", stageName, "1-128 letters, digits, hyphens and underscores (CreateStage)")
      .require(PATH_PART.test(health), "healthCheckPath", health, "one path segment such as /health")
      .require(props.backendUrl === undefined || /^https?:\/\/[^\s]+$/.test(props.backendUrl), "backendUrl", props.backendUrl, "an http(s):// URL")
      .nonEmpty("logKmsKeyArn", props.logKmsKeyArn)
      .tags("tags", props.tags)
      .done();
    const label = Label.of(this);
    this.apiName = label.id(props.name ?? "api");
    this.stageName = stageName;
    this.resource = new ApiGatewayRestApi(this, "resource", {
      name: this.apiName,
      description: `${this.apiName}: health check and an authorized proxy`,
      endpointConfiguration: { types: ["REGIONAL"] },
      tags: label.resourceTags(this.apiName, props.tags),
    });
    const api = this.resource.id;
    const dependencies: ITerraformDependable[] = [];
    const methodFor = (resourceId: string, path: string, idPrefix: string, spec: Omit<ConstructorParameters<typeof ApiGatewayMethod>[2], "restApiId" | "resourceId">) => {
      const method = new ApiGatewayMethod(this, `${idPrefix}-method`, { restApiId: api, resourceId, ...spec });
      dependencies.push(method);
      return { method, path };
    };

    // GET /health: a MOCK integration, 200 {"status":"ok"}.
    const healthResource = new ApiGatewayResource(this, "health", { restApiId: api, parentId: this.resource.rootResourceId, pathPart: health.slice(1) });
    const { method: healthMethod } = methodFor(healthResource.id, health, "health", { httpMethod: "GET", authorization: "NONE" });
    this.mock(healthResource.id, healthMethod, "health", 200, JSON.stringify({ status: "ok" }), dependencies);
    suppress(healthMethod, { rule: "apigw-authorization", reason: "The health check is answered by the gateway itself (MOCK) with a fixed body; it reaches no backend and no data" });

    // ANY /{proxy+}
    const proxy = new ApiGatewayResource(this, "proxy", { restApiId: api, parentId: this.resource.rootResourceId, pathPart: "{proxy+}" });
    let authorizerId: string | undefined;
    if (props.userPoolArn !== undefined) {
      authorizerId = new ApiGatewayAuthorizer(this, "authorizer", {
        restApiId: api,
        name: `${this.apiName}-cognito`,
        type: "COGNITO_USER_POOLS",
        providerArns: [props.userPoolArn],
        identitySource: "method.request.header.Authorization",
      }).id;
    }
    const { method: proxyMethod } = methodFor(proxy.id, "/{proxy+}", "proxy", {
      httpMethod: "ANY",
      authorization: authorizerId === undefined ? "NONE" : "COGNITO_USER_POOLS",
      ...(authorizerId === undefined ? {} : { authorizerId }),
      requestParameters: { "method.request.path.proxy": true },
    });
    if (props.backendUrl === undefined) {
      this.mock(proxy.id, proxyMethod, "proxy", 503, JSON.stringify({ message: "No backend is connected to this API yet" }), dependencies);
    } else {
      dependencies.push(
        new ApiGatewayIntegration(this, "proxy-integration", {
          restApiId: api,
          resourceId: proxy.id,
          httpMethod: proxyMethod.httpMethod,
          type: "HTTP_PROXY",
          integrationHttpMethod: "ANY",
          uri: props.backendUrl,
          requestParameters: { "integration.request.path.proxy": "method.request.path.proxy" },
        }),
      );
    }
    if (props.cors !== undefined) {
      for (const [resourceId, name] of [[healthResource.id, "health"], [proxy.id, "proxy"]] as const) this.preflight(resourceId, name, props.cors, dependencies);
    }

    const spec = JSON.stringify({ health, cors: props.cors ?? null, authorized: props.userPoolArn !== undefined, backend: props.backendUrl ?? null });
    const deployment = new ApiGatewayDeployment(this, "deployment", {
      restApiId: api,
      description: `${this.apiName}: routes as of this configuration`,
      // A new deployment whenever the routes change; the stage moves to it before the old one goes.
      triggers: { redeployment: createHash("sha1").update(spec).digest("hex") },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: dependencies,
    });

    const retention = props.logRetentionInDays ?? 365;
    this.accessLogGroup = new LogGroup(this, "access-logs", { logGroupName: `/aws/apigateway/${this.apiName}`, retentionInDays: retention, kmsKeyArn: props.logKmsKeyArn, tags: props.tags });
    // API Gateway would create this group itself, unencrypted and kept forever.
    const executionLogs = new LogGroup(this, "execution-logs", {
      logGroupName: `API-Gateway-Execution-Logs_${api}/${stageName}`,
      retentionInDays: retention,
      kmsKeyArn: props.logKmsKeyArn,
      tags: props.tags,
    });
    const stage = new ApiGatewayStage(this, "stage", {
      restApiId: api,
      stageName,
      deploymentId: deployment.id,
      xrayTracingEnabled: true,
      accessLogSettings: { destinationArn: this.accessLogGroup.logGroupArn, format: accessLogFormat("rest") },
      tags: label.resourceTags(`${this.apiName}-${stageName}`, props.tags),
      dependsOn: [executionLogs.resource],
    });
    new ApiGatewayMethodSettings(this, "method-settings", {
      restApiId: api,
      stageName: stage.stageName,
      methodPath: "*/*",
      settings: {
        loggingLevel: "INFO",
        metricsEnabled: true,
        dataTraceEnabled: false,
        throttlingRateLimit: throttle.rateLimit,
        throttlingBurstLimit: throttle.burstLimit,
        cachingEnabled: false,
      },
    });
    this.restApiId = api;
    this.invokeUrl = stage.invokeUrl;
  }

  /** A gateway-answered method: MOCK integration returning `status` and `body`. */
  private mock(resourceId: string, method: ApiGatewayMethod, name: string, status: number, body: string, dependencies: ITerraformDependable[]): void {
    const integration = new ApiGatewayIntegration(this, `${name}-integration`, {
      restApiId: this.resource.id,
      resourceId,
      httpMethod: method.httpMethod,
      type: "MOCK",
      requestTemplates: { "application/json": JSON.stringify({ statusCode: status }) },
    });
    const response = new ApiGatewayMethodResponse(this, `${name}-response`, {
      restApiId: this.resource.id,
      resourceId,
      httpMethod: method.httpMethod,
      statusCode: String(status),
    });
    dependencies.push(
      integration,
      new ApiGatewayIntegrationResponse(this, `${name}-integration-response`, {
        restApiId: this.resource.id,
        resourceId,
        httpMethod: method.httpMethod,
        statusCode: response.statusCode,
        responseTemplates: { "application/json": body },
        dependsOn: [integration],
      }),
    );
  }

  /**
   * OPTIONS answered by the gateway: the allowed methods and headers, and
   * `Access-Control-Allow-Origin` echoed only for an origin on the list.
   */
  private preflight(resourceId: string, name: string, cors: ApiCors, dependencies: ITerraformDependable[]): void {
    const headers = ["Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Max-Age", "Vary"];
    const method = new ApiGatewayMethod(this, `${name}-options-method`, { restApiId: this.resource.id, resourceId, httpMethod: "OPTIONS", authorization: "NONE" });
    suppress(method, { rule: "apigw-authorization", reason: "Browsers send CORS preflight requests without credentials; the gateway answers them itself (MOCK) with headers only" });
    const integration = new ApiGatewayIntegration(this, `${name}-options-integration`, {
      restApiId: this.resource.id,
      resourceId,
      httpMethod: "OPTIONS",
      type: "MOCK",
      requestTemplates: { "application/json": JSON.stringify({ statusCode: 200 }) },
      dependsOn: [method],
    });
    const response = new ApiGatewayMethodResponse(this, `${name}-options-response`, {
      restApiId: this.resource.id,
      resourceId,
      httpMethod: "OPTIONS",
      statusCode: "200",
      responseParameters: Object.fromEntries(headers.map((h) => [`method.response.header.${h}`, true])),
      dependsOn: [method],
    });
    const methods = (cors.allowMethods ?? ["*"]).includes("*") ? "GET,HEAD,POST,PUT,PATCH,DELETE,OPTIONS" : (cors.allowMethods ?? []).join(",");
    const matches = cors.allowOrigins.map((o) => `$origin == "${o}"`).join(" || ");
    dependencies.push(
      method,
      integration,
      new ApiGatewayIntegrationResponse(this, `${name}-options-integration-response`, {
        restApiId: this.resource.id,
        resourceId,
        httpMethod: "OPTIONS",
        statusCode: response.statusCode,
        responseParameters: {
          "method.response.header.Access-Control-Allow-Methods": `'${methods}'`,
          "method.response.header.Access-Control-Allow-Headers": `'${(cors.allowHeaders ?? ["authorization", "content-type"]).join(",")}'`,
          "method.response.header.Access-Control-Max-Age": `'${cors.maxAgeSeconds ?? 600}'`,
          "method.response.header.Vary": "'Origin'",
          "method.response.header.Access-Control-Allow-Origin": `'${cors.allowOrigins[0]}'`,
        },
        // Echo the caller's origin when it is on the list (one static value cannot name several).
        responseTemplates: {
          "application/json": `#set($origin = $input.params().header.get("Origin"))\n#if(${matches})\n#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)\n#end`,
        },
        dependsOn: [integration],
      }),
    );
  }

  /** A stage metric (namespace AWS/ApiGateway, by ApiName and Stage). */
  public metric(metricName: string, options?: MetricOptions): Metric {
    return metric("AWS/ApiGateway", metricName, { ApiName: this.apiName, Stage: this.stageName }, metricName === "Latency" ? "Average" : "Sum", options);
  }

  public metricCount(options?: MetricOptions): Metric {
    return this.metric("Count", options);
  }

  public metric4xxError(options?: MetricOptions): Metric {
    return this.metric("4XXError", options);
  }

  public metric5xxError(options?: MetricOptions): Metric {
    return this.metric("5XXError", options);
  }

  public metricLatency(options?: MetricOptions): Metric {
    return this.metric("Latency", { statistic: "p99", ...options });
  }

  /** 5XXError responses as a percentage of requests (metric math; 0 without traffic). */
  public metric5xxErrorRate(options?: Omit<MetricOptions, "statistic">): MetricExpression {
    return percentOf(this.metric5xxError(options), this.metricCount(options), "REST API 5xx rate (%)");
  }
}
