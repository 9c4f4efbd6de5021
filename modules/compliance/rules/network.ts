import { ModelResource, StackModel, Values, block, blocks, isTrue, num, strings } from "../model";
import { Rule, rule } from "../rule";

const ANYWHERE = new Set(["0.0.0.0/0", "::/0"]);

/** One ingress or egress permission, from whichever resource shape declared it. */
interface Permission {
  readonly direction: "ingress" | "egress";
  readonly protocol: string;
  readonly from: number;
  readonly to: number;
  readonly cidrs: readonly string[];
  readonly description?: unknown;
}

function permission(direction: Permission["direction"], v: Values, protocolKey: string): Permission {
  const protocol = String(v[protocolKey] ?? "tcp");
  const all = protocol === "-1" || protocol === "all";
  return {
    direction,
    protocol,
    from: all ? 0 : (num(v.from_port) ?? 0),
    to: all ? 65535 : (num(v.to_port) ?? 65535),
    cidrs: [...strings(v.cidr_ipv4), ...strings(v.cidr_ipv6), ...strings(v.cidr_blocks), ...strings(v.ipv6_cidr_blocks)],
    description: v.description,
  };
}

/** Every permission a security-group resource declares: standalone rules, legacy rules, inline blocks. */
function permissions(r: ModelResource): readonly Permission[] {
  switch (r.type) {
    case "aws_vpc_security_group_ingress_rule":
      return [permission("ingress", r.values, "ip_protocol")];
    case "aws_vpc_security_group_egress_rule":
      return [permission("egress", r.values, "ip_protocol")];
    case "aws_security_group_rule":
      return [permission(r.values.type === "egress" ? "egress" : "ingress", r.values, "protocol")];
    default:
      return [
        ...blocks(r.values.ingress).map((b) => permission("ingress", b, "protocol")),
        ...blocks(r.values.egress).map((b) => permission("egress", b, "protocol")),
      ];
  }
}

const SG_TYPES = ["aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"];

const covers = (p: Permission, port: number) => p.from <= port && port <= p.to;
const isPublic = (p: Permission) => p.cidrs.some((c) => ANYWHERE.has(c));
const ports = (p: Permission) => (p.from === p.to ? `port ${p.from}` : `ports ${p.from}-${p.to}`);

/** The launch template an instance is launched from, when this stack has it. */
function templateOf(r: ModelResource, model: StackModel): ModelResource | undefined {
  return r.type === "aws_instance" ? model.referencedBy(r, "launch_template").find((t) => t.type === "aws_launch_template") : undefined;
}

/** A launch template's settings, or those of the template an instance is launched from. */
function launchSettings(r: ModelResource, model: StackModel): Values {
  return { ...(templateOf(r, model)?.values ?? {}), ...r.values };
}

/** NACL entries: `ingress`/`egress` blocks of a (default) network ACL, or one `aws_network_acl_rule`. */
function aclIngress(r: ModelResource): readonly Values[] {
  if (r.type === "aws_network_acl_rule") return isTrue(r.values.egress) ? [] : [r.values];
  return blocks(r.values.ingress);
}

const ELB_TLS_POLICIES = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/;

