/**
 * Image and code deploys for workloads with `deployedBy: "ci"` (seed 003's
 * flow): Terraform created each workload once and ignores what CI rolls
 * out; CI pushes a new image (or package), and this module rolls it out:
 * wait for the scan on push and stop on critical findings, register a
 * task-definition revision that changes only the image, update the service
 * and wait until it is stable. The same for Lambda code and App Runner.
 * Targets come from the synthesized JSON, the AWS calls from `DeployApi`,
 * so tests reach every decision without AWS and without sleeping.
 */

interface StackJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
}

export type DeployTarget =
  | { readonly kind: "ecs"; readonly workload: string; readonly cluster: string; readonly service: string; readonly family: string; readonly container: string; readonly repository: string }
  | { readonly kind: "lambda"; readonly workload: string; readonly functionName: string }
  | { readonly kind: "apprunner"; readonly workload: string; readonly serviceName: string; readonly repository: string };

const REFERENCE = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}$/;
const IMAGE = /\$\{aws_ecr_repository\.([A-Za-z0-9_-]+)\.repository_url\}:/;

function ignores(body: Record<string, unknown>, attribute: string): boolean {
  const lifecycle = body.lifecycle as { ignore_changes?: readonly string[] } | undefined;
  return (lifecycle?.ignore_changes ?? []).includes(attribute);
}

/** Every workload of a synthesized stack whose code or image CI rolls out, by its Terraform name. */
export function deployTargets(stack: StackJson): DeployTarget[] {
  const resources = stack.resource ?? {};
  const repositoryOf = (body: unknown): string | undefined => {
    const match = IMAGE.exec(JSON.stringify(body));
    return match === null ? undefined : String(resources.aws_ecr_repository?.[match[1]]?.name);
  };
  const targets: DeployTarget[] = [];
  for (const [name, body] of Object.entries(resources.aws_ecs_service ?? {})) {
    if (!ignores(body, "task_definition")) continue;
    const ref = REFERENCE.exec(String(body.task_definition));
    const taskDefinition = ref === null ? undefined : resources.aws_ecs_task_definition?.[ref[2]];
    if (taskDefinition === undefined) continue;
    const containers = JSON.parse(String(taskDefinition.container_definitions)) as Array<{ name: string; image: string }>;
    const container = containers.find((c) => IMAGE.test(c.image));
    const repository = container === undefined ? undefined : repositoryOf(container.image);
    if (container === undefined || repository === undefined) continue;
    // UpdateService takes the cluster's name as well as its ARN, and the name is known before apply.
    const cluster = REFERENCE.exec(String(body.cluster));
    const clusterName = cluster === null ? String(body.cluster) : String(resources[cluster[1]]?.[cluster[2]]?.name ?? body.cluster);
    targets.push({ kind: "ecs", workload: name, cluster: clusterName, service: String(body.name), family: String(taskDefinition.family), container: container.name, repository });
  }
  for (const [name, body] of Object.entries(resources.aws_lambda_function ?? {})) {
    if (ignores(body, "s3_key") || ignores(body, "filename")) targets.push({ kind: "lambda", workload: name, functionName: String(body.function_name) });
  }
  for (const [name, body] of Object.entries(resources.aws_apprunner_service ?? {})) {
    const repository = repositoryOf(body.source_configuration);
    if (ignores(body, "source_configuration[0].image_repository[0].image_identifier") && repository !== undefined) {
      targets.push({ kind: "apprunner", workload: name, serviceName: String(body.service_name), repository });
    }
  }
  return targets.sort((a, b) => (a.workload < b.workload ? -1 : 1));
}

/** A task definition as DescribeTaskDefinition returns it (the fields a revision copies, and the rest). */
export type TaskDefinition = Record<string, unknown> & { containerDefinitions: Array<Record<string, unknown> & { name: string; image: string }> };

/** The AWS calls a deploy makes; the CLI implements it with the AWS SDK, tests with a fake. */
export interface DeployApi {
  imageScan(repository: string, tag: string): Promise<{ status: string; critical: number; high: number; uri: string }>;
  currentTaskDefinition(family: string): Promise<TaskDefinition>;
  registerTaskDefinition(definition: Record<string, unknown>): Promise<string>;
  updateService(cluster: string, service: string, taskDefinitionArn: string): Promise<void>;
  serviceState(cluster: string, service: string): Promise<{ rollout: string; running: number; desired: number; deployments: number; reason?: string }>;
  updateFunctionCode(functionName: string, zip: Buffer): Promise<void>;
  functionState(functionName: string): Promise<{ status: string; reason?: string }>;
  appRunnerService(serviceName: string): Promise<{ arn: string; status: string }>;
  updateAppRunnerImage(serviceArn: string, image: string): Promise<void>;
  wait(milliseconds: number): Promise<void>;
}

export class DeployStopped extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeployStopped";
  }
}

