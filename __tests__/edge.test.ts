import { Testing } from "cdktf";
import { Construct } from "constructs";
import { Bucket, BucketProps } from "../modules/buckets";
import { Certificate, HostedZone } from "../modules/dns";
import { Distribution, DistributionProps, SECURITY_HEADERS_POLICY_ID } from "../modules/cdn";
import { subdirectoryIndexCode } from "../modules/cdn/subdirectory-index";
import { UserPool, UserPoolProps } from "../modules/auth";
import { HttpApi, HttpApiProps, RestApi, RestApiProps } from "../modules/api";
import { WebAcl } from "../modules/waf";
import { KmsKey } from "../modules/security";
import { Label } from "../modules/label";
import { PROTECTION_PROFILES, EnvironmentConfig } from "../environments";
import { checkStack } from "../modules/compliance";
import { Body, moduleStack, only, resources, synth, thrown } from "./support/module-stack";
import { TEST_KEY } from "./support/network";
import { TEST_TODAY } from "./support/clock";
import { Mutable, configError, devConfig, projectConfig } from "./support/config";

const CERT = "arn:aws:acm:us-east-1:111122223333:certificate/0123abcd-0123-4567-89ab-0123456789ab";
const production = PROTECTION_PROFILES.production;
const policy = (json: ReturnType<typeof synth>, type: string, name: string): { Statement: Body[] } => JSON.parse(String(resources(json, type)[name].policy));

function bucket(extra: Partial<BucketProps> = {}) {
  const stack = moduleStack();
  const key = new KmsKey(stack, "key", { purpose: "storage", description: "d", viaServices: ["s3"], preventDestroy: false });
  const b = new Bucket(stack, "site", { name: "site", encryption: { kmsKey: key }, protection: production, ...extra });
  return { stack, key, bucket: b };
}

