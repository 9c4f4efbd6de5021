import { Testing } from "cdktf";
import { Cluster, FargateService, FargateServiceProps } from "../modules/ecs";
import { Repository } from "../modules/ecr";
import { Security } from "../modules/security";
import { PROTECTION_PROFILES } from "../environments";
import { Body, moduleStack, only, resources, synth } from "./support/module-stack";
import { TEST_KEY, testVpc } from "./support/network";

type Extra = Partial<Omit<FargateServiceProps, "cluster" | "network" | "repository">>;

function build(extra: Extra = {}) {
  const stack = moduleStack();
  const vpc = testVpc(stack);
  const security = new Security(stack, "security", { secrets: [{ name: "api-keys", description: "keys" }], protection: PROTECTION_PROFILES.production });
  const cluster = new Cluster(stack, "ecs", { logKmsKeyArn: TEST_KEY, protection: PROTECTION_PROFILES.production });
  const repository = new Repository(stack, "api-repo", { name: "api", kmsKeyArn: TEST_KEY, protection: PROTECTION_PROFILES.production });
  const service = new FargateService(cluster, "api", {
    name: "api",
    cluster,
    network: vpc,
    repository,
    imageTag: "1.2.3",
    cpu: 512,
    memory: 1024,
    desiredCount: 2,
    containerPort: 8080,
    healthCheck: { command: ["CMD-SHELL", "wget -qO- http://localhost:8080/health || exit 1"] },
    secrets: { API_KEYS: security.secrets.get("api-keys")! },
    environment: { LOG_LEVEL: "info" },
    logKmsKeyArn: TEST_KEY,
    protection: PROTECTION_PROFILES.production,
    ...extra,
  });
  return { stack, service, json: () => synth(stack) };
}

const container = (json: ReturnType<ReturnType<typeof build>["json"]>): Record<string, unknown> =>
  JSON.parse(only(json, "aws_ecs_task_definition").container_definitions as string)[0];
const statements = (json: ReturnType<ReturnType<typeof build>["json"]>, role: string): Body[] =>
  JSON.parse(resources(json, "aws_iam_role_policy")[role].policy as string).Statement;

describe("Cluster", () => {
  const json = build().json();

  it("turns Container Insights on", () => {
    expect(only(json, "aws_ecs_cluster")).toMatchObject({ name: "keel-test", setting: [{ name: "containerInsights", value: "enabled" }] });
  });

  it("logs every execute-command session to a KMS-encrypted, protected log group", () => {
    expect(only(json, "aws_ecs_cluster").configuration).toEqual({
      execute_command_configuration: {
        logging: "OVERRIDE",
        log_configuration: { cloud_watch_log_group_name: "/ecs/keel-test/execute-command", cloud_watch_encryption_enabled: true },
      },
    });
    expect(resources(json, "aws_cloudwatch_log_group").ecs_exec_log_group).toMatchObject({ kms_key_id: TEST_KEY, retention_in_days: 365, lifecycle: { prevent_destroy: true } });
  });

  it("runs Fargate only", () => {
    expect(only(json, "aws_ecs_cluster_capacity_providers")).toMatchObject({ capacity_providers: ["FARGATE"] });
  });
});

