import { spawnSync } from "node:child_process";
import { gapCovers, secondPlanChanges, unexplained, withoutMissingApis, ShownPlan, StackJson } from "../tools/sandbox/changes";
import { endpointNames, sandboxOverride } from "../tools/sandbox/override";
import { sandboxProblems } from "../tools/sandbox/report";
import type { SandboxReport, StackReport } from "../tools/sandbox/run";
import { changedResources } from "../tools/sandbox/run";
import { artifactStores, stackArtifacts } from "../tools/artifacts";
import { serverErrors } from "../tools/sandbox/emulator";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// The emulator tier's pure parts, on fixtures: what it leaves out, how it reads a second plan,
// what it calls a problem, and the override it writes. The tier itself is sandbox.emulator.test.ts.

describe("the provider override", () => {
  const override = sandboxOverride({ provider: { aws: [{}, { alias: "us_east_1" }] } }, "http://127.0.0.1:4566", "/tmp/state") as {
    terraform: { backend: Record<string, { path: string }> };
    provider: { aws: Array<Record<string, unknown> & { endpoints: Array<Record<string, string>> }> };
  };

  it("points every AWS provider block, aliases included, at the emulator, with a local backend", () => {
    expect(override.terraform.backend).toEqual({ local: { path: "/tmp/state" } });
    expect(override.provider.aws).toHaveLength(2);
    expect(override.provider.aws[1].alias).toBe("us_east_1");
    for (const p of override.provider.aws) {
      expect(p).toMatchObject({ access_key: "keel-sandbox", secret_key: "keel-sandbox", s3_use_path_style: true, http_proxy: "http://127.0.0.1:4566", https_proxy: "" });
      const endpoints = Object.values(p.endpoints[0]);
      expect(endpoints.length).toBeGreaterThan(200);
      expect(new Set(endpoints)).toEqual(new Set(["http://127.0.0.1:4566"]));
    }
  });

  it("names every service the stacks use, and no deprecated alias beside its service (the provider warns)", () => {
    const names = endpointNames();
    for (const service of ["ec2", "s3", "s3control", "sts", "iam", "kms", "rds", "ecs", "elbv2", "wafv2", "cloudfront", "lambda", "sqs", "sesv2", "apigatewayv2", "route53", "budgets", "guardduty", "configservice", "cloudtrail", "logs", "events"]) {
      expect(names).toContain(service);
    }
    for (const alias of ["config", "cloudwatchlogs", "eventbridge", "cloudwatchevents", "elasticloadbalancingv2", "cognitoidentityprovider", "cloudwatchrum"]) {
      expect(names).not.toContain(alias);
    }
  });

  it("leaves the stack's own provider settings (region, allowed_account_ids) to the stack", () => {
    for (const p of override.provider.aws) {
      expect(p).not.toHaveProperty("region");
      expect(p).not.toHaveProperty("allowed_account_ids");
    }
  });
});

