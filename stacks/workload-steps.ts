import * as fs from "node:fs";
import * as path from "node:path";
import { Construct } from "constructs";
import { IConnectable } from "../modules/network";
import { IGrantable, ISecretSource } from "../modules/iam";
import { Queue } from "../modules/queues";
import { LambdaFunction, reservableConcurrency } from "../modules/functions";
import { EmailIdentity } from "../modules/email";
import { RdsInstance } from "../modules/rds";
import { AppRunnerService } from "../modules/apprunner";
import type { AppRunnerConfig, DatabaseConnection, FunctionConfig, TaskGrants } from "../environments";
import { PROJECT_ROOT } from "../environments";
import { Platform, byKey, step } from "./platform";
import { workloadEnvironment } from "./references";

/**
 * What a workload's role may do, from config: the one place ECS tasks,
 * Lambda functions and App Runner instances get their grants, each through
 * the owning module's `grant*` verb.
 */
export function applyGrants(p: Platform, role: IGrantable, grants: TaskGrants, at: string, database?: DatabaseConnection): void {
  if (grants.databaseUser !== undefined) {
    if (database !== "aurora") p.fail(`${at}.databaseUser`, grants.databaseUser, "only when it connects to Aurora (connectsToDatabase): IAM database authentication is Aurora's");
    p.aurora!.grantConnect(role, grants.databaseUser);
  }
  (grants.readSecrets ?? []).forEach((s, i) => secretSource(p, `${at}.readSecrets.${i}`, s).grantRead(role));
  for (const [name, access] of byKey(grants.buckets ?? {})) p.lookup(p.buckets, `${at}.buckets.${name}`, name, "a bucket of the buckets section").grantAccess(role, access);
  (grants.sendToQueues ?? []).forEach((q, i) => p.lookup(p.queues, `${at}.sendToQueues.${i}`, q, "a queue of the queues section").grantSend(role));
  if (grants.sendEmail === true) (p.email ?? p.fail(`${at}.sendEmail`, true, "only with an email section")).grantSend(role);
}

/** A secret by config name: one of `security.secrets`, or `aurora` / `rds` for the database's RDS-managed master secret. */
export function secretSource(p: Platform, field: string, name: string): ISecretSource {
  if (name === "aurora") return (p.aurora ?? p.fail(field, name, "only with an aurora section")).masterSecret;
  if (name === "rds") return (p.rds ?? p.fail(field, name, "only with an rds section")).masterSecret;
  return p.lookup(p.security.secrets, field, name, "a secret of security.secrets, or aurora / rds for the database's master secret");
}

/** Opens PostgreSQL on the named database to `peer`. */
function connectDatabase(p: Platform, field: string, database: DatabaseConnection, peer: IConnectable): void {
  const target = database === "aurora" ? p.aurora : p.rds;
  (target ?? p.fail(field, database, `only with an ${database} section`)).allowFrom(peer);
}

/** `rds`: an RDS for PostgreSQL instance in the network's DB subnet group, with the environment's keys. */
export const rdsStep = step({
  section: "rds",
  build(p, config) {
    p.rds = new RdsInstance(p.stack, "rds", {
      ...config,
      network: p.requireNetwork("rds", "the instance lives in its DB subnet group"),
      storageKmsKeyArn: p.security.databaseKey.keyArn,
      secretKmsKeyArn: p.security.secretsKey.keyArn,
      logKmsKeyArn: p.security.logsKey.keyArn,
      protection: p.protection,
    });
  },
  outputs(p) {
    const rds = p.rds;
    if (rds === undefined) return;
    p.stack.output("rds-endpoint", rds.endpoint, "Host name of the RDS instance");
    p.stack.output("rds-master-user-secret-arn", rds.masterUserSecretArn, "ARN of the RDS-managed secret holding the master password (the ARN, not the value)");
    p.stack.output("rds-security-group-id", rds.securityGroupId, "Security group of the RDS instance");
    const restored = rds.restoredInstance;
    if (restored !== undefined) {
      p.stack.output("rds-restored-endpoint", restored.address, "Host name of the instance restored beside the original (rds.restore; keel db-shell --restored)");
      p.stack.output("rds-restored-master-user-secret-arn", restored.masterUserSecret.get(0).secretArn, "ARN of the restored instance's master secret (the ARN, not the value)");
    }
    if (rds.clientGroupIds.size > 0) {
      p.stack.output("rds-client-security-group-ids", Object.fromEntries(rds.clientGroupIds), "Security groups allowed PostgreSQL to the instance, for workloads to attach, by name");
    }
  },
});

