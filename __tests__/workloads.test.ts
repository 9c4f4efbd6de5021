import * as path from "node:path";
import * as os from "node:os";
import { TerraformStack, Testing } from "cdktf";
import { LambdaFunction, LambdaFunctionProps } from "../modules/functions";
import { Queue, QueueProps } from "../modules/queues";
import { EmailIdentity } from "../modules/email";
import { RdsInstance, RdsInstanceProps } from "../modules/rds";
import { AppRunnerService, AppRunnerServiceProps } from "../modules/apprunner";
import { Budget } from "../modules/budgets";
import { Repository } from "../modules/ecr";
import { HostedZone } from "../modules/dns";
import { Security } from "../modules/security";
import { Vpc, VpcProps } from "../modules/vpc";
import { PROTECTION_PROFILES, EnvironmentConfig, validateEnvironment } from "../environments";
import { EnvironmentStack } from "../stacks";
import outreachpass from "../examples/outreachpass";
import examplesProject from "../examples/project";
import { Body, moduleStack, only, ref, resources, synth, thrown } from "./support/module-stack";
import { Mutable, configError } from "./support/config";
import { TEST_KEY } from "./support/network";

// The functions, queues, email, rds, apprunner and budgets modules: each
// secure default asserted on its own, and each validation (the seeds'
// mistakes among them) refused with the field, the value and what is allowed.

const policyOf = (body: Body): { Statement: Array<Record<string, unknown>> } => JSON.parse(String(body.policy ?? body.assume_role_policy));

const VPC: Omit<VpcProps, "enableNatGateway"> = {
  cidr: "10.0.0.0/16",
  azs: ["us-east-1a", "us-east-1b"],
  publicSubnets: ["10.0.1.0/24", "10.0.2.0/24"],
  privateSubnets: ["10.0.11.0/24", "10.0.12.0/24"],
  databaseSubnetGroupTier: "private",
  flowLogRetentionInDays: 30,
  flowLogKmsKeyArn: TEST_KEY,
  protection: PROTECTION_PROFILES.production,
};

function world(nat = true) {
  const stack = moduleStack();
  const security = new Security(stack, "security", { secrets: [{ name: "api-key", description: "An API key set outside Terraform" }], protection: PROTECTION_PROFILES.production });
  const vpc = new Vpc(stack, "vpc", { ...VPC, enableNatGateway: nat, singleNatGateway: nat });
  return { stack, security, vpc };
}

function fnProps(w: ReturnType<typeof world>, extra: Partial<LambdaFunctionProps> = {}): LambdaFunctionProps {
  return {
    name: "backend",
    runtime: "python3.12",
    handler: "app.handler",
    code: { bucket: { nameReference: "${aws_s3_bucket.artifacts.bucket}" }, key: "lambda/backend.zip" },
    timeoutSeconds: 30,
    environmentKey: w.security.secretsKey,
    logKmsKeyArn: TEST_KEY,
    ...extra,
  };
}

