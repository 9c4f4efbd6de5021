/**
 * Artifacts a stack's workloads run that Terraform does not build: a Lambda
 * package in a bucket, an image in an ECR repository. When the same stack
 * creates the bucket or the repository, its first apply cannot contain the
 * artifact: Lambda reads the package at CreateFunction (NoSuchKey), and App
 * Runner fails its service after trying to pull for minutes. ECS starts,
 * but its tasks fail until the image exists.
 *
 * The one answer for all three is the first-deploy order: apply the stores
 * alone (`-target`), let CI publish into them, then apply everything. This
 * module reads the stores and what belongs in them from the synthesized
 * JSON, so `keel artifacts <stack>` and the emulator tier follow the same
 * list.
 */

interface StackJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** One artifact a workload needs before it can be created or start. */
export interface Artifact {
  /** The workload: aws_lambda_function.x, aws_apprunner_service.y, aws_ecs_task_definition.z. */
  readonly workload: string;
  /** The store the same stack creates: aws_s3_bucket.x or aws_ecr_repository.y. */
  readonly store: string;
  readonly kind: "object" | "image";
  /** The object key, or the image tag. */
  readonly name: string;
  /** What happens without it on a first apply. */
  readonly withoutIt: string;
  /** Whether the apply itself fails without it (Lambda, App Runner), rather than only the workload (ECS tasks). */
  readonly blocksApply: boolean;
}

const REF = (type: string) => new RegExp(`\\$\\{${type}\\.([A-Za-z0-9_-]+)\\.[a-z_]+\\}`);
const IMAGE = /\$\{aws_ecr_repository\.([A-Za-z0-9_-]+)\.repository_url\}:([\w][\w.-]*)/g;

/** Every artifact of the stack whose store the stack itself creates, in address order. */
export function stackArtifacts(stack: StackJson): Artifact[] {
  const found: Artifact[] = [];
  const resources = stack.resource ?? {};
  for (const [name, body] of Object.entries(resources.aws_lambda_function ?? {})) {
    const fn = body as { s3_bucket?: string; s3_key?: string };
    const bucket = fn.s3_bucket === undefined ? null : REF("aws_s3_bucket").exec(fn.s3_bucket);
    if (bucket && fn.s3_key !== undefined) {
      found.push({
        workload: `aws_lambda_function.${name}`,
        store: `aws_s3_bucket.${bucket[1]}`,
        kind: "object",
        name: fn.s3_key,
        withoutIt: "CreateFunction fails (NoSuchKey) and everything behind the function stops",
        blocksApply: true,
      });
    }
  }
  const images = (type: string, withoutIt: string, blocksApply: boolean) => {
    for (const [name, body] of Object.entries(resources[type] ?? {})) {
      for (const match of JSON.stringify(body).matchAll(IMAGE)) {
        found.push({ workload: `${type}.${name}`, store: `aws_ecr_repository.${match[1]}`, kind: "image", name: match[2], withoutIt, blocksApply });
      }
    }
  };
  images("aws_apprunner_service", "App Runner tries to pull for minutes, then the service is CREATE_FAILED and tainted", true);
  images("aws_ecs_task_definition", "the service is created, but its tasks fail to start until the image exists", false);
  const unique = new Map(found.map((a) => [`${a.workload} ${a.store} ${a.name}`, a]));
  return [...unique.values()].sort((a, b) => (a.workload < b.workload ? -1 : a.workload > b.workload ? 1 : a.name < b.name ? -1 : 1));
}

/** The stores to apply first, each once, sorted: the `-target`s of the first-deploy step. */
export function artifactStores(artifacts: readonly Artifact[]): string[] {
  return [...new Set(artifacts.map((a) => a.store))].sort();
}