export const NETWORK_RULES: readonly Rule[] = [
  rule({
    id: "vpc-flow-logs",
    level: "error",
    area: "logging",
    title: "VPCs record flow logs",
    types: ["aws_vpc"],
    refs: ["checkov CKV2_AWS_11", "Security Hub EC2.6", "cdk-nag AwsSolutions-VPC7"],
    check(r, model) {
      return model.referencing(r, "aws_flow_log", "vpc_id").length === 0 ? "no aws_flow_log for this VPC" : undefined;
    },
  }),
  rule({
    id: "vpc-default-security-group-closed",
    level: "error",
    area: "least-privilege",
    title: "VPCs manage their default security group with no rules",
    types: ["aws_vpc"],
    refs: ["checkov CKV2_AWS_12", "Security Hub EC2.2"],
    check(r, model) {
      const group = model.referencing(r, "aws_default_security_group", "vpc_id")[0];
      if (group === undefined) return "the default security group is not managed: AWS's default allows all traffic between its members";
      return permissions(group).length > 0 ? `${group.address} has rules` : undefined;
    },
  }),
  rule({
    id: "subnet-no-auto-public-ip",
    level: "warning",
    area: "public-access",
    title: "Subnets do not give instances public IPv4 addresses automatically",
    types: ["aws_subnet"],
    refs: ["Security Hub EC2.15", "checkov CKV_AWS_130"],
    check(r) {
      return isTrue(r.values.map_public_ip_on_launch) ? "map_public_ip_on_launch is true" : undefined;
    },
  }),
  rule({
    id: "sg-no-public-admin-ports",
    level: "error",
    area: "least-privilege",
    title: "No security group admits SSH (22) or RDP (3389) from the internet",
    types: SG_TYPES,
    refs: ["checkov CKV_AWS_24", "checkov CKV_AWS_25", "Security Hub EC2.13", "Security Hub EC2.14"],
    check(r) {
      const open = permissions(r).filter((p) => p.direction === "ingress" && isPublic(p) && (covers(p, 22) || covers(p, 3389)));
      return open.length > 0 ? `admits ${open.map(ports).join(", ")} from ${open[0].cidrs.join(", ")}` : undefined;
    },
  }),
  rule({
    id: "sg-public-ingress-web-only",
    level: "error",
    area: "least-privilege",
    title: "Security groups admit the internet only on TCP 80 and 443",
    types: SG_TYPES,
    refs: ["Security Hub EC2.18", "Security Hub EC2.19", "cdk-nag AwsSolutions-EC23"],
    check(r) {
      const open = permissions(r).filter(
        (p) => p.direction === "ingress" && isPublic(p) && !(p.protocol === "tcp" && p.from === p.to && (p.from === 80 || p.from === 443)),
      );
      return open.length > 0 ? `admits ${open.map((p) => `${p.protocol} ${ports(p)}`).join(", ")} from the internet` : undefined;
    },
  }),
  rule({
    id: "sg-no-unrestricted-egress",
    level: "warning",
    area: "least-privilege",
    title: "No security group allows all protocols out to the internet",
    types: SG_TYPES,
    refs: ["checkov CKV_AWS_382"],
    check(r) {
      const open = permissions(r).filter((p) => p.direction === "egress" && isPublic(p) && (p.protocol === "-1" || p.protocol === "all"));
      return open.length > 0 ? "allows every protocol and port out to 0.0.0.0/0" : undefined;
    },
  }),
  rule({
    id: "sg-rule-descriptions",
    level: "warning",
    area: "least-privilege",
    title: "Security groups and their rules say what they are for",
    types: SG_TYPES,
    refs: ["checkov CKV_AWS_23"],
    check(r) {
      if (r.type === "aws_security_group" && (typeof r.values.description !== "string" || r.values.description === "Managed by Terraform")) {
        return "the group has no description of its own";
      }
      const silent = permissions(r).filter((p) => typeof p.description !== "string" || p.description.trim() === "");
      return silent.length > 0 ? `${silent.length} rule(s) without a description` : undefined;
    },
  }),
  rule({
    id: "nacl-no-public-admin-ports",
    level: "warning",
    area: "least-privilege",
    title: "Network ACLs do not admit SSH (22) or RDP (3389) from the internet",
    types: ["aws_default_network_acl", "aws_network_acl", "aws_network_acl_rule"],
    refs: ["Security Hub EC2.21"],
    check(r) {
      const open = aclIngress(r).filter((e) => {
        if (e.action !== "allow" && e.rule_action !== "allow") return false;
        if (!ANYWHERE.has(String(e.cidr_block ?? e.ipv6_cidr_block ?? ""))) return false;
        const all = String(e.protocol) === "-1" || e.protocol === "all";
        const from = all ? 0 : (num(e.from_port) ?? 0);
        const to = all ? 65535 : (num(e.to_port) ?? 65535);
        return (from <= 22 && 22 <= to) || (from <= 3389 && 3389 <= to);
      });
      return open.length > 0 ? "an allow entry from 0.0.0.0/0 covers 22 or 3389" : undefined;
    },
  }),
  rule({
    id: "ec2-imdsv2",
    level: "error",
    area: "imds",
    title: "Instances and launch templates require IMDSv2 (http_tokens required)",
    types: ["aws_launch_template", "aws_instance"],
    refs: ["checkov CKV_AWS_79", "Security Hub EC2.8", "Security Hub EC2.170", "cdk-nag HIPAA.Security-EC2IMDSv2Enabled"],
    check(r, model) {
      // An instance from a template of this stack is judged with the template, once.
      if (templateOf(r, model) !== undefined && r.values.metadata_options === undefined) return undefined;
      const options = block(launchSettings(r, model).metadata_options);
      if (options?.http_endpoint === "disabled") return undefined;
      return options?.http_tokens === "required" ? undefined : `metadata_options.http_tokens is ${String(options?.http_tokens ?? "optional (the default)")}`;
    },
  }),
  rule({
    id: "ec2-imds-hop-limit",
    level: "warning",
    area: "imds",
    title: "Instance metadata answers only the instance itself (hop limit 1)",
    types: ["aws_launch_template", "aws_instance"],
    refs: ["checkov CKV_AWS_341"],
    check(r, model) {
      if (templateOf(r, model) !== undefined && r.values.metadata_options === undefined) return undefined;
      const limit = num(block(launchSettings(r, model).metadata_options)?.http_put_response_hop_limit) ?? 1;
      return limit > 1 ? `http_put_response_hop_limit is ${limit}` : undefined;
    },
  }),
  rule({
    id: "ec2-ebs-encrypted",
    level: "error",
    area: "encryption",
    title: "Instance volumes are encrypted with a customer-managed KMS key",
    types: ["aws_launch_template", "aws_instance", "aws_ebs_volume"],
    refs: ["checkov CKV_AWS_8", "checkov CKV_AWS_3", "Security Hub EC2.3"],
    check(r, model) {
      const volumes =
        r.type === "aws_ebs_volume"
          ? [r.values]
          : r.type === "aws_instance"
            ? [...blocks(r.values.root_block_device), ...blocks(r.values.ebs_block_device)]
            : blocks(r.values.block_device_mappings).map((m) => block(m.ebs) ?? {});
      if (r.type === "aws_instance" && volumes.length === 0 && model.referencedBy(r, "launch_template").length > 0) return undefined;
      if (volumes.length === 0) return "no block device declared: the AMI's volume is encrypted only if the account default is on";
      const bad = volumes.filter((v) => !isTrue(v.encrypted) || v.kms_key_id === undefined);
      return bad.length > 0 ? `${bad.length} volume(s) not encrypted with a customer-managed key` : undefined;
    },
  }),
  rule({
    id: "ec2-no-public-ip",
    level: "error",
    area: "public-access",
    title: "Instances get no public IPv4 address",
    types: ["aws_launch_template", "aws_instance"],
    refs: ["checkov CKV_AWS_88", "Security Hub EC2.9", "Security Hub EC2.25"],
    check(r) {
      const values = r.type === "aws_instance" ? [r.values] : blocks(r.values.network_interfaces);
      return values.some((v) => isTrue(v.associate_public_ip_address)) ? "associate_public_ip_address is true" : undefined;
    },
  }),
  rule({
    id: "ec2-instance-profile",
    level: "warning",
    area: "least-privilege",
    title: "Instances run with an IAM role of their own (no keys on disk)",
    types: ["aws_instance"],
    refs: ["checkov CKV2_AWS_41"],
    check(r, model) {
      return launchSettings(r, model).iam_instance_profile === undefined ? "no iam_instance_profile" : undefined;
    },
  }),
  rule({
    id: "ec2-detailed-monitoring",
    level: "warning",
    area: "logging",
    title: "Instances publish one-minute (detailed) CloudWatch metrics",
    types: ["aws_instance"],
    refs: ["checkov CKV_AWS_126", "cdk-nag HIPAA.Security-EC2InstanceDetailedMonitoringEnabled"],
    check(r, model) {
      const settings = launchSettings(r, model);
      return isTrue(settings.monitoring) || isTrue(block(settings.monitoring)?.enabled) ? undefined : "detailed monitoring is off";
    },
  }),
  rule({
    id: "alb-drop-invalid-headers",
    level: "error",
    area: "public-access",
    title: "Application load balancers drop invalid HTTP headers",
    types: ["aws_lb"],
    refs: ["checkov CKV_AWS_131", "Security Hub ELB.4"],
    check(r) {
      if ((r.values.load_balancer_type ?? "application") !== "application") return undefined;
      return isTrue(r.values.drop_invalid_header_fields) ? undefined : "drop_invalid_header_fields is not true";
    },
  }),
  rule({
    id: "alb-desync-mitigation",
    level: "warning",
    area: "public-access",
    title: "Application load balancers use defensive or strictest desync mitigation",
    types: ["aws_lb"],
    refs: ["Security Hub ELB.12"],
    check(r) {
      if ((r.values.load_balancer_type ?? "application") !== "application") return undefined;
      const mode = r.values.desync_mitigation_mode ?? "defensive";
      return mode === "defensive" || mode === "strictest" ? undefined : `desync_mitigation_mode is ${String(mode)}`;
    },
  }),
  rule({
    id: "alb-access-logs",
    level: "error",
    area: "logging",
    title: "Load balancers write access logs to S3",
    types: ["aws_lb"],
    refs: ["checkov CKV_AWS_91", "Security Hub ELB.5", "cdk-nag AwsSolutions-ELB2"],
    check(r) {
      const logs = block(r.values.access_logs);
      return isTrue(logs?.enabled) && logs?.bucket !== undefined ? undefined : "access_logs are not enabled";
    },
  }),
  rule({
    id: "alb-deletion-protection",
    level: "error",
    area: "backup",
    title: "Load balancers have deletion protection",
    types: ["aws_lb"],
    refs: ["checkov CKV_AWS_150", "Security Hub ELB.6"],
    check(r) {
      return isTrue(r.values.enable_deletion_protection) ? undefined : "enable_deletion_protection is not true";
    },
  }),
  rule({
    id: "alb-https-listener",
    level: "error",
    area: "tls",
    title: "Load balancer listeners use HTTPS, or redirect HTTP to HTTPS",
    types: ["aws_lb_listener"],
    refs: ["checkov CKV_AWS_2", "checkov CKV2_AWS_20", "Security Hub ELB.1"],
    check(r) {
      const protocol = r.values.protocol ?? "HTTP";
      if (protocol !== "HTTP") return undefined;
      const actions = blocks(r.values.default_action);
      const redirects = actions.length > 0 && actions.every((a) => a.type === "redirect" && block(a.redirect)?.protocol === "HTTPS");
      return redirects ? undefined : "an HTTP listener that serves traffic instead of redirecting to HTTPS";
    },
  }),
  rule({
    id: "alb-tls-policy",
    level: "error",
    area: "tls",
    title: "HTTPS and TLS listeners accept only TLS 1.2 and later",
    types: ["aws_lb_listener"],
    refs: ["checkov CKV_AWS_103"],
    check(r) {
      if (r.values.protocol !== "HTTPS" && r.values.protocol !== "TLS") return undefined;
      const policy = String(r.values.ssl_policy ?? "ELBSecurityPolicy-2016-08 (the default)");
      return ELB_TLS_POLICIES.test(policy) ? undefined : `ssl_policy ${policy} admits TLS before 1.2`;
    },
  }),
  rule({
    id: "lb-target-group-https",
    level: "warning",
    area: "tls",
    title: "Load balancers reach their targets over HTTPS",
    types: ["aws_lb_target_group"],
    refs: ["checkov CKV_AWS_378"],
    check(r) {
      return r.values.protocol === "HTTP" ? "targets are reached over plain HTTP" : undefined;
    },
  }),
  rule({
    id: "alb-waf",
    level: "error",
    area: "waf",
    title: "Internet-facing application load balancers are protected by a WAF web ACL",
    types: ["aws_lb"],
    refs: ["checkov CKV2_AWS_28"],
    check(r, model) {
      if (isTrue(r.values.internal) || (r.values.load_balancer_type ?? "application") !== "application") return undefined;
      return model.referencing(r, "aws_wafv2_web_acl_association", "resource_arn").length === 0 ? "no aws_wafv2_web_acl_association" : undefined;
    },
  }),
  rule({
    id: "waf-has-rules",
    level: "error",
    area: "waf",
    title: "WAF web ACLs have at least one rule",
    types: ["aws_wafv2_web_acl"],
    refs: ["Security Hub WAF.10"],
    check(r) {
      return blocks(r.values.rule).length === 0 && r.values.rule_json === undefined ? "no rules: only the default action" : undefined;
    },
  }),
  rule({
    id: "waf-logging",
    level: "error",
    area: "waf",
    title: "WAF web ACLs log requests",
    types: ["aws_wafv2_web_acl"],
    refs: ["checkov CKV2_AWS_31", "Security Hub WAF.11"],
    check(r, model) {
      return model.referencing(r, "aws_wafv2_web_acl_logging_configuration", "resource_arn").length === 0
        ? "no aws_wafv2_web_acl_logging_configuration"
        : undefined;
    },
  }),
  rule({
    id: "waf-metrics",
    level: "warning",
    area: "waf",
    title: "WAF web ACLs and each of their rules publish CloudWatch metrics",
    types: ["aws_wafv2_web_acl"],
    refs: ["Security Hub WAF.12"],
    check(r) {
      const configs = [block(r.values.visibility_config), ...blocks(r.values.rule).map((x) => block(x.visibility_config))];
      const off = configs.filter((c) => !isTrue(c?.cloudwatch_metrics_enabled)).length;
      return off > 0 ? `${off} visibility_config(s) without CloudWatch metrics` : undefined;
    },
  }),
  rule({
    id: "waf-known-bad-inputs",
    level: "warning",
    area: "waf",
    title: "WAF web ACLs include AWS's Known Bad Inputs rules (Log4j and similar exploits)",
    types: ["aws_wafv2_web_acl"],
    refs: ["checkov CKV_AWS_192"],
    check(r) {
      return JSON.stringify(r.values.rule ?? "").includes("AWSManagedRulesKnownBadInputsRuleSet") ? undefined : "no AWSManagedRulesKnownBadInputsRuleSet";
    },
  }),
];