describe("what the emulator cannot create is left out, with what refers to it, and nothing else", () => {
  const stack: StackJson = {
    resource: {
      aws_apprunner_service: { api: { service_name: "api", source_configuration: { image_repository: { image_identifier: "${aws_ecr_repository.api.repository_url}:1" } } } },
      aws_ecr_repository: { api: { name: "api" } },
      aws_cloudwatch_metric_alarm: { api_5xx: { dimensions: { ServiceName: "${aws_apprunner_service.api.service_name}" } }, other: { metric_name: "x" } },
      aws_sns_topic: { alarms: { name: "alarms", depends_on: ["aws_cloudwatch_metric_alarm.api_5xx"] } },
    },
    output: { url: { value: "${aws_apprunner_service.api.service_url}" }, repo: { value: "${aws_ecr_repository.api.repository_url}" } },
  };
  const { stack: kept, skipped } = withoutMissingApis(stack);

  it("removes the resource, its dependents transitively (references and depends_on) and outputs that name them", () => {
    expect(skipped.map((s) => s.address)).toEqual(["aws_apprunner_service.api", "aws_cloudwatch_metric_alarm.api_5xx", "aws_sns_topic.alarms", "output.url"]);
    expect(skipped[0].because).toMatch(/^the emulator lacks the API: moto has no App Runner backend/);
    expect(skipped[1].because).toBe("refers to aws_apprunner_service.api");
    expect(skipped[2].because).toBe("refers to aws_cloudwatch_metric_alarm.api_5xx");
  });

  it("drops a block the emulator can do without, keeping its resource: a distribution's function association", () => {
    const withFunction: StackJson = {
      resource: {
        aws_cloudfront_function: { index: { name: "index", runtime: "cloudfront-js-2.0", code: "function handler(e) { return e.request; }" } },
        aws_cloudfront_distribution: {
          site: { default_cache_behavior: { target_origin_id: "o", function_association: [{ event_type: "viewer-request", function_arn: "${aws_cloudfront_function.index.arn}" }] } },
        },
        aws_route53_record: { alias: { alias: [{ name: "${aws_cloudfront_distribution.site.domain_name}" }] } },
      },
    };
    const { stack: applied, skipped: left } = withoutMissingApis(withFunction);
    expect(left.map((s) => s.address)).toEqual(["aws_cloudfront_distribution.site (default_cache_behavior.function_association)", "aws_cloudfront_function.index"]);
    expect(Object.keys(applied.resource!).sort()).toEqual(["aws_cloudfront_distribution", "aws_route53_record"]);
    expect((applied.resource!.aws_cloudfront_distribution.site as { default_cache_behavior: Record<string, unknown> }).default_cache_behavior).toEqual({ target_origin_id: "o" });
  });

  it("keeps everything else as synthesized, and never edits the input", () => {
    expect(Object.keys(kept.resource!).sort()).toEqual(["aws_cloudwatch_metric_alarm", "aws_ecr_repository"]);
    expect(Object.keys(kept.resource!.aws_cloudwatch_metric_alarm)).toEqual(["other"]);
    expect(Object.keys(kept.output!)).toEqual(["repo"]);
    expect(Object.keys(stack.resource!)).toHaveLength(4);
  });
});

describe("reading the second plan", () => {
  const change = (address: string, actions: string[], before: unknown, after: unknown, after_unknown: unknown = {}) => ({
    address,
    type: address.split(".")[0],
    change: { actions, before, after, after_unknown },
  });
  const stack: StackJson = { resource: { aws_iam_policy: { p: { policy: "${aws_instance.bastion.arn}" } } } };

  it("explains a path by the gaps file, and only that type and path", () => {
    const plan: ShownPlan = {
      resource_changes: [
        change("aws_ecs_service.api", ["update"], { health_check_grace_period_seconds: 0, desired_count: 1 }, { health_check_grace_period_seconds: 60, desired_count: 2 }),
      ],
    };
    const [c] = secondPlanChanges(plan, stack);
    expect(c.paths.map((p) => [p.path, p.explained === undefined ? "open" : "gap"])).toEqual([
      ["desired_count", "open"],
      ["health_check_grace_period_seconds", "gap"],
    ]);
    expect(unexplained([c])).toHaveLength(1);
  });

  it("compares embedded JSON documents by value, and still reports the same document written differently", () => {
    const plan: ShownPlan = {
      resource_changes: [
        change("aws_sqs_queue.q", ["update"], { redrive_policy: '{"a": 1}', policy: '{"x":{"y":1}}' }, { redrive_policy: '{"a":1}', policy: '{"x":{"y":2}}' }),
      ],
    };
    const [c] = secondPlanChanges(plan, stack);
    expect(c.paths.map((p) => p.path)).toEqual(["policy.x.y", "redrive_policy"]);
  });

  it("attributes a value that becomes unknown to the change it follows from, never to itself", () => {
    const plan: ShownPlan = {
      resource_changes: [
        change("aws_instance.bastion", ["delete", "create"], { ami: "a", arn: "x" }, { ami: "b" }, { arn: true }),
        change("aws_iam_policy.p", ["update"], { policy: "{}" }, { policy: null }, { policy: true }),
        change("aws_s3_bucket.b", ["update"], { arn: "x" }, {}, { arn: true }),
      ],
    };
    const [instance, policy, bucket] = secondPlanChanges(plan, stack);
    expect(instance.paths.find((p) => p.path === "arn")!.explained).toBe("follows from its own change of ami");
    expect(instance.paths.find((p) => p.path === "ami")!.explained).toBeUndefined();
    expect(policy.paths[0].explained).toBe("follows from aws_instance.bastion");
    expect(bucket.paths[0].explained).toBeUndefined();
  });

  it("leaves data reads and no-ops out", () => {
    const plan: ShownPlan = { resource_changes: [{ ...change("aws_caller.x", ["read"], {}, {}), mode: "data" }, change("aws_vpc.v", ["no-op"], {}, {})] };
    expect(secondPlanChanges(plan, stack)).toEqual([]);
  });

  it("matches a gap's path at its own depth or below, with * for a list index", () => {
    const gap = { type: "aws_cloudfront_distribution", path: "origin.*.origin_access_control_id", reason: "r", moto: "m" };
    expect(gapCovers(gap, "origin.0.origin_access_control_id")).toBe(true);
    expect(gapCovers(gap, "origin.12.origin_access_control_id")).toBe(true);
    expect(gapCovers(gap, "origin.x.origin_access_control_id")).toBe(false);
    expect(gapCovers(gap, "origin.0")).toBe(false);
    expect(gapCovers(gap, "origin.0.domain_name")).toBe(false);
  });
});

