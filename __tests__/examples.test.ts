import * as path from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { loadConfig } from "../environments";
import { buildEnvironments } from "../stacks";
import { Body, ref, resources } from "./support/module-stack";
import { SynthJson, synthJson } from "./support/stacks";

// The other seeds' systems, from the same modules, config type and
// EnvironmentStack. Their numbers are the seeds' (../shared/SEEDS.md).
const config = loadConfig(path.join(__dirname, "..", "examples"));
const app = buildEnvironments(Testing.app(), config, "examples");
const example = (name: string): SynthJson => synthJson(app.node.findChild(name) as TerraformStack);
const cidrs = (json: SynthJson, tier: string): unknown[] =>
  Object.entries(resources(json, "aws_subnet"))
    .filter(([name]) => name.startsWith(`vpc_${tier}_`))
    .map(([, s]) => s.cidr_block);
const defaultRoutes = (json: SynthJson, tablePrefix: string): Body[] =>
  Object.values(resources(json, "aws_route")).filter((r) => String(r.route_table_id).includes(`vpc_${tablePrefix}_route_table`));

describe("the seed examples", () => {
  it("are nora, startupwebapp, mentalspace and outreachpass, each in its seed's account", () => {
    expect(Object.fromEntries(config.environments.map((e) => [e.name, e.accountId]))).toEqual({
      mentalspace: "706704660887",
      nora: "059364397483",
      outreachpass: "741783034843",
      startupwebapp: "111122223333",
    });
  });

  it("have no data source and no secret value", () => {
    for (const e of config.environments) {
      const text = Testing.synth(app.node.findChild(e.name) as TerraformStack);
      expect({ e: e.name, data: JSON.parse(text).data }).toEqual({ e: e.name, data: undefined });
      expect(text).not.toMatch(/secret_string|master_password"|"password"/);
    }
  });
});

describe("seed 000, nora", () => {
  const json = example("nora");

  it("is a 2-AZ 10.0.0.0/16 VPC, public 10.0.1-2.0/24, private 10.0.10-11.0/24, and no NAT", () => {
    expect(Object.values(resources(json, "aws_vpc"))[0].cidr_block).toBe("10.0.0.0/16");
    expect(cidrs(json, "public")).toEqual(["10.0.1.0/24", "10.0.2.0/24"]);
    expect(cidrs(json, "private")).toEqual(["10.0.10.0/24", "10.0.11.0/24"]);
    expect(cidrs(json, "database")).toEqual([]);
    expect(resources(json, "aws_nat_gateway")).toEqual({});
    expect(defaultRoutes(json, "private")).toEqual([]);
  });

  it("keeps the database subnet group in the private tier", () => {
    expect(Object.values(resources(json, "aws_db_subnet_group"))[0].subnet_ids).toEqual([
      ref("aws_subnet", "vpc_private_us_east_1a", "id"),
      ref("aws_subnet", "vpc_private_us_east_1b", "id"),
    ]);
  });

  it("has the ECR repository phase 5 deploys from: scanned, immutable, under the secrets key", () => {
    expect(Object.values(resources(json, "aws_ecr_repository"))).toEqual([
      expect.objectContaining({
        name: "example-nora-nora",
        image_tag_mutability: "IMMUTABLE",
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [{ encryption_type: "KMS", kms_key: "${aws_kms_key.security_secrets_key.arn}" }],
      }),
    ]);
  });

  it("reaches its state from its own account through the state role", () => {
    expect(json.terraform.backend.s3).toMatchObject({ key: "nora/terraform.tfstate", assume_role: { role_arn: "arn:aws:iam::111122223333:role/example-tfstate-access-059364397483" } });
  });
});

describe("seed 001, startupwebapp", () => {
  const json = example("startupwebapp");

  it("is a 2-AZ 10.0.0.0/16 VPC with public 10.0.1-2.0/24 and private 10.0.10-11.0/24", () => {
    expect(cidrs(json, "public")).toEqual(["10.0.1.0/24", "10.0.2.0/24"]);
    expect(cidrs(json, "private")).toEqual(["10.0.10.0/24", "10.0.11.0/24"]);
  });

  it("has one NAT gateway, in public subnet 1, that both private route tables use", () => {
    const nats = resources(json, "aws_nat_gateway");
    expect(Object.keys(nats)).toEqual(["vpc_nat_us_east_1a"]);
    expect(nats.vpc_nat_us_east_1a.subnet_id).toBe(ref("aws_subnet", "vpc_public_us_east_1a", "id"));
    const routes = defaultRoutes(json, "private");
    expect(routes).toHaveLength(2);
    for (const r of routes) expect(r.nat_gateway_id).toBe(ref("aws_nat_gateway", "vpc_nat_us_east_1a", "id"));
  });
});

describe("seed 002, mentalspace", () => {
  const json = example("mentalspace");

  it("has three tiers over 2 AZs, one NAT, and an isolated data tier", () => {
    expect(Object.values(resources(json, "aws_subnet")).map((s) => s.availability_zone).sort()).toEqual(
      ["us-east-1a", "us-east-1a", "us-east-1a", "us-east-1b", "us-east-1b", "us-east-1b"],
    );
    expect(Object.keys(resources(json, "aws_nat_gateway"))).toHaveLength(1);
    expect(defaultRoutes(json, "private")).toHaveLength(2);
    expect(defaultRoutes(json, "database")).toEqual([]);
  });

  it("runs Aurora PostgreSQL 15.12 (the seed's 15.3 is an old minor) at 0.5-8 ACU with a writer and a reader, 30-day backups, logs kept a year", () => {
    expect(Object.values(resources(json, "aws_rds_cluster"))[0]).toMatchObject({
      engine_version: "15.12",
      serverlessv2_scaling_configuration: { min_capacity: 0.5, max_capacity: 8 },
      backup_retention_period: 30,
      database_name: "mentalspaceehr",
      master_username: "postgres",
      db_subnet_group_name: ref("aws_db_subnet_group", "vpc_database_subnet_group", "name"),
    });
    expect(Object.keys(resources(json, "aws_rds_cluster_instance")).sort()).toEqual(["aurora_reader_1", "aurora_writer"]);
    expect(resources(json, "aws_cloudwatch_log_group").aurora_postgresql_log_group.retention_in_days).toBe(365);
  });
});

describe("seed 002, mentalspace: its edge and identity", () => {
  const json = example("mentalspace");
  const policyOf = (type: string, name: string): { Statement: Array<Record<string, unknown>> } => JSON.parse(String(resources(json, type)[name].policy));

  it("keeps files versioned with old versions deleted after 30 days, and Intelligent-Tiering on upload", () => {
    expect(resources(json, "aws_s3_bucket_versioning").buckets_files_versioning.versioning_configuration).toEqual({ status: "Enabled" });
    const rules = resources(json, "aws_s3_bucket_lifecycle_configuration").buckets_files_lifecycle.rule as Body[];
    expect(rules.map((r) => r.id)).toEqual(["expire-old-versions", "intelligent-tiering", "abort-incomplete-multipart-uploads"]);
    expect(rules[0].noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
    expect(rules[1].transition).toEqual([{ days: 0, storage_class: "INTELLIGENT_TIERING" }]);
  });

  it("keeps videos unversioned, in Glacier at 90 days, deleted at 365", () => {
    expect(resources(json, "aws_s3_bucket_versioning").buckets_videos_versioning.versioning_configuration).toEqual({ status: "Suspended" });
    const rule = (resources(json, "aws_s3_bucket_lifecycle_configuration").buckets_videos_lifecycle.rule as Body[])[0];
    expect(rule).toMatchObject({ transition: [{ days: 90, storage_class: "GLACIER" }], expiration: [{ days: 365 }] });
  });

  it("serves videos through CloudFront with OAC, HTTPS only, PriceClass_100, and lets only that distribution read and decrypt", () => {
    const distribution = resources(json, "aws_cloudfront_distribution").cdn_videos_distribution;
    expect(distribution).toMatchObject({ price_class: "PriceClass_100", provider: "aws.us_east_1" });
    expect((distribution.default_cache_behavior as Body).viewer_protocol_policy).toBe("redirect-to-https");
    expect((distribution.origin as Body[])[0].origin_access_control_id).toBe(ref("aws_cloudfront_origin_access_control", "cdn_videos_distribution_origin_access_control", "id"));
    const read = policyOf("aws_s3_bucket_policy", "buckets_videos_policy").Statement.find((st) => st.Sid === "CloudfrontReadsVideos");
    expect(read).toEqual({
      Sid: "CloudfrontReadsVideos",
      Effect: "Allow",
      Principal: { Service: "cloudfront.amazonaws.com" },
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::example-mentalspace-videos-706704660887-us-east-1/*",
      Condition: { StringEquals: { "aws:SourceArn": ref("aws_cloudfront_distribution", "cdn_videos_distribution", "arn") } },
    });
    const decrypt = policyOf("aws_kms_key", "security_logs_key").Statement.find((st) => st.Sid === "CloudfrontDecryptsVideosForVideos");
    expect(decrypt).toMatchObject({ Action: "kms:Decrypt", Condition: { StringEquals: { "aws:SourceArn": ref("aws_cloudfront_distribution", "cdn_videos_distribution", "arn") } } });
  });

  it("has the Cognito pool of the seed: email sign-in, MFA required by SMS or TOTP, 12 characters of four classes, admin-only sign-up, three custom attributes", () => {
    const pool = resources(json, "aws_cognito_user_pool").auth;
    expect(pool).toMatchObject({
      username_attributes: ["email"],
      mfa_configuration: "ON",
      software_token_mfa_configuration: { enabled: true },
      sms_configuration: { sns_caller_arn: ref("aws_iam_role", "auth_sms_role", "arn") },
      password_policy: { minimum_length: 12, require_lowercase: true, require_uppercase: true, require_numbers: true, require_symbols: true },
      admin_create_user_config: { allow_admin_create_user_only: true },
      deletion_protection: "ACTIVE",
    });
    expect((pool.schema as Body[]).map((a) => a.name)).toEqual(["organizationId", "practiceId", "role"]);
  });

  it("has the seed's client: password and SRP sign-in, tokens of 1 h, 1 h and 30 days", () => {
    expect(resources(json, "aws_cognito_user_pool_client").auth_client_web).toMatchObject({
      explicit_auth_flows: ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"],
      access_token_validity: 60,
      id_token_validity: 60,
      refresh_token_validity: 30,
      generate_secret: false,
    });
  });

  it("gives the identity pool's users only their own prefix of the files bucket, and guests nothing", () => {
    expect(resources(json, "aws_cognito_identity_pool").auth_identity_pool.allow_unauthenticated_identities).toBe(false);
    const statements = policyOf("aws_iam_role_policy", "auth_authenticated_role_policy").Statement;
    expect(statements.map((st) => st.Resource)).toEqual([
      "arn:aws:s3:::example-mentalspace-files-706704660887-us-east-1/$${cognito-identity.amazonaws.com:sub}/*",
      "arn:aws:s3:::example-mentalspace-files-706704660887-us-east-1",
      ref("aws_kms_key", "security_logs_key", "arn"),
    ]);
    expect(JSON.stringify(statements)).not.toContain("videos");
  });

  it("has the REST API of the seed: stage prod, 2000 rps / 5000 burst, INFO logging, CORS for the two origins, Cognito on the proxy, /health open", () => {
    expect(resources(json, "aws_api_gateway_stage").api_stage).toMatchObject({ stage_name: "prod", xray_tracing_enabled: true });
    expect(resources(json, "aws_api_gateway_method_settings").api_method_settings.settings).toMatchObject({
      logging_level: "INFO",
      data_trace_enabled: false,
      throttling_rate_limit: 2000,
      throttling_burst_limit: 5000,
    });
    const methods = resources(json, "aws_api_gateway_method");
    expect(methods.api_proxy_method).toMatchObject({ http_method: "ANY", authorization: "COGNITO_USER_POOLS" });
    expect(methods.api_health_method).toMatchObject({ http_method: "GET", authorization: "NONE" });
    const preflight = String((resources(json, "aws_api_gateway_integration_response").api_proxy_options_integration_response.response_templates as Body)["application/json"]);
    expect(preflight).toContain('$origin == "https://app.mentalspaceehr.com" || $origin == "https://mentalspaceehr.com"');
    expect(resources(json, "aws_cloudwatch_log_group").api_access_logs.retention_in_days).toBe(365);
  });
});

describe("seed 004, outreachpass", () => {
  const json = example("outreachpass");

  it("creates no VPC: it uses the default VPC by id, with a DB subnet group over its three subnets", () => {
    expect(resources(json, "aws_vpc")).toEqual({});
    expect(resources(json, "aws_subnet")).toEqual({});
    expect(Object.values(resources(json, "aws_db_subnet_group"))[0].subnet_ids).toEqual([
      "subnet-0a0000000000000a1",
      "subnet-0b0000000000000b1",
      "subnet-0c0000000000000c1",
    ]);
    expect(Object.values(resources(json, "aws_security_group"))[0].vpc_id).toBe("vpc-0d0e0f0a0b0c0d0e0");
  });

  it("runs Aurora PostgreSQL 15.12 at 0.5-16 ACU on two instances, 7-day backups, PI and logs 7 days, never public", () => {
    expect(Object.values(resources(json, "aws_rds_cluster"))[0]).toMatchObject({
      engine_version: "15.12",
      serverlessv2_scaling_configuration: { min_capacity: 0.5, max_capacity: 16 },
      backup_retention_period: 7,
      database_name: "outreachpass",
      master_username: "outreachpass_admin",
    });
    const instances = Object.values(resources(json, "aws_rds_cluster_instance"));
    expect(instances).toHaveLength(2);
    for (const i of instances) expect(i).toMatchObject({ publicly_accessible: false, performance_insights_retention_period: 7 });
    expect(resources(json, "aws_cloudwatch_log_group").aurora_postgresql_log_group.retention_in_days).toBe(7);
  });
});

describe("seed 004, outreachpass: its edge", () => {
  const json = example("outreachpass");

  it("adds the four A-ALIAS records to the existing zone base2ml.com, and never creates the zone", () => {
    expect(resources(json, "aws_route53_zone")).toEqual({});
    const aliases = Object.values(resources(json, "aws_route53_record")).filter((r) => r.alias !== undefined);
    expect(aliases).toHaveLength(4);
    expect(aliases.map((r) => [r.name, r.type, r.zone_id]).sort()).toEqual([
      ["app.outreachpass.base2ml.com", "A", "Z09099671VTWA1L2CL021"],
      ["campuscard.base2ml.com", "A", "Z09099671VTWA1L2CL021"],
      ["govsafe.base2ml.com", "A", "Z09099671VTWA1L2CL021"],
      ["outreachpass.base2ml.com", "A", "Z09099671VTWA1L2CL021"],
    ]);
  });

  it("issues two DNS-validated certificates: the API's in the stack's region, CloudFront's in us-east-1", () => {
    const certificates = resources(json, "aws_acm_certificate");
    expect(Object.keys(certificates).sort()).toEqual(["cdn_frontend_certificate", "http_api_certificate"]);
    expect(certificates.cdn_frontend_certificate).toMatchObject({ domain_name: "app.outreachpass.base2ml.com", validation_method: "DNS", provider: "aws.us_east_1" });
    expect(certificates.http_api_certificate).toMatchObject({ domain_name: "outreachpass.base2ml.com", subject_alternative_names: ["govsafe.base2ml.com", "campuscard.base2ml.com"] });
    expect(certificates.http_api_certificate.provider).toBeUndefined();
    expect(Object.keys(resources(json, "aws_acm_certificate_validation")).sort()).toEqual(["cdn_frontend_certificate_validation", "http_api_certificate_validation"]);
  });

  it("has the HTTP API on outreachpass.base2ml.com, regional, TLS 1.2, JSON access logs kept 30 days, throttled at 10,000 rps", () => {
    expect(resources(json, "aws_apigatewayv2_api").http_api_api).toMatchObject({ protocol_type: "HTTP", disable_execute_api_endpoint: true, cors_configuration: { allow_origins: ["https://app.outreachpass.base2ml.com"] } });
    const domains = Object.values(resources(json, "aws_apigatewayv2_domain_name"));
    expect(domains.map((d) => d.domain_name).sort()).toEqual(["campuscard.base2ml.com", "govsafe.base2ml.com", "outreachpass.base2ml.com"]);
    for (const d of domains) expect(d.domain_name_configuration).toMatchObject({ endpoint_type: "REGIONAL", security_policy: "TLS_1_2" });
    expect(Object.values(resources(json, "aws_apigatewayv2_api_mapping"))).toHaveLength(3);
    expect(resources(json, "aws_apigatewayv2_stage").http_api_api_stage).toMatchObject({ name: "$default", auto_deploy: true, default_route_settings: { throttling_rate_limit: 10000, throttling_burst_limit: 5000 } });
    expect(resources(json, "aws_cloudwatch_log_group").http_api_api_access_logs).toMatchObject({ name: "/aws/apigateway/example-outreachpass-api", retention_in_days: 30 });
  });

  it("has the Cognito pool and client of the seed: MFA optional, 8 characters of four classes, tenant_id and role, 60 min / 60 min / 30 d", () => {
    expect(resources(json, "aws_cognito_user_pool").auth).toMatchObject({
      mfa_configuration: "OPTIONAL",
      password_policy: { minimum_length: 8, require_lowercase: true, require_uppercase: true, require_numbers: true, require_symbols: true },
    });
    expect((resources(json, "aws_cognito_user_pool").auth.schema as Body[]).map((a) => a.name)).toEqual(["role", "tenant_id"]);
    expect(resources(json, "aws_cognito_user_pool_client").auth_client_web_client).toMatchObject({
      explicit_auth_flows: ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"],
      access_token_validity: 60,
      id_token_validity: 60,
      refresh_token_validity: 30,
    });
    expect(resources(json, "aws_cognito_identity_pool")).toEqual({});
  });

  it("has the three buckets: public-read assets (ACLs still blocked), uploads deleted after 7 days, the frontend behind CloudFront", () => {
    expect(resources(json, "aws_s3_bucket_public_access_block").buckets_assets_public_access_block).toMatchObject({
      block_public_acls: true,
      ignore_public_acls: true,
      block_public_policy: false,
      restrict_public_buckets: false,
    });
    const assets = JSON.parse(String(resources(json, "aws_s3_bucket_policy").buckets_assets_policy.policy)) as { Statement: Body[] };
    expect(assets.Statement.find((st) => st.Sid === "PublicReadGetObject")).toEqual({
      Sid: "PublicReadGetObject",
      Effect: "Allow",
      Principal: "*",
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::example-outreachpass-assets-741783034843-us-east-1/*",
    });
    for (const name of ["uploads", "frontend"]) {
      expect(resources(json, "aws_s3_bucket_public_access_block")[`buckets_${name}_public_access_block`]).toMatchObject({ block_public_policy: true, restrict_public_buckets: true });
    }
    expect((resources(json, "aws_s3_bucket_lifecycle_configuration").buckets_uploads_lifecycle.rule as Body[])[0]).toMatchObject({ expiration: [{ days: 7 }] });
    expect(resources(json, "aws_cloudfront_distribution").cdn_frontend_distribution).toMatchObject({
      aliases: ["app.outreachpass.base2ml.com"],
      default_root_object: "index.html",
      custom_error_response: [
        { error_code: 403, response_code: 404, response_page_path: "/404.html", error_caching_min_ttl: 60 },
        { error_code: 404, response_code: 404, response_page_path: "/404.html", error_caching_min_ttl: 60 },
      ],
      viewer_certificate: { acm_certificate_arn: ref("aws_acm_certificate_validation", "cdn_frontend_certificate_validation", "certificate_arn"), ssl_support_method: "sni-only", minimum_protocol_version: "TLSv1.2_2021" },
    });
    expect(resources(json, "aws_s3_bucket_website_configuration")).toEqual({});
  });
});
