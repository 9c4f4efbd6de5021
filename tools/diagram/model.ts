/**
 * An architecture model read from a synthesized stack (Terraform JSON) alone:
 * what sits in which subnet of which AZ of which VPC, what sits beside the
 * VPC, and the edges that carry requests and traffic (security-group rules
 * with their ports, listener rules, routes to NAT and internet gateways,
 * integrations). Dependencies are not edges.
 */

type Body = Record<string, unknown>;
type Resources = Record<string, Record<string, Body>>;

export interface DiagramNode {
  readonly id: string;
  readonly label: string;
  /** What kind of thing it is, for its shape and colour. */
  readonly kind: "compute" | "database" | "network" | "edge" | "storage" | "messaging" | "security" | "external" | "subnet";
}

export interface Subnet {
  readonly id: string;
  readonly az: string;
  readonly tier: string;
  readonly cidr: string;
  readonly vpc: string;
  readonly nodes: DiagramNode[];
}

export interface Vpc {
  readonly id: string;
  readonly label: string;
  /** Resources placed in more than one subnet (load balancers, services, databases), or in the VPC itself. */
  readonly spanning: DiagramNode[];
}

export interface Edge {
  readonly from: string;
  readonly to: string;
  readonly labels: string[];
  readonly kind: "traffic" | "request" | "route";
}

export interface Model {
  readonly region: string;
  readonly vpcs: Vpc[];
  readonly subnets: Subnet[];
  /** Services outside any VPC, by group. */
  readonly beside: Map<string, DiagramNode[]>;
  readonly edges: Edge[];
}