describe("Bucket: CORS, Intelligent-Tiering, static sites and public read", () => {
  it("writes CORS rules with Keel's defaults for exposed headers and preflight age", () => {
    const { stack } = bucket({ cors: [{ allowedOrigins: ["https://app.example.com"], allowedMethods: ["GET", "PUT"] }] });
    expect(only(synth(stack), "aws_s3_bucket_cors_configuration").cors_rule).toEqual([
      { allowed_origins: ["https://app.example.com"], allowed_methods: ["GET", "PUT"], allowed_headers: [], expose_headers: ["ETag"], max_age_seconds: 3000 },
    ]);
  });

  it("refuses a plain-http origin, an unknown method and a preflight age over a day", () => {
    const message = thrown(() => bucket({ cors: [{ allowedOrigins: ["http://app.example.com"], allowedMethods: ["PATCH" as "GET"], maxAgeSeconds: 90000 }] }));
    expect(message).toContain("cors.0.allowedOrigins.0");
    expect(message).toContain("cors.0.allowedMethods.0");
    expect(message).toContain("cors.0.maxAgeSeconds");
  });

  it("moves objects to Intelligent-Tiering on upload and on to the archive tiers after the days given", () => {
    const json = synth(bucket({ intelligentTiering: { archiveAccessDays: 90, deepArchiveAccessDays: 180 } }).stack);
    const rules = only(json, "aws_s3_bucket_lifecycle_configuration").rule as Body[];
    expect(rules.find((r) => r.id === "intelligent-tiering")).toMatchObject({ transition: [{ days: 0, storage_class: "INTELLIGENT_TIERING" }] });
    expect(only(json, "aws_s3_bucket_intelligent_tiering_configuration").tiering).toEqual([
      { access_tier: "ARCHIVE_ACCESS", days: 90 },
      { access_tier: "DEEP_ARCHIVE_ACCESS", days: 180 },
    ]);
    expect(thrown(() => bucket({ intelligentTiering: { archiveAccessDays: 30 } }))).toContain("intelligentTiering.archiveAccessDays");
    expect(thrown(() => bucket({ intelligentTiering: { archiveAccessDays: 200, deepArchiveAccessDays: 180 } }))).toContain("more days than archiveAccessDays (200)");
  });

  it("never enables the public, HTTP-only S3 website endpoint for a static site", () => {
    const json = synth(bucket({ website: { indexDocument: "index.html", errorDocument: "404.html" } }).stack);
    expect(resources(json, "aws_s3_bucket_website_configuration")).toEqual({});
    expect(only(json, "aws_s3_bucket_public_access_block")).toMatchObject({ block_public_policy: true, restrict_public_buckets: true });
    expect(thrown(() => bucket({ website: { indexDocument: "/index.html" } }))).toContain("website.indexDocument");
  });

  it("opens a public-read bucket by policy only, with ACLs still blocked, and shows the written reason in keel check", () => {
    const stack = moduleStack();
    const reason = "Wallet passes embed these images by plain URL";
    new Bucket(stack, "assets", { name: "assets", encryption: "s3-managed", publicRead: { reason, expires: "2027-05-31" }, protection: production });
    const json = synth(stack);
    expect(only(json, "aws_s3_bucket_public_access_block")).toEqual(expect.objectContaining({ block_public_acls: true, ignore_public_acls: true, block_public_policy: false, restrict_public_buckets: false }));
    expect(policy(json, "aws_s3_bucket_policy", "assets_policy").Statement.find((s) => s.Sid === "PublicReadGetObject")).toMatchObject({ Principal: "*", Action: "s3:GetObject" });
    const report = checkStack(stack, { enforced: true, today: TEST_TODAY });
    const publicFindings = report.findings.filter((f) => f.rule === "s3-no-public-policy" || f.rule === "s3-block-public-access");
    expect(publicFindings.map((f) => [f.rule, f.suppressed?.reason, f.suppressed?.expires])).toEqual([
      ["s3-block-public-access", reason, "2027-05-31"],
      ["s3-no-public-policy", reason, "2027-05-31"],
    ]);
    expect(report.findings.filter((f) => f.level === "error" && f.suppressed === undefined)).toEqual([]);
  });

  it("refuses a public-read bucket without a reason, or under a KMS key anonymous readers cannot use", () => {
    expect(thrown(() => bucket({ publicRead: { reason: "because" } }))).toMatch(/publicRead.reason[\s\S]*encryption/);
  });

  it("lets a service read for one source and decrypt with the bucket's key under the same condition", () => {
    const { stack, bucket: b } = bucket();
    b.allowServiceRead("cloudfront.amazonaws.com", "site", { StringEquals: { "aws:SourceArn": "arn:aws:cloudfront::111122223333:distribution/E1" } });
    const json = synth(stack);
    const condition = { StringEquals: { "aws:SourceArn": "arn:aws:cloudfront::111122223333:distribution/E1" } };
    expect(policy(json, "aws_s3_bucket_policy", "site_policy").Statement.find((s) => s.Sid === "CloudfrontReadsSite")).toMatchObject({ Action: "s3:GetObject", Condition: condition });
    expect(policy(json, "aws_kms_key", "key").Statement.find((s) => s.Sid === "CloudfrontDecryptsSiteForSite")).toMatchObject({ Principal: { Service: "cloudfront.amazonaws.com" }, Action: "kms:Decrypt", Condition: condition });
  });

  it("refuses a service read of a KMS bucket whose key it was only given by ARN", () => {
    const stack = moduleStack();
    const b = new Bucket(stack, "b", { name: "b", encryption: { kmsKeyArn: TEST_KEY }, protection: production });
    expect(thrown(() => b.allowServiceRead("cloudfront.amazonaws.com", "b", {}))).toContain("encryption.kmsKey");
  });
});

describe("dns: HostedZone and Certificate", () => {
  const zoneIn = (scope: Construct) => new HostedZone(scope, "dns", { zoneId: "Z09099671VTWA1L2CL021", zoneName: "base2ml.com" });

  it("creates nothing for the zone itself", () => {
    const stack = moduleStack();
    zoneIn(stack);
    expect(synth(stack).resource).toBeUndefined();
  });

  it("refuses a bad zone id and a zone name with a trailing dot", () => {
    expect(thrown(() => new HostedZone(moduleStack(), "dns", { zoneId: "zone", zoneName: "base2ml.com." }))).toMatch(/zoneId[\s\S]*zoneName/);
  });

  it("issues a DNS-validated certificate, one validation record per name as written, replaced before it is let go", () => {
    const stack = moduleStack();
    new Certificate(stack, "cert", { domainNames: ["a.base2ml.com", "b.base2ml.com"], zone: zoneIn(stack) });
    const json = synth(stack);
    expect(Testing.synth(stack)).toMatchSnapshot();
    expect(only(json, "aws_acm_certificate")).toMatchObject({ domain_name: "a.base2ml.com", subject_alternative_names: ["b.base2ml.com"], validation_method: "DNS", lifecycle: { create_before_destroy: true } });
    expect(only(json, "aws_route53_record")).toMatchObject({ for_each: '${toset(["a.base2ml.com", "b.base2ml.com"])}', allow_overwrite: true, zone_id: "Z09099671VTWA1L2CL021" });
    expect(only(json, "aws_acm_certificate_validation").certificate_arn).toBe("${aws_acm_certificate.cert.arn}");
  });

  it("refuses names outside the zone, duplicates, and more names than ACM's default quota", () => {
    const stack = moduleStack();
    const zone = zoneIn(stack);
    expect(thrown(() => new Certificate(stack, "a", { domainNames: ["app.example.com"], zone }))).toContain("domainNames.0");
    expect(thrown(() => new Certificate(stack, "b", { domainNames: ["a.base2ml.com", "a.base2ml.com"], zone }))).toContain("domainNames");
    const many = Array.from({ length: 11 }, (_, i) => `n${i}.base2ml.com`);
    expect(thrown(() => new Certificate(stack, "c", { domainNames: many, zone }))).toContain("at most 10 names");
  });
});