describe("what the emulator tier calls a problem", () => {
  const apply = { ok: true, planned: 3, applied: 3, errors: [], seconds: 1 };
  const stackReport = (over: Partial<StackReport>): StackReport => ({ stack: "dev", account: "111122223333", kind: "environment", skipped: [], apply, secondPlan: { changes: [], unexplained: 0, seconds: 1 }, ...over });
  const report = (stacks: StackReport[]): SandboxReport => ({ project: "environments", emulators: [], stacks, seconds: 1 });
  const destroyed = { result: "complete" as const, refused: [], protected: [], before: 3, remaining: [], errors: [], seconds: 1 };

  it("finds none in a clean run", () => {
    expect(sandboxProblems(report([stackReport({ destroy: destroyed })]))).toEqual([]);
  });

  it("finds an apply error, an unexplained change, a stack that protects nothing but did not go, and a protected one that went", () => {
    const problems = sandboxProblems(
      report([
        stackReport({ apply: { ...apply, ok: false, errors: ["aws_lambda_function.x: NoSuchKey"] }, secondPlan: undefined }),
        stackReport({
          stack: "staging",
          secondPlan: { changes: [{ address: "aws_vpc.v", type: "aws_vpc", actions: ["update"], paths: [{ path: "cidr_block", before: "a", after: "b" }] }], unexplained: 1, seconds: 1 },
          destroy: { ...destroyed, result: "failed", remaining: ["aws_ecr_repository.r"] },
        }),
        stackReport({ stack: "production", destroy: { ...destroyed, protected: ["aws_kms_key.k"] } }),
      ]),
    );
    expect(problems).toEqual([
      "environments/dev: apply error: aws_lambda_function.x: NoSuchKey",
      'environments/staging: second plan: aws_vpc.v (update) cidr_block: "a" -> "b"',
      "environments/staging: destroy failed, 1 left: aws_ecr_repository.r",
      "environments/production: protects 1 resources with prevent_destroy, yet the destroy was complete",
    ]);
  });

  it("counts every 5xx the emulator answered, even one the SDK retried past", () => {
    const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "keel-moto-log-")), "moto-111122223333.log");
    fs.writeFileSync(
      log,
      [
        "1796415972.821 ec2 DescribeRouteTables 200 57ms",
        "1796415972.869 iam DetachRolePolicy 500 RuntimeError 12ms",
        "Traceback (most recent call last):",
        "1796415972.870 wafv2 CreateWebACL 400 3ms",
        "1796415972.871 apigateway POST /v2/domainnames 501 4ms",
        "",
      ].join("\n"),
    );
    const errors = serverErrors(log);
    expect(errors).toEqual(["iam DetachRolePolicy 500 RuntimeError 12ms", "apigateway POST /v2/domainnames 501 4ms"]);
    expect(serverErrors(path.join(path.dirname(log), "absent.log"))).toEqual([]);
    const problems = sandboxProblems({ ...report([stackReport({ destroy: destroyed })]), emulators: [{ account: "111122223333", endpoint: "http://127.0.0.1:1", pid: 1, serverErrors: errors }] });
    expect(problems).toEqual([
      "environments: the emulator for 111122223333 answered iam DetachRolePolicy 500 RuntimeError 12ms",
      "environments: the emulator for 111122223333 answered apigateway POST /v2/domainnames 501 4ms",
    ]);
  });

  it("wants a refused environment to go once switched to the decommission profile, and a refusal only on what the stack protects", () => {
    const refused = { ...destroyed, result: "refused" as const, refused: ["aws_kms_key.k", "aws_s3_bucket.b"], protected: ["aws_kms_key.k"], remaining: ["aws_kms_key.k", "x", "y"] };
    const problems = sandboxProblems(report([stackReport({ stack: "production", destroy: { ...refused, decommissioned: { apply, retained: [], destroy: { ...destroyed, result: "failed", remaining: ["aws_kms_key.k"] } } } })]));
    expect(problems).toEqual([
      "environments/production: prevent_destroy refused aws_s3_bucket.b, which the stack does not protect",
      "environments/production: decommissioned, the destroy was failed: aws_kms_key.k",
    ]);
  });
});