const REFERENCE = /\$\{([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?\.[a-z_]+/g;

/** The resource addresses a value refers to, in order of first mention. */
function references(value: unknown): string[] {
  const found: string[] = [];
  const text = JSON.stringify(value ?? null);
  for (const [, type, name] of text.matchAll(REFERENCE)) {
    const address = `${type}.${name}`;
    if (!found.includes(address)) found.push(address);
  }
  return found;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);
const first = (value: unknown): Body => (list(value)[0] ?? {}) as Body;

/** What an architecture reader calls each drawn type, and its kind. */
const DRAWN: Readonly<Record<string, { readonly what: string; readonly kind: DiagramNode["kind"]; readonly group?: string }>> = {
  aws_lb: { what: "Load balancer", kind: "network" },
  aws_ecs_service: { what: "ECS service", kind: "compute" },
  aws_instance: { what: "EC2 instance", kind: "compute" },
  aws_rds_cluster: { what: "Aurora", kind: "database" },
  aws_db_instance: { what: "RDS", kind: "database" },
  aws_lambda_function: { what: "Lambda", kind: "compute", group: "Serverless" },
  aws_apprunner_vpc_connector: { what: "App Runner connector", kind: "network" },
  aws_nat_gateway: { what: "NAT gateway", kind: "network" },
  aws_internet_gateway: { what: "Internet gateway", kind: "network" },
  aws_vpc_endpoint: { what: "VPC endpoint", kind: "network" },
  aws_cloudfront_distribution: { what: "CloudFront", kind: "edge", group: "Edge" },
  aws_wafv2_web_acl: { what: "WAF", kind: "security", group: "Edge" },
  aws_apigatewayv2_api: { what: "HTTP API", kind: "edge", group: "Edge" },
  aws_api_gateway_rest_api: { what: "REST API", kind: "edge", group: "Edge" },
  aws_cognito_user_pool: { what: "Cognito user pool", kind: "security", group: "Identity" },
  aws_apprunner_service: { what: "App Runner", kind: "compute", group: "Serverless" },
  aws_s3_bucket: { what: "S3", kind: "storage", group: "Storage" },
  aws_sqs_queue: { what: "SQS", kind: "messaging", group: "Messaging" },
  aws_sesv2_email_identity: { what: "SES identity", kind: "messaging", group: "Messaging" },
  aws_sns_topic: { what: "SNS", kind: "messaging", group: "Messaging" },
  aws_ecr_repository: { what: "ECR", kind: "storage", group: "Images and secrets" },
  aws_secretsmanager_secret: { what: "Secret", kind: "security", group: "Images and secrets" },
  aws_cloudtrail: { what: "CloudTrail", kind: "security", group: "Account services" },
  aws_config_configuration_recorder: { what: "AWS Config", kind: "security", group: "Account services" },
  aws_guardduty_detector: { what: "GuardDuty", kind: "security", group: "Account services" },
  aws_dynamodb_table: { what: "DynamoDB", kind: "database", group: "Storage" },
};

/** The name a reader knows a resource by: its Name tag or name-like argument, else its Terraform name. */
function displayName(name: string, body: Body): string {
  const tags = (body.tags ?? {}) as Record<string, unknown>;
  for (const candidate of [body.name, body.cluster_identifier, body.identifier, body.bucket, body.function_name, body.service_name, body.email_identity, tags.Name, body.comment]) {
    if (typeof candidate === "string" && candidate !== "" && !candidate.includes("${")) return candidate;
  }
  return name;
}

export function buildModel(stack: Body): Model {
  const resources = (stack.resource ?? {}) as Resources;
  const all = (type: string): Array<[string, Body]> => Object.entries(resources[type] ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  const providers = list((stack.provider as Body | undefined)?.aws);
  const region = String(first(providers.filter((p) => (p as Body).alias === undefined)).region ?? "region");

  const node = (type: string, name: string, body: Body, extra = ""): DiagramNode => {
    const drawn = DRAWN[type];
    return { id: `${type}.${name}`, label: `${drawn.what}\n${displayName(name, body)}${extra}`, kind: drawn.kind };
  };

  // Subnets, their AZ and tier: the Tier tag, else what their route table routes to.
  const tierByTable = new Map<string, string>();
  for (const [, route] of all("aws_route")) {
    const table = references(route.route_table_id)[0];
    if (table === undefined || route.destination_cidr_block !== "0.0.0.0/0") continue;
    if (references(route.gateway_id)[0]?.startsWith("aws_internet_gateway.")) tierByTable.set(table, "public");
    else if (references(route.nat_gateway_id).length > 0 && !tierByTable.has(table)) tierByTable.set(table, "private");
  }
  const tableOf = new Map<string, string>();
  for (const [, association] of all("aws_route_table_association")) {
    const subnet = references(association.subnet_id)[0];
    const table = references(association.route_table_id)[0];
    if (subnet !== undefined && table !== undefined) tableOf.set(subnet, table);
  }
  const subnets: Subnet[] = all("aws_subnet").map(([name, body]) => {
    const id = `aws_subnet.${name}`;
    const tags = (body.tags ?? {}) as Record<string, unknown>;
    const table = tableOf.get(id);
    const tier = typeof tags.Tier === "string" ? tags.Tier : ((table && tierByTable.get(table)) ?? "isolated");
    return { id, az: String(body.availability_zone ?? "az"), tier, cidr: String(body.cidr_block ?? ""), vpc: references(body.vpc_id)[0] ?? "", nodes: [] };
  });
  const subnetById = new Map(subnets.map((s) => [s.id, s]));
  const vpcs: Vpc[] = all("aws_vpc").map(([name, body]) => ({ id: `aws_vpc.${name}`, label: `VPC ${displayName(name, body)}\n${String(body.cidr_block ?? "")}`, spanning: [] }));
  const vpcById = new Map(vpcs.map((v) => [v.id, v]));

  // Where each in-VPC resource sits.
  const subnetGroups = new Map(all("aws_db_subnet_group").map(([name, body]) => [`aws_db_subnet_group.${name}`, references(body.subnet_ids)]));
  const placement = (type: string, body: Body): string[] => {
    switch (type) {
      case "aws_lb":
        return references(body.subnets);
      case "aws_ecs_service":
        return references(first(body.network_configuration).subnets);
      case "aws_instance":
      case "aws_nat_gateway":
        return references(body.subnet_id);
      case "aws_rds_cluster":
      case "aws_db_instance":
        return subnetGroups.get(references(body.db_subnet_group_name)[0] ?? "") ?? [];
      case "aws_lambda_function":
        return references(first(body.vpc_config).subnet_ids);
      case "aws_apprunner_vpc_connector":
        return references(body.subnets);
      case "aws_vpc_endpoint":
        return references(body.subnet_ids);
      default:
        return [];
    }
  };
  const beside = new Map<string, DiagramNode[]>();
  const drawnIds = new Set<string>();
  for (const type of Object.keys(DRAWN).sort()) {
    for (const [name, body] of all(type)) {
      const where = placement(type, body).filter((s) => subnetById.has(s));
      const vpc = type === "aws_internet_gateway" || type === "aws_vpc_endpoint" ? vpcById.get(references(body.vpc_id)[0] ?? "") : undefined;
      if (where.length === 1) {
        subnetById.get(where[0])!.nodes.push(node(type, name, body));
      } else if (where.length > 1) {
        const tiers = [...new Set(where.map((s) => subnetById.get(s)!.tier))].join(", ");
        const azs = new Set(where.map((s) => subnetById.get(s)!.az)).size;
        vpcById.get(subnetById.get(where[0])!.vpc)?.spanning.push(node(type, name, body, `\n(${tiers} subnets, ${azs} AZs)`));
      } else if (vpc !== undefined) {
        const service = typeof body.service_name === "string" ? `\n${body.service_name.split(".").pop()}` : "";
        vpc.spanning.push({ ...node(type, name, body), label: `${DRAWN[type].what}${service}` });
      } else {
        const group = DRAWN[type].group ?? "Services";
        beside.set(group, [...(beside.get(group) ?? []), node(type, name, body)]);
      }
      drawnIds.add(`${type}.${name}`);
    }
  }

  // Edges, merged per pair: their labels listed together.
  const edges: Edge[] = [];
  const edge = (from: string, to: string, label: string, kind: Edge["kind"]): void => {
    if (from === to) return;
    const existing = edges.find((e) => e.from === from && e.to === to);
    if (existing === undefined) edges.push({ from, to, labels: [label], kind });
    else if (!existing.labels.includes(label)) existing.labels.push(label);
  };
  const INTERNET = "internet";

  // Security-group rules: from the resources holding the source group (or the internet) to those holding the target.
  const groupsOf = (type: string, body: Body): string[] => {
    switch (type) {
      case "aws_lb":
        return references(body.security_groups);
      case "aws_ecs_service":
        return references(first(body.network_configuration).security_groups);
      case "aws_lambda_function":
        return references(first(body.vpc_config).security_group_ids);
      case "aws_apprunner_vpc_connector":
        return references(body.security_groups);
      default:
        return references(body.vpc_security_group_ids ?? body.security_group_ids);
    }
  };
  const holders = new Map<string, string[]>();
  for (const id of [...drawnIds].sort()) {
    const [type, name] = id.split(".");
    for (const group of groupsOf(type, resources[type][name])) holders.set(group, [...(holders.get(group) ?? []), id]);
  }
  const port = (rule: Body): string => {
    const protocol = String(rule.ip_protocol ?? rule.protocol ?? "tcp");
    if (protocol === "-1") return "all traffic";
    return rule.from_port === rule.to_port ? `${protocol} ${String(rule.from_port)}` : `${protocol} ${String(rule.from_port)}-${String(rule.to_port)}`;
  };
  let internet = false;
  for (const [, rule] of all("aws_vpc_security_group_ingress_rule")) {
    const targets = holders.get(references(rule.security_group_id)[0] ?? "") ?? [];
    const source = references(rule.referenced_security_group_id)[0];
    const sources = source !== undefined ? (holders.get(source) ?? []) : rule.cidr_ipv4 === "0.0.0.0/0" || rule.cidr_ipv6 === "::/0" ? [INTERNET] : [];
    for (const from of sources) for (const to of targets) edge(from, to, port(rule), "traffic");
    if (sources.includes(INTERNET) && targets.length > 0) internet = true;
  }

  // Listener rules: the load balancer to the services behind each target group.
  const servicesByGroup = new Map<string, string[]>();
  for (const [name, body] of all("aws_ecs_service")) {
    for (const lb of list(body.load_balancer)) {
      const group = references((lb as Body).target_group_arn)[0];
      if (group !== undefined) servicesByGroup.set(group, [...(servicesByGroup.get(group) ?? []), `aws_ecs_service.${name}|${String((lb as Body).container_port)}`]);
    }
  }
  const listeners = new Map(all("aws_lb_listener").map(([name, body]) => [`aws_lb_listener.${name}`, body]));
  const forward = (listenerId: string, actions: unknown, condition: string): void => {
    const listener = listeners.get(listenerId);
    if (listener === undefined) return;
    const lb = references(listener.load_balancer_arn)[0];
    for (const action of list(actions)) {
      for (const group of references((action as Body).target_group_arn ?? (action as Body).forward)) {
        for (const entry of servicesByGroup.get(group) ?? []) {
          const [service, containerPort] = entry.split("|");
          edge(lb, service, `${String(listener.protocol)} :${String(listener.port)}${condition} -> ${containerPort}`, "request");
        }
      }
    }
  };
  for (const [id, listener] of listeners) forward(id, listener.default_action, "");
  for (const [, rule] of all("aws_lb_listener_rule")) {
    const patterns = list(rule.condition).flatMap((c) => list(first((c as Body).path_pattern).values).map(String));
    forward(references(rule.listener_arn)[0] ?? "", rule.action, patterns.length > 0 ? ` ${patterns.join(" ")}` : "");
  }

  // Routes: subnets to their NAT gateway or internet gateway.
  for (const subnet of subnets) {
    const table = tableOf.get(subnet.id);
    for (const [, route] of all("aws_route")) {
      if (references(route.route_table_id)[0] !== table || table === undefined) continue;
      const target = references(route.nat_gateway_id)[0] ?? references(route.gateway_id)[0];
      if (target !== undefined && drawnIds.has(target)) edge(subnet.id, target, String(route.destination_cidr_block ?? route.destination_prefix_list_id ?? "route"), "route");
    }
  }
  for (const [name] of all("aws_internet_gateway")) if (internet || all("aws_lb").length > 0) edge(`aws_internet_gateway.${name}`, INTERNET, "internet", "route");

  // Integrations: WAF, CloudFront origins, API routes, queues to functions, App Runner to its connector.
  for (const [, association] of all("aws_wafv2_web_acl_association")) {
    const acl = references(association.web_acl_arn)[0];
    for (const target of references(association.resource_arn)) if (acl !== undefined && drawnIds.has(target)) edge(acl, target, "inspects", "request");
  }
  for (const [name, body] of all("aws_cloudfront_distribution")) {
    const id = `aws_cloudfront_distribution.${name}`;
    for (const origin of list(body.origin)) for (const target of references(origin)) if (drawnIds.has(target)) edge(id, target, "origin", "request");
    for (const acl of references(body.web_acl_id)) if (drawnIds.has(acl)) edge(acl, id, "inspects", "request");
    edge(INTERNET, id, "HTTPS", "request");
    internet = true;
  }
  for (const [, integration] of [...all("aws_apigatewayv2_integration"), ...all("aws_api_gateway_integration")]) {
    const api = references(integration.api_id ?? integration.rest_api_id)[0];
    for (const target of references(integration.integration_uri ?? integration.uri)) if (api !== undefined && drawnIds.has(target)) edge(api, target, "integration", "request");
  }
  for (const [name] of [...all("aws_apigatewayv2_api"), ...all("aws_api_gateway_rest_api")]) {
    const id = all("aws_apigatewayv2_api").some(([n]) => n === name) ? `aws_apigatewayv2_api.${name}` : `aws_api_gateway_rest_api.${name}`;
    edge(INTERNET, id, "HTTPS", "request");
    internet = true;
  }
  for (const [, mapping] of all("aws_lambda_event_source_mapping")) {
    const source = references(mapping.event_source_arn)[0];
    const fn = references(mapping.function_name)[0];
    if (source !== undefined && fn !== undefined && drawnIds.has(source) && drawnIds.has(fn)) edge(source, fn, "events", "request");
  }
  for (const [name, body] of all("aws_apprunner_service")) {
    edge(INTERNET, `aws_apprunner_service.${name}`, "HTTPS", "request");
    internet = true;
    for (const connector of references(first(first(body.network_configuration).egress_configuration).vpc_connector_arn)) edge(`aws_apprunner_service.${name}`, connector, "egress", "route");
  }
  if (internet || edges.some((e) => e.to === INTERNET)) beside.set("Internet", [{ id: INTERNET, label: "Internet\nusers", kind: "external" }]);

  return { region, vpcs, subnets, beside, edges };
}