function distribution(extra: Partial<DistributionProps> = {}) {
  const { stack, bucket: origin } = bucket({ website: { indexDocument: "index.html", errorDocument: "404.html" } });
  const d = new Distribution(stack, "cdn", { name: "site", origin, ...extra });
  return { stack, d, json: () => synth(stack) };
}

describe("Distribution", () => {
  const json = distribution({ domainNames: ["app.example.com"], certificateArn: CERT }).json();
  const cdn = only(json, "aws_cloudfront_distribution");

  it("matches the snapshot", () => {
    expect(Testing.synth(distribution({ domainNames: ["app.example.com"], certificateArn: CERT }).stack)).toMatchSnapshot();
  });

  it("reads its S3 origin through origin access control that signs every request (never the legacy OAI)", () => {
    expect(only(json, "aws_cloudfront_origin_access_control")).toMatchObject({ origin_access_control_origin_type: "s3", signing_behavior: "always", signing_protocol: "sigv4" });
    expect((cdn.origin as Body[])[0]).toMatchObject({ origin_access_control_id: "${aws_cloudfront_origin_access_control.cdn_origin_access_control.id}" });
    expect(JSON.stringify(cdn)).not.toContain("origin_access_identity");
  });

  it("redirects viewers to HTTPS, accepts TLS 1.2+ over SNI, adds security headers and caches by a managed policy", () => {
    expect(cdn.default_cache_behavior).toMatchObject({ viewer_protocol_policy: "redirect-to-https", response_headers_policy_id: SECURITY_HEADERS_POLICY_ID, cache_policy_id: "658327ea-f89d-4fab-a63d-7e88639e58f6" });
    expect(cdn.viewer_certificate).toEqual({ acm_certificate_arn: CERT, ssl_support_method: "sni-only", minimum_protocol_version: "TLSv1.2_2021" });
    expect(cdn.price_class).toBe("PriceClass_100");
  });

  it("serves the site's index and error documents", () => {
    expect(cdn.default_root_object).toBe("index.html");
    expect((cdn.custom_error_response as Body[]).map((r) => [r.error_code, r.response_page_path])).toEqual([[403, "/404.html"], [404, "/404.html"]]);
  });

  it("refuses a certificate outside us-east-1, names without a certificate, and a build outside the us-east-1 scope", () => {
    expect(thrown(() => distribution({ domainNames: ["app.example.com"], certificateArn: CERT.replace("us-east-1", "eu-west-1") }))).toContain("us-east-1");
    expect(thrown(() => distribution({ domainNames: ["app.example.com"] }))).toContain("certificateArn");
    const stack = moduleStack();
    const elsewhere = new Construct(stack, "eu");
    Label.attach(elsewhere, Label.of(stack).inRegion("eu-west-1"));
    const origin = new Bucket(stack, "o", { name: "o", encryption: "s3-managed", protection: production });
    expect(thrown(() => new Distribution(elsewhere, "cdn", { name: "x", origin }))).toContain("(region)");
  });

  it("delivers access logs to a log bucket that admits CloudWatch Logs' delivery for this account only", () => {
    const { stack, bucket: origin } = bucket();
    const logs = new Bucket(stack, "logs", { name: "logs", encryption: { kmsKeyArn: TEST_KEY }, protection: production });
    expect(thrown(() => new Distribution(stack, "cdn", { name: "site", origin, logBucket: logs }))).toContain("encryption.kmsKey");
    const fresh = bucket();
    const sseS3 = new Bucket(fresh.stack, "plain-logs", { name: "plain-logs", encryption: "s3-managed", protection: production });
    new Distribution(fresh.stack, "cdn2", { name: "site2", origin: fresh.bucket, logBucket: sseS3 });
    const synthesized = synth(fresh.stack);
    expect(only(synthesized, "aws_cloudwatch_log_delivery_source")).toMatchObject({ log_type: "ACCESS_LOGS" });
    const statements = policy(synthesized, "aws_s3_bucket_policy", "plain_logs_policy").Statement;
    expect(statements.find((s) => s.Sid === "DeliveryWritesObjects")).toMatchObject({
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Action: "s3:PutObject",
      Condition: {
        StringEquals: { "aws:SourceAccount": "111122223333", "s3:x-amz-acl": "bucket-owner-full-control" },
        ArnLike: { "aws:SourceArn": "arn:aws:logs:us-east-1:111122223333:*" },
      },
    });
    expect(statements.find((s) => s.Sid === "DeliveryChecksAcl")).toMatchObject({ Action: "s3:GetBucketAcl" });
  });
});

