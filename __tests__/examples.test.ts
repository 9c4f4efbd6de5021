import * as path from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { loadConfig } from "../environments";
import { EnvironmentStack, buildAccountsAndEnvironments } from "../stacks";
import { EnvironmentConfig, validateEnvironment } from "../environments";
import { startupwebapp } from "../examples/startupwebapp";
import { Body, ref, resources } from "./support/module-stack";
import { SynthJson, synthJson } from "./support/stacks";
import { stackArtifacts } from "../tools/artifacts";

// The other seeds' systems, from the same modules, config type and
// EnvironmentStack. Their numbers are the seeds' (../shared/SEEDS.md).
const config = loadConfig(path.join(__dirname, "..", "examples"));
// The whole systems: each example's account stack (trail, budget, account settings) and its environment.
const app = buildAccountsAndEnvironments(Testing.app(), config, "examples");
const example = (name: string): SynthJson => synthJson(app.node.findChild(name) as TerraformStack);
const addressesOf = (json: SynthJson): string[] => Object.entries(json.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName as object).map((n) => `${type}.${n}`));
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

  it("authenticate each account as its project entry says: a profile, a role to assume (named after the stack), or the default chain, on every AWS provider", () => {
    const providers = (name: string) => example(name).provider.aws;
    // outreachpass has a us-east-1 provider for CloudFront beside its own: both assume the role.
    expect(providers("outreachpass").length).toBe(2);
    for (const p of providers("outreachpass")) {
      expect(p.assume_role).toEqual([{ role_arn: "arn:aws:iam::741783034843:role/outreachpass-deploy", session_name: "example-outreachpass" }]);
      expect(p.profile).toBeUndefined();
    }
    expect(providers("mentalspace").length).toBeGreaterThan(0);
    for (const p of providers("mentalspace")) expect({ profile: p.profile, role: p.assume_role }).toEqual({ profile: "mentalspace-admin", role: undefined });
    for (const p of providers("nora")) expect({ profile: p.profile, role: p.assume_role }).toEqual({ profile: undefined, role: undefined });
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

  it("is a 2-AZ 10.0.0.0/16 VPC, public 10.0.1-2.0/24, private 10.0.10-11.0/24, with one NAT for App Runner's connector (the seed's no-NAT layout gives it no egress)", () => {
    expect(Object.values(resources(json, "aws_vpc"))[0].cidr_block).toBe("10.0.0.0/16");
    expect(cidrs(json, "public")).toEqual(["10.0.1.0/24", "10.0.2.0/24"]);
    expect(cidrs(json, "private")).toEqual(["10.0.10.0/24", "10.0.11.0/24"]);
    expect(cidrs(json, "database")).toEqual([]);
    expect(Object.keys(resources(json, "aws_nat_gateway"))).toEqual(["vpc_nat_us_east_1a"]);
    expect(defaultRoutes(json, "private")).toHaveLength(2);
  });

  it("keeps audio in an AES256, versioned, private bucket whose recordings and their old versions go after 90 days", () => {
    const sse = Object.values(resources(json, "aws_s3_bucket_server_side_encryption_configuration")).find((c) => String(c.bucket).includes("buckets_audio"))!;
    expect(JSON.stringify(sse.rule)).toContain('"sse_algorithm":"AES256"');
    expect(resources(json, "aws_s3_bucket_versioning").buckets_audio_versioning.versioning_configuration).toEqual({ status: "Enabled" });
    const rules = resources(json, "aws_s3_bucket_lifecycle_configuration").buckets_audio_lifecycle.rule as Body[];
    expect(rules.find((r) => r.id === "expire-recordings")).toMatchObject({ expiration: [{ days: 90 }], noncurrent_version_expiration: [{ noncurrent_days: 90 }] });
    expect(resources(json, "aws_s3_bucket_public_access_block").buckets_audio_public_access_block).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
  });

  it("runs PostgreSQL 16 on db.t3.small, Multi-AZ, in the private subnets, with a managed password, reachable only from App Runner", () => {
    expect(resources(json, "aws_db_instance").rds).toMatchObject({
      engine: "postgres",
      engine_version: "16.11",
      instance_class: "db.t3.small",
      multi_az: true,
      publicly_accessible: false,
      storage_encrypted: true,
      manage_master_user_password: true,
      db_subnet_group_name: ref("aws_db_subnet_group", "vpc_database_subnet_group", "name"),
    });
    const ingress = Object.values(resources(json, "aws_vpc_security_group_ingress_rule")).filter((r) => String(r.security_group_id).includes("rds_security_group"));
    expect(ingress).toEqual([expect.objectContaining({ from_port: 5432, to_port: 5432, referenced_security_group_id: ref("aws_security_group", "apprunner_api_security_group", "id") })]);
  });

  it("runs the App Runner service from ECR through an access role, its VPC connector in the private subnets, secrets by ARN", () => {
    const service = resources(json, "aws_apprunner_service").apprunner_api;
    expect(service).toMatchObject({
      network_configuration: { egress_configuration: { egress_type: "VPC", vpc_connector_arn: ref("aws_apprunner_vpc_connector", "apprunner_api_vpc_connector", "arn") } },
      health_check_configuration: { protocol: "HTTP", path: "/health" },
    });
    const source = (service.source_configuration as Body) as { authentication_configuration: Body; image_repository: { image_configuration: { runtime_environment_secrets: Record<string, string> } } };
    expect(source.authentication_configuration.access_role_arn).toBe(ref("aws_iam_role", "apprunner_api_access_role", "arn"));
    expect(Object.keys(source.image_repository.image_configuration.runtime_environment_secrets).sort()).toEqual(["ANTHROPIC_API_KEY", "DATABASE_CREDENTIALS", "ELEVENLABS_API_KEY", "JWT_SECRET"]);
    expect(resources(json, "aws_apprunner_vpc_connector").apprunner_api_vpc_connector.subnets).toEqual([ref("aws_subnet", "vpc_private_us_east_1a", "id"), ref("aws_subnet", "vpc_private_us_east_1b", "id")]);
    expect(Object.keys(resources(json, "aws_secretsmanager_secret")).sort()).toEqual(["security_secret_anthropic_api_key", "security_secret_elevenlabs_api_key", "security_secret_jwt_secret"]);
  });

  it("gives App Runner the connection variables functions get: the database host and port from connectsToDatabase, the audio bucket from its grant", () => {
    const source = resources(json, "aws_apprunner_service").apprunner_api.source_configuration as { image_repository: { image_configuration: { runtime_environment_variables: Record<string, string> } } };
    expect(source.image_repository.image_configuration.runtime_environment_variables).toEqual({
      BUCKET_AUDIO: "nora-audio-059364397483",
      DATABASE_HOST: ref("aws_db_instance", "rds", "address"),
      DATABASE_PORT: "5432",
    });
  });

  it("outputs seed 000's resource registry: IGW_ID, the App Runner group, the RDS group and the VPC", () => {
    expect(Object.keys(json.output ?? {})).toEqual(expect.arrayContaining(["internet_gateway_id", "apprunner_security_group_ids", "rds_security_group_id", "vpc_id"]));
    expect(json.output!.internet_gateway_id).toMatchObject({ value: ref("aws_internet_gateway", "vpc_internet_gateway", "id") });
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
        name: "nora-nora",
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

  it("keeps seed 001's cost-optimized no-NAT layout: no NAT gateway, no address, no private default route, no bastion until DATABASE_ACCESS", () => {
    expect(resources(json, "aws_nat_gateway")).toEqual({});
    expect(resources(json, "aws_eip")).toEqual({});
    expect(defaultRoutes(json, "private")).toEqual([]);
    expect(resources(json, "aws_instance")).toEqual({});
  });

  it("adds exactly the bastion and Session Manager's endpoints while the database is reached, still without a NAT", () => {
    const withAccess = synthJson(new EnvironmentStack(Testing.app(), validateEnvironment(startupwebapp(true), "startupwebapp", config.project, "examples"), config.project, "examples"));
    const added = addressesOf(withAccess).filter((a) => !addressesOf(json).includes(a));
    expect(addressesOf(json).filter((a) => !addressesOf(withAccess).includes(a))).toEqual([]);
    expect(added.every((a) => /bastion|vpc_endpoint|vpc_interface_endpoints|endpoint/.test(a))).toBe(true);
    expect(added).toEqual(expect.arrayContaining(["aws_instance.bastion", "aws_vpc_endpoint.vpc_endpoint_ssm", "aws_vpc_endpoint.vpc_endpoint_ssmmessages", "aws_vpc_endpoint.vpc_endpoint_ec2messages"]));
    expect(resources(withAccess, "aws_nat_gateway")).toEqual({});
    expect(Object.values(resources(withAccess, "aws_vpc_security_group_ingress_rule")).filter((r) => String(r.security_group_id).includes("bastion"))).toEqual([]);
    expect(resources(withAccess, "aws_vpc_security_group_ingress_rule").rds_ingress_from_bastion).toMatchObject({ from_port: 5432 });
  });

  it("adds only the NAT's address, the gateway and the private default routes when a NAT is turned on later; nothing else changes", () => {
    const base = startupwebapp(false);
    const withNat: EnvironmentConfig = { ...base, network: { ...(base.network as object), enableNatGateway: true, singleNatGateway: true } as EnvironmentConfig["network"] };
    const nat = synthJson(new EnvironmentStack(Testing.app(), validateEnvironment(withNat, "startupwebapp", config.project, "examples"), config.project, "examples"));
    const added = addressesOf(nat).filter((a) => !addressesOf(json).includes(a));
    expect(added.sort()).toEqual(["aws_eip.vpc_nat_eip_us_east_1a", "aws_nat_gateway.vpc_nat_us_east_1a", "aws_route.vpc_private_nat_route_us_east_1a", "aws_route.vpc_private_nat_route_us_east_1b"].sort());
    expect(addressesOf(json).filter((a) => !addressesOf(nat).includes(a))).toEqual([]);
    // Every resource that existed is synthesized exactly as before: nothing is updated or replaced.
    for (const address of addressesOf(json)) {
      const [type, name] = address.split(".");
      expect({ address, body: resources(nat, type)[name] }).toEqual({ address, body: resources(json, type)[name] });
    }
  });

  it("has the seed's Backend SG: PostgreSQL to the instance, HTTPS and SMTP out, its id an output", () => {
    expect(resources(json, "aws_vpc_security_group_ingress_rule").rds_ingress_from_backend).toMatchObject({ from_port: 5432, to_port: 5432 });
    const egress = Object.entries(resources(json, "aws_vpc_security_group_egress_rule")).filter(([n]) => n.startsWith("rds_client_backend") || n === "rds_backend_egress_to_rds");
    expect(egress.map(([, r]) => `${r.ip_protocol} ${r.from_port}`).sort()).toEqual(["tcp 443", "tcp 5432", "tcp 587"]);
    // Nothing may reach the backend group itself: no ingress rule names it.
    const group = ref("aws_security_group", "rds_client_backend_security_group", "id");
    expect(Object.values(resources(json, "aws_vpc_security_group_egress_rule")).filter((r) => r.security_group_id === group)).toHaveLength(3);
    expect(Object.values(resources(json, "aws_vpc_security_group_ingress_rule")).filter((r) => r.security_group_id === group)).toEqual([]);
    expect(json.output?.rds_client_security_group_ids).toBeDefined();
  });

  it("runs PostgreSQL 16 on db.t4g.small: 20 GB gp3 growing to 100, 7-day backups at 03:00-04:00, Enhanced Monitoring 60 s, Performance Insights 7 days, TLS only, deletion protection", () => {
    expect(resources(json, "aws_db_instance").rds).toMatchObject({
      engine_version: "16.11",
      instance_class: "db.t4g.small",
      allocated_storage: 20,
      max_allocated_storage: 100,
      storage_type: "gp3",
      multi_az: false,
      backup_retention_period: 7,
      backup_window: "03:00-04:00",
      monitoring_interval: 60,
      performance_insights_enabled: true,
      performance_insights_retention_period: 7,
      deletion_protection: true,
      db_name: "startupwebapp_prod",
      enabled_cloudwatch_logs_exports: ["postgresql"],
    });
    const parameters = Object.values(resources(json, "aws_db_parameter_group"))[0].parameter as Body[];
    expect(parameters).toContainEqual({ name: "rds.force_ssl", value: "1" });
    expect(resources(json, "aws_cloudwatch_log_group").rds_postgresql_log_group.name).toBe("/aws/rds/instance/startupwebapp-multi-tenant-prod/postgresql");
  });

  it("has the seed's four alarms to its email, and no others: CPU > 70% and connections > 80 for 10 minutes, free storage < 2 GiB, free memory < 500 MiB", () => {
    const alarms = resources(json, "aws_cloudwatch_metric_alarm");
    expect(Object.keys(alarms).sort()).toEqual(["alarm_rds_connections", "alarm_rds_cpu", "alarm_rds_free_storage", "alarm_rds_freeable_memory"]);
    expect(alarms.alarm_rds_cpu).toMatchObject({ metric_name: "CPUUtilization", threshold: 70, period: 300, evaluation_periods: 2, comparison_operator: "GreaterThanThreshold" });
    expect(alarms.alarm_rds_connections).toMatchObject({ metric_name: "DatabaseConnections", threshold: 80, period: 300, evaluation_periods: 2 });
    expect(alarms.alarm_rds_free_storage).toMatchObject({ metric_name: "FreeStorageSpace", threshold: 2 * 1024 ** 3, comparison_operator: "LessThanThreshold" });
    expect(alarms.alarm_rds_freeable_memory).toMatchObject({ metric_name: "FreeableMemory", threshold: 500 * 1024 ** 2, period: 300, evaluation_periods: 2 });
    expect(Object.values(resources(json, "aws_sns_topic_subscription")).map((s) => s.endpoint)).toEqual(["bart@mosaicmeshai.com"]);
  });

  it("has the 6-widget dashboard: CPU, connections, freeable memory, free storage, read/write latency, read/write throughput", () => {
    const body = JSON.parse(String(Object.values(resources(json, "aws_cloudwatch_dashboard"))[0].dashboard_body)) as { widgets: Array<{ properties: { title: string } }> };
    expect(body.widgets.map((w) => w.properties.title)).toEqual([
      "RDS CPU (%)",
      "RDS connections",
      "RDS freeable memory (bytes)",
      "RDS free storage (bytes)",
      "RDS read/write latency (s)",
      "RDS read/write throughput (bytes/s)",
    ]);
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

describe("seed 002, mentalspace: audit, database access and monitoring", () => {
  const json = example("mentalspace");

  it("records every API call in its account: the multi-region trail, six years (its checklist claims CloudTrail; it is an EHR)", () => {
    const account = example("account-706704660887-us-east-1");
    expect(Object.values(resources(account, "aws_cloudtrail"))).toEqual([expect.objectContaining({ is_multi_region_trail: true, enable_log_file_validation: true })]);
  });

  it("reaches the database through the Session Manager bastion in a private subnet (step 4's 'VPN or bastion host'), allowed PostgreSQL into Aurora", () => {
    expect(Object.keys(resources(json, "aws_instance"))).toEqual(["bastion"]);
    expect(resources(json, "aws_instance").bastion.subnet_id).toBe(ref("aws_subnet", "vpc_private_us_east_1a", "id"));
    expect(resources(json, "aws_vpc_security_group_ingress_rule").aurora_ingress_from_bastion).toMatchObject({ from_port: 5432, to_port: 5432 });
  });

  it("has step 8's alarm topic with the admin subscribed, and the database and API alarms", () => {
    expect(Object.values(resources(json, "aws_sns_topic_subscription")).map((s) => s.endpoint)).toEqual(["admin@mentalspaceehr.com"]);
    const alarms = Object.keys(resources(json, "aws_cloudwatch_metric_alarm"));
    expect(alarms.filter((a) => a.startsWith("alarm_aurora_")).length).toBeGreaterThanOrEqual(4);
    expect(alarms).toEqual(expect.arrayContaining(["alarm_aurora_cpu", "alarm_aurora_connections", "alarm_api_rest_5xx_rate", "alarm_api_rest_latency"]));
    const rate = resources(json, "aws_cloudwatch_metric_alarm").alarm_api_rest_5xx_rate;
    expect(JSON.stringify(rate.metric_query)).toContain("5XXError");
    expect(JSON.stringify(rate.metric_query)).toContain('"ApiName":"mentalspace-ehr-api"');
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
      Resource: "arn:aws:s3:::mentalspace-ehr-videos-706704660887-us-east-1/*",
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

  it("lets a signed-in user upload a recording (seed 002's step 9) and use files, only under their own identity's prefix; guests nothing", () => {
    expect(resources(json, "aws_cognito_identity_pool").auth_identity_pool.allow_unauthenticated_identities).toBe(false);
    const statements = policyOf("aws_iam_role_policy", "auth_authenticated_role_policy").Statement;
    const objects = statements.filter((st) => JSON.stringify(st.Action).includes("s3:PutObject"));
    expect(objects.map((st) => st.Resource).sort()).toEqual([
      "arn:aws:s3:::mentalspace-ehr-files-706704660887-us-east-1/$${cognito-identity.amazonaws.com:sub}/*",
      "arn:aws:s3:::mentalspace-ehr-videos-706704660887-us-east-1/$${cognito-identity.amazonaws.com:sub}/*",
    ]);
    // Nothing outside a prefix: every object resource ends in the identity's own prefix.
    for (const st of statements) {
      for (const resource of [st.Resource].flat() as string[]) {
        if (resource.includes(":s3:::") && resource.includes("/")) expect(resource).toMatch(/\/\$\$\{cognito-identity\.amazonaws\.com:sub\}\/\*$/);
      }
    }
    expect(resources(json, "aws_s3_bucket_cors_configuration").buckets_videos_cors.cors_rule).toEqual([
      expect.objectContaining({ allowed_methods: ["PUT", "HEAD"], allowed_origins: ["https://app.mentalspaceehr.com", "https://mentalspaceehr.com"] }),
    ]);
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

  it("runs in the seed's planned VPC 10.0.0.0/16: public 10.0.1-3.0/24, private 10.0.11-13.0/24 with one NAT, the database in the private tier", () => {
    expect(Object.values(resources(json, "aws_vpc"))[0].cidr_block).toBe("10.0.0.0/16");
    expect(cidrs(json, "public")).toEqual(["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"]);
    expect(cidrs(json, "private")).toEqual(["10.0.11.0/24", "10.0.12.0/24", "10.0.13.0/24"]);
    expect(Object.keys(resources(json, "aws_nat_gateway"))).toHaveLength(1);
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

describe("seed 004, outreachpass: functions, queue, email and alarms", () => {
  const json = example("outreachpass");
  const functions = resources(json, "aws_lambda_function");

  it("has the backend (30 s, 512 MB, 512 MB /tmp, x86_64, Python 3.11) and the worker (300 s, 1 GB), from the artifacts bucket, deployed by CI", () => {
    expect(functions.functions_backend).toMatchObject({ function_name: "outreachpass-dev-backend", runtime: "python3.11", timeout: 30, memory_size: 512, ephemeral_storage: { size: 512 }, architectures: ["x86_64"], s3_key: "lambda/backend-latest.zip", tracing_config: { mode: "Active" } });
    expect(functions.functions_worker).toMatchObject({ function_name: "outreachpass-dev-worker", timeout: 300, memory_size: 1024, reserved_concurrent_executions: 100 });
    // By reference, so Terraform creates the function after the bucket; the first deploy publishes the package in between.
    expect(functions.functions_backend.s3_bucket).toBe("${aws_s3_bucket.buckets_artifacts.bucket}");
    expect(resources(json, "aws_s3_bucket").buckets_artifacts.bucket).toBe("outreachpass-dev-artifacts");
    expect(stackArtifacts(json)).toEqual([
      expect.objectContaining({ workload: "aws_lambda_function.functions_backend", store: "aws_s3_bucket.buckets_artifacts", kind: "object", name: "lambda/backend-latest.zip" }),
      expect.objectContaining({ workload: "aws_lambda_function.functions_worker", store: "aws_s3_bucket.buckets_artifacts", kind: "object", name: "lambda/backend-latest.zip" }),
    ]);
    for (const f of Object.values(functions)) expect((f.lifecycle as Body).ignore_changes).toEqual(["s3_key", "s3_object_version", "filename", "source_code_hash"]);
  });

  it("reserves 800 for the backend, not the seed's 1000: with the worker's 100, the account keeps its 100 unreserved", () => {
    expect(functions.functions_backend.reserved_concurrent_executions).toBe(800);
  });

  it("sets no reserved variable and no password: the database secret by ARN, bucket names, queue URL and sender from the grants", () => {
    const variables = (functions.functions_backend.environment as Body).variables as Record<string, string>;
    expect(Object.keys(variables).sort()).toEqual([
      "BUCKET_ASSETS", "BUCKET_UPLOADS", "COGNITO_CLIENT_ID", "COGNITO_USER_POOL_ID", "DATABASE_HOST", "DATABASE_PORT", "DATABASE_SECRET_ARN",
      "GOOGLE_WALLET_ISSUER_ID_ARN", "GOOGLE_WALLET_KEY_ARN", "GOOGLE_WALLET_SERVICE_ACCOUNT_FILE", "QUEUE_URL_PASS_GENERATION",
      "S3_BUCKET_ASSETS", "S3_BUCKET_UPLOADS", "SECRET_KEY_ARN", "SES_CONFIGURATION_SET", "SES_FROM_EMAIL", "SQS_QUEUE_URL",
    ]);
    expect(variables.SES_FROM_EMAIL).toBe("noreply@outreachpass.base2ml.com");
    expect(functions.functions_backend.kms_key_arn).toBe(ref("aws_kms_key", "security_secrets_key", "arn"));
  });

  it("gets seed 004's environment contract under the seed's names, from the other sections' outputs (values that exist only after apply)", () => {
    for (const name of ["backend", "worker"]) {
      const variables = (functions[`functions_${name}`].environment as Body).variables as Record<string, string>;
      expect(variables).toMatchObject({
        S3_BUCKET_ASSETS: "outreachpass-dev-assets",
        S3_BUCKET_UPLOADS: "outreachpass-dev-uploads",
        SQS_QUEUE_URL: ref("aws_sqs_queue", "queues_pass_generation", "url"),
        COGNITO_USER_POOL_ID: ref("aws_cognito_user_pool", "auth", "id"),
        COGNITO_CLIENT_ID: ref("aws_cognito_user_pool_client", "auth_client_web_client", "id"),
        GOOGLE_WALLET_SERVICE_ACCOUNT_FILE: "/tmp/google-wallet-key.json",
        // "<from_secrets_manager>" in the seed: by ARN, read by the app, never the value.
        ...(name === "backend" ? { SECRET_KEY_ARN: ref("aws_secretsmanager_secret", "security_secret_jwt_secret_key", "arn") } : {}),
        GOOGLE_WALLET_ISSUER_ID_ARN: ref("aws_secretsmanager_secret", "security_secret_google_wallet_issuer_id", "arn"),
      });
      expect(Object.keys(variables)).not.toContain("SECRET_KEY");
      expect(Object.keys(variables)).not.toContain("GOOGLE_WALLET_ISSUER_ID");
    }
  });

  it("runs both in the private subnets, allowed PostgreSQL to Aurora", () => {
    for (const name of ["backend", "worker"]) {
      expect((functions[`functions_${name}`].vpc_config as Body).subnet_ids).toEqual(["a", "b", "c"].map((az) => ref("aws_subnet", `vpc_private_us_east_1${az}`, "id")));
      expect(resources(json, "aws_vpc_security_group_ingress_rule")[`aurora_ingress_from_${name}`]).toMatchObject({ from_port: 5432 });
    }
  });

  it("logs each to /aws/lambda/<name> for 30 days under the logs key", () => {
    const groups = resources(json, "aws_cloudwatch_log_group");
    expect(groups.functions_backend_log_group).toMatchObject({ name: "/aws/lambda/outreachpass-dev-backend", retention_in_days: 30, kms_key_id: ref("aws_kms_key", "security_logs_key", "arn") });
    expect(groups.functions_worker_log_group).toMatchObject({ name: "/aws/lambda/outreachpass-dev-worker", retention_in_days: 30 });
  });

  it("has the queue: standard, 4 days, short polling, 256 KiB, a DLQ after 3 receives, visibility 1800 s (6 x the worker's 300 s; the seed's 360 s is refused)", () => {
    const queues = resources(json, "aws_sqs_queue");
    expect(queues.queues_pass_generation).toMatchObject({ name: "outreachpass-dev-pass-generation", message_retention_seconds: 345600, receive_wait_time_seconds: 0, max_message_size: 262144, visibility_timeout_seconds: 1800, kms_master_key_id: ref("aws_kms_key", "security_secrets_key", "arn") });
    expect(JSON.parse(String(queues.queues_pass_generation.redrive_policy))).toEqual({ deadLetterTargetArn: ref("aws_sqs_queue", "queues_pass-generation_dead-letter", "arn").replace("pass-generation_dead-letter", "pass_generation_dead_letter"), maxReceiveCount: 3 });
    expect(queues.queues_pass_generation_dead_letter.name).toBe("outreachpass-dev-pass-generation-dlq");
  });

  it("feeds the worker one message at a time, at most 10 at once", () => {
    expect(Object.values(resources(json, "aws_lambda_event_source_mapping"))).toEqual([
      expect.objectContaining({ event_source_arn: ref("aws_sqs_queue", "queues_pass_generation", "arn"), function_name: ref("aws_lambda_function", "functions_worker", "arn"), batch_size: 1, scaling_config: { maximum_concurrency: 10 } }),
    ]);
  });

  it("routes ANY /{proxy+} to the backend, which only this API may invoke", () => {
    expect(resources(json, "aws_apigatewayv2_integration").http_api_api_proxy_integration).toMatchObject({ integration_type: "AWS_PROXY", integration_uri: ref("aws_lambda_function", "functions_backend", "invoke_arn"), payload_format_version: "2.0" });
    expect(Object.values(resources(json, "aws_lambda_permission"))).toEqual([expect.objectContaining({ principal: "apigateway.amazonaws.com", source_arn: `${ref("aws_apigatewayv2_api", "http_api_api", "execution_arn")}/*/*` })]);
  });

  it("sends mail from noreply@outreachpass.base2ml.com: the domain with three DKIM records in the zone, TLS required, bounces and complaints to an encrypted topic", () => {
    const identities = Object.values(resources(json, "aws_sesv2_email_identity")).map((i) => i.email_identity).sort();
    expect(identities).toEqual(["noreply@outreachpass.base2ml.com", "outreachpass.base2ml.com"]);
    const dkim = Object.values(resources(json, "aws_route53_record")).filter((r) => r.type === "CNAME");
    expect(dkim).toHaveLength(3);
    for (const r of dkim) expect(r.zone_id).toBe("Z09099671VTWA1L2CL021");
    expect(Object.values(resources(json, "aws_sesv2_configuration_set"))[0]).toMatchObject({ delivery_options: { tls_policy: "REQUIRE" } });
    expect(resources(json, "aws_sesv2_configuration_set_event_destination").email_feedback.event_destination).toMatchObject({ matching_event_types: ["BOUNCE", "COMPLAINT"] });
    expect(resources(json, "aws_sns_topic").email_feedback_topic.kms_master_key_id).toBe(ref("aws_kms_key", "security_secrets_key", "arn"));
  });

  it("alarms as the seed: error rates by metric math above 5%, DLQ has messages, durations, API latency above 3 s, SES bounce 5% and complaint 0.1%; nothing on Aurora's FreeStorageSpace", () => {
    const alarms = resources(json, "aws_cloudwatch_metric_alarm");
    const expression = (a: Body): string => String(((a.metric_query as Body[]).find((q) => q.id === "result") as Body).expression);
    expect(alarms.alarm_lambda_backend_error_rate).toMatchObject({ threshold: 5 });
    expect(expression(alarms.alarm_lambda_backend_error_rate)).toBe("IF(total > 0, 100 * part / total, 0)");
    expect(alarms.alarm_api_5xx_rate).toMatchObject({ threshold: 5 });
    expect(alarms.alarm_sqs_pass_generation_dead_letters).toMatchObject({ threshold: 1, comparison_operator: "GreaterThanOrEqualToThreshold", dimensions: { QueueName: "outreachpass-dev-pass-generation-dlq" } });
    expect(alarms.alarm_lambda_backend_duration).toMatchObject({ threshold: 5000, extended_statistic: "p99" });
    expect(alarms.alarm_api_latency).toMatchObject({ threshold: 3000 });
    expect(alarms.alarm_aurora_cpu).toMatchObject({ threshold: 80, evaluation_periods: 2, period: 300 });
    expect(alarms.alarm_aurora_connections).toMatchObject({ threshold: 80 });
    expect(alarms.alarm_ses_bounce_rate).toMatchObject({ threshold: 0.05 });
    expect(alarms.alarm_ses_complaint_rate).toMatchObject({ threshold: 0.001 });
    expect(Object.values(alarms).filter((a) => a.metric_name === "FreeStorageSpace")).toEqual([]);
    expect(Object.values(resources(json, "aws_sns_topic_subscription")).map((s) => s.endpoint)).toEqual(["christopherwlindeman@gmail.com"]);
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

  it("serves /about/ as /about/index.html: seed 004's static export, through a CloudFront Function on viewer request", () => {
    const fn = resources(json, "aws_cloudfront_function").cdn_frontend_distribution_subdirectory_index;
    expect(fn).toMatchObject({ runtime: "cloudfront-js-2.0", publish: true, name: "outreachpass-dev-frontend-subdirectory-index" });
    expect((resources(json, "aws_cloudfront_distribution").cdn_frontend_distribution.default_cache_behavior as Body).function_association).toEqual([
      { event_type: "viewer-request", function_arn: ref("aws_cloudfront_function", "cdn_frontend_distribution_subdirectory_index", "arn") },
    ]);
  });

  it("keeps RDS's 7-day rotation of the managed secret (more often than seed 004's 90 days), with no rotation resource that could not be destroyed", () => {
    expect(resources(json, "aws_secretsmanager_secret_rotation")).toEqual({});
    expect(resources(json, "aws_rds_cluster").aurora).toMatchObject({ manage_master_user_password: true });
  });

  it("keeps its account's CloudTrail log files two years (seed 004: 2-year retention for compliance)", () => {
    const account = example("account-741783034843-us-east-1");
    expect(Object.values(resources(account, "aws_cloudtrail"))).toHaveLength(1);
    const rules = Object.values(resources(account, "aws_s3_bucket_lifecycle_configuration")).flatMap((l) => l.rule as Body[]);
    expect(rules.filter((r) => (r.expiration as Body[] | undefined)?.[0]?.days === 730)).toHaveLength(1);
  });

  it("uses seed 004's two existing certificates by ARN, the API's on its three domains and CloudFront's, and issues none", () => {
    expect(resources(json, "aws_acm_certificate")).toEqual({});
    expect(resources(json, "aws_acm_certificate_validation")).toEqual({});
    for (const d of Object.values(resources(json, "aws_apigatewayv2_domain_name"))) {
      expect((d.domain_name_configuration as Body).certificate_arn).toBe("arn:aws:acm:us-east-1:741783034843:certificate/bb1cbe9e-d6ed-4b4c-8f7c-fa8f687b10c0");
    }
    expect((resources(json, "aws_cloudfront_distribution").cdn_frontend_distribution.viewer_certificate as Body).acm_certificate_arn).toBe(
      "arn:aws:acm:us-east-1:741783034843:certificate/7a8eb69e-1ba6-4220-bcca-2b79d11200e0",
    );
  });

  it("has the HTTP API on outreachpass.base2ml.com, regional, TLS 1.2, JSON access logs kept 30 days, throttled at 10,000 rps", () => {
    expect(resources(json, "aws_apigatewayv2_api").http_api_api).toMatchObject({ protocol_type: "HTTP", disable_execute_api_endpoint: true, cors_configuration: { allow_origins: ["https://app.outreachpass.base2ml.com"] } });
    const domains = Object.values(resources(json, "aws_apigatewayv2_domain_name"));
    expect(domains.map((d) => d.domain_name).sort()).toEqual(["campuscard.base2ml.com", "govsafe.base2ml.com", "outreachpass.base2ml.com"]);
    for (const d of domains) expect(d.domain_name_configuration).toMatchObject({ endpoint_type: "REGIONAL", security_policy: "TLS_1_2" });
    expect(Object.values(resources(json, "aws_apigatewayv2_api_mapping"))).toHaveLength(3);
    expect(resources(json, "aws_apigatewayv2_stage").http_api_api_stage).toMatchObject({ name: "$default", auto_deploy: true, default_route_settings: { throttling_rate_limit: 10000, throttling_burst_limit: 5000 } });
    expect(resources(json, "aws_cloudwatch_log_group").http_api_api_access_logs).toMatchObject({ name: "/aws/apigateway/outreachpass-dev", retention_in_days: 30 });
  });

  it("has the Cognito pool and client of the seed: MFA optional, 8 characters of four classes, tenant_id and role, 60 min / 60 min / 30 d", () => {
    expect(resources(json, "aws_cognito_user_pool").auth).toMatchObject({
      mfa_configuration: "OPTIONAL",
      password_policy: { minimum_length: 8, require_lowercase: true, require_uppercase: true, require_numbers: true, require_symbols: true },
    });
    expect((resources(json, "aws_cognito_user_pool").auth.schema as Body[]).map((a) => a.name)).toEqual(["role", "tenant_id"]);
    // Seed 004's users sign themselves up (its pre-signup domain check); MentalSpace's stay admin-created.
    expect(resources(json, "aws_cognito_user_pool").auth.admin_create_user_config).toEqual({ allow_admin_create_user_only: false });
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
      Resource: "arn:aws:s3:::outreachpass-dev-assets/*",
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
      viewer_certificate: { acm_certificate_arn: "arn:aws:acm:us-east-1:741783034843:certificate/7a8eb69e-1ba6-4220-bcca-2b79d11200e0", ssl_support_method: "sni-only", minimum_protocol_version: "TLSv1.2_2021" },
    });
    expect(resources(json, "aws_s3_bucket_website_configuration")).toEqual({});
  });
});
