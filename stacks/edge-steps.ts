import { Construct } from "constructs";
import { Bucket } from "../modules/buckets";
import { Certificate, HostedZone } from "../modules/dns";
import { UserPool } from "../modules/auth";
import { Distribution } from "../modules/cdn";
import { HttpApi, RestApi } from "../modules/api";
import { WebAcl } from "../modules/waf";
import { KmsKey } from "../modules/security";
import type { DistributionConfig } from "../environments";
import { Platform, byKey, step } from "./platform";
import { EDGE_REGION } from "./edge";

/** The zone, for a section's `domainNames`: a clear error when there is no `dns` section. */
function zoneFor(p: Platform, field: string, names: readonly string[]): HostedZone {
  return p.zone ?? p.fail(field, names, "names only with a dns section: Keel validates their certificate and adds their records in that zone");
}

/** `dns`: the existing hosted zone; records and certificates are added by the sections that need them. */
export const dnsStep = step({
  section: "dns",
  build(p, config) {
    p.zone = new HostedZone(p.stack, "dns", config);
  },
});

/** `auth`: the Cognito user pool and clients, and the identity pool whose role may use its own prefix of the buckets listed. */
export const authStep = step({
  section: "auth",
  build(p, { identityPool, ...config }) {
    const pool = new UserPool(p.stack, "auth", { ...config, identityPool: identityPool !== undefined, protection: p.protection });
    p.userPool = pool;
    for (const [name, access] of byKey(identityPool?.buckets ?? {})) {
      const bucket = p.buckets.get(name) ?? p.fail(`auth.identityPool.buckets.${name}`, name, `a bucket of the buckets section: ${[...p.buckets.keys()].join(", ") || "(none)"}`);
      bucket.grantPerIdentityAccess(pool.authenticatedRole!, access);
    }
  },
  outputs(p) {
    const pool = p.userPool;
    if (pool === undefined) return;
    p.stack.output("cognito-user-pool-id", pool.userPoolId, "Id of the Cognito user pool");
    p.stack.output("cognito-client-ids", Object.fromEntries(pool.clientIds), "App client ids, by client");
    if (pool.identityPoolId !== undefined) p.stack.output("cognito-identity-pool-id", pool.identityPoolId, "Id of the Cognito identity pool");
  },
});

/**
 * `cdn`: CloudFront distributions, built with the stack's us-east-1
 * provider, each in front of a bucket of the `buckets` section; their
 * certificates in us-east-1 and alias records in the `dns` zone; access
 * logs to one `cdn-access-logs` bucket.
 */
export const cdnStep = step({
  section: "cdn",
  build(p, config) {
    const scope = p.edge.scope(p.stack, "cdn");
    const logged = Object.values(config).some((d) => d.accessLogs ?? true);
    const logs = logged
      ? new Bucket(p.stack, "cdn-access-logs", {
          name: "cdn-access-logs",
          encryption: { kmsKey: p.security.logsKey },
          lifecycleRules: [{ id: "expire-access-logs", expirationDays: 365, noncurrentVersionExpirationDays: 30 }],
          protection: p.protection,
        })
      : undefined;
    let edgeLogsKey: KmsKey | undefined;
    const edgeLogsKeyArn = (): string => {
      if (p.config.region === EDGE_REGION) return p.security.logsKey.keyArn;
      edgeLogsKey ??= new KmsKey(scope, "logs-key", {
        purpose: "edge-logs",
        description: "Logs of what CloudFront needs in us-east-1 (web ACL logs)",
        servicePrincipals: ["logs"],
        preventDestroy: p.protection.preventDestroy,
      });
      return edgeLogsKey.keyArn;
    };
    for (const [name, distribution] of byKey(config)) {
      p.distributions.set(name, p.entry(name, () => makeDistribution(p, scope, name, distribution, logs, edgeLogsKeyArn)));
    }
    p.edge.adopt(scope);
  },
  outputs(p) {
    if (p.distributions.size === 0) return;
    p.stack.output("cloudfront-distribution-ids", Object.fromEntries([...p.distributions].map(([n, d]) => [n, d.distributionId])), "CloudFront distribution ids (for invalidations), by name");
    p.stack.output("cloudfront-domain-names", Object.fromEntries([...p.distributions].map(([n, d]) => [n, d.domainName])), "CloudFront domain names, by name");
  },
});