describe("WebAcl of scope CLOUDFRONT", () => {
  it("has no association (the distribution names it) and logs to its own aws-waf-logs- group", () => {
    const stack = moduleStack();
    new WebAcl(stack, "waf", { scope: "CLOUDFRONT", name: "cdn-site-waf", logKmsKeyArn: TEST_KEY, protection: production });
    const json = synth(stack);
    expect(only(json, "aws_wafv2_web_acl")).toMatchObject({ scope: "CLOUDFRONT", name: "keel-test-cdn-site-waf" });
    expect(resources(json, "aws_wafv2_web_acl_association")).toEqual({});
    expect(only(json, "aws_cloudwatch_log_group").name).toBe("aws-waf-logs-keel-test-cdn-site-waf");
  });

  it("refuses a resource to associate, and any region but us-east-1", () => {
    expect(thrown(() => new WebAcl(moduleStack(), "waf", { scope: "CLOUDFRONT", resourceArn: "arn:x", logKmsKeyArn: TEST_KEY, protection: production }))).toContain("resourceArn");
    const stack = moduleStack();
    const eu = new Construct(stack, "eu");
    Label.attach(eu, Label.of(stack).inRegion("eu-west-1"));
    expect(thrown(() => new WebAcl(eu, "waf", { scope: "CLOUDFRONT", logKmsKeyArn: TEST_KEY, protection: production }))).toContain("CLOUDFRONT only in us-east-1");
  });
});

function pool(extra: Partial<UserPoolProps> = {}) {
  const stack = moduleStack();
  const p = new UserPool(stack, "auth", { clients: { web: { authFlows: ["USER_SRP_AUTH"] } }, protection: production, ...extra });
  return { stack, pool: p, json: () => synth(stack) };
}

describe("UserPool", () => {
  const json = pool().json();
  const resource = only(json, "aws_cognito_user_pool");

  it("matches the snapshot", () => {
    expect(Testing.synth(pool({ mfaMethods: ["SMS", "TOTP"], identityPool: true }).stack)).toMatchSnapshot();
  });

  it("signs in by email, requires TOTP MFA, 12-character passwords of four classes, and admin-created users by default", () => {
    expect(resource).toMatchObject({
      username_attributes: ["email"],
      mfa_configuration: "ON",
      software_token_mfa_configuration: { enabled: true },
      password_policy: { minimum_length: 12, require_lowercase: true, require_uppercase: true, require_numbers: true, require_symbols: true },
      admin_create_user_config: { allow_admin_create_user_only: true },
      user_pool_tier: "ESSENTIALS",
    });
    expect(resource.sms_configuration).toBeUndefined();
  });

  it("takes deletion protection from the protection profile", () => {
    expect(resource.deletion_protection).toBe("ACTIVE");
    expect(only(pool({ protection: PROTECTION_PROFILES.disposable }).json(), "aws_cognito_user_pool").deletion_protection).toBe("INACTIVE");
  });

  it("gives public clients no secret, hides whether a user exists, revokes tokens and always allows refresh", () => {
    expect(only(json, "aws_cognito_user_pool_client")).toMatchObject({
      generate_secret: false,
      prevent_user_existence_errors: "ENABLED",
      enable_token_revocation: true,
      explicit_auth_flows: ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
      token_validity_units: [{ access_token: "minutes", id_token: "minutes", refresh_token: "days" }],
    });
  });

  it("sends SMS codes through a role only Cognito may assume, with the pool's external id", () => {
    const sms = pool({ mfaMethods: ["SMS"] }).json();
    const trust = JSON.parse(String(only(sms, "aws_iam_role").assume_role_policy)) as { Statement: Body[] };
    expect(trust.Statement[0]).toMatchObject({ Principal: { Service: "cognito-idp.amazonaws.com" }, Condition: { StringEquals: { "sts:ExternalId": "keel-test-cognito-sms" } } });
    expect(only(sms, "aws_cognito_user_pool").sms_configuration).toMatchObject({ external_id: "keel-test-cognito-sms" });
  });

  it("puts the pool on the Plus plan for threat protection", () => {
    expect(only(pool({ threatProtection: "ENFORCED" }).json(), "aws_cognito_user_pool")).toMatchObject({ user_pool_tier: "PLUS", user_pool_add_ons: { advanced_security_mode: "ENFORCED" } });
  });

  it("gives identities credentials only once signed in, through a role trusted for this identity pool", () => {
    const identities = pool({ identityPool: true }).json();
    expect(only(identities, "aws_cognito_identity_pool")).toMatchObject({ allow_unauthenticated_identities: false, allow_classic_flow: false });
    const trust = JSON.parse(String(only(identities, "aws_iam_role").assume_role_policy)) as { Statement: Body[] };
    expect(trust.Statement[0]).toMatchObject({
      Principal: { Federated: "cognito-identity.amazonaws.com" },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { "cognito-identity.amazonaws.com:aud": "${aws_cognito_identity_pool.auth_identity_pool.id}" }, "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": "authenticated" } },
    });
  });

  it.each<[string, Partial<UserPoolProps>, string]>([
    ["MFA ON without a method", { mfa: "ON", mfaMethods: [] }, "mfaMethods"],
    ["a password policy below 8 characters", { passwordPolicy: { minimumLength: 6 } }, "passwordPolicy.minimumLength"],
    ["a custom attribute name Cognito refuses", { customAttributes: { "tenant-id": { type: "String" } } }, "customAttributes.tenant-id"],
    ["an access token over a day", { clients: { web: { authFlows: ["USER_SRP_AUTH"], accessTokenValidityMinutes: 1500 } } }, "clients.web.accessTokenValidityMinutes"],
    ["an identity pool with no client", { clients: {}, identityPool: true }, "identityPool"],
  ])("refuses %s", (_what, extra, field) => {
    expect(thrown(() => pool(extra))).toContain(field);
  });
});

