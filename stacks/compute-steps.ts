import { Construct } from "constructs";
import { Bucket } from "../modules/buckets";
import { Repository } from "../modules/ecr";
import { Cluster, FargateService } from "../modules/ecs";
import { LoadBalancer } from "../modules/alb";
import { WebAcl } from "../modules/waf";
import type { BucketConfig, ServiceConfig } from "../environments";
import { Platform, byKey, step } from "./platform";
import { applyGrants, secretSource } from "./workload-steps";
import { workloadEnvironment } from "./references";

/**
 * `buckets`: application buckets, `<ns>-<env>-<name>-<account>-<region>`,
 * encrypted with the environment's storage key unless `s3-managed`. A bucket
 * named as another's `accessLogsBucket` is made first, and logs nowhere.
 */
export const bucketsStep = step({
  section: "buckets",
  build(p, config) {
    const scope = new Construct(p.stack, "buckets");
    const targets = new Set(Object.values(config).flatMap((b) => (b.accessLogsBucket === undefined ? [] : [b.accessLogsBucket])));
    for (const [name, bucket] of byKey(config)) {
      const target = bucket.accessLogsBucket;
      if (target === undefined) continue;
      if (!(target in config) || target === name) p.fail(`buckets.${name}.accessLogsBucket`, target, `another bucket of this section: ${Object.keys(config).join(", ")}`);
      if (config[target].accessLogsBucket !== undefined) p.fail(`buckets.${target}.accessLogsBucket`, config[target].accessLogsBucket, "none: a bucket that receives access logs logs nowhere itself");
    }
    const ordered = [...byKey(config).filter(([n]) => targets.has(n)), ...byKey(config).filter(([n]) => !targets.has(n))];
    for (const [name, bucket] of ordered) {
      if (bucket.publicRead !== undefined) {
        if (p.account?.publicBucketPolicies === undefined) {
          p.fail(`buckets.${name}.publicRead`, bucket.publicRead.reason, `only in an account whose settings allow public bucket policies (accounts[].publicBucketPolicies in environments/project.ts): the account-wide block would make AWS refuse this bucket's policy`);
        }
        if (p.config.protection === "production" && bucket.publicRead.expires === undefined) {
          p.fail(`buckets.${name}.publicRead.expires`, "(none)", "a YYYY-MM-DD review date: a production environment dates every accepted public-access decision");
        }
      }
      p.buckets.set(name, p.entry(name, () => makeBucket(p, scope, name, bucket)));
    }
  },
  outputs(p) {
    if (p.buckets.size === 0) return;
    p.stack.output("bucket-names", Object.fromEntries([...p.buckets].map(([n, b]) => [n, b.bucketName])), "Names of the application buckets, by short name");
  },
});

function makeBucket(p: Platform, scope: Construct, name: string, { encryption, accessLogsBucket, ...rest }: BucketConfig): Bucket {
  return new Bucket(scope, name, {
    ...rest,
    name,
    encryption: encryption === "s3-managed" ? "s3-managed" : { kmsKey: p.security.logsKey },
    logBucket: accessLogsBucket === undefined ? undefined : p.buckets.get(accessLogsBucket),
    protection: p.protection,
  });
}

/** `ecr`: one repository per name, images encrypted with the secrets key (Omnirapeutic's encryption diagram). */
export const ecrStep = step({
  section: "ecr",
  build(p, { repositories, ...shared }) {
    const scope = new Construct(p.stack, "ecr");
    repositories.forEach((name, i) => {
      if (repositories.indexOf(name) !== i) p.fail(`ecr.repositories.${i}`, name, "each repository once");
      p.repositories.set(name, p.entry(`repositories.${i}`, () => new Repository(scope, name, { ...shared, name, kmsKeyArn: p.security.secretsKey.keyArn, protection: p.protection })));
    });
  },
  outputs(p) {
    if (p.repositories.size === 0) return;
    p.stack.output("ecr-repository-urls", Object.fromEntries([...p.repositories].map(([n, r]) => [n, r.repositoryUrl])), "Push images here, by repository");
  },
});

/**
 * `ecs`: the Fargate cluster and one service per entry. Each service pulls
 * from its `ecr` repository, gets its secrets by ARN, reaches Aurora when it
 * says so, and its task role gets exactly the grants listed.
 */
export const ecsStep = step({
  section: "ecs",
  build(p, { services, ...clusterConfig }) {
    const network = p.requireNetwork("ecs", "services run in its private subnets");
    const cluster = new Cluster(p.stack, "ecs", { ...clusterConfig, logKmsKeyArn: p.security.logsKey.keyArn, protection: p.protection });
    p.cluster = cluster;
    for (const [name, service] of byKey(services)) {
      p.services.set(name, p.entry(`services.${name}`, () => makeService(p, cluster, network, name, service)));
    }
  },
  outputs(p) {
    if (p.cluster === undefined) return;
    p.stack.output("ecs-cluster-name", p.cluster.clusterName, "Name of the ECS cluster");
    p.stack.output("ecs-service-names", Object.fromEntries([...p.services].map(([n, s]) => [n, s.serviceName])), "ECS service names, by service");
    p.stack.output(
      "ecs-task-role-arns",
      Object.fromEntries([...p.services].map(([n, s]) => [n, s.taskRole.roleArn])),
      "Task roles (what the application runs as), by service",
    );
  },
});

