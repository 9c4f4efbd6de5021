import type { DatabaseConnection, OutputName, TaskGrants, WorkloadEnvironment } from "../environments";
import { Platform, Section } from "./platform";

/**
 * Every output a workload's environment may name (`{ ref: "auth.userPoolId" }`),
 * from what the steps before it have built, in name order. The one list: config
 * types (`OutputName`), this resolver and its error message agree through it.
 */
export function outputReferences(p: Platform): Map<string, string> {
  // Typed by OutputName, so the compiler holds this list and the config type together.
  const refs: Array<[OutputName, string]> = [];
  const pool = p.userPool;
  if (pool !== undefined) {
    refs.push(["auth.userPoolId", pool.userPoolId], ["auth.userPoolArn", pool.userPoolArn], ["auth.issuerUrl", pool.issuerUrl]);
    if (pool.identityPoolId !== undefined) refs.push(["auth.identityPoolId", pool.identityPoolId]);
    for (const [client, id] of pool.clientIds) refs.push([`auth.clients.${client}.id`, id]);
  }
  for (const [name, bucket] of p.buckets) refs.push([`buckets.${name}.name`, bucket.bucketName], [`buckets.${name}.arn`, bucket.bucketArn]);
  for (const [name, queue] of p.queues) refs.push([`queues.${name}.url`, queue.queueUrl], [`queues.${name}.arn`, queue.queueArn], [`queues.${name}.name`, queue.queueName]);
  for (const [name, cdn] of p.distributions) refs.push([`cdn.${name}.domainName`, cdn.domainName], [`cdn.${name}.id`, cdn.distributionId]);
  if (p.restApi !== undefined) refs.push(["api.rest.url", p.restApi.invokeUrl]);
  if (p.httpApi !== undefined) refs.push(["api.http.url", p.httpApi.apiEndpoint]);
  if (p.email !== undefined) refs.push(["email.fromAddress", p.email.fromAddress], ["email.configurationSet", p.email.configurationSetName]);
  if (p.aurora !== undefined) {
    refs.push(["aurora.endpoint", p.aurora.clusterEndpoint], ["aurora.readerEndpoint", p.aurora.clusterReaderEndpoint], ["aurora.port", String(p.aurora.clusterPort)]);
  }
  if (p.rds !== undefined) refs.push(["rds.endpoint", p.rds.endpoint], ["rds.port", String(p.rds.port)]);
  for (const [name, fn] of p.functions) refs.push([`functions.${name}.name`, fn.functionName], [`functions.${name}.arn`, fn.functionArn]);
  return new Map(refs.sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Why a section's outputs are not there yet for `reader`: it is built later
 * (the steps' order), or later in its own section's name order.
 */
function notYet(p: Platform, ref: string, reader: Section): string | undefined {
  const section = ref.split(".")[0] as Section;
  if (!(section in p.config)) return `there is no ${section} section`;
  if (section === reader) return `a ${section} entry may name only entries before it in name order`;
  if (section === "api" && reader === "functions") return "the API is built after the functions it routes to: a function naming it would make a cycle";
  return undefined;
}

/** A workload's `environment`, each `{ ref }` replaced by the output it names; a clear error for an unknown one. */
export function resolveEnvironment(p: Platform, at: string, reader: Section, environment: WorkloadEnvironment | undefined): Record<string, string> {
  const entries = Object.entries(environment ?? {});
  if (entries.every(([, value]) => typeof value === "string")) return Object.fromEntries(entries) as Record<string, string>;
  const refs = outputReferences(p);
  return Object.fromEntries(
    entries.map(([variable, value]) => {
      if (typeof value === "string") return [variable, value];
      const resolved = refs.get(value.ref);
      if (resolved !== undefined) return [variable, resolved];
      const why = notYet(p, value.ref, reader);
      return p.fail(`${at}.environment.${variable}.ref`, value.ref, `${why === undefined ? "" : `not this one (${why}); `}one of ${[...refs.keys()].join(", ") || "(none: no section built before this one has outputs)"}`);
    }),
  );
}

/**
 * Where what a workload was granted lives, as environment variables, so no
 * config pastes a derived name: `BUCKET_<NAME>`, `QUEUE_URL_<NAME>`,
 * `SES_FROM_EMAIL` and `SES_CONFIGURATION_SET`, `DATABASE_HOST` and `DATABASE_PORT`.
 */
export function resourceEnvironment(p: Platform, grants: TaskGrants, database?: DatabaseConnection): Record<string, string> {
  const upper = (n: string): string => n.toUpperCase().replace(/-/g, "_");
  const env: Record<string, string> = {};
  for (const name of Object.keys(grants.buckets ?? {}).sort()) {
    const bucket = p.buckets.get(name);
    if (bucket !== undefined) env[`BUCKET_${upper(name)}`] = bucket.bucketName;
  }
  for (const name of grants.sendToQueues ?? []) {
    const queue = p.queues.get(name);
    if (queue !== undefined) env[`QUEUE_URL_${upper(name)}`] = queue.queueUrl;
  }
  if (grants.sendEmail === true && p.email !== undefined) {
    env.SES_FROM_EMAIL = p.email.fromAddress;
    env.SES_CONFIGURATION_SET = p.email.configurationSetName;
  }
  if (database === "aurora" && p.aurora !== undefined) {
    env.DATABASE_HOST = p.aurora.clusterEndpoint;
    env.DATABASE_PORT = String(p.aurora.clusterPort);
  }
  if (database === "rds" && p.rds !== undefined) {
    env.DATABASE_HOST = p.rds.endpoint;
    env.DATABASE_PORT = String(p.rds.port);
  }
  return env;
}

/**
 * A workload's whole plain environment, the same for functions, ECS services
 * and App Runner: what its grants and database connection derive, then its own
 * `environment` (literal or `{ ref }`), which may not redefine a derived name.
 */
export function workloadEnvironment(
  p: Platform,
  at: string,
  reader: Section,
  own: { environment?: WorkloadEnvironment; grants?: TaskGrants; database?: DatabaseConnection },
): Record<string, string> {
  const derived = resourceEnvironment(p, own.grants ?? {}, own.database);
  const resolved = resolveEnvironment(p, at, reader, own.environment);
  for (const variable of Object.keys(resolved)) {
    if (variable in derived) p.fail(`${at}.environment.${variable}`, variable, `a name Keel does not set from the grants (${Object.keys(derived).join(", ")})`);
  }
  return { ...derived, ...resolved };
}
