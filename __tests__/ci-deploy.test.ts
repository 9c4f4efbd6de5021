import { Testing, TerraformStack } from "cdktf";
import { DeployApi, DeployStopped, TaskDefinition, deploy, deployTargets, nextRevision } from "../tools/ci/deploy";
import { realStacks, synthJson } from "./support/stacks";
import { Body, resources } from "./support/module-stack";
import { admits } from "./support/trust";
import { buildApp } from "../stacks";
import { loadConfig } from "../environments";
import * as path from "node:path";

const production = synthJson(realStacks().get("production")!);

/** A fake AWS that answers from scripts, records every call, and never sleeps. */
function fakeAws(script: { scans?: Array<{ status: string; critical?: number; high?: number }>; rollouts?: string[]; functionStates?: string[]; appRunner?: string[] }) {
  const calls: string[] = [];
  const registered: Array<Record<string, unknown>> = [];
  const scans = [...(script.scans ?? [{ status: "COMPLETE" }])];
  const rollouts = [...(script.rollouts ?? ["COMPLETED"])];
  const functionStates = [...(script.functionStates ?? ["Successful"])];
  const appRunner = [...(script.appRunner ?? ["RUNNING"])];
  const next = <T>(list: T[]): T => (list.length > 1 ? list.shift()! : list[0]);
  const current: TaskDefinition = {
    taskDefinitionArn: "arn:aws:ecs:us-east-1:111122223333:task-definition/omnirapeutic-production-api:7",
    revision: 7,
    status: "ACTIVE",
    registeredAt: "2026-12-01T00:00:00Z",
    requiresAttributes: [{ name: "ecs.capability.execution-role-awslogs" }],
    compatibilities: ["EC2", "FARGATE"],
    family: "omnirapeutic-production-api",
    taskRoleArn: "arn:aws:iam::111122223333:role/task",
    executionRoleArn: "arn:aws:iam::111122223333:role/execution",
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    cpu: "512",
    memory: "1024",
    containerDefinitions: [{ name: "api", image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/omnirapeutic-production-api:2026.11.0", readonlyRootFilesystem: true }],
  };
  const api: DeployApi = {
    async imageScan(repository, tag) {
      calls.push(`scan ${repository}:${tag}`);
      const s = next(scans);
      return { status: s.status, critical: s.critical ?? 0, high: s.high ?? 0, uri: `111122223333.dkr.ecr.us-east-1.amazonaws.com/${repository}:${tag}` };
    },
    async currentTaskDefinition(family) {
      calls.push(`describe ${family}`);
      return current;
    },
    async registerTaskDefinition(definition) {
      calls.push("register");
      registered.push(definition);
      return `arn:aws:ecs:us-east-1:111122223333:task-definition/${String(definition.family)}:8`;
    },
    async updateService(cluster, service, arn) {
      calls.push(`update ${cluster}/${service} -> ${arn.split("/")[1]}`);
    },
    async serviceState() {
      const rollout = next(rollouts);
      calls.push(`rollout ${rollout}`);
      return { rollout, running: rollout === "COMPLETED" ? 2 : 1, desired: 2, deployments: rollout === "COMPLETED" ? 1 : 2, reason: rollout === "FAILED" ? "tasks failed to start" : undefined };
    },
    async updateFunctionCode(name, zip) {
      calls.push(`code ${name} ${zip.length} bytes`);
    },
    async functionState(name) {
      const status = next(functionStates);
      calls.push(`function ${name} ${status}`);
      return { status, reason: status === "Failed" ? "bad zip" : undefined };
    },
    async appRunnerService(name) {
      const status = next(appRunner);
      calls.push(`apprunner ${name} ${status}`);
      return { arn: `arn:aws:apprunner:us-east-1:111122223333:service/${name}/1`, status };
    },
    async updateAppRunnerImage(_arn, image) {
      calls.push(`apprunner update ${image}`);
    },
    async wait(ms) {
      calls.push(`wait ${ms}`);
    },
  };
  return { api, calls, registered, current };
}

describe("what CI deploys, read from the synthesized stack", () => {
  it("finds production's three CI-deployed services with their cluster, service, family, container and repository", () => {
    expect(deployTargets(production)).toEqual(
      ["api", "web", "worker"].map((s) => ({
        kind: "ecs",
        workload: `ecs_${s}`,
        cluster: "omnirapeutic-production",
        service: `omnirapeutic-production-${s}`,
        family: `omnirapeutic-production-${s}`,
        container: s,
        repository: `omnirapeutic-production-${s}`,
      })),
    );
  });

  it("finds Lambda functions and App Runner services that CI deploys in the examples, and nothing Terraform deploys", () => {
    const app = buildApp(Testing.app(), loadConfig(path.join(__dirname, "..", "examples")));
    const stack = (name: string) => synthJson(app.node.findChild(name) as TerraformStack);
    expect(deployTargets(stack("outreachpass")).map((t) => `${t.kind} ${t.workload}`)).toEqual(["lambda functions_backend", "lambda functions_worker"]);
    expect(deployTargets(stack("nora")).map((t) => t.kind)).toContain("apprunner");
    expect(deployTargets(stack("mentalspace"))).toEqual([]);
  });
});

describe("an ECS deploy", () => {
  const [api] = deployTargets(production);

  it("waits for the scan, registers a revision that changes only the image, updates the service and waits until it is stable", async () => {
    const aws = fakeAws({ scans: [{ status: "IN_PROGRESS" }, { status: "COMPLETE", high: 2 }], rollouts: ["IN_PROGRESS", "IN_PROGRESS", "COMPLETED"] });
    expect(await deploy(aws.api, api, { tag: "abc123" }, { pollSeconds: 5 })).toBe("omnirapeutic-production-api: arn:aws:ecs:us-east-1:111122223333:task-definition/omnirapeutic-production-api:8 stable");
    expect(aws.calls).toEqual([
      "scan omnirapeutic-production-api:abc123",
      "wait 5000",
      "scan omnirapeutic-production-api:abc123",
      "describe omnirapeutic-production-api",
      "register",
      "update omnirapeutic-production/omnirapeutic-production-api -> omnirapeutic-production-api:8",
      "rollout IN_PROGRESS",
      "wait 5000",
      "rollout IN_PROGRESS",
      "wait 5000",
      "rollout COMPLETED",
    ]);
    const { containerDefinitions, ...rest } = aws.registered[0] as TaskDefinition;
    const { containerDefinitions: before, taskDefinitionArn: _a, revision: _r, status: _s, registeredAt: _t, requiresAttributes: _q, compatibilities: _c, ...kept } = aws.current;
    expect(rest).toEqual(kept);
    expect(containerDefinitions).toEqual([{ ...before[0], image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/omnirapeutic-production-api:abc123" }]);
  });

  it("stops on a critical finding, registering nothing", async () => {
    const aws = fakeAws({ scans: [{ status: "COMPLETE", critical: 1, high: 3 }] });
    await expect(deploy(aws.api, api, { tag: "bad" })).rejects.toThrow(new DeployStopped("omnirapeutic-production-api:bad has 1 critical finding(s) (and 3 high): nothing deployed"));
    expect(aws.calls).toEqual(["scan omnirapeutic-production-api:bad"]);
  });

  it("stops when the scan fails or never ends", async () => {
    await expect(deploy(fakeAws({ scans: [{ status: "FAILED" }] }).api, api, { tag: "x" })).rejects.toThrow("ended FAILED: nothing deployed");
    const endless = fakeAws({ scans: [{ status: "IN_PROGRESS" }] });
    await expect(deploy(endless.api, api, { tag: "x" }, { pollSeconds: 10, timeoutSeconds: 30 })).rejects.toThrow("the scan of omnirapeutic-production-api:x: not done after 30 s");
    expect(endless.calls.filter((c) => c.startsWith("wait"))).toHaveLength(4);
  });

  it("reports a rollout the circuit breaker failed", async () => {
    const aws = fakeAws({ rollouts: ["IN_PROGRESS", "FAILED"] });
    await expect(deploy(aws.api, api, { tag: "abc" })).rejects.toThrow("The rollout of omnirapeutic-production-api failed (the circuit breaker rolls it back): tasks failed to start");
  });

  it("refuses a revision for a container the task definition does not have", () => {
    expect(() => nextRevision(fakeAws({}).current, "web", "img")).toThrow("Task definition omnirapeutic-production-api has no container 'web'");
  });
});

describe("Lambda and App Runner deploys", () => {
  it("updates a function's code and waits for Lambda to take it; a package is required", async () => {
    const target = { kind: "lambda" as const, workload: "lambda_backend", functionName: "outreachpass-dev-backend" };
    const aws = fakeAws({ functionStates: ["InProgress", "Successful"] });
    expect(await deploy(aws.api, target, { tag: "abc", zip: Buffer.from("zip") })).toBe("outreachpass-dev-backend: code abc deployed");
    expect(aws.calls).toEqual(["code outreachpass-dev-backend 3 bytes", "function outreachpass-dev-backend InProgress", "wait 10000", "function outreachpass-dev-backend Successful"]);
    await expect(deploy(fakeAws({}).api, target, { tag: "abc" })).rejects.toThrow("give its package (--package <zip>)");
    await expect(deploy(fakeAws({ functionStates: ["Failed"] }).api, target, { tag: "abc", zip: Buffer.from("z") })).rejects.toThrow("Failed bad zip");
  });

  it("points an App Runner service at the scanned image and waits until it runs", async () => {
    const target = { kind: "apprunner" as const, workload: "apprunner_web", serviceName: "nora-web", repository: "nora-web" };
    const aws = fakeAws({ appRunner: ["RUNNING", "OPERATION_IN_PROGRESS", "RUNNING"] });
    expect(await deploy(aws.api, target, { tag: "abc" })).toBe("nora-web: 111122223333.dkr.ecr.us-east-1.amazonaws.com/nora-web:abc running");
    expect(aws.calls).toEqual([
      "scan nora-web:abc",
      "apprunner nora-web RUNNING",
      "apprunner update 111122223333.dkr.ecr.us-east-1.amazonaws.com/nora-web:abc",
      "apprunner nora-web OPERATION_IN_PROGRESS",
      "wait 10000",
      "apprunner nora-web RUNNING",
    ]);
  });
});

describe("the deploy role (environment stack, project.ci)", () => {
  const role = resources(production, "aws_iam_role").ci_deploy;
  const statements = JSON.parse(String(resources(production, "aws_iam_role_policy").ci_deploy_policy.policy)).Statement as Body[];
  const PROVIDER = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
  const token = (sub: string) => ({ "token.actions.githubusercontent.com:sub": sub, "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" });

  it("is assumed only by jobs in production's GitHub environment of this repository", () => {
    expect(role.name).toBe("omnirapeutic-production-ci-deploy");
    expect(admits(String(role.assume_role_policy), PROVIDER, token("repo:omnirapeutic/platform:environment:production"))).toBe(true);
    for (const sub of ["repo:omnirapeutic/platform:environment:staging", "repo:omnirapeutic/platform:pull_request", "repo:omnirapeutic/platform:ref:refs/heads/main", "repo:attacker/platform:environment:production"]) {
      expect({ sub, admitted: admits(String(role.assume_role_policy), PROVIDER, token(sub)) }).toEqual({ sub, admitted: false });
    }
  });

  it("may push to the three repositories, register revisions, pass only those services' roles, and update only those services", () => {
    expect(statements.map((s) => s.Sid)).toEqual([
      "GetEcrAuthorizationToken",
      "PushApi",
      "RegisterTaskDefinitions",
      "PassRolesOfApi",
      "UpdateApi",
      "PushWeb",
      "PassRolesOfWeb",
      "UpdateWeb",
      "PushWorker",
      "PassRolesOfWorker",
      "UpdateWorker",
    ]);
    const pass = statements.filter((s) => ([] as string[]).concat(s.Action as string).includes("iam:PassRole"));
    expect(pass).toHaveLength(3);
    for (const p of pass) {
      expect(p.Condition).toEqual({ StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } });
      expect(([] as string[]).concat(p.Resource as string).every((r) => /^\$\{aws_iam_role\.ecs_\w+_(task|execution)_role\.arn\}$/.test(r))).toBe(true);
    }
    const star = statements.filter((s) => s.Resource === "*").map((s) => s.Action);
    expect(star).toEqual(["ecr:GetAuthorizationToken", ["ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition"]]);
    expect(statements.find((s) => s.Sid === "UpdateApi")).toMatchObject({ Action: ["ecs:UpdateService", "ecs:DescribeServices"], Resource: "${aws_ecs_service.ecs_api.id}" });
  });
});

describe("the deploy role for functions and App Runner (the examples)", () => {
  const app = buildApp(Testing.app(), loadConfig(path.join(__dirname, "..", "examples")));
  const policy = (stack: string) => JSON.parse(String(resources(synthJson(app.node.findChild(stack) as TerraformStack), "aws_iam_role_policy").ci_deploy_policy.policy)).Statement as Body[];

  it("may update only OutreachPass's two CI-deployed functions' code", () => {
    const statements = policy("outreachpass");
    expect(statements.map((s) => s.Sid)).toEqual(["DeployBackend", "DeployWorker"]);
    for (const s of statements) {
      expect(s.Action).toEqual(["lambda:UpdateFunctionCode", "lambda:GetFunction", "lambda:GetFunctionConfiguration"]);
      expect(s.Resource).toMatch(/^\$\{aws_lambda_function\.functions_(backend|worker)\.arn\}$/);
    }
  });

  it("may push Nora's image, update only its App Runner service, and pass only its access role to App Runner", () => {
    const statements = policy("nora");
    const deploy = statements.filter((s) => String(s.Sid).startsWith("Deploy"));
    expect(deploy).toHaveLength(1);
    expect(deploy[0]).toMatchObject({ Action: ["apprunner:UpdateService", "apprunner:DescribeService", "apprunner:ListOperations"] });
    expect(String(deploy[0].Resource)).toMatch(/^\$\{aws_apprunner_service\.\w+\.arn\}$/);
    const pass = statements.filter((s) => s.Action === "iam:PassRole");
    expect(pass).toHaveLength(1);
    expect(pass[0].Condition).toEqual({ StringEquals: { "iam:PassedToService": "build.apprunner.amazonaws.com" } });
    expect(statements.some((s) => String(s.Sid).startsWith("Push"))).toBe(true);
  });
});
