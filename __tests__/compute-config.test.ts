import { Testing } from "cdktf";
import { EnvironmentConfig, validateEnvironment } from "../environments";
import { EnvironmentStack } from "../stacks";
import { Mutable, configError, devConfig, projectConfig } from "./support/config";
import { resources } from "./support/module-stack";
import { synthJson } from "./support/stacks";

// The compute sections as a user writes them: each mistake stops synth with
// one message naming the environment file, the field, the value and what is allowed.
const source = "environment 'dev' (environments/dev.ts)";
const message = (change: (c: Mutable<EnvironmentConfig>) => void): string => configError(devConfig(change)).message;
type Service = Mutable<NonNullable<EnvironmentConfig["ecs"]>["services"][string]>;
const nginx = (c: Mutable<EnvironmentConfig>): Service => (c.ecs!.services as Record<string, Service>).nginx;

describe("compute sections: wiring mistakes", () => {
  it("names a service whose repository is not in ecr", () => {
    expect(message((c) => (nginx(c).repository = "ngnix"))).toBe(`${source}: field 'ecs.services.nginx.repository': value "ngnix" is not allowed: a repository in ecr.repositories: nginx`);
  });

  it("names a secret that security does not create", () => {
    expect(message((c) => (nginx(c).secrets = { API_KEY: "api-key" }))).toBe(
      `${source}: field 'ecs.services.nginx.secrets.API_KEY': value "api-key" is not allowed: a secret of security.secrets, or aurora / rds for the database's master secret: api-keys, session-signing-key`,
    );
  });

  it("names a route to a service that does not exist", () => {
    expect(message((c) => ((c.alb!.routes as unknown as Array<{ service: string }>)[0].service = "web"))).toBe(
      `${source}: field 'alb.routes.0.service': value "web" is not allowed: a service of the ecs section: nginx`,
    );
  });

  describe("the alb section, named as written (routes, not the module's targets)", () => {
    type Route = { service: string; healthCheckPath: string; pathPatterns?: string[] };
    const twoServices = (c: Mutable<EnvironmentConfig>, routes: Route[]) => {
      (c.ecs!.services as Record<string, Service>).api = { ...nginx(c), repository: "nginx" };
      (c.alb as unknown as { routes: Route[] }).routes = routes;
    };

    it("names a bad health check path at alb.routes.N.healthCheckPath", () => {
      expect(message((c) => twoServices(c, [{ service: "api", healthCheckPath: "/health", pathPatterns: ["/api/*"] }, { service: "nginx", healthCheckPath: "health" }]))).toBe(
        `${source}: field 'alb.routes.1.healthCheckPath': value "health" is not allowed: a path starting with /`,
      );
    });

    it("refuses one path pattern on two routes (the second rule could never match), and accepts the same pattern once", () => {
      expect(message((c) => twoServices(c, [{ service: "api", healthCheckPath: "/", pathPatterns: ["/api/*", "/v1/*"] }, { service: "nginx", healthCheckPath: "/", pathPatterns: ["/v1/*"] }]))).toContain(
        `field 'alb.routes.1.pathPatterns.0': value "/v1/*" is not allowed: a pattern no other target routes: api already has it`,
      );
    });

    it("refuses a certificate of another region or account, and accepts one of the environment's own", () => {
      const cert = (arn: string) => (c: Mutable<EnvironmentConfig>) => ((c.alb as { certificateArn?: string }).certificateArn = arn);
      const own = `arn:aws:acm:${devConfig().region}:${devConfig().accountId}:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;
      expect(() => new EnvironmentStack(Testing.app(), validateEnvironment(devConfig(cert(own)), "dev", projectConfig()), projectConfig())).not.toThrow();
      expect(message(cert(own.replace(devConfig().region, "eu-west-1")))).toContain(`field 'alb.certificateArn': value "${own.replace(devConfig().region, "eu-west-1")}" is not allowed: a certificate in ${devConfig().region} of account ${devConfig().accountId}: an ALB listener cannot use one from another region or account`);
      expect(message(cert(own.replace(devConfig().accountId, "999988887777")))).toContain("field 'alb.certificateArn'");
    });
  });

  it("refuses a waf without an alb", () => {
    expect(message((c) => delete c.alb)).toBe(`${source}: field 'waf': value "(section given)" is not allowed: only with an alb section: the web ACL protects the load balancer`);
  });

  it("refuses connectsToDatabase without aurora", () => {
    expect(message((c) => {
      delete c.aurora;
      nginx(c).connectsToDatabase = true;
    })).toBe(`${source}: field 'ecs.services.nginx.connectsToDatabase': value true is not allowed: only with an aurora section`);
  });

  it("refuses a database user without connectsToDatabase", () => {
    expect(message((c) => (nginx(c).taskGrants = { databaseUser: "app" }))).toBe(
      `${source}: field 'ecs.services.nginx.taskGrants.databaseUser': value "app" is not allowed: only when it connects to Aurora (connectsToDatabase): IAM database authentication is Aurora's`,
    );
  });

  it("refuses a bucket grant to a bucket the section does not have", () => {
    expect(message((c) => (nginx(c).taskGrants = { buckets: { uploads: "read" } }))).toBe(
      `${source}: field 'ecs.services.nginx.taskGrants.buckets.uploads': value "uploads" is not allowed: a bucket of the buckets section: (none)`,
    );
  });

  it("refuses an access-logs bucket that is not in the section", () => {
    expect(message((c) => (c.buckets = { files: { accessLogsBucket: "logs" } }))).toBe(
      `${source}: field 'buckets.files.accessLogsBucket': value "logs" is not allowed: another bucket of this section: files`,
    );
  });

  it("reports a module's error under the service it belongs to", () => {
    expect(message((c) => (nginx(c).memory = 3000))).toBe(
      `${source}: field 'ecs.services.nginx.memory': value 3000 is not allowed: a memory size Fargate pairs with 256 CPU units: 512, 1024, 2048 MiB`,
    );
  });

  it("reports a bucket's lifecycle error under the bucket", () => {
    expect(message((c) => (c.buckets = { files: { lifecycleRules: [{ id: "ia", transitions: [{ days: 7, storageClass: "STANDARD_IA" }] }] } }))).toBe(
      `${source}: field 'buckets.files.lifecycleRules.0.transitions.0.days': value 7 is not allowed: at least 30 for STANDARD_IA (S3's minimum)`,
    );
  });

  it("rejects an unknown key in a service (shape, before any module runs)", () => {
    expect(message((c) => ((nginx(c) as Record<string, unknown>).desiredcount = 2))).toBe(
      `${source}: field 'ecs.services.nginx.desiredcount': value 2 is not allowed: unknown keys are rejected (is it misspelt?)`,
    );
  });
});

describe("compute sections: what they build", () => {
  it("gives an ECS service the connection variables functions get, and the outputs its environment names", () => {
    const config = devConfig((c) => {
      c.buckets = { uploads: {} };
      c.queues = { jobs: {} };
      nginx(c).connectsToDatabase = true;
      nginx(c).taskGrants = { buckets: { uploads: "read" }, sendToQueues: ["jobs"] };
      nginx(c).environment = { LOG_LEVEL: "info", JOBS_QUEUE_ARN: { ref: "queues.jobs.arn" }, UPLOADS: { ref: "buckets.uploads.name" } };
    });
    const stack = new EnvironmentStack(Testing.app(), validateEnvironment(config, "dev", projectConfig()), projectConfig());
    const task = resources(synthJson(stack), "aws_ecs_task_definition").ecs_nginx_task_definition;
    const container = JSON.parse(task.container_definitions as string)[0];
    const env = Object.fromEntries((container.environment as Array<{ name: string; value: string }>).map((e) => [e.name, e.value]));
    expect(env).toEqual({
      BUCKET_UPLOADS: expect.stringMatching(/-dev-uploads-/),
      QUEUE_URL_JOBS: "${aws_sqs_queue.queues_jobs.url}",
      DATABASE_HOST: "${aws_rds_cluster.aurora.endpoint}",
      DATABASE_PORT: "5432",
      LOG_LEVEL: "info",
      JOBS_QUEUE_ARN: "${aws_sqs_queue.queues_jobs.arn}",
      UPLOADS: expect.stringMatching(/-dev-uploads-/),
    });
  });

  it("refuses an ECS variable that redefines one Keel derives, and a reference to nothing", () => {
    expect(
      message((c) => {
        c.queues = { jobs: {} };
        nginx(c).taskGrants = { sendToQueues: ["jobs"] };
        nginx(c).environment = { QUEUE_URL_JOBS: "x" };
      }),
    ).toContain("field 'ecs.services.nginx.environment.QUEUE_URL_JOBS'");
    expect(message((c) => (nginx(c).environment = { POOL: { ref: "auth.userPoolId" } }))).toContain(
      "field 'ecs.services.nginx.environment.POOL.ref': value \"auth.userPoolId\" is not allowed: not this one (there is no auth section); one of ",
    );
  });

  it("grants the task role exactly the secrets and buckets listed, through the modules' grant methods", () => {
    const config = devConfig((c) => {
      c.buckets = { uploads: {} };
      nginx(c).taskGrants = { readSecrets: ["api-keys"], buckets: { uploads: "read" } };
    });
    const stack = new EnvironmentStack(Testing.app(), validateEnvironment(config, "dev", projectConfig()), projectConfig());
    const policy = resources(synthJson(stack), "aws_iam_role_policy").ecs_nginx_task_role_policy;
    expect(JSON.parse(policy.policy as string).Statement.map((st: { Sid: string }) => st.Sid)).toEqual([
      "ReadSecretApiKeys",
      "DecryptSecretApiKeys",
      "ReadUploadsObjects",
      "ListUploads",
      "UseUploadsKey",
    ]);
  });
});