const restProps: RestApiProps = { logKmsKeyArn: TEST_KEY, userPoolArn: "arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_abc", cors: { allowOrigins: ["https://app.example.com"] } };

describe("RestApi", () => {
  const stack = moduleStack();
  new RestApi(stack, "api", restProps);
  const json = synth(stack);

  it("matches the snapshot", () => {
    expect(Testing.synth(stack)).toMatchSnapshot();
  });

  it("logs execution at INFO without request bodies, traces with X-Ray, and writes JSON access logs", () => {
    expect(only(json, "aws_api_gateway_method_settings")).toMatchObject({ method_path: "*/*", settings: { logging_level: "INFO", data_trace_enabled: false, metrics_enabled: true, caching_enabled: false } });
    const stage = only(json, "aws_api_gateway_stage");
    expect(stage).toMatchObject({ stage_name: "prod", xray_tracing_enabled: true });
    expect(JSON.parse(String((stage.access_log_settings as Body).format))).toMatchObject({ requestId: "$context.requestId", status: "$context.status" });
  });

  it("creates the execution log group itself, encrypted and expiring, before the stage", () => {
    expect(resources(json, "aws_cloudwatch_log_group").api_execution_logs).toMatchObject({
      name: "API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.api.id}/prod",
      kms_key_id: TEST_KEY,
      retention_in_days: 365,
    });
    expect(only(json, "aws_api_gateway_stage").depends_on).toEqual(["aws_cloudwatch_log_group.api_execution_logs"]);
  });

  it("authorizes the proxy with the user pool, and answers /health and preflights itself", () => {
    expect(only(json, "aws_api_gateway_authorizer")).toMatchObject({ type: "COGNITO_USER_POOLS", identity_source: "method.request.header.Authorization" });
    const methods = resources(json, "aws_api_gateway_method");
    expect(methods.api_proxy_method).toMatchObject({ authorization: "COGNITO_USER_POOLS" });
    expect(resources(json, "aws_api_gateway_integration").api_health_integration).toMatchObject({ type: "MOCK" });
    expect(resources(json, "aws_api_gateway_integration").api_proxy_integration).toMatchObject({ type: "MOCK", request_templates: { "application/json": '{"statusCode":503}' } });
  });

  it("redeploys when its routes change, creating the new deployment first", () => {
    expect(only(json, "aws_api_gateway_deployment")).toMatchObject({ lifecycle: { create_before_destroy: true }, triggers: { redeployment: expect.stringMatching(/^[0-9a-f]{40}$/) } });
  });

  it.each<[string, Partial<RestApiProps>, string]>([
    ["a rate above the account's 10,000 rps", { throttle: { rateLimit: 20000, burstLimit: 5000 } }, "throttle.rateLimit"],
    ["a burst above the account's 5,000", { throttle: { rateLimit: 100, burstLimit: 6000 } }, "throttle.burstLimit"],
    ["a wildcard CORS origin", { cors: { allowOrigins: ["*"] } }, "cors.allowOrigins.0"],
    ["a CORS header with a space", { cors: { allowOrigins: ["https://app.example.com"], allowHeaders: ["x api key"] } }, "cors.allowHeaders.0"],
    ["a CORS header with a quote, which would end the REST API's quoted list", { cors: { allowOrigins: ["https://app.example.com"], allowHeaders: ["x'y"] } }, "cors.allowHeaders.0"],
    ["a stage name with a dot (CreateStage allows letters, digits, - and _)", { stageName: "v1.2" }, "stageName"],
    ["a stage name longer than 128 characters", { stageName: "s".repeat(129) }, "stageName"],
    ["a retention CloudWatch does not offer", { logRetentionInDays: 100 }, "logRetentionInDays"],
  ])("refuses %s", (_what, extra, field) => {
    expect(thrown(() => new RestApi(moduleStack(), "api", { ...restProps, ...extra }))).toContain(field);
  });
  it.each([["*"], ["X-Amz-Date", "x_trace.id"]])("accepts the CORS headers %j, which browsers and API Gateway allow", (...allowHeaders) => {
    expect(() => new RestApi(moduleStack(), "api", { ...restProps, cors: { allowOrigins: ["https://app.example.com"], allowHeaders } })).not.toThrow();
  });
  it.each(["pr-od", "v1_2", "s".repeat(128)])("accepts the stage name %s, which AWS allows", (stageName) => {
    expect(() => new RestApi(moduleStack(), "api", { ...restProps, stageName })).not.toThrow();
  });
});