describe("FargateService", () => {
  const json = build().json();
  const def = container(json);
  const service = only(json, "aws_ecs_service");

  it("matches the snapshot", () => {
    expect(Testing.synth(build().stack)).toMatchSnapshot();
  });

  it("runs the image from its repository by tag", () => {
    expect(def.image).toBe("${aws_ecr_repository.api_repo.repository_url}:1.2.3");
  });

  it("is a Fargate task of the given size, in awsvpc mode, with separate execution and task roles", () => {
    expect(only(json, "aws_ecs_task_definition")).toMatchObject({
      family: "keel-test-api",
      cpu: "512",
      memory: "1024",
      network_mode: "awsvpc",
      requires_compatibilities: ["FARGATE"],
      execution_role_arn: "${aws_iam_role.ecs_api_execution_role.arn}",
      task_role_arn: "${aws_iam_role.ecs_api_task_role.arn}",
    });
  });

  it("maps its port, logs to /ecs/<cluster>/<service> through awslogs, and checks its health", () => {
    expect(def.portMappings).toEqual([{ containerPort: 8080, protocol: "tcp" }]);
    expect(def.logConfiguration).toEqual({
      logDriver: "awslogs",
      options: { "awslogs-group": "/ecs/keel-test/api", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "api" },
    });
    expect(def.healthCheck).toEqual({ command: ["CMD-SHELL", "wget -qO- http://localhost:8080/health || exit 1"], interval: 30, timeout: 5, retries: 3, startPeriod: 60 });
    expect(resources(json, "aws_cloudwatch_log_group").ecs_api_log_group).toMatchObject({ name: "/ecs/keel-test/api", kms_key_id: TEST_KEY, lifecycle: { prevent_destroy: true } });
  });

  it("injects secrets by ARN (valueFrom), never as plain environment values", () => {
    expect(def.secrets).toEqual([{ name: "API_KEYS", valueFrom: "${aws_secretsmanager_secret.security_secret_api_keys.arn}" }]);
    expect(def.environment).toEqual([{ name: "LOG_LEVEL", value: "info" }]);
  });

  it("runs as a non-root user on a read-only root filesystem, with a writable /tmp", () => {
    expect(def).toMatchObject({ user: "1000:1000", readonlyRootFilesystem: true, mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }] });
    expect(only(json, "aws_ecs_task_definition").volume).toEqual([{ name: "tmp" }]);
  });

  it("gives the execution role only its repository, its log group and its secrets", () => {
    const granted = statements(json, "ecs_api_execution_role_policy");
    expect(granted.map((st) => st.Sid)).toEqual(["GetEcrAuthorizationToken", "PullApiRepo", "WriteToLogGroup", "ListLogGroups", "ReadSecretApiKeys", "DecryptSecretApiKeys"]);
    expect(granted[1].Resource).toBe("${aws_ecr_repository.api_repo.arn}");
    expect(JSON.stringify(granted[2].Resource)).toContain("log-group:/ecs/keel-test/api");
    expect(granted[4].Resource).toBe("${aws_secretsmanager_secret.security_secret_api_keys.arn}");
  });

  it("lets the execution role pull GuardDuty's Fargate agent only when runtime monitoring is on", () => {
    const sids = (out: ReturnType<ReturnType<typeof build>["json"]>) => statements(out, "ecs_api_execution_role_policy").map((st) => st.Sid);
    expect(sids(json)).not.toContain("PullGuardDutyRuntimeAgent");
    const withAgent = statements(build({ runtimeMonitoringAgent: true }).json(), "ecs_api_execution_role_policy").find((st) => st.Sid === "PullGuardDutyRuntimeAgent");
    expect(withAgent).toMatchObject({ Resource: "arn:aws:ecr:us-east-1:*:repository/aws-guardduty-agent-fargate" });
  });

  it("gives the task role nothing until something is granted", () => {
    expect(resources(json, "aws_iam_role_policy")).not.toHaveProperty("ecs_api_task_role_policy");
    for (const role of ["ecs_api_task_role", "ecs_api_execution_role"]) {
      const trust = JSON.parse(resources(json, "aws_iam_role")[role].assume_role_policy as string).Statement[0];
      expect({ role, trust }).toMatchObject({ role, trust: { Principal: { Service: "ecs-tasks.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } } });
    }
  });

  it("runs in the private subnets without a public IP", () => {
    expect(service.network_configuration).toEqual({
      subnets: ["${aws_subnet.vpc_private_us_east_1a.id}", "${aws_subnet.vpc_private_us_east_1b.id}"],
      security_groups: ["${aws_security_group.ecs_api_security_group.id}"],
      assign_public_ip: false,
    });
  });

  it("rolls back a failed deployment, keeps 100% healthy while rolling to 200%", () => {
    expect(service).toMatchObject({
      deployment_circuit_breaker: { enable: true, rollback: true },
      deployment_minimum_healthy_percent: 100,
      deployment_maximum_percent: 200,
      launch_type: "FARGATE",
      enable_execute_command: false,
    });
  });

  it("admits nothing until allowFrom, and sends only HTTPS", () => {
    expect(resources(json, "aws_vpc_security_group_ingress_rule")).toEqual({});
    const egress = Object.values(resources(json, "aws_vpc_security_group_egress_rule"));
    expect(egress).toEqual([expect.objectContaining({ security_group_id: "${aws_security_group.ecs_api_security_group.id}", from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0" })]);
  });

  it("lets Terraform own the task definition and count by default: no ignore_changes", () => {
    expect(service).not.toHaveProperty("lifecycle");
  });

  it("hands the task definition to CI when deployedBy is ci", () => {
    expect(only(build({ deployedBy: "ci" }).json(), "aws_ecs_service").lifecycle).toEqual({ ignore_changes: ["task_definition"] });
  });

  it("lets autoscaling own the count: target tracking on CPU and memory, and desired_count ignored", () => {
    const out = build({ autoscaling: { minCapacity: 2, maxCapacity: 6 }, deployedBy: "ci" }).json();
    expect(only(out, "aws_ecs_service").lifecycle).toEqual({ ignore_changes: ["task_definition", "desired_count"] });
    expect(only(out, "aws_appautoscaling_target")).toMatchObject({ min_capacity: 2, max_capacity: 6, scalable_dimension: "ecs:service:DesiredCount" });
    const policies = Object.values(resources(out, "aws_appautoscaling_policy")).map((p) => p.target_tracking_scaling_policy_configuration);
    expect(policies).toEqual([
      expect.objectContaining({ target_value: 70, predefined_metric_specification: { predefined_metric_type: "ECSServiceAverageCPUUtilization" } }),
      expect.objectContaining({ target_value: 80, predefined_metric_specification: { predefined_metric_type: "ECSServiceAverageMemoryUtilization" } }),
    ]);
  });

  it("grants execute-command channels and its log group to the task role only when enabled", () => {
    const out = build({ enableExecuteCommand: true }).json();
    expect(only(out, "aws_ecs_service").enable_execute_command).toBe(true);
    expect(statements(out, "ecs_api_task_role_policy").map((s) => s.Sid)).toContain("ExecuteCommandChannels");
  });

  it("offers CPU, memory and running-task metrics for alarms", () => {
    const { service: s } = build();
    expect(s.metricCpuUtilization()).toMatchObject({ namespace: "AWS/ECS", metricName: "CPUUtilization", dimensions: { ClusterName: "keel-test", ServiceName: "keel-test-api" } });
    expect(s.metricMemoryUtilization().metricName).toBe("MemoryUtilization");
    expect(s.metricRunningTaskCount()).toMatchObject({ namespace: "ECS/ContainerInsights", metricName: "RunningTaskCount", statistic: "Minimum" });
  });

  describe("validation", () => {
    it.each([
      [{ cpu: 300 }, "field 'cpu': value 300 is not allowed: CPU units Fargate offers: 256, 512, 1024, 2048, 4096, 8192, 16384"],
      [{ memory: 512 }, "field 'memory': value 512 is not allowed: a memory size Fargate pairs with 512 CPU units: 1024, 2048, 3072, 4096 MiB"],
      [{ imageTag: "latest" }, "field 'imageTag': value \"latest\" is not allowed: an image tag (1-128 of [A-Za-z0-9_.-]); not latest"],
      [{ healthCheck: { command: ["curl", "localhost"] } }, "field 'healthCheck.command'"],
      [{ user: "root" }, "field 'user': value \"root\" is not allowed: a non-root user, unless exceptions.runAsRoot says why"],
      [{ user: "0" }, "field 'user': value \"0\" is not allowed"],
      [{ exceptions: { writableRootFilesystem: "yes" } }, "field 'exceptions.writableRootFilesystem': value \"yes\" is not allowed: a sentence saying why"],
      [{ containerPort: 80 }, "field 'containerPort': value 80 is not allowed: a whole number from 1024 to 65535"],
      [{ environment: { API_KEYS: "x" } }, "field 'secrets.API_KEYS': value \"API_KEYS\" is not allowed: a name not also in environment"],
      [{ environment: { "bad-name": "x" } }, "field 'environment/secrets.bad-name'"],
      [{ autoscaling: { minCapacity: 4, maxCapacity: 2 } }, "field 'autoscaling.maxCapacity': value 2 is not allowed: a whole number from 4 to 1000"],
      [{ logRetentionInDays: 45 }, "field 'logRetentionInDays': value 45 is not allowed"],
      [{ maximumPercent: 300 }, "field 'maximumPercent': value 300 is not allowed: a whole number from 100 to 200"],
    ])("rejects %j", (extra, message) => {
      expect(() => build(extra as Extra)).toThrow(message);
    });

    it("runs as root or writes its root filesystem only with a reason, which it keeps", () => {
      const def2 = container(
        build({ user: "0", exceptions: { runAsRoot: "The vendor image binds port 80 as root", writableRootFilesystem: "The vendor image writes /var/cache at start" } }).json(),
      );
      expect(def2).toMatchObject({ user: "0", readonlyRootFilesystem: false });
    });

    it("refuses to put a worker (no port) behind a target group", () => {
      const { service: worker } = build({ containerPort: undefined });
      expect(() => worker.attachToTargetGroup("arn:tg", [])).toThrow("field 'containerPort': value (missing) is not allowed: a port: a service without one (a worker) cannot join a target group");
    });
  });
});
