import { Testing } from "cdktf";
import { ELB_LOG_DELIVERY, LoadBalancer, LoadBalancerProps } from "../modules/alb";
import { Bucket } from "../modules/buckets";
import { Cluster, FargateService } from "../modules/ecs";
import { Repository } from "../modules/ecr";
import { KNOWN_REGIONS } from "../modules/label";
import { PROTECTION_PROFILES } from "../environments";
import { moduleStack, only, resources, synth } from "./support/module-stack";
import { TEST_KEY, testVpc } from "./support/network";

function build(extra: Partial<LoadBalancerProps> = {}) {
  const stack = moduleStack();
  const vpc = testVpc(stack);
  const cluster = new Cluster(stack, "ecs", { logKmsKeyArn: TEST_KEY, protection: PROTECTION_PROFILES.production });
  const service = (name: string, port?: number) =>
    new FargateService(cluster, name, {
      name,
      cluster,
      network: vpc,
      repository: new Repository(stack, `${name}-repo`, { name, kmsKeyArn: TEST_KEY, protection: PROTECTION_PROFILES.production }),
      imageTag: "1",
      cpu: 256,
      memory: 512,
      desiredCount: 1,
      containerPort: port,
      healthCheck: { command: ["CMD", "true"] },
      logKmsKeyArn: TEST_KEY,
      protection: PROTECTION_PROFILES.production,
    });
  const api = service("api", 8080);
  const web = service("web", 3000);
  const logs = new Bucket(stack, "alb-access-logs", { name: "alb-access-logs", encryption: "s3-managed", protection: PROTECTION_PROFILES.production });
  const alb = new LoadBalancer(stack, "alb", {
    network: vpc,
    targets: [
      { name: "api", service: api, healthCheckPath: "/health", pathPatterns: ["/api/*"] },
      { name: "web", service: web, healthCheckPath: "/" },
    ],
    accessLogBucket: logs,
    protection: PROTECTION_PROFILES.production,
    ...extra,
  });
  return { stack, alb, json: () => synth(stack), worker: () => service("worker") };
}