describe("HttpApi", () => {
  const build = (extra: Partial<HttpApiProps> = {}) => {
    const stack = moduleStack();
    new HttpApi(stack, "api", { logKmsKeyArn: TEST_KEY, ...extra });
    return synth(stack);
  };

  it("matches the snapshot", () => {
    const stack = moduleStack();
    new HttpApi(stack, "api", { logKmsKeyArn: TEST_KEY, backendUrl: "https://backend.example.com/{proxy}", domainNames: ["api.example.com"], certificateArn: CERT });
    expect(Testing.synth(stack)).toMatchSnapshot();
  });

  it("maps each custom domain to $default with TLS 1.2 and turns the default endpoint off", () => {
    const json = build({ domainNames: ["api.example.com"], certificateArn: CERT });
    expect(only(json, "aws_apigatewayv2_domain_name").domain_name_configuration).toEqual({ certificate_arn: CERT, endpoint_type: "REGIONAL", security_policy: "TLS_1_2" });
    expect(only(json, "aws_apigatewayv2_api").disable_execute_api_endpoint).toBe(true);
    expect(only(json, "aws_apigatewayv2_api_mapping").stage).toBe("${aws_apigatewayv2_stage.api_stage.id}");
  });

  it("routes ANY /{proxy+} to the backend, behind the JWT authorizer when there is one", () => {
    const json = build({ backendUrl: "https://backend.example.com/{proxy}", jwt: { issuer: "https://cognito-idp.us-east-1.amazonaws.com/pool", audience: ["client"] } });
    expect(only(json, "aws_apigatewayv2_route")).toMatchObject({ route_key: "ANY /{proxy+}", authorization_type: "JWT" });
    expect(only(json, "aws_apigatewayv2_integration")).toMatchObject({ integration_type: "HTTP_PROXY", integration_uri: "https://backend.example.com/{proxy}" });
  });

  it("refuses custom domains without a certificate", () => {
    expect(thrown(() => build({ domainNames: ["api.example.com"] }))).toContain("certificateArn");
  });
});

