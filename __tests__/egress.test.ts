import { Testing } from "cdktf";
import { Cluster, FargateService, FargateServiceProps } from "../modules/ecs";
import { Repository } from "../modules/ecr";
import { Bastion } from "../modules/bastion";
import { EgressRule } from "../modules/network";
import { checkStack } from "../modules/compliance";
import { EnvironmentStack } from "../stacks";
import { EnvironmentConfig, PROTECTION_PROFILES, validateEnvironment } from "../environments";
import { Body, moduleStack, resources, synth, thrown } from "./support/module-stack";
import { TEST_KEY, testVpc } from "./support/network";
import { TEST_TODAY } from "./support/clock";
import { Mutable, configError, devConfig, projectConfig } from "./support/config";

// Egress as a decision: every workload keeps HTTPS to anywhere (the secure default) and may add
// rules, each with its reason. The seeds' "all outbound" (Omnirapeutic, Nora, OutreachPass) and
// StartupWebApp's SMTP are what this serves.

function service(egress?: readonly EgressRule[]) {
  const stack = moduleStack();
  const vpc = testVpc(stack);
  const cluster = new Cluster(stack, "ecs", { logKmsKeyArn: TEST_KEY, protection: PROTECTION_PROFILES.production });
  const repository = new Repository(stack, "api-repo", { name: "api", kmsKeyArn: TEST_KEY, protection: PROTECTION_PROFILES.production });
  const props: FargateServiceProps = {
    name: "api",
    cluster,
    network: vpc,
    repository,
    imageTag: "1.2.3",
    cpu: 512,
    memory: 1024,
    desiredCount: 1,
    containerPort: 8080,
    healthCheck: { command: ["CMD-SHELL", "true"] },
    logKmsKeyArn: TEST_KEY,
    protection: PROTECTION_PROFILES.production,
    egress,
  };
  new FargateService(cluster, "api", props);
  return stack;
}

const egressRules = (json: ReturnType<typeof synth>): Record<string, Body> => resources(json, "aws_vpc_security_group_egress_rule");