/** What RegisterTaskDefinition takes of a described task definition; everything else is AWS's bookkeeping. */
const REGISTERABLE = [
  "family",
  "taskRoleArn",
  "executionRoleArn",
  "networkMode",
  "containerDefinitions",
  "volumes",
  "placementConstraints",
  "requiresCompatibilities",
  "cpu",
  "memory",
  "pidMode",
  "ipcMode",
  "proxyConfiguration",
  "inferenceAccelerators",
  "ephemeralStorage",
  "runtimePlatform",
] as const;

/** The next revision: the same definition with one container's image replaced. */
export function nextRevision(current: TaskDefinition, container: string, image: string): Record<string, unknown> {
  if (!current.containerDefinitions.some((c) => c.name === container)) {
    throw new DeployStopped(`Task definition ${String(current.family)} has no container '${container}'`);
  }
  const revision: Record<string, unknown> = {};
  for (const key of REGISTERABLE) if (current[key] !== undefined) revision[key] = current[key];
  revision.containerDefinitions = current.containerDefinitions.map((c) => (c.name === container ? { ...c, image } : c));
  return revision;
}

export interface DeployOptions {
  /** Seconds between checks. @default 10 */
  readonly pollSeconds?: number;
  /** How long a scan, a rollout or a code update may take. @default 1200 (20 minutes) */
  readonly timeoutSeconds?: number;
  readonly onProgress?: (line: string) => void;
}

async function until<T>(api: DeployApi, options: DeployOptions, what: string, check: () => Promise<T | undefined>): Promise<T> {
  const poll = (options.pollSeconds ?? 10) * 1000;
  const rounds = Math.ceil(((options.timeoutSeconds ?? 1200) * 1000) / poll);
  for (let i = 0; i <= rounds; i++) {
    const done = await check();
    if (done !== undefined) return done;
    await api.wait(poll);
  }
  throw new DeployStopped(`${what}: not done after ${options.timeoutSeconds ?? 1200} s`);
}

/** Waits for the image's scan on push; refuses an image with critical findings. Returns the image's URI. */
export async function scannedImage(api: DeployApi, repository: string, tag: string, options: DeployOptions = {}): Promise<string> {
  const scan = await until(api, options, `the scan of ${repository}:${tag}`, async () => {
    const s = await api.imageScan(repository, tag);
    return s.status === "COMPLETE" || s.status === "FAILED" || s.status === "UNSUPPORTED_IMAGE" ? s : undefined;
  });
  if (scan.status !== "COMPLETE") throw new DeployStopped(`The scan of ${repository}:${tag} ended ${scan.status}: nothing deployed`);
  if (scan.critical > 0) throw new DeployStopped(`${repository}:${tag} has ${scan.critical} critical finding(s) (and ${scan.high} high): nothing deployed`);
  options.onProgress?.(`${repository}:${tag} scanned: no critical findings (${scan.high} high)`);
  return scan.uri;
}

/** Rolls out `tag` to one workload, and waits until it serves it. */
export async function deploy(api: DeployApi, target: DeployTarget, artifact: { tag: string; zip?: Buffer }, options: DeployOptions = {}): Promise<string> {
  const say = options.onProgress ?? (() => undefined);
  if (target.kind === "lambda") {
    if (artifact.zip === undefined) throw new DeployStopped(`${target.functionName} is a Lambda function: give its package (--package <zip>)`);
    await api.updateFunctionCode(target.functionName, artifact.zip);
    const state = await until(api, options, `the code update of ${target.functionName}`, async () => {
      const s = await api.functionState(target.functionName);
      return s.status === "InProgress" ? undefined : s;
    });
    if (state.status !== "Successful") throw new DeployStopped(`Lambda did not take the new code of ${target.functionName}: ${state.status} ${state.reason ?? ""}`.trim());
    return `${target.functionName}: code ${artifact.tag} deployed`;
  }
  const image = await scannedImage(api, target.repository, artifact.tag, options);
  if (target.kind === "apprunner") {
    const service = await api.appRunnerService(target.serviceName);
    await api.updateAppRunnerImage(service.arn, image);
    const status = await until(api, options, `the deployment of ${target.serviceName}`, async () => {
      const s = await api.appRunnerService(target.serviceName);
      return s.status === "OPERATION_IN_PROGRESS" ? undefined : s.status;
    });
    if (status !== "RUNNING") throw new DeployStopped(`App Runner service ${target.serviceName} is ${status} after the deployment`);
    return `${target.serviceName}: ${image} running`;
  }
  const current = await api.currentTaskDefinition(target.family);
  const arn = await api.registerTaskDefinition(nextRevision(current, target.container, image));
  say(`registered ${arn}`);
  await api.updateService(target.cluster, target.service, arn);
  await until(api, options, `the rollout of ${target.service}`, async () => {
    const s = await api.serviceState(target.cluster, target.service);
    if (s.rollout === "FAILED") throw new DeployStopped(`The rollout of ${target.service} failed (the circuit breaker rolls it back): ${s.reason ?? "see the service's events"}`);
    return s.rollout === "COMPLETED" && s.deployments === 1 && s.running === s.desired ? s : undefined;
  });
  return `${target.service}: ${arn} stable`;
}