function makeService(p: Platform, cluster: Cluster, network: Platform["network"] & object, name: string, config: ServiceConfig): FargateService {
  const { repository, secrets, connectsToDatabase, taskGrants, environment, ...props } = config;
  const at = `ecs.services.${name}`;
  const repo = p.repositories.get(repository ?? name);
  if (repo === undefined) p.fail(`${at}.repository`, repository ?? name, `a repository in ecr.repositories: ${[...p.repositories.keys()].join(", ") || "(no ecr section)"}`);
  const injected = Object.fromEntries(Object.entries(secrets ?? {}).map(([env, secretName]) => [env, secretSource(p, `${at}.secrets.${env}`, secretName)]));
  const service = new FargateService(cluster, name, {
    ...props,
    environment: workloadEnvironment(p, at, "ecs", { environment, grants: taskGrants, database: connectsToDatabase ? "aurora" : undefined }),
    name,
    cluster,
    network,
    repository: repo,
    secrets: injected,
    logKmsKeyArn: p.security.logsKey.keyArn,
    runtimeMonitoringAgent: p.account?.guardduty !== undefined,
    protection: p.protection,
  });
  if (connectsToDatabase) (p.aurora ?? p.fail(`${at}.connectsToDatabase`, true, "only with an aurora section")).allowFrom(service);
  applyGrants(p, service.taskRole, taskGrants ?? {}, `${at}.taskGrants`, connectsToDatabase ? "aurora" : undefined);
  return service;
}

/**
 * `alb`: the internet-facing load balancer, routing to `ecs` services, with
 * its access logs in a bucket of its own: SSE-S3, because ELB log delivery
 * supports nothing else (Omnirapeutic draws it under the S3 key).
 */
export const albStep = step({
  section: "alb",
  build(p, { routes, accessLogRetentionDays, ...props }) {
    const network = p.requireNetwork("alb", "the load balancer spans its public subnets");
    const targets = routes.map((route, i) => {
      const service = p.services.get(route.service) ?? p.fail(`alb.routes.${i}.service`, route.service, `a service of the ecs section: ${[...p.services.keys()].join(", ") || "(no ecs section)"}`);
      return { name: route.service, service, healthCheckPath: route.healthCheckPath, pathPatterns: route.pathPatterns };
    });
    const days = accessLogRetentionDays ?? 365;
    const logs = p.entry("accessLogRetentionDays", () =>
      new Bucket(p.stack, "alb-access-logs", {
        name: "alb-access-logs",
        encryption: "s3-managed",
        lifecycleRules: [{ id: "expire-access-logs", expirationDays: days, noncurrentVersionExpirationDays: 30 }],
        protection: p.protection,
        tags: props.tags,
      }),
    );
    // The module's targets are the config's routes, in the same order; a target's name is its route's service.
    const asRoute = (prop: string): string =>
      `alb.${prop.replace(/^targets\.(\d+)\.name$/, "routes.$1.service").replace(/^targets\b( \(names\))?/, (_m, names: string | undefined) => (names ? "routes (services)" : "routes"))}`;
    p.loadBalancer = p.asWritten(asRoute, () => new LoadBalancer(p.stack, "alb", { ...props, network, targets, accessLogBucket: logs, protection: p.protection }));
  },
  outputs(p) {
    const alb = p.loadBalancer;
    if (alb === undefined) return;
    p.stack.output("alb-dns-name", alb.dnsName, "DNS name of the load balancer (point a CNAME or alias here)");
    p.stack.output("alb-zone-id", alb.zoneId, "Route 53 zone id of the load balancer, for alias records");
    p.stack.output("alb-arn", alb.loadBalancerArn, "ARN of the load balancer");
    p.stack.output(
      "alb-target-group-arns",
      Object.fromEntries([...alb.targetGroups].map(([n, g]) => [n, g.arn])),
      "Target groups, by service",
    );
  },
});

/** `waf`: the web ACL in front of the load balancer. */
export const wafStep = step({
  section: "waf",
  build(p, config) {
    const alb = p.loadBalancer ?? p.fail("waf", "(section given)", "only with an alb section: the web ACL protects the load balancer");
    p.webAcl = new WebAcl(p.stack, "waf", { ...config, resourceArn: alb.loadBalancerArn, logKmsKeyArn: p.security.logsKey.keyArn, protection: p.protection });
  },
  outputs(p) {
    if (p.webAcl === undefined) return;
    p.stack.output("waf-web-acl-arn", p.webAcl.webAclArn, "ARN of the WAF web ACL");
  },
});