/** `queues`: SQS queues under the environment's secrets key (with SNS, the messaging key), each with its dead-letter queue. */
export const queuesStep = step({
  section: "queues",
  build(p, config) {
    const scope = new Construct(p.stack, "queues");
    for (const [name, queue] of byKey(config)) {
      const kmsKey = (queue.encryption ?? "kms") === "kms" ? p.security.secretsKey : undefined;
      p.queues.set(name, p.entry(name, () => new Queue(scope, name, { ...queue, name, kmsKey })));
    }
  },
  outputs(p) {
    if (p.queues.size === 0) return;
    p.stack.output("queue-urls", Object.fromEntries([...p.queues].map(([n, q]) => [n, q.queueUrl])), "SQS queue URLs, by short name");
  },
});

/** `email`: SES sending from a domain of the `dns` zone; feedback on a topic under the secrets key. */
export const emailStep = step({
  section: "email",
  build(p, config) {
    const zone = p.zone ?? p.fail("email.domain", config.domain, "a domain of a dns section's zone: Keel adds its DKIM records there");
    p.email = new EmailIdentity(p.stack, "email", { ...config, zone, topicKey: p.security.secretsKey });
  },
  outputs(p) {
    if (p.email === undefined) return;
    p.stack.output("ses-configuration-set-name", p.email.configurationSetName, "SES configuration set to send with (bounces and complaints are tracked through it)");
    p.stack.output("ses-feedback-topic-arn", p.email.feedbackTopicArn, "SNS topic of bounce and complaint notifications (subscribe the application here)");
  },
});

/**
 * `functions`: Lambda functions with their grants, database access, dead-letter
 * queues and queue consumers. Their reserved concurrency together must leave
 * the account's 100 unreserved.
 */
export const functionsStep = step({
  section: "functions",
  build(p, config) {
    const scope = new Construct(p.stack, "functions");
    const limit = p.account?.lambdaConcurrencyLimit;
    let reserved = 0;
    for (const [name, fn] of byKey(config)) {
      reserved += fn.reservedConcurrency ?? 0;
      const reservable = reservableConcurrency(limit);
      if (reserved > reservable) {
        p.fail(`functions.${name}.reservedConcurrency`, fn.reservedConcurrency, `at most ${reservable - (reserved - (fn.reservedConcurrency ?? 0))}: this environment's functions reserve ${reserved} together, and the account's quota (${limit ?? 1000}, accounts[].lambdaConcurrencyLimit) keeps 100 unreserved`);
      }
      p.functions.set(name, p.entry(name, () => makeFunction(p, scope, name, fn)));
    }
  },
  outputs(p) {
    if (p.functions.size === 0) return;
    p.stack.output("function-names", Object.fromEntries([...p.functions].map(([n, f]) => [n, f.functionName])), "Lambda function names (aws lambda update-function-code --function-name), by short name");
  },
});

