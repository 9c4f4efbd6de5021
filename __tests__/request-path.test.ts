import { Body, Synthesized, resources } from "./support/module-stack";
import { realStacks, synthJson } from "./support/stacks";

// Seed 003's request path in the production stack, end to end:
// WAF -> ALB -> ECS (api, web; worker has no port) -> Aurora, least privilege at each hop.
const json: Synthesized = synthJson(realStacks().get("production")!);
const sg = (name: string): string => `\${aws_security_group.${name}_security_group.id}`;
const NAMES: Record<string, string> = {
  [sg("alb")]: "alb",
  [sg("ecs_api")]: "api",
  [sg("ecs_web")]: "web",
  [sg("ecs_worker")]: "worker",
  [sg("aurora")]: "aurora",
  [sg("bastion")]: "bastion",
};
const who = (rule: Body, key: string): string => NAMES[String(rule[key])] ?? String(rule[key]);
const peer = (rule: Body): string => (rule.cidr_ipv4 !== undefined ? String(rule.cidr_ipv4) : who(rule, "referenced_security_group_id"));
const ports = (rule: Body): string => `${rule.ip_protocol}/${rule.from_port}-${rule.to_port}`;

describe("seed 003's services", () => {
  const services = resources(json, "aws_ecs_service");
  const tasks = resources(json, "aws_ecs_task_definition");

  it.each([
    ["api", 2, "512", "1024", 8080],
    ["web", 2, "512", "1024", 8080],
    ["worker", 1, "512", "1024", undefined],
  ])("runs %s: %i tasks of %s CPU units (0.5 vCPU) and %s MiB", (name, count, cpu, memory, port) => {
    expect(services[`ecs_${name}`]).toMatchObject({ name: `omnirapeutic-production-${name}`, desired_count: count, launch_type: "FARGATE" });
    expect(tasks[`ecs_${name}_task_definition`]).toMatchObject({ cpu, memory, network_mode: "awsvpc", requires_compatibilities: ["FARGATE"] });
    const [container] = JSON.parse(tasks[`ecs_${name}_task_definition`].container_definitions as string);
    expect(container.portMappings).toEqual(port === undefined ? undefined : [{ containerPort: port, protocol: "tcp" }]);
  });

  it("has exactly api, web and worker (the nginx test service is dev's)", () => {
    expect(Object.keys(services).sort()).toEqual(["ecs_api", "ecs_web", "ecs_worker"]);
  });

  it("puts api and web behind the load balancer, and the worker behind nothing", () => {
    expect(services.ecs_api.load_balancer).toEqual([{ target_group_arn: "${aws_lb_target_group.alb_target_group_api.arn}", container_name: "api", container_port: 8080 }]);
    expect(services.ecs_web.load_balancer).toEqual([{ target_group_arn: "${aws_lb_target_group.alb_target_group_web.arn}", container_name: "web", container_port: 8080 }]);
    expect(services.ecs_worker).not.toHaveProperty("load_balancer");
  });
});

describe("seed 003's load balancer", () => {
  it("checks api at /health and web at /, on ip targets", () => {
    const groups = resources(json, "aws_lb_target_group");
    expect(Object.keys(groups).sort()).toEqual(["alb_target_group_api", "alb_target_group_web"]);
    expect(groups.alb_target_group_api).toMatchObject({ target_type: "ip", port: 8080, protocol: "HTTP", health_check: { path: "/health" } });
    expect(groups.alb_target_group_web).toMatchObject({ target_type: "ip", port: 8080, protocol: "HTTP", health_check: { path: "/" } });
  });

  it("routes /api/* to api and everything else to web, on HTTP 80 until a certificate exists", () => {
    const listeners = Object.values(resources(json, "aws_lb_listener"));
    expect(listeners).toHaveLength(1);
    expect(listeners[0]).toMatchObject({ port: 80, protocol: "HTTP", default_action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.alb_target_group_web.arn}" }] });
    expect(Object.values(resources(json, "aws_lb_listener_rule"))).toEqual([
      expect.objectContaining({
        priority: 10,
        action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.alb_target_group_api.arn}" }],
        condition: [{ path_pattern: { values: ["/api/*"] } }],
      }),
    ]);
  });
});