describe("functions: LambdaFunction", () => {
  const build = () => {
    const w = world();
    const fn = new LambdaFunction(w.stack, "fn", fnProps(w, {
      environment: { LOG_LEVEL: "info" },
      secrets: { API_KEY_ARN: w.security.secrets.get("api-key")! },
      vpc: { network: w.vpc },
      reservedConcurrency: 50,
      logRetentionInDays: 30,
    }));
    return { ...w, fn, json: synth(w.stack) };
  };
  const { json, fn } = build();
  const fnBody = only(json, "aws_lambda_function");

  it("matches its snapshot", () => {
    expect(resources(json, "aws_lambda_function")).toMatchSnapshot();
  });

  it("traces with X-Ray, logs to its own encrypted log group made first, and encrypts its environment with the customer key", () => {
    expect(fnBody).toMatchObject({ function_name: "keel-test-backend", tracing_config: { mode: "Active" }, kms_key_arn: ref("aws_kms_key", "security_secrets_key", "arn"), depends_on: ["aws_cloudwatch_log_group.fn_log_group"] });
    expect(resources(json, "aws_cloudwatch_log_group").fn_log_group).toMatchObject({ name: "/aws/lambda/keel-test-backend", retention_in_days: 30, kms_key_id: TEST_KEY });
    expect(fnBody.logging_config).toEqual({ log_format: "Text", log_group: "/aws/lambda/keel-test-backend" });
  });

  it("passes a secret by ARN only, and lets the role read that one secret", () => {
    expect((fnBody.environment as Body).variables).toEqual({ LOG_LEVEL: "info", API_KEY_ARN: ref("aws_secretsmanager_secret", "security_secret_api-key", "arn").replace("secret_api-key", "secret_api_key") });
    const statements = policyOf(resources(json, "aws_iam_role_policy").fn_role_policy).Statement;
    expect(statements.find((s) => s.Sid === "ReadSecretApiKey")).toMatchObject({ Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"] });
  });

  it("has a role only Lambda of this account assumes, writing only its own log group (not seed 004's logs:* on every group)", () => {
    const trust = policyOf(resources(json, "aws_iam_role").fn_role).Statement[0];
    expect(trust).toMatchObject({ Principal: { Service: "lambda.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } });
    const statements = policyOf(resources(json, "aws_iam_role_policy").fn_role_policy).Statement;
    expect(statements.find((s) => s.Sid === "WriteOwnLogs")).toEqual({ Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/keel-test-backend:*" });
    for (const s of statements) expect(JSON.stringify(s.Action)).not.toMatch(/logs:\*|"\*"/);
  });

  it("sends traces and manages its network interfaces through the AWS policies Lambda documents, nothing wider", () => {
    expect(Object.values(resources(json, "aws_iam_role_policy_attachment")).map((a) => a.policy_arn).sort()).toEqual([
      "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
      "arn:aws:iam::aws:policy/service-role/AWSLambdaENIManagementAccess",
    ]);
  });

  it("lets the secrets key admit Lambda (for the environment) only once a function asks", () => {
    const sids = policyOf(resources(json, "aws_kms_key").security_secrets_key).Statement.map((s) => s.Sid);
    expect(sids).toEqual(expect.arrayContaining(["AccountUseThroughLambda", "LambdaHoldsGrants"]));
  });

  it("sits in the private subnets behind a group with no ingress and HTTPS egress only", () => {
    expect((fnBody.vpc_config as Body).subnet_ids).toEqual([ref("aws_subnet", "vpc_private_us_east_1a", "id"), ref("aws_subnet", "vpc_private_us_east_1b", "id")]);
    expect(Object.values(resources(json, "aws_vpc_security_group_ingress_rule")).filter((r) => String(r.security_group_id).includes("fn_security_group"))).toEqual([]);
    expect(resources(json, "aws_vpc_security_group_egress_rule").fn_egress_https).toMatchObject({ from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0" });
    expect(fn.connections.name).toBe("backend");
  });

  it("allows an invoker for one source ARN in this account only", () => {
    const w = world();
    const f = new LambdaFunction(w.stack, "fn", fnProps(w));
    f.allowInvoke("api", "apigateway.amazonaws.com", "arn:aws:execute-api:us-east-1:111122223333:abc/*/*");
    expect(only(synth(w.stack), "aws_lambda_permission")).toMatchObject({ principal: "apigateway.amazonaws.com", source_arn: "arn:aws:execute-api:us-east-1:111122223333:abc/*/*", source_account: "111122223333" });
  });

  it("zips a repository directory with a content hash, the same on every synth", () => {
    const once = (): Body => {
      const w = world();
      new LambdaFunction(w.stack, "fn", fnProps(w, { code: { path: path.join(__dirname, "fixtures") } }));
      return only(synth(w.stack), "aws_lambda_function");
    };
    const [a, b] = [once(), once()];
    expect(a.filename).toMatch(/^assets\/fn_code\/[0-9A-F]{32}\/archive\.zip$/);
    expect(a.source_code_hash).toBe(b.source_code_hash);
    expect(a.filename).toBe(b.filename);
  });

  it("refuses what Lambda reserves: AWS_REGION (seed 004)", () => {
    const w = world();
    expect(thrown(() => new LambdaFunction(w.stack, "fn", fnProps(w, { environment: { AWS_REGION: "us-east-1" } })))).toContain(
      "field 'environment.AWS_REGION': value \"us-east-1\" is not allowed: a name Lambda does not reserve",
    );
  });

  it("refuses a password in an environment variable: seed 004's DATABASE_URL, and a name that says it is a secret", () => {
    const w = world();
    const message = thrown(() => new LambdaFunction(w.stack, "fn", fnProps(w, { environment: { DATABASE_URL: "postgresql+asyncpg://user:pass@host:5432/db", SECRET_KEY: "x" } })));
    expect(message).toContain("field 'environment.DATABASE_URL': value \"(a URL with a password; value hidden)\" is not allowed: no password in a URL");
    expect(message).toContain("field 'environment.SECRET_KEY': value \"(value hidden)\" is not allowed: no credential");
    expect(message).not.toContain("pass@host");
  });

  it("refuses reserved concurrency the account cannot give: seed 004's 1000 on a default quota", () => {
    const w = world();
    expect(thrown(() => new LambdaFunction(w.stack, "fn", fnProps(w, { reservedConcurrency: 1000 })))).toContain(
      "field 'reservedConcurrency': value 1000 is not allowed: a whole number from 0 to 900: the account's concurrency quota (1000) less the 100 AWS always keeps unreserved",
    );
    expect(() => new LambdaFunction(world().stack, "fn", fnProps(world(), { reservedConcurrency: 1000, accountConcurrencyLimit: 2000 }))).not.toThrow();
  });

  it("refuses a runtime AWS no longer patches", () => {
    const w = world();
    expect(thrown(() => new LambdaFunction(w.stack, "fn", fnProps(w, { runtime: "python3.9" })))).toContain("field 'runtime': value \"python3.9\" is not allowed: a runtime AWS still patches (python3.9 was deprecated on 2025-12-15)");
  });

  it("refuses subnets without egress (seed 004's default VPC: public subnets only), unless config says the function needs none", () => {
    const noNat = world(false);
    expect(thrown(() => new LambdaFunction(noNat.stack, "fn", fnProps(noNat, { vpc: { network: noNat.vpc, subnets: "public" } })))).toContain(
      "field 'vpc.subnets': value \"public\" is not allowed: subnets with a NAT route, or a vpc.noInternetReason",
    );
    const ok = world(false);
    expect(() => new LambdaFunction(ok.stack, "fn", fnProps(ok, { vpc: { network: ok.vpc, noInternetReason: "It only reads the database in the same VPC" } }))).not.toThrow();
  });

  it("carries secrets in variables named *_ARN only", () => {
    const w = world();
    expect(thrown(() => new LambdaFunction(w.stack, "fn", fnProps(w, { secrets: { API_KEY: w.security.secrets.get("api-key")! } })))).toContain("field 'secrets.API_KEY': value \"API_KEY\" is not allowed: a variable name ending in _ARN");
  });

  it("has no security group to allow outside a VPC", () => {
    const w = world();
    const f = new LambdaFunction(w.stack, "fn", fnProps(w));
    expect(thrown(() => f.connections)).toContain("field 'vpc': value \"(none)\" is not allowed: a VPC placement");
  });
});

describe("queues: Queue", () => {
  const queueOf = (extra: Partial<QueueProps> = {}) => {
    const w = world();
    const queue = new Queue(w.stack, "jobs", { name: "jobs", kmsKey: w.security.secretsKey, ...extra });
    return { ...w, queue };
  };
  const consumer = (w: ReturnType<typeof world>, timeoutSeconds: number, reserved?: number): LambdaFunction =>
    new LambdaFunction(w.stack, "worker", fnProps(w, { name: "worker", timeoutSeconds, reservedConcurrency: reserved }));

  it("matches its snapshot", () => {
    const { stack } = queueOf();
    expect(resources(synth(stack), "aws_sqs_queue")).toMatchSnapshot();
  });

  it("encrypts both queues with the customer key, denies plain HTTP, and keeps dead letters 14 days after 3 receives", () => {
    const { stack } = queueOf({ messageRetentionSeconds: 345600 });
    const queues = resources(synth(stack), "aws_sqs_queue");
    expect(Object.keys(queues)).toHaveLength(2);
    for (const q of Object.values(queues)) {
      expect(q.kms_master_key_id).toBe(ref("aws_kms_key", "security_secrets_key", "arn"));
      expect(policyOf(q).Statement).toEqual([expect.objectContaining({ Effect: "Deny", Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } })]);
    }
    expect(JSON.parse(String(queues.jobs.redrive_policy))).toEqual({ deadLetterTargetArn: ref("aws_sqs_queue", "jobs_dead-letter", "arn").replace("dead-letter", "dead_letter"), maxReceiveCount: 3 });
    expect(queues.jobs_dead_letter).toMatchObject({ name: "keel-test-jobs-dlq", message_retention_seconds: 1209600 });
    expect(JSON.parse(String(queues.jobs_dead_letter.redrive_allow_policy))).toEqual({ redrivePermission: "byQueue", sourceQueueArns: ["arn:aws:sqs:us-east-1:111122223333:keel-test-jobs"] });
  });

  it("refuses seed 004's 360 s visibility against a 300 s consumer, and accepts it with a stated reason", () => {
    const { stack, queue, ...w } = queueOf({ visibilityTimeoutSeconds: 360 });
    expect(thrown(() => queue.addConsumer(consumer({ stack, ...w }, 300), { batchSize: 1 }))).toContain(
      "Queue 'jobs': field 'visibilityTimeoutSeconds': value 360 is not allowed: at least 1800 (6 x consumer worker's timeout of 300 s, AWS's guidance for Lambda consumers)",
    );
    const stated = queueOf({ visibilityTimeoutSeconds: 360, visibilityTimeoutReason: "Batches of one finish well inside 300 s; duplicates are idempotent" });
    expect(() => stated.queue.addConsumer(consumer(stated, 300), { batchSize: 1 })).not.toThrow();
  });

  it("maps a consumer with batch size and maximum concurrency, granting it receive and decrypt through SQS only", () => {
    const w = queueOf({ visibilityTimeoutSeconds: 1800 });
    const worker = consumer(w, 300, 100);
    w.queue.addConsumer(worker, { batchSize: 1, maximumConcurrency: 10 });
    const json = synth(w.stack);
    expect(only(json, "aws_lambda_event_source_mapping")).toMatchObject({ batch_size: 1, scaling_config: { maximum_concurrency: 10 }, function_name: ref("aws_lambda_function", "worker", "arn") });
    const statements = policyOf(resources(json, "aws_iam_role_policy").worker_role_policy).Statement;
    expect(statements.find((s) => s.Sid === "ConsumeJobsQueue")).toMatchObject({ Action: expect.arrayContaining(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]) });
    expect(statements.find((s) => s.Sid === "ConsumeJobsQueueKey")).toMatchObject({ Action: "kms:Decrypt", Condition: { StringEquals: { "kms:ViaService": "sqs.us-east-1.amazonaws.com" } } });
  });

  it("refuses a maximum concurrency above the consumer's reserved concurrency", () => {
    const w = queueOf({ visibilityTimeoutSeconds: 1800 });
    expect(thrown(() => w.queue.addConsumer(consumer(w, 300, 5), { maximumConcurrency: 10 }))).toContain("field 'consumers.worker.maximumConcurrency': value 10 is not allowed: at most worker's reserved concurrency (5)");
  });

  it("refuses a dead-letter retention that would delete messages on arrival", () => {
    const w = world();
    expect(thrown(() => new Queue(w.stack, "q", { name: "q", kmsKey: w.security.secretsKey, messageRetentionSeconds: 1209600, deadLetter: { messageRetentionSeconds: 345600 } }))).toContain(
      "field 'deadLetter.messageRetentionSeconds': value 345600 is not allowed: more than messageRetentionSeconds (1209600)",
    );
  });

  it("grants send with encryption through SQS, on its own queue only", () => {
    const w = queueOf();
    const f = new LambdaFunction(w.stack, "fn", fnProps(w));
    w.queue.grantSend(f.role);
    const statements = policyOf(resources(synth(w.stack), "aws_iam_role_policy").fn_role_policy).Statement;
    expect(statements.find((s) => s.Sid === "SendToJobsQueue")).toMatchObject({ Action: ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"], Resource: ref("aws_sqs_queue", "jobs", "arn") });
  });
});

describe("email: EmailIdentity", () => {
  const build = () => {
    const w = world();
    const zone = new HostedZone(w.stack, "dns", { zoneId: "Z09099671VTWA1L2CL021", zoneName: "base2ml.com" });
    const email = new EmailIdentity(w.stack, "email", { domain: "outreachpass.base2ml.com", fromAddress: "noreply@outreachpass.base2ml.com", zone, topicKey: w.security.secretsKey });
    return { ...w, zone, email };
  };

  it("matches its snapshot", () => {
    expect(resources(synth(build().stack), "aws_sesv2_configuration_set")).toMatchSnapshot();
  });

  it("publishes three DKIM records, requires TLS, suppresses bounces and complaints, and tracks reputation", () => {
    const json = synth(build().stack);
    expect(Object.values(resources(json, "aws_route53_record"))).toHaveLength(3);
    expect(only(json, "aws_sesv2_configuration_set")).toMatchObject({ delivery_options: { tls_policy: "REQUIRE" }, reputation_options: { reputation_metrics_enabled: true }, suppression_options: { suppressed_reasons: ["BOUNCE", "COMPLAINT"] } });
  });

  it("sends bounces and complaints to a topic under the customer key, published to by this configuration set only, over TLS", () => {
    const json = synth(build().stack);
    expect(only(json, "aws_sns_topic").kms_master_key_id).toBe(ref("aws_kms_key", "security_secrets_key", "arn"));
    const statements = policyOf(only(json, "aws_sns_topic_policy")).Statement;
    expect(statements[0]).toMatchObject({ Principal: { Service: "ses.amazonaws.com" }, Condition: { ArnLike: { "aws:SourceArn": "arn:aws:ses:us-east-1:111122223333:configuration-set/keel-test-email" } } });
    expect(statements[1]).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    expect(policyOf(resources(json, "aws_kms_key").security_secrets_key).Statement.map((s) => s.Sid)).toContain("SesPublishesFeedback");
  });

  it("grants sending from its identities only (not seed 004's ses:* on *)", () => {
    const w = build();
    const f = new LambdaFunction(w.stack, "fn", fnProps(w));
    w.email.grantSend(f.role);
    const statement = policyOf(resources(synth(w.stack), "aws_iam_role_policy").fn_role_policy).Statement.find((s) => s.Sid === "SendEmailFromDomain")!;
    expect(statement.Resource).toEqual([
      "arn:aws:ses:us-east-1:111122223333:identity/outreachpass.base2ml.com",
      "arn:aws:ses:us-east-1:111122223333:identity/noreply@outreachpass.base2ml.com",
      "arn:aws:ses:us-east-1:111122223333:configuration-set/keel-test-email",
    ]);
  });

  it("refuses a sender outside the domain and a domain outside the zone", () => {
    const w = world();
    const zone = new HostedZone(w.stack, "dns", { zoneId: "Z09099671VTWA1L2CL021", zoneName: "base2ml.com" });
    const message = thrown(() => new EmailIdentity(w.stack, "email", { domain: "example.org", fromAddress: "noreply@base2ml.com", zone, topicKey: w.security.secretsKey }));
    expect(message).toContain("field 'domain': value \"example.org\" is not allowed: a name in the zone base2ml.com");
    expect(message).toContain("field 'fromAddress': value \"noreply@base2ml.com\" is not allowed: an address at example.org");
  });
});

describe("rds: RdsInstance", () => {
  const rdsProps = (w: ReturnType<typeof world>, extra: Partial<RdsInstanceProps> = {}): RdsInstanceProps => ({
    network: w.vpc,
    engineVersion: "16.11",
    storageKmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/db",
    secretKmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/secrets",
    logKmsKeyArn: TEST_KEY,
    protection: PROTECTION_PROFILES.production,
    ...extra,
  });
  const build = (extra: Partial<RdsInstanceProps> = {}) => {
    const w = world();
    const rds = new RdsInstance(w.stack, "rds", rdsProps(w, extra));
    return { ...w, rds, json: synth(w.stack) };
  };

  it("matches its snapshot", () => {
    expect(resources(build().json, "aws_db_instance")).toMatchSnapshot();
  });

  it("encrypts storage and Performance Insights with the customer key, keeps the password in an RDS-managed secret, and is never public", () => {
    expect(only(build().json, "aws_db_instance")).toMatchObject({
      storage_encrypted: true,
      kms_key_id: "arn:aws:kms:us-east-1:111122223333:key/db",
      performance_insights_kms_key_id: "arn:aws:kms:us-east-1:111122223333:key/db",
      manage_master_user_password: true,
      master_user_secret_kms_key_id: "arn:aws:kms:us-east-1:111122223333:key/secrets",
      publicly_accessible: false,
      iam_database_authentication_enabled: true,
      copy_tags_to_snapshot: true,
    });
    expect(build().json).not.toHaveProperty("resource.aws_db_instance.rds.password");
  });

  it("requires TLS through its own parameter group, made before the old one goes", () => {
    const group = only(build().json, "aws_db_parameter_group");
    expect(group).toMatchObject({ family: "postgres16", lifecycle: { create_before_destroy: true } });
    expect(group.parameter).toContainEqual({ name: "rds.force_ssl", value: "1" });
  });

  it("takes deletion protection, the final snapshot and prevent_destroy from the profile", () => {
    expect(only(build().json, "aws_db_instance")).toMatchObject({ deletion_protection: true, skip_final_snapshot: false, final_snapshot_identifier: "keel-test-rds-final", lifecycle: { prevent_destroy: true } });
    const w = world();
    new RdsInstance(w.stack, "rds", rdsProps(w, { protection: PROTECTION_PROFILES.disposable }));
    expect(only(synth(w.stack), "aws_db_instance")).toMatchObject({ deletion_protection: false, skip_final_snapshot: true });
  });

  it("shares Aurora's closed security group: no rule until allowFrom", () => {
    const { json } = build();
    expect(resources(json, "aws_vpc_security_group_ingress_rule")).toEqual({});
    expect(Object.keys(resources(json, "aws_vpc_security_group_egress_rule"))).toEqual([]);
  });

  it("refuses a backup window inside the maintenance window, as Aurora does (the one shared check)", () => {
    const w = world();
    expect(thrown(() => new RdsInstance(w.stack, "rds", rdsProps(w, { preferredBackupWindow: "04:00-05:00", preferredMaintenanceWindow: "sun:04:30-sun:05:30" })))).toContain(
      "field 'preferredBackupWindow': value \"04:00-05:00\" is not allowed: a window that does not overlap preferredMaintenanceWindow (sun:04:30-sun:05:30) on any day",
    );
  });

  it("refuses a version outside the catalogue, a class RDS does not have, and autoscaling under 10% above the allocation", () => {
    const w = world();
    const message = thrown(() => new RdsInstance(w.stack, "rds", rdsProps(w, { engineVersion: "16.x", instanceClass: "t4g.small", allocatedStorage: 100, maxAllocatedStorage: 105 })));
    expect(message).toContain("field 'engineVersion': value \"16.x\" is not allowed: an RDS for PostgreSQL 16 release");
    expect(message).toContain("field 'instanceClass': value \"t4g.small\" is not allowed: an RDS instance class");
    expect(message).toContain("field 'maxAllocatedStorage': value 105 is not allowed: 0 (no autoscaling) or a whole number of GB from 110");
  });
});

describe("apprunner: AppRunnerService", () => {
  const serviceProps = (stack: TerraformStack, extra: Partial<AppRunnerServiceProps> = {}): AppRunnerServiceProps => ({
    name: "api",
    repository: new Repository(stack, "repo", { name: "api", kmsKeyArn: TEST_KEY, protection: PROTECTION_PROFILES.production }),
    imageTag: "1.0.0",
    ...extra,
  });

  it("matches its snapshot", () => {
    const w = world();
    new AppRunnerService(w.stack, "svc", serviceProps(w.stack, { vpc: { network: w.vpc } }));
    expect(resources(synth(w.stack), "aws_apprunner_service")).toMatchSnapshot();
  });

  it("pulls through an access role only App Runner's build service assumes, and runs as an instance role for tasks", () => {
    const w = world();
    new AppRunnerService(w.stack, "svc", serviceProps(w.stack, { secrets: { API_KEY: w.security.secrets.get("api-key")! } }));
    const json = synth(w.stack);
    expect(policyOf(resources(json, "aws_iam_role").svc_access_role).Statement[0]).toMatchObject({ Principal: { Service: "build.apprunner.amazonaws.com" } });
    expect(policyOf(resources(json, "aws_iam_role").svc_instance_role).Statement[0]).toMatchObject({ Principal: { Service: "tasks.apprunner.amazonaws.com" } });
    const service = only(json, "aws_apprunner_service");
    expect(service.source_configuration).toMatchObject({ auto_deployments_enabled: false, image_repository: { image_repository_type: "ECR", image_configuration: { runtime_environment_secrets: { API_KEY: expect.stringContaining("aws_secretsmanager_secret") } } } });
    expect(service.network_configuration).toMatchObject({ egress_configuration: { egress_type: "DEFAULT" } });
  });

  it("refuses seed 000's connector in subnets without NAT: its calls to Anthropic and ElevenLabs would time out", () => {
    const w = world(false);
    expect(thrown(() => new AppRunnerService(w.stack, "svc", serviceProps(w.stack, { vpc: { network: w.vpc, subnets: "public" } })))).toContain(
      "field 'vpc.subnets': value \"public\" is not allowed: subnets with a NAT route, or a vpc.noInternetReason: with a VPC connector all of the service's egress leaves through these subnets",
    );
    const quiet = world(false);
    expect(() => new AppRunnerService(quiet.stack, "svc", serviceProps(quiet.stack, { vpc: { network: quiet.vpc, noInternetReason: "It serves only from the database; it calls nothing outside" } }))).not.toThrow();
  });

  it("refuses latest, a size App Runner does not offer, and a credential in the environment", () => {
    const w = world();
    const message = thrown(() => new AppRunnerService(w.stack, "svc", serviceProps(w.stack, { imageTag: "latest", size: { cpu: "1024", memory: "1024" }, environment: { DATABASE_URL: "postgres://u:p@h/db" } })));
    expect(message).toContain("field 'imageTag': value \"latest\" is not allowed");
    expect(message).toContain("field 'size': value \"1024 CPU / 1024 MB\" is not allowed");
    expect(message).toContain("field 'environment.DATABASE_URL': value \"(a URL with a password; value hidden)\"");
  });
});

describe("budgets: Budget", () => {
  it("alerts by email at 80% and 100% of the month's actual cost, and when the forecast passes the limit (seed 000: $50)", () => {
    const stack = moduleStack();
    new Budget(stack, "budget", { monthlyLimitUsd: 50, emails: ["billing@example.com"] });
    const budget = only(synth(stack), "aws_budgets_budget");
    expect(budget).toMatchObject({ budget_type: "COST", limit_amount: "50.00", limit_unit: "USD", time_unit: "MONTHLY" });
    expect((budget.notification as Body[]).map((n) => [n.notification_type, n.threshold, n.subscriber_email_addresses])).toEqual([
      ["ACTUAL", 80, ["billing@example.com"]],
      ["ACTUAL", 100, ["billing@example.com"]],
      ["FORECASTED", 100, ["billing@example.com"]],
    ]);
  });

  it("refuses a limit of nothing and an address that is not one", () => {
    const message = thrown(() => new Budget(moduleStack(), "budget", { monthlyLimitUsd: 0, emails: ["billing"] }));
    expect(message).toContain("field 'monthlyLimitUsd': value 0 is not allowed: a positive number of US dollars");
    expect(message).toContain("field 'emails.0': value \"billing\" is not allowed: an email address");
  });
});

describe("workload sections in config", () => {
  const source = "environment 'outreachpass' (environments/outreachpass.ts)";
  const broken = (change: (c: Mutable<EnvironmentConfig>) => void): string => {
    const copy = structuredClone(outreachpass) as Mutable<EnvironmentConfig>;
    change(copy);
    return configError(copy, "outreachpass", examplesProject).message;
  };
  type Fn = Mutable<NonNullable<EnvironmentConfig["functions"]>[string]>;
  const fn = (c: Mutable<EnvironmentConfig>, name: string): Fn => (c.functions as Record<string, Fn>)[name];

  it("refuses reservations that together leave the account less than 100 unreserved", () => {
    expect(broken((c) => (fn(c, "backend").reservedConcurrency = 850))).toContain(
      `${source}: field 'functions.worker.reservedConcurrency': value 100 is not allowed: at most 50: this environment's functions reserve 950 together`,
    );
  });

  it("refuses the seed's queue visibility of 360 s at the queue's own field", () => {
    expect(broken((c) => ((c.queues as Record<string, { visibilityTimeoutSeconds: number }>)["pass-generation"].visibilityTimeoutSeconds = 360))).toContain(
      "field 'queues.pass-generation.visibilityTimeoutSeconds': value 360 is not allowed: at least 1800",
    );
  });

  it("refuses a function the API names but the section lacks, and a queue a function names but the section lacks", () => {
    expect(broken((c) => ((c.api as { http: { backendFunction: string } }).http.backendFunction = "backnd"))).toContain("field 'api.http.backendFunction': value \"backnd\" is not allowed: a function of the functions section: backend, worker");
    expect(broken((c) => (fn(c, "worker").queueEvents = { queue: "jobs" }))).toContain("field 'functions.worker.queueEvents.queue': value \"jobs\" is not allowed: a queue of the queues section: pass-generation");
  });

  it("reads a code directory relative to the project root, whatever the working directory, and names a missing one", () => {
    expect(broken((c) => (fn(c, "worker").code = { path: "functions/worker" }))).toContain(
      "field 'functions.worker.code.path': value \"functions/worker\" is not allowed: a directory relative to the project root (the folder with cdktf.json), zipped at synth: functions/worker is not one",
    );
    const copy = structuredClone(outreachpass) as Mutable<EnvironmentConfig>;
    fn(copy, "worker").code = { path: "__tests__/fixtures" };
    const cwd = process.cwd();
    process.chdir(os.tmpdir());
    try {
      expect(() => new EnvironmentStack(Testing.app(), validateEnvironment(copy, "outreachpass", examplesProject, "examples"), examplesProject, "examples")).not.toThrow();
    } finally {
      process.chdir(cwd);
    }
  });

  it("refuses a database connection outside the VPC, and a variable Keel sets from the grants", () => {
    expect(broken((c) => delete fn(c, "worker").vpc)).toContain("field 'functions.worker.connectsToDatabase': value \"aurora\" is not allowed: only with vpc");
    expect(broken((c) => (fn(c, "backend").environment = { BUCKET_ASSETS: "x" }))).toContain("field 'functions.backend.environment.BUCKET_ASSETS'");
  });

  it("refuses an output reference that names nothing, listing every output there is (seed 004's wiring)", () => {
    const message = broken((c) => (fn(c, "backend").environment = { COGNITO_USER_POOL_ID: { ref: "auth.poolId" as "auth.userPoolId" } }));
    expect(message).toContain(`${source}: field 'functions.backend.environment.COGNITO_USER_POOL_ID.ref': value "auth.poolId" is not allowed: one of `);
    for (const name of ["auth.userPoolId", "auth.clients.web-client.id", "buckets.assets.name", "queues.pass-generation.url", "cdn.frontend.domainName", "email.fromAddress", "aurora.endpoint"]) {
      expect(message).toContain(name);
    }
    // Built after the functions, or not at all: named as such.
    expect(message).not.toContain("api.http.url");
    expect(broken((c) => (fn(c, "backend").environment = { API_URL: { ref: "api.http.url" } }))).toContain(
      "field 'functions.backend.environment.API_URL.ref': value \"api.http.url\" is not allowed: not this one (the API is built after the functions it routes to: a function naming it would make a cycle); one of ",
    );
    expect(broken((c) => (fn(c, "backend").environment = { DB: { ref: "rds.endpoint" } }))).toContain("not this one (there is no rds section)");
    expect(broken((c) => (fn(c, "backend").environment = { WORKER: { ref: "functions.worker.name" } }))).toContain("not this one (a functions entry may name only entries before it in name order)");
    expect(broken((c) => (fn(c, "backend").environment = { X: { reff: "auth.userPoolId" } as unknown as string }))).toContain(
      "field 'functions.backend.environment.X'",
    );
  });

  it("refuses an unknown key in the new sections", () => {
    expect(broken((c) => ((fn(c, "backend") as unknown as Record<string, unknown>).timeout = 30))).toContain("functions.backend");
  });
});