describe("artifacts a stack's first apply cannot contain", () => {
  const stack = {
    resource: {
      aws_lambda_function: {
        backend: { s3_bucket: "${aws_s3_bucket.artifacts.bucket}", s3_key: "lambda/app.zip" },
        external: { s3_bucket: "someone-elses-bucket", s3_key: "x.zip" },
        local: { filename: "assets/code.zip" },
      },
      aws_apprunner_service: { api: { source_configuration: { image_repository: { image_identifier: "${aws_ecr_repository.ecr_api.repository_url}:phase-5" } } } },
      aws_ecs_task_definition: { web: { container_definitions: '[{"image":"${aws_ecr_repository.ecr_web.repository_url}:2026.11.0"}]' } },
    },
  };

  it("finds each workload whose package or image lives in a store the same stack creates, and only those", () => {
    expect(stackArtifacts(stack).map((a) => `${a.workload} ${a.kind} ${a.store} ${a.name}`)).toEqual([
      "aws_apprunner_service.api image aws_ecr_repository.ecr_api phase-5",
      "aws_ecs_task_definition.web image aws_ecr_repository.ecr_web 2026.11.0",
      "aws_lambda_function.backend object aws_s3_bucket.artifacts lambda/app.zip",
    ]);
    expect(artifactStores(stackArtifacts(stack))).toEqual(["aws_ecr_repository.ecr_api", "aws_ecr_repository.ecr_web", "aws_s3_bucket.artifacts"]);
  });

  it("finds nothing in a stack whose workloads Terraform packages itself", () => {
    expect(stackArtifacts({ resource: { aws_lambda_function: { local: { filename: "assets/code.zip" } } } })).toEqual([]);
  });
});

describe("the moto launcher's patches", () => {
  it("each names the moto 5.2.1 file and function it replaces, and what AWS documents instead", () => {
    const { findMotoPython, LAUNCHER } = jest.requireActual<typeof import("../tools/sandbox/emulator")>("../tools/sandbox/emulator");
    const listed = spawnSync(findMotoPython(), [LAUNCHER, "--list"], { encoding: "utf8" });
    expect(listed.status).toBe(0);
    const lines = listed.stdout.trim().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(8);
    for (const line of lines) expect(line).toMatch(/^- moto\/[a-z0-9_/]+\.py [A-Za-z_.]+[\s\S]*\): .*(API reference|documents)/);
  });
});

describe("the decommission apply", () => {
  it("targets exactly the resources whose configuration the profile switch changes (metadata aside), added ones included", () => {
    const before: StackJson = {
      resource: {
        aws_rds_cluster: { aurora: { "//": { metadata: { path: "p/aurora" } }, deletion_protection: true, lifecycle: { prevent_destroy: true } } },
        aws_s3_bucket: { logs: { bucket: "b", force_destroy: false }, assets: { bucket: "a" } },
      },
    };
    const after: StackJson = {
      resource: {
        aws_rds_cluster: { aurora: { "//": { metadata: { path: "p/aurora", other: 1 } }, deletion_protection: false, lifecycle: { prevent_destroy: false } } },
        aws_s3_bucket: { logs: { bucket: "b", force_destroy: true }, assets: { bucket: "a" } },
        aws_ssm_document: { tunnel: { name: "t" } },
      },
    };
    expect(changedResources(before, after)).toEqual(["aws_rds_cluster.aurora", "aws_s3_bucket.logs", "aws_ssm_document.tunnel"]);
    expect(changedResources(before, before)).toEqual([]);
  });
});