describe("edge config", () => {
  const message = (change: (c: Mutable<EnvironmentConfig>) => void, project = projectConfig()): string => configError(devConfig(change), "dev", project).message;
  const withSite = (c: Mutable<EnvironmentConfig>) => {
    c.buckets = { site: { website: { indexDocument: "index.html" } } };
  };

  it("refuses a public-read bucket in an account that blocks public policies, naming the field", () => {
    expect(message((c) => (c.buckets = { assets: { encryption: "s3-managed", publicRead: { reason: "Public images embedded in wallet passes" } } }))).toContain(
      "field 'buckets.assets.publicRead'",
    );
  });

  it("refuses a REST API in an account without the API Gateway CloudWatch role", () => {
    expect(message((c) => (c.api = { rest: {} }))).toContain("apiGatewayLogging: true");
  });

  it("refuses a distribution of a bucket the section does not have, and names without a dns section", () => {
    expect(message((c) => (c.cdn = { site: { bucket: "nope" } }))).toContain("field 'cdn.site.bucket'");
    expect(
      message((c) => {
        withSite(c);
        c.cdn = { site: { bucket: "site", domainNames: ["app.example.com"] } };
      }),
    ).toContain("field 'cdn.site.domainNames'");
  });

  it("refuses a Cognito authorizer without an auth section", () => {
    expect(message((c) => (c.api = { http: { authorizer: "cognito" } }))).toContain("field 'api.http.authorizer'");
  });

  it("gives the us-east-1 provider to the stack only when CloudFront needs it", () => {
    const stackJson = (change: (c: Mutable<EnvironmentConfig>) => void) => {
      const { EnvironmentStack } = jest.requireActual<typeof import("../stacks")>("../stacks");
      const { validateEnvironment } = jest.requireActual<typeof import("../environments")>("../environments");
      const project = projectConfig();
      return JSON.parse(Testing.synth(new EnvironmentStack(Testing.app(), validateEnvironment(devConfig(change), "dev", project), project))) as { provider: { aws: Body[] } };
    };
    expect(stackJson(() => undefined).provider.aws).toHaveLength(1);
    const providers = stackJson((c) => {
      withSite(c);
      c.cdn = { site: { bucket: "site" } };
    }).provider.aws;
    expect(providers.map((p) => [p.alias, p.region])).toEqual([
      [undefined, "us-east-1"],
      ["us_east_1", "us-east-1"],
    ]);
  });
});

describe("the edge outside us-east-1", () => {
  // An environment in eu-west-1 with a distribution and a CLOUDFRONT web ACL.
  const project = projectConfig((p) => {
    p.accounts[0].regions = ["us-east-1", "eu-west-1"];
  });
  const { EnvironmentStack } = jest.requireActual<typeof import("../stacks")>("../stacks");
  const { validateEnvironment } = jest.requireActual<typeof import("../environments")>("../environments");
  const raw = {
    name: "dev",
    accountId: "111122223333",
    region: "eu-west-1",
    tags: { owner: "o", costCenter: "c", dataClassification: "internal" },
    protection: "disposable",
    buckets: { site: { website: { indexDocument: "index.html" } } },
    cdn: { site: { bucket: "site", waf: {} } },
  };
  const json = JSON.parse(Testing.synth(new EnvironmentStack(Testing.app(), validateEnvironment(raw, "dev", project), project))) as ReturnType<typeof synth> & { provider: { aws: Body[] } };

  it("keeps the stack's own provider in its region and builds CloudFront's resources with the us-east-1 alias", () => {
    expect(json.provider.aws.map((p) => [p.alias, p.region])).toEqual([
      [undefined, "eu-west-1"],
      ["us_east_1", "us-east-1"],
    ]);
    for (const type of ["aws_cloudfront_distribution", "aws_wafv2_web_acl", "aws_cloudwatch_log_group", "aws_cloudwatch_log_delivery_source"]) {
      const found = Object.values(resources(json, type));
      expect(`${type}: ${found.length}`).toBe(`${type}: 1`);
      expect(found[0].provider).toBe("aws.us_east_1");
    }
    expect(resources(json, "aws_s3_bucket").buckets_site.provider).toBeUndefined();
  });

  it("encrypts the web ACL's log group with a key of its own in us-east-1 (a key of eu-west-1 cannot)", () => {
    const keys = resources(json, "aws_kms_key");
    expect(keys.cdn_logs_key).toMatchObject({ provider: "aws.us_east_1", enable_key_rotation: true });
    expect(resources(json, "aws_cloudwatch_log_group").cdn_site_waf_log_group.kms_key_id).toBe("${aws_kms_key.cdn_logs_key.arn}");
    const statements = (JSON.parse(String(keys.cdn_logs_key.policy)) as { Statement: Body[] }).Statement;
    expect(statements.find((s) => s.Sid === "CloudWatchLogsEncryptsLogGroups")).toMatchObject({ Principal: { Service: "logs.us-east-1.amazonaws.com" } });
  });
});

