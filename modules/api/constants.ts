/** Methods CORS may allow. Provider-free: config validation reads it. */
export const CORS_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "*"] as const;
export type ApiCorsMethod = (typeof CORS_METHODS)[number];

/** Which browser origins may call the API. */
export interface ApiCors {
  /** `https://` origins (no `*`: an allow-list), or `http://localhost:<port>` for development. */
  readonly allowOrigins: readonly string[];
  /** @default ["*"] - every method */
  readonly allowMethods?: readonly ApiCorsMethod[];
  /** @default ["authorization", "content-type"] */
  readonly allowHeaders?: readonly string[];
  /** Seconds a browser caches the preflight answer, 0-86400. @default 600 */
  readonly maxAgeSeconds?: number;
}

/** Steady requests per second and the burst above it, for the whole stage. */
export interface ApiThrottle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/**
 * API Gateway's default account quota per region: 10,000 requests per
 * second with a burst of 5,000. A stage limit above it is never reached.
 */
export const ACCOUNT_THROTTLE: ApiThrottle = { rateLimit: 10_000, burstLimit: 5_000 };

/** The JSON access log line both kinds of API write: request, caller, route, status and timings; never bodies or tokens. */
export function accessLogFormat(kind: "rest" | "http"): string {
  const fields: Record<string, string> =
    kind === "rest"
      ? {
          requestId: "$context.requestId",
          ip: "$context.identity.sourceIp",
          requestTime: "$context.requestTime",
          httpMethod: "$context.httpMethod",
          resourcePath: "$context.resourcePath",
          status: "$context.status",
          protocol: "$context.protocol",
          responseLength: "$context.responseLength",
          latency: "$context.responseLatency",
          integrationLatency: "$context.integration.latency",
          user: "$context.authorizer.claims.sub",
          error: "$context.error.message",
        }
      : {
          requestId: "$context.requestId",
          ip: "$context.identity.sourceIp",
          requestTime: "$context.requestTime",
          httpMethod: "$context.httpMethod",
          routeKey: "$context.routeKey",
          status: "$context.status",
          protocol: "$context.protocol",
          responseLength: "$context.responseLength",
          latency: "$context.responseLatency",
          integrationLatency: "$context.integrationLatency",
          error: "$context.error.message",
        };
  return JSON.stringify(fields);
}

const ORIGIN = /^(https:\/\/[a-z0-9.-]+(:\d{1,5})?|http:\/\/localhost(:\d{1,5})?)$/;

/** The problem with a CORS origin as written, if any. */
export function originProblem(origin: string): string | undefined {
  return ORIGIN.test(origin) ? undefined : "https://host[:port], or http://localhost[:port]; no * (list the origins)";
}
