import { ModelResource, StackModel, Values, block, blocks, isTrue, strings } from "../model";
import { Rule, rule } from "../rule";

function behaviours(r: ModelResource): readonly Values[] {
  return [...blocks(r.values.default_cache_behavior), ...blocks(r.values.ordered_cache_behavior)];
}

const S3_ORIGIN = /\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com$|aws_s3_bucket\./;
const CLOUDFRONT_TLS = new Set(["TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"]);

/** A stage's method settings: for every method, and per method. */
function methodSettings(model: StackModel, stage: ModelResource): readonly Values[] {
  return model.referencing(stage, "aws_api_gateway_method_settings", "stage_name").flatMap((m) => blocks(m.values.settings));
}

export const EDGE_RULES: readonly Rule[] = [
  rule({
    id: "cloudfront-viewer-https",
    level: "error",
    area: "edge",
    title: "CloudFront serves viewers over HTTPS only (redirect-to-https or https-only)",
    types: ["aws_cloudfront_distribution"],
    refs: ["checkov CKV_AWS_34", "Security Hub CloudFront.3"],
    check(r) {
      const plain = behaviours(r).filter((b) => b.viewer_protocol_policy === "allow-all");
      return plain.length > 0 ? `${plain.length} cache behaviour(s) allow plain HTTP` : undefined;
    },
  }),
  rule({
    id: "cloudfront-min-tls",
    level: "error",
    area: "edge",
    title: "CloudFront with its own certificate accepts only TLS 1.2 and later",
    types: ["aws_cloudfront_distribution"],
    refs: ["checkov CKV_AWS_174", "Security Hub CloudFront.15"],
    check(r) {
      const certificate = block(r.values.viewer_certificate);
      if (certificate === undefined || isTrue(certificate.cloudfront_default_certificate)) return undefined;
      const version = String(certificate.minimum_protocol_version ?? "TLSv1 (the default)");
      return CLOUDFRONT_TLS.has(version) ? undefined : `minimum_protocol_version is ${version}`;
    },
  }),
  rule({
    id: "cloudfront-custom-certificate",
    level: "warning",
    area: "edge",
    title: "CloudFront serves its own domain with its own certificate (SNI)",
    types: ["aws_cloudfront_distribution"],
    refs: ["Security Hub CloudFront.7", "Security Hub CloudFront.8"],
    check(r) {
      const certificate = block(r.values.viewer_certificate);
      if (certificate === undefined || isTrue(certificate.cloudfront_default_certificate)) return "the default *.cloudfront.net certificate, which admits TLS 1.0";
      return certificate.ssl_support_method === "vip" ? "a dedicated-IP (vip) certificate instead of SNI" : undefined;
    },
  }),
  rule({
    id: "cloudfront-logging",
    level: "warning",
    area: "edge",
    title: "CloudFront distributions log requests",
    types: ["aws_cloudfront_distribution"],
    refs: ["checkov CKV_AWS_86", "Security Hub CloudFront.5"],
    check(r, model) {
      if (block(r.values.logging_config) !== undefined) return undefined;
      return model.ofType("aws_cloudwatch_log_delivery_source").some((s) => JSON.stringify(s.values).includes(`\${${r.address}.`))
        ? undefined
        : "no logging_config and no CloudWatch log delivery source";
    },
  }),
  rule({
    id: "cloudfront-waf",
    level: "warning",
    area: "waf",
    title: "CloudFront distributions are protected by a WAF web ACL",
    types: ["aws_cloudfront_distribution"],
    refs: ["checkov CKV_AWS_68", "Security Hub CloudFront.6"],
    check(r) {
      return r.values.web_acl_id === undefined ? "no web_acl_id" : undefined;
    },
  }),
  rule({
    id: "cloudfront-origin-access-control",
    level: "error",
    area: "public-access",
    title: "CloudFront reads S3 origins through origin access control, so the bucket stays private",
    types: ["aws_cloudfront_distribution"],
    refs: ["Security Hub CloudFront.13"],
    check(r) {
      const open = blocks(r.values.origin).filter((o) => S3_ORIGIN.test(String(o.domain_name ?? "")) && o.origin_access_control_id === undefined);
      return open.length > 0 ? `S3 origin(s) without origin access control: ${open.map((o) => String(o.origin_id)).join(", ")}` : undefined;
    },
  }),
  rule({
    id: "cloudfront-origin-tls",
    level: "error",
    area: "tls",
    title: "CloudFront reaches custom origins over HTTPS with TLS 1.2",
    types: ["aws_cloudfront_distribution"],
    refs: ["Security Hub CloudFront.9", "Security Hub CloudFront.10"],
    check(r) {
      const problems = blocks(r.values.origin).flatMap((o) => {
        const custom = block(o.custom_origin_config);
        if (custom === undefined) return [];
        const id = String(o.origin_id);
        if (custom.origin_protocol_policy === "http-only") return [`${id} is http-only`];
        const old = strings(custom.origin_ssl_protocols).filter((p) => p !== "TLSv1.2");
        return old.length > 0 ? [`${id} allows ${old.join(", ")}`] : [];
      });
      return problems.length > 0 ? problems.join("; ") : undefined;
    },
  }),
  rule({
    id: "cloudfront-default-root-object",
    level: "warning",
    area: "public-access",
    title: "CloudFront distributions name a default root object",
    types: ["aws_cloudfront_distribution"],
    refs: ["Security Hub CloudFront.1"],
    check(r) {
      return r.values.default_root_object === undefined ? "no default_root_object: / may list or expose the origin" : undefined;
    },
  }),
  rule({
    id: "cloudfront-security-headers",
    level: "warning",
    area: "edge",
    title: "CloudFront adds security headers (HSTS and others) through a response headers policy",
    types: ["aws_cloudfront_distribution"],
    refs: ["checkov CKV2_AWS_32"],
    check(r) {
      return block(r.values.default_cache_behavior)?.response_headers_policy_id === undefined ? "no response_headers_policy_id" : undefined;
    },
  }),
  rule({
    id: "apigw-access-logs",
    level: "error",
    area: "edge",
    title: "API Gateway stages write access logs",
    types: ["aws_api_gateway_stage", "aws_apigatewayv2_stage"],
    refs: ["checkov CKV_AWS_76", "checkov CKV_AWS_95", "Security Hub APIGateway.9", "cdk-nag AwsSolutions-APIG1"],
    check(r) {
      return block(r.values.access_log_settings)?.destination_arn === undefined ? "no access_log_settings" : undefined;
    },
  }),
  rule({
    id: "apigw-execution-logging",
    level: "warning",
    area: "edge",
    title: "REST API stages log execution at ERROR or INFO",
    types: ["aws_api_gateway_stage"],
    refs: ["Security Hub APIGateway.1", "cdk-nag AwsSolutions-APIG6"],
    check(r, model) {
      const levels = methodSettings(model, r).map((s) => s.logging_level);
      return levels.some((l) => l === "ERROR" || l === "INFO") ? undefined : "no method settings with logging_level ERROR or INFO";
    },
  }),
  rule({
    id: "apigw-tracing",
    level: "warning",
    area: "edge",
    title: "REST API stages trace requests with X-Ray",
    types: ["aws_api_gateway_stage"],
    refs: ["checkov CKV_AWS_73", "Security Hub APIGateway.3"],
    check(r) {
      return isTrue(r.values.xray_tracing_enabled) ? undefined : "xray_tracing_enabled is not true";
    },
  }),
  rule({
    id: "apigw-waf",
    level: "warning",
    area: "waf",
    title: "REST API stages are protected by a WAF web ACL",
    types: ["aws_api_gateway_stage"],
    refs: ["checkov CKV2_AWS_29", "Security Hub APIGateway.4"],
    check(r, model) {
      return model.referencing(r, "aws_wafv2_web_acl_association", "resource_arn").length === 0 ? "no aws_wafv2_web_acl_association" : undefined;
    },
  }),
  rule({
    id: "apigw-cache-encrypted",
    level: "error",
    area: "encryption",
    title: "REST API caches are encrypted",
    types: ["aws_api_gateway_stage"],
    refs: ["Security Hub APIGateway.5"],
    check(r, model) {
      const open = methodSettings(model, r).filter((s) => isTrue(s.caching_enabled) && !isTrue(s.cache_data_encrypted));
      return open.length > 0 ? "caching is on without cache_data_encrypted" : undefined;
    },
  }),
  rule({
    id: "apigw-authorization",
    level: "warning",
    area: "least-privilege",
    title: "API routes and methods name an authorization type",
    types: ["aws_apigatewayv2_route", "aws_api_gateway_method"],
    refs: ["Security Hub APIGateway.8", "checkov CKV_AWS_59"],
    check(r) {
      const type = r.type === "aws_api_gateway_method" ? r.values.authorization : (r.values.authorization_type ?? "NONE");
      return type === "NONE" ? "open to anyone who can reach the API (authorization NONE)" : undefined;
    },
  }),
  rule({
    id: "apigw-domain-tls",
    level: "error",
    area: "tls",
    title: "API custom domains accept only TLS 1.2 and later",
    types: ["aws_api_gateway_domain_name", "aws_apigatewayv2_domain_name"],
    refs: ["checkov CKV_AWS_206"],
    check(r) {
      const policy = r.type === "aws_api_gateway_domain_name" ? r.values.security_policy : block(r.values.domain_name_configuration)?.security_policy;
      return String(policy ?? "").startsWith("TLS_1_2") || String(policy ?? "").startsWith("SecurityPolicy_TLS13") ? undefined : `security_policy is ${String(policy ?? "TLS_1_0 (the default)")}`;
    },
  }),
];