describe("egress: HTTPS by default, more only as a written decision", () => {
  it("allows only TCP 443 out by default", () => {
    const rules = egressRules(synth(service()));
    expect(Object.keys(rules)).toEqual(["ecs_api_egress_https"]);
    expect(Object.values(rules)[0]).toMatchObject({ ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0" });
  });

  it("adds each rule with its reason as the description: SMTP out, Redis in the VPC, a prefix list", () => {
    const rules = egressRules(
      synth(
        service([
          { port: 587, to: "0.0.0.0/0", reason: "SMTP submission to the mail relay (StartupWebApp backend)" },
          { port: [6379, 6380], to: "10.0.0.0/16", reason: "Redis in the VPC, primary and replica ports" },
          { port: 5432, to: "pl-0123456789abcdef0", reason: "PostgreSQL to the partner prefix list" },
          { protocol: "udp", port: 123, to: "169.254.169.123/32", reason: "NTP to the Amazon Time Sync Service" },
        ]),
      ),
    );
    const added = Object.values(rules).filter((r) => r.from_port !== 443);
    expect(added).toHaveLength(4);
    expect(added).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ip_protocol: "tcp", from_port: 587, to_port: 587, cidr_ipv4: "0.0.0.0/0", description: "SMTP submission to the mail relay (StartupWebApp backend)" }),
        expect.objectContaining({ ip_protocol: "tcp", from_port: 6379, to_port: 6380, cidr_ipv4: "10.0.0.0/16" }),
        expect.objectContaining({ ip_protocol: "tcp", from_port: 5432, prefix_list_id: "pl-0123456789abcdef0" }),
        expect.objectContaining({ ip_protocol: "udp", from_port: 123, cidr_ipv4: "169.254.169.123/32" }),
      ]),
    );
  });

  it("names a rule by what it allows, so adding one never renames another", () => {
    const one = Object.keys(egressRules(synth(service([{ port: 587, to: "0.0.0.0/0", reason: "SMTP submission to the mail relay" }]))));
    const two = Object.keys(egressRules(synth(service([{ port: 25, to: "10.0.0.0/16", reason: "SMTP to the relay in the VPC" }, { port: 587, to: "0.0.0.0/0", reason: "SMTP submission to the mail relay" }]))));
    for (const name of one) expect(two).toContain(name);
  });

  it("takes all traffic to anywhere only with a 20-character reason, and keel check then reports it as that decision", () => {
    const reason = "Omnirapeutic services call partners on ports we do not control: accepted by the platform lead";
    const stack = service([{ protocol: "all", to: "0.0.0.0/0", reason }]);
    const all = Object.values(egressRules(synth(stack))).filter((r) => r.ip_protocol === "-1");
    expect(all).toHaveLength(1);
    expect(all[0]).not.toHaveProperty("from_port");
    const findings = checkStack(stack, { enforced: true, today: TEST_TODAY }).findings.filter((f) => f.rule === "sg-no-unrestricted-egress");
    expect(findings).toHaveLength(1);
    expect(findings[0].suppressed?.reason).toBe(reason);
    expect(thrown(() => service([{ protocol: "all", to: "0.0.0.0/0", reason: "all outbound" }]))).toContain(
      "field 'egress.0.reason': value \"all outbound\" is not allowed: at least 20 characters for every protocol to 0.0.0.0/0",
    );
  });

  it.each<[string, EgressRule, string]>([
    ["port 0", { port: 0, to: "0.0.0.0/0", reason: "nothing listens on zero" }, "field 'egress.0.port': value 0 is not allowed: a port 1-65535"],
    ["a reversed range", { port: [6380, 6379], to: "10.0.0.0/16", reason: "Redis ports, reversed" }, "field 'egress.0.port'"],
    ["a port above 65535", { port: 70000, to: "10.0.0.0/16", reason: "a port that does not exist" }, "field 'egress.0.port'"],
    ["tcp without a port", { to: "10.0.0.0/16", reason: "every tcp port, meant?" }, "field 'egress.0.port': value \"(none)\" is not allowed: a port or [from, to] for tcp"],
    ["a port with protocol all", { protocol: "all", port: 80, to: "10.0.0.0/16", reason: "all protocols on port 80?" }, "field 'egress.0.port': value 80 is not allowed: no port: protocol all is every port"],
    ["a CIDR off its boundary", { port: 6379, to: "10.0.0.1/16", reason: "Redis in the VPC" }, "field 'egress.0.to': value \"10.0.0.1/16\" is not allowed: a CIDR that starts on its network boundary: 10.0.0.0/16"],
    ["a host name", { port: 587, to: "smtp.example.com", reason: "SMTP submission to the mail relay" }, "field 'egress.0.to'"],
    ["a short reason", { port: 587, to: "0.0.0.0/0", reason: "smtp" }, "field 'egress.0.reason'"],
    ["a reason with a character security group descriptions refuse", { port: 587, to: "0.0.0.0/0", reason: "the relay's SMTP port" }, "field 'egress.0.reason'"],
    ["HTTPS to anywhere, which every workload has", { port: 443, to: "0.0.0.0/0", reason: "HTTPS to the internet" }, "a rule Keel does not add already"],
  ])("refuses %s", (_what, rule, message) => {
    expect(thrown(() => service([rule]))).toContain(message);
  });

  it("refuses the same rule twice, and accepts the edges AWS allows (port 1, 65535, a /0 and a /32)", () => {
    const smtp: EgressRule = { port: 587, to: "0.0.0.0/0", reason: "SMTP submission to the mail relay" };
    expect(thrown(() => service([smtp, smtp]))).toContain("field 'egress.1': value \"tcp 587-587 0.0.0.0/0\" is not allowed: each rule once");
    expect(() => service([{ port: [1, 65535], to: "10.0.0.0/16", reason: "every TCP port inside the VPC" }, { protocol: "udp", port: 65535, to: "10.0.5.6/32", reason: "one host, the top port" }])).not.toThrow();
  });

  it("gives the bastion the same list", () => {
    const stack = moduleStack();
    new Bastion(stack, "bastion", {
      network: testVpc(stack),
      subnetTier: "private",
      volumeKmsKeyArn: TEST_KEY,
      logKmsKeyArn: TEST_KEY,
      protection: PROTECTION_PROFILES.production,
      egress: [{ port: 5432, to: "192.168.0.0/16", reason: "PostgreSQL on the office network over the VPN" }],
    });
    const rules = Object.values(egressRules(synth(stack)));
    expect(rules).toHaveLength(2);
    expect(rules).toEqual(expect.arrayContaining([expect.objectContaining({ from_port: 5432, cidr_ipv4: "192.168.0.0/16" })]));
  });
});

describe("egress in config", () => {
  type Service = Mutable<NonNullable<EnvironmentConfig["ecs"]>["services"][string]>;
  const nginx = (c: Mutable<EnvironmentConfig>): Service => (c.ecs!.services as Record<string, Service>).nginx;

  it("reaches an ECS service's group, and errors name the field as written", () => {
    const config = devConfig((c) => (nginx(c).egress = [{ port: 587, to: "0.0.0.0/0", reason: "SMTP submission to the mail relay" }]));
    const stack = new EnvironmentStack(Testing.app(), validateEnvironment(config, "dev", projectConfig()), projectConfig());
    const rules = Object.values(resources(JSON.parse(Testing.synth(stack)), "aws_vpc_security_group_egress_rule")).filter((r) => r.from_port === 587);
    expect(rules).toHaveLength(1);
    expect(configError(devConfig((c) => (nginx(c).egress = [{ port: 99999, to: "0.0.0.0/0", reason: "SMTP submission to the mail relay" }]))).message).toContain(
      "field 'ecs.services.nginx.egress.0.port': value 99999 is not allowed",
    );
    expect(configError(devConfig((c) => (nginx(c).egress = [{ port: 587, to: "0.0.0.0/0" } as EgressRule]))).message).toContain("field 'ecs.services.nginx.egress.0.reason'");
  });
});