describe("LoadBalancer", () => {
  const json = build().json();
  const lb = only(json, "aws_lb");

  it("matches the snapshot", () => {
    expect(Testing.synth(build().stack)).toMatchSnapshot();
  });

  it("is an internet-facing application load balancer across the public subnets", () => {
    expect(lb).toMatchObject({
      name: "keel-test-alb",
      load_balancer_type: "application",
      internal: false,
      subnets: ["${aws_subnet.vpc_public_us_east_1a.id}", "${aws_subnet.vpc_public_us_east_1b.id}"],
    });
  });

  it("drops invalid header fields and mitigates desync", () => {
    expect(lb).toMatchObject({ drop_invalid_header_fields: true, desync_mitigation_mode: "defensive" });
  });

  it("takes deletion protection from the profile", () => {
    expect(lb.enable_deletion_protection).toBe(true);
    expect(only(build({ protection: PROTECTION_PROFILES.disposable }).json(), "aws_lb").enable_deletion_protection).toBe(false);
  });

  it("writes access logs to its SSE-S3 bucket, which admits exactly this region's ELB account under the ALB prefix", () => {
    expect(lb.access_logs).toEqual({ bucket: "keel-test-alb-access-logs-111122223333-us-east-1", prefix: "alb", enabled: true });
    // ELB checks the bucket policy when the load balancer is created.
    expect(lb.depends_on).toEqual(["aws_s3_bucket_policy.alb_access_logs_policy"]);
    const statements = JSON.parse(resources(json, "aws_s3_bucket_policy").alb_access_logs_policy.policy as string).Statement;
    expect(statements).toHaveLength(3);
    expect(statements[2]).toEqual({
      Sid: "AccountWritesAlbAWSLogs111122223333",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::127311923021:root" },
      Action: "s3:PutObject",
      Resource: "arn:aws:s3:::keel-test-alb-access-logs-111122223333-us-east-1/alb/AWSLogs/111122223333/*",
    });
    expect(only(json, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]);
  });

  it("knows who delivers access logs in every region Keel knows", () => {
    const known = KNOWN_REGIONS.filter((r) => ELB_LOG_DELIVERY[r] !== undefined);
    expect(known).toEqual(KNOWN_REGIONS);
    expect(ELB_LOG_DELIVERY["eu-central-2"]).toEqual({ servicePrincipal: "logdelivery.elasticloadbalancing.amazonaws.com" });
  });

  it("admits 80 and 443 from anywhere, and sends only to its targets on their ports", () => {
    const sg = "${aws_security_group.alb_security_group.id}";
    const ingress = Object.values(resources(json, "aws_vpc_security_group_ingress_rule"));
    expect(ingress.filter((r) => r.security_group_id === sg).map((r) => [r.from_port, r.cidr_ipv4]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [80, "0.0.0.0/0"],
      [443, "0.0.0.0/0"],
    ]);
    const egress = Object.values(resources(json, "aws_vpc_security_group_egress_rule")).filter((r) => r.security_group_id === sg);
    expect(egress.map((r) => [r.from_port, r.referenced_security_group_id])).toEqual([
      [8080, "${aws_security_group.ecs_api_security_group.id}"],
      [3000, "${aws_security_group.ecs_web_security_group.id}"],
    ]);
    expect(ingress.filter((r) => r.security_group_id !== sg).map((r) => [r.security_group_id, r.from_port, r.referenced_security_group_id])).toEqual([
      ["${aws_security_group.ecs_api_security_group.id}", 8080, sg],
      ["${aws_security_group.ecs_web_security_group.id}", 3000, sg],
    ]);
  });

  it("makes ip target groups with health checks on each target's port", () => {
    const groups = resources(json, "aws_lb_target_group");
    expect(groups.alb_target_group_api).toMatchObject({ name: "keel-test-api", target_type: "ip", port: 8080, deregistration_delay: "30", health_check: { path: "/health", matcher: "200-399", port: "traffic-port" } });
    expect(groups.alb_target_group_web).toMatchObject({ target_type: "ip", port: 3000, health_check: { path: "/" } });
  });

  it("forwards on HTTP 80 without a certificate, routing paths by rule and the rest to the default", () => {
    expect(Object.values(resources(json, "aws_lb_listener"))).toEqual([
      expect.objectContaining({ port: 80, protocol: "HTTP", default_action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.alb_target_group_web.arn}" }] }),
    ]);
    expect(only(json, "aws_lb_listener_rule")).toMatchObject({ priority: 10, condition: [{ path_pattern: { values: ["/api/*"] } }] });
  });

  it("with a certificate, serves HTTPS with a TLS 1.2+ policy and redirects 80 to 443", () => {
    const out = build({ certificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" }).json();
    const listeners = resources(out, "aws_lb_listener");
    expect(listeners.alb_https).toMatchObject({ port: 443, protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" });
    expect(listeners.alb_http).toMatchObject({ port: 80, default_action: [{ type: "redirect", redirect: { port: "443", protocol: "HTTPS", status_code: "HTTP_301" } }] });
    expect(only(out, "aws_lb_listener_rule").listener_arn).toBe("${aws_lb_listener.alb_https.arn}");
  });

  it("puts each service behind its target group, after the listener and rules exist", () => {
    const services = resources(json, "aws_ecs_service");
    expect(services.ecs_api).toMatchObject({
      load_balancer: [{ target_group_arn: "${aws_lb_target_group.alb_target_group_api.arn}", container_name: "api", container_port: 8080 }],
      health_check_grace_period_seconds: 60,
      depends_on: ["aws_lb_listener.alb_http", "aws_lb_listener_rule.alb_rule_api"],
    });
  });

  it("offers 5xx, response-time and unhealthy-host metrics", () => {
    const { alb } = build();
    expect(alb.metricHttpCodeElb5xxCount()).toMatchObject({ namespace: "AWS/ApplicationELB", metricName: "HTTPCode_ELB_5XX_Count", statistic: "Sum" });
    expect(alb.metricTargetResponseTime().statistic).toBe("p99");
    expect(alb.metricUnhealthyHostCount("api").dimensions).toHaveProperty("TargetGroup");
    expect(() => alb.metricUnhealthyHostCount("nope")).toThrow("no target group 'nope'");
  });

  describe("validation", () => {
    it("needs at least one target", () => {
      expect(() => build({ targets: [] })).toThrow("field 'targets': value 0 is not allowed: at least one target");
    });

    it("needs exactly one default route (a target without pathPatterns)", () => {
      const b = build();
      const api = b.stack.node.findChild("ecs").node.findChild("api") as FargateService;
      expect(() =>
        new LoadBalancer(b.stack, "alb2", {
          network: testVpc(moduleStack()),
          targets: [{ name: "api", service: api, healthCheckPath: "/health", pathPatterns: ["/api/*"] }],
          accessLogBucket: new Bucket(b.stack, "l3", { name: "l3", encryption: "s3-managed", protection: PROTECTION_PROFILES.production }),
          protection: PROTECTION_PROFILES.production,
        }),
      ).toThrow("field 'targets': value [] is not allowed: exactly one target without pathPatterns: the default route");
    });

    it("refuses a worker as a target", () => {
      const b = build();
      expect(
        () =>
          new LoadBalancer(b.stack, "alb2", {
            network: testVpc(moduleStack()),
            targets: [{ name: "worker", service: b.worker(), healthCheckPath: "/" }],
            accessLogBucket: new Bucket(b.stack, "l2", { name: "l2", encryption: "s3-managed", protection: PROTECTION_PROFILES.production }),
            protection: PROTECTION_PROFILES.production,
          }),
      ).toThrow("field 'targets.0.service': value \"worker\" is not allowed: a service with a containerPort");
    });

    it.each([
      [{ certificateArn: "arn:aws:iam::111122223333:server-certificate/x" }, "field 'certificateArn'"],
      [{ idleTimeoutSeconds: 0 }, "field 'idleTimeoutSeconds': value 0 is not allowed: a whole number from 1 to 4000"],
      [{ deregistrationDelaySeconds: 4000 }, "field 'deregistrationDelaySeconds'"],
    ])("rejects %j", (extra, message) => {
      expect(() => build(extra)).toThrow(message);
    });
  });
});