describe("ApiGatewayLogging (account stack)", () => {
  const { AccountStack } = jest.requireActual<typeof import("../stacks/account-stack")>("../stacks/account-stack");
  const project = projectConfig((p) => {
    p.accounts[0].apiGatewayLogging = true;
  });
  const json = synth(new AccountStack(Testing.app(), project, project.accounts[0], "us-east-1"));

  it("sets the region's API Gateway CloudWatch role, trusted by API Gateway of this account only", () => {
    expect(only(json, "aws_api_gateway_account").cloudwatch_role_arn).toBe("${aws_iam_role.apigateway_logging_role.arn}");
    const trust = JSON.parse(String(resources(json, "aws_iam_role")["apigateway_logging_role"].assume_role_policy)) as { Statement: Body[] };
    expect(trust.Statement[0]).toMatchObject({ Principal: { Service: "apigateway.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } });
  });

  it("lets the role write only to API Gateway's log groups, not to every log group", () => {
    const statements = (JSON.parse(String(resources(json, "aws_iam_role_policy")["apigateway_logging_role_policy"].policy)) as { Statement: Body[] }).Statement;
    expect(statements).toHaveLength(2);
    const write = statements.find((s) => s.Sid === "WriteApiGatewayLogs")!;
    for (const resource of write.Resource as string[]) expect(resource).toMatch(/^arn:aws:logs:us-east-1:111122223333:log-group:(API-Gateway-Execution-Logs_\*|\/aws\/apigateway\/\*)(:log-stream:\*)?$/);
    expect(statements.find((s) => s.Sid === "FindLogGroups")).toMatchObject({ Action: "logs:DescribeLogGroups" });
  });
});

describe("UserPool account safety", () => {
  const resource = only(pool().json(), "aws_cognito_user_pool");

  it("treats usernames case-insensitively, recovers accounts by verified email only", () => {
    expect(resource).toMatchObject({
      username_configuration: { case_sensitive: false },
      auto_verified_attributes: ["email"],
      account_recovery_setting: { recovery_mechanism: [{ name: "verified_email", priority: 1 }] },
    });
  });
});

describe("RestApi endpoint", () => {
  it("is regional", () => {
    const stack = moduleStack();
    new RestApi(stack, "api", restProps);
    expect(only(synth(stack), "aws_api_gateway_rest_api").endpoint_configuration).toEqual({ types: ["REGIONAL"] });
  });
});

describe("cdn: the subdirectory-index CloudFront Function, run as deployed", () => {
  // CloudFront Functions' viewer-request event, as documented (cloudfront-js-2.0); only what the code reads.
  type Request = { uri: string; method: string; querystring: Record<string, { value: string }>; headers: Record<string, { value: string }> };
  const handlerOf = (indexDocument: string): ((event: { request: Request }) => Request) =>
    new Function(`${subdirectoryIndexCode(indexDocument)}\nreturn handler;`)() as (event: { request: Request }) => Request;
  const event = (uri: string, querystring: Request["querystring"] = {}) => ({
    version: "1.0",
    context: { eventType: "viewer-request" },
    viewer: { ip: "198.51.100.7" },
    request: { uri, method: "GET", querystring, headers: { host: { value: "app.example.com" } } },
  });
  const handler = handlerOf("index.html");

  it.each([
    ["/about/", "/about/index.html"],
    ["/", "/index.html"],
    ["/docs/guides/", "/docs/guides/index.html"],
    ["/about", "/about"],
    ["/app.js", "/app.js"],
    ["/.well-known/apple-app-site-association", "/.well-known/apple-app-site-association"],
    ["/images/logo.v2.png", "/images/logo.v2.png"],
  ])("serves %s as %s", (uri, expected) => {
    expect(handler(event(uri)).uri).toBe(expected);
  });

  it("keeps the query string and headers, and uses the bucket's own index document", () => {
    const request = handler(event("/search/", { q: { value: "passes" } }));
    expect(request).toMatchObject({ uri: "/search/index.html", querystring: { q: { value: "passes" } }, headers: { host: { value: "app.example.com" } } });
    expect(handlerOf("default.htm")(event("/a/")).uri).toBe("/a/default.htm");
  });

  it("is only attached where asked, and its name fits CloudFront's 64 characters", () => {
    const stack = moduleStack();
    const origin = new Bucket(stack, "site", { name: "site", encryption: "s3-managed", website: { indexDocument: "index.html" }, protection: PROTECTION_PROFILES.disposable });
    new Distribution(stack, "plain", { name: "plain", origin });
    new Distribution(stack, "export", { name: "a-very-long-distribution-name-for-a-static-export", origin, subdirectoryIndex: true });
    const json = synth(stack);
    const functions = Object.values(resources(json, "aws_cloudfront_function"));
    expect(functions).toHaveLength(1);
    expect(String(functions[0].name).length).toBeLessThanOrEqual(64);
    expect(functions[0].code).toBe(subdirectoryIndexCode("index.html"));
    const distributions = resources(json, "aws_cloudfront_distribution");
    expect(Object.keys(distributions).sort()).toEqual(["export", "plain"]);
    expect((distributions.plain.default_cache_behavior as Body).function_association).toBeUndefined();
    expect((distributions.export.default_cache_behavior as Body).function_association).toHaveLength(1);
  });
});