function makeDistribution(p: Platform, scope: Construct, name: string, config: DistributionConfig, logs: Bucket | undefined, edgeLogsKeyArn: () => string): Distribution {
  const { bucket: bucketName, waf, accessLogs, domainNames, certificateArn, ...props } = config;
  const origin = p.buckets.get(bucketName) ?? p.fail(`cdn.${name}.bucket`, bucketName, `a bucket of the buckets section: ${[...p.buckets.keys()].join(", ") || "(none)"}`);
  const within = new Construct(scope, name);
  const names = domainNames ?? [];
  const certificate =
    names.length > 0 && certificateArn === undefined
      ? new Certificate(within, "certificate", { domainNames: names, zone: zoneFor(p, `cdn.${name}.domainNames`, names), tags: props.tags })
      : undefined;
  const acl =
    waf === undefined
      ? undefined
      : new WebAcl(within, "waf", { ...waf, scope: "CLOUDFRONT", name: `cdn-${name}-waf`, logKmsKeyArn: edgeLogsKeyArn(), protection: p.protection });
  const distribution = new Distribution(within, "distribution", {
    ...props,
    name,
    origin,
    domainNames: names,
    certificateArn: certificate?.certificateArn ?? certificateArn,
    webAclArn: acl?.webAclArn,
    logBucket: (accessLogs ?? true) ? logs : undefined,
  });
  for (const domain of names) if (p.zone !== undefined && p.zone.contains(domain)) p.zone.aliasRecord(domain, distribution);
  return distribution;
}

/** `api`: a REST API and/or an HTTP API, with Cognito authorizers, custom domains and alias records. */
export const apiStep = step({
  section: "api",
  build(p, { rest, http }) {
    if (rest !== undefined) {
      const { authorizer, ...props } = rest;
      if (p.account?.apiGatewayLogging !== true) {
        p.fail("api.rest", "(section given)", `an account with apiGatewayLogging: true (accounts[] of ${p.config.accountId} in environments/project.ts): execution logging needs the account's API Gateway CloudWatch role`);
      }
      const pool = authorizer === undefined ? undefined : (p.userPool ?? p.fail("api.rest.authorizer", authorizer, "only with an auth section"));
      p.restApi = p.entry("rest", () => new RestApi(p.stack, "api", { ...props, userPoolArn: pool?.userPoolArn, logKmsKeyArn: p.security.logsKey.keyArn }));
    }
    if (http !== undefined) {
      const { authorizer, domainNames, backendFunction, certificateArn, ...props } = http;
      const pool = authorizer === undefined ? undefined : (p.userPool ?? p.fail("api.http.authorizer", authorizer, "only with an auth section"));
      const names = domainNames ?? [];
      const scope = new Construct(p.stack, "http-api");
      // A certificate the team brings is used as it is; otherwise Keel issues one in the zone.
      const certificate = names.length > 0 && certificateArn === undefined ? new Certificate(scope, "certificate", { domainNames: names, zone: zoneFor(p, "api.http.domainNames", names), tags: props.tags }) : undefined;
      const api = p.entry("http", () =>
        new HttpApi(scope, "api", {
          ...props,
          domainNames: names,
          backendFunction: backendFunction === undefined ? undefined : p.lookup(p.functions, "api.http.backendFunction", backendFunction, "a function of the functions section"),
          certificateArn: certificate?.certificateArn ?? certificateArn,
          jwt: pool === undefined ? undefined : { issuer: pool.issuerUrl, audience: [...pool.clientIds.values()] },
          logKmsKeyArn: p.security.logsKey.keyArn,
        }),
      );
      for (const [domain, target] of api.domainTargets) p.zone!.aliasRecord(domain, target);
      p.httpApi = api;
    }
  },
  outputs(p) {
    if (p.restApi !== undefined) p.stack.output("rest-api-url", p.restApi.invokeUrl, "Invoke URL of the REST API's stage");
    if (p.httpApi !== undefined) p.stack.output("http-api-endpoint", p.httpApi.apiEndpoint, "Default endpoint of the HTTP API (turned off when it has custom domains)");
  },
});