function makeFunction(p: Platform, scope: Construct, name: string, config: FunctionConfig): LambdaFunction {
  const { code, secrets, vpc, connectsToDatabase, deadLetterQueue, queueEvents, grants, environment, ...props } = config;
  const at = `functions.${name}`;
  const env = workloadEnvironment(p, at, "functions", { environment, grants, database: connectsToDatabase });
  if (!("bucket" in code)) {
    const directory = path.resolve(PROJECT_ROOT, code.path);
    if (!fs.existsSync(directory) || !fs.statSync(directory).isDirectory()) {
      p.fail(`${at}.code.path`, code.path, `a directory relative to the project root (the folder with cdktf.json), zipped at synth: ${path.relative(PROJECT_ROOT, directory) || "."} is not one`);
    }
  }
  const fn = new LambdaFunction(scope, name, {
    ...props,
    environment: env,
    name,
    code: "bucket" in code ? { bucket: p.lookup(p.buckets, `${at}.code.bucket`, code.bucket, "a bucket of the buckets section"), key: code.key } : { path: path.resolve(PROJECT_ROOT, code.path) },
    secrets: Object.fromEntries(Object.entries(secrets ?? {}).map(([variable, secret]) => [variable, secretSource(p, `${at}.secrets.${variable}`, secret)])),
    vpc: vpc === undefined ? undefined : { ...vpc, network: p.requireNetwork("functions", `function ${name} runs in its subnets`) },
    deadLetterQueue: deadLetterQueue === undefined ? undefined : p.lookup(p.queues, `${at}.deadLetterQueue`, deadLetterQueue, "a queue of the queues section"),
    environmentKey: p.security.secretsKey,
    logKmsKeyArn: p.security.logsKey.keyArn,
    accountConcurrencyLimit: p.account?.lambdaConcurrencyLimit,
  });
  if (connectsToDatabase !== undefined) {
    if (vpc === undefined) p.fail(`${at}.connectsToDatabase`, connectsToDatabase, "only with vpc: the database is reachable only inside the network");
    connectDatabase(p, `${at}.connectsToDatabase`, connectsToDatabase, fn);
  }
  applyGrants(p, fn.role, grants ?? {}, `${at}.grants`, connectsToDatabase);
  if (queueEvents !== undefined) {
    const { queue, ...options } = queueEvents;
    const source = p.lookup(p.queues, `${at}.queueEvents.queue`, queue, "a queue of the queues section");
    // The queue's own fields are in the queues section; the consumer's are this function's queueEvents.
    p.asWritten(
      (prop) => (prop.startsWith(`consumers.${fn.name}.`) ? `${at}.queueEvents.${prop.slice(`consumers.${fn.name}.`.length)}` : `queues.${queue}.${prop}`),
      () => source.addConsumer(fn, options),
    );
  }
  return fn;
}

/** `apprunner`: App Runner services from `ecr` images, with VPC connectors into the environment's network. */
export const apprunnerStep = step({
  section: "apprunner",
  build(p, config) {
    const scope = new Construct(p.stack, "apprunner");
    for (const [name, service] of byKey(config)) p.appRunnerServices.set(name, p.entry(name, () => makeAppRunner(p, scope, name, service)));
  },
  outputs(p) {
    if (p.appRunnerServices.size === 0) return;
    p.stack.output("apprunner-service-urls", Object.fromEntries([...p.appRunnerServices].map(([n, s]) => [n, s.serviceUrl])), "App Runner default domains, by service");
    const groups = [...p.appRunnerServices].filter(([, s]) => s.connectorSecurityGroupId !== undefined);
    if (groups.length > 0) p.stack.output("apprunner-security-group-ids", Object.fromEntries(groups.map(([n, s]) => [n, s.connectorSecurityGroupId])), "Security groups of the App Runner VPC connectors, by service");
    p.stack.output("apprunner-service-arns", Object.fromEntries([...p.appRunnerServices].map(([n, s]) => [n, s.serviceArn])), "App Runner service ARNs (aws apprunner start-deployment), by service");
  },
});

function makeAppRunner(p: Platform, scope: Construct, name: string, config: AppRunnerConfig): AppRunnerService {
  const { repository, secrets, vpc, connectsToDatabase, grants, environment, ...props } = config;
  const at = `apprunner.${name}`;
  const service = new AppRunnerService(scope, name, {
    ...props,
    environment: workloadEnvironment(p, at, "apprunner", { environment, grants, database: connectsToDatabase }),
    name,
    repository: p.lookup(p.repositories, `${at}.repository`, repository ?? name, "a repository of ecr.repositories"),
    secrets: Object.fromEntries(Object.entries(secrets ?? {}).map(([variable, secret]) => [variable, secretSource(p, `${at}.secrets.${variable}`, secret)])),
    vpc: vpc === undefined ? undefined : { ...vpc, network: p.requireNetwork("apprunner", `service ${name}'s VPC connector uses its subnets`) },
  });
  if (connectsToDatabase !== undefined) {
    if (vpc === undefined) p.fail(`${at}.connectsToDatabase`, connectsToDatabase, "only with vpc: the database is reachable only through a VPC connector");
    connectDatabase(p, `${at}.connectsToDatabase`, connectsToDatabase, service);
  }
  applyGrants(p, service.instanceRole, grants ?? {}, `${at}.grants`, connectsToDatabase);
  return service;
}