describe("seed 003's WAF", () => {
  it("runs the four rules in the seed's order, the rate limit at 2000 per 5 minutes per IP", () => {
    const [acl] = Object.values(resources(json, "aws_wafv2_web_acl"));
    const rules = acl.rule as Array<{ name: string; priority: number; statement: Record<string, Record<string, unknown>> }>;
    expect(rules.map((r) => [r.priority, r.name])).toEqual([
      [1, "AWSManagedRulesCommonRuleSet"],
      [2, "AWSManagedRulesKnownBadInputsRuleSet"],
      [3, "AWSManagedRulesSQLiRuleSet"],
      [4, "RateLimitPerIp"],
    ]);
    expect(rules[3].statement.rate_based_statement).toEqual({ limit: 2000, aggregate_key_type: "IP", evaluation_window_sec: 300 });
    expect(acl.default_action).toEqual({ allow: {} });
    expect(Object.values(resources(json, "aws_wafv2_web_acl_association"))).toEqual([
      { resource_arn: "${aws_lb.alb.arn}", web_acl_arn: "${aws_wafv2_web_acl.waf.arn}" },
    ]);
  });
});

describe("the security-group matrix, exactly", () => {
  const ingress = Object.values(resources(json, "aws_vpc_security_group_ingress_rule")).map((r) => `${who(r, "security_group_id")} <- ${peer(r)} ${ports(r)}`);
  const egress = Object.values(resources(json, "aws_vpc_security_group_egress_rule")).map((r) => `${who(r, "security_group_id")} -> ${peer(r)} ${ports(r)}`);

  it("admits ALB to the services on their ports, services and the bastion to Aurora on 5432, the internet to the ALB on 80 and 443, and nothing else", () => {
    expect(ingress.sort()).toEqual(
      [
        "alb <- 0.0.0.0/0 tcp/80-80",
        "alb <- 0.0.0.0/0 tcp/443-443",
        "api <- alb tcp/8080-8080",
        "web <- alb tcp/8080-8080",
        "aurora <- api tcp/5432-5432",
        "aurora <- worker tcp/5432-5432",
        "aurora <- bastion tcp/5432-5432",
      ].sort(),
    );
  });

  it("lets out only what each hop needs: ALB to its services, services and bastion to Aurora, HTTPS for AWS APIs; Aurora nothing", () => {
    expect(egress.sort()).toEqual(
      [
        "alb -> api tcp/8080-8080",
        "alb -> web tcp/8080-8080",
        "api -> aurora tcp/5432-5432",
        "worker -> aurora tcp/5432-5432",
        "bastion -> aurora tcp/5432-5432",
        "api -> 0.0.0.0/0 tcp/443-443",
        "web -> 0.0.0.0/0 tcp/443-443",
        "worker -> 0.0.0.0/0 tcp/443-443",
        "bastion -> 0.0.0.0/0 tcp/443-443",
      ].sort(),
    );
  });

  it("admits 0.0.0.0/0 nowhere but the ALB, and there only on 80 and 443", () => {
    const open = Object.values(resources(json, "aws_vpc_security_group_ingress_rule")).filter((r) => r.cidr_ipv4 !== undefined || r.cidr_ipv6 !== undefined);
    expect(open).toHaveLength(2);
    for (const rule of open) expect({ group: who(rule, "security_group_id"), cidr: rule.cidr_ipv4, port: rule.from_port }).toEqual({ group: "alb", cidr: "0.0.0.0/0", port: expect.any(Number) });
    expect(open.map((r) => r.from_port).sort()).toEqual([443, 80]);
  });

  it("declares no inline rules on any security group", () => {
    const groups = Object.values(resources(json, "aws_security_group"));
    expect(groups).toHaveLength(6);
    for (const group of groups) {
      expect(group).not.toHaveProperty("ingress");
      expect(group).not.toHaveProperty("egress");
    }
  });
});
