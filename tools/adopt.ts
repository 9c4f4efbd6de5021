import * as fs from "node:fs";
import * as path from "node:path";
import { S3Client, HeadBucketCommand } from "@aws-sdk/client-s3";
import { RDSClient, DescribeDBClustersCommand, DescribeDBInstancesCommand, DescribeDBSubnetGroupsCommand } from "@aws-sdk/client-rds";
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { ECRClient, DescribeRepositoriesCommand } from "@aws-sdk/client-ecr";
import { IAMClient, GetRoleCommand } from "@aws-sdk/client-iam";
import { SQSClient, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { SNSClient, GetTopicAttributesCommand } from "@aws-sdk/client-sns";
import { SecretsManagerClient, DescribeSecretCommand } from "@aws-sdk/client-secrets-manager";
import { ElasticLoadBalancingV2Client, DescribeLoadBalancersCommand, DescribeTargetGroupsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { EC2Client, DescribeVpcsCommand, DescribeSubnetsCommand, DescribeSecurityGroupsCommand, DescribeInternetGatewaysCommand } from "@aws-sdk/client-ec2";
import { ECSClient, DescribeClustersCommand } from "@aws-sdk/client-ecs";
import { LambdaClient, GetFunctionCommand } from "@aws-sdk/client-lambda";
import { KMSClient, ListAliasesCommand } from "@aws-sdk/client-kms";
import { STSClient, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { importIdProblem } from "../environments/lib/import-ids";

/**
 * `keel adopt <env>`: finds, for each resource of an environment that has a
 * deterministic physical name, the resource that already exists in AWS under
 * that name, and writes the adoption list (`<env>.adopt.ts`) for review.
 * Read-only: every call goes through `read`, which admits only Describe,
 * Get, List and Head operations. The AWS SDK is used here and nowhere else;
 * synth never calls AWS.
 */

type Body = Readonly<Record<string, unknown>>;

/** Where and as whom the lookups run: the environment's account and region, the standard credential chain. */
export interface AdoptContext {
  readonly region: string;
  readonly accountId: string;
  /** The shared-config profile of the environment's account (`project.accounts[].profile`). */
  readonly profile?: string;
}

/** Something an SDK client can send. */
interface Sender {
  send(command: unknown): Promise<unknown>;
}

const READ_ONLY = /^(Describe|Get|List|Head)[A-Za-z]*Command$/;

/** Sends `command` only when it is a read: adoption never writes to the account. */
export async function read<T>(client: Sender, command: object): Promise<T> {
  const name = command.constructor.name;
  if (!READ_ONLY.test(name)) throw new Error(`keel adopt only reads: ${name} is not a Describe, Get, List or Head call`);
  return (await client.send(command)) as T;
}

/** True for the SDK's "it does not exist" answers. */
function notFound(error: unknown): boolean {
  const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  const code = e.name ?? e.Code ?? "";
  return (
    e.$metadata?.httpStatusCode === 404 ||
    /NotFound|NoSuch|DoesNotExist|NonExistent|InvalidVpcID|InvalidGroup\.NotFound|ResourceNotFound|RepositoryNotFound|LoadBalancerNotFound|TargetGroupNotFound/.test(code)
  );
}

/** One resource type's lookup: the attribute that holds its name, and how to find its import id from that name. */
interface Lookup {
  /** The stack attribute with the physical name (`tags.Name` for EC2 resources). */
  readonly name: string;
  readonly find: (name: string, body: Body, clients: Clients, context: AdoptContext, found: ReadonlyMap<string, string>) => Promise<string | undefined>;
}

/** The SDK clients, made once each on first use. */
class Clients {
  private readonly made = new Map<string, Sender>();
  constructor(private readonly context: AdoptContext) {}
  public get<T extends Sender>(Client: new (config: object) => T): T {
    let client = this.made.get(Client.name);
    if (client === undefined) {
      // AWS_ENDPOINT_URL (the SDK's own setting) points every client elsewhere, e.g. at a local emulator.
      const endpoint = process.env.AWS_ENDPOINT_URL;
      client = new Client({
        region: this.context.region,
        ...(this.context.profile !== undefined ? { profile: this.context.profile } : {}),
        ...(endpoint !== undefined && Client.name === "S3Client" ? { forcePathStyle: true } : {}),
      });
      this.made.set(Client.name, client);
    }
    return client as T;
  }
}

async function orUndefined<T>(lookup: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await lookup();
  } catch (error) {
    if (notFound(error)) return undefined;
    throw error;
  }
}

const byTag = (type: string) => async (name: string, body: Body, clients: Clients): Promise<string | undefined> => {
  const ec2 = clients.get(EC2Client);
  const filters = [{ Name: "tag:Name", Values: [name] }];
  if (type === "vpc") {
    const found = await read<{ Vpcs?: Array<{ VpcId?: string }> }>(ec2, new DescribeVpcsCommand({ Filters: filters }));
    return only(found.Vpcs?.map((v) => v.VpcId), `VPCs tagged Name=${name}`);
  }
  const found = await read<{ Subnets?: Array<{ SubnetId?: string; CidrBlock?: string }> }>(ec2, new DescribeSubnetsCommand({ Filters: filters }));
  return only(found.Subnets?.filter((s) => body.cidr_block === undefined || s.CidrBlock === body.cidr_block).map((s) => s.SubnetId), `subnets tagged Name=${name}`);
};

/** The one match, or an error when a name is shared: adopting the wrong one is worse than adopting none. */
function only(ids: ReadonlyArray<string | undefined> | undefined, what: string): string | undefined {
  const found = (ids ?? []).filter((i): i is string => i !== undefined);
  if (found.length > 1) throw new Error(`${found.length} ${what} (${found.join(", ")}): adopt one by hand`);
  return found[0];
}

/** A DB instance by its identifier. */
const DB_INSTANCE: Lookup = {
  name: "identifier",
  find: (name, _b, c) =>
    orUndefined(async () => (await read<{ DBInstances?: Array<{ DBInstanceIdentifier?: string }> }>(c.get(RDSClient), new DescribeDBInstancesCommand({ DBInstanceIdentifier: name }))).DBInstances?.[0]?.DBInstanceIdentifier),
};

/** What `keel adopt` can look up, by resource type. */
export const LOOKUPS: Readonly<Record<string, Lookup>> = {
  aws_s3_bucket: {
    name: "bucket",
    find: (name, _b, c) => orUndefined(async () => (await read(c.get(S3Client), new HeadBucketCommand({ Bucket: name })), name)),
  },
  aws_rds_cluster: {
    name: "cluster_identifier",
    find: (name, _b, c) => orUndefined(async () => (await read<{ DBClusters?: Array<{ DBClusterIdentifier?: string }> }>(c.get(RDSClient), new DescribeDBClustersCommand({ DBClusterIdentifier: name }))).DBClusters?.[0]?.DBClusterIdentifier),
  },
  // A cluster's instance and a standalone instance are both DB instances, found by identifier.
  aws_rds_cluster_instance: DB_INSTANCE,
  aws_db_instance: DB_INSTANCE,
  aws_db_subnet_group: {
    name: "name",
    find: (name, _b, c) => orUndefined(async () => (await read<{ DBSubnetGroups?: Array<{ DBSubnetGroupName?: string }> }>(c.get(RDSClient), new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: name }))).DBSubnetGroups?.[0]?.DBSubnetGroupName),
  },
  aws_cloudwatch_log_group: {
    name: "name",
    find: async (name, _b, c) => {
      const found = await read<{ logGroups?: Array<{ logGroupName?: string }> }>(c.get(CloudWatchLogsClient), new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
      return found.logGroups?.find((g) => g.logGroupName === name)?.logGroupName;
    },
  },
  aws_ecr_repository: {
    name: "name",
    find: (name, _b, c) => orUndefined(async () => (await read<{ repositories?: Array<{ repositoryName?: string }> }>(c.get(ECRClient), new DescribeRepositoriesCommand({ repositoryNames: [name] }))).repositories?.[0]?.repositoryName),
  },
  aws_iam_role: {
    name: "name",
    find: (name, _b, c) => orUndefined(async () => (await read<{ Role?: { RoleName?: string } }>(c.get(IAMClient), new GetRoleCommand({ RoleName: name }))).Role?.RoleName),
  },
  aws_sqs_queue: {
    name: "name",
    find: (name, _b, c) => orUndefined(async () => (await read<{ QueueUrl?: string }>(c.get(SQSClient), new GetQueueUrlCommand({ QueueName: name }))).QueueUrl),
  },
  aws_sns_topic: {
    name: "name",
    find: (name, _b, c, ctx) =>
      orUndefined(async () => {
        const arn = `arn:aws:sns:${ctx.region}:${ctx.accountId}:${name}`;
        await read(c.get(SNSClient), new GetTopicAttributesCommand({ TopicArn: arn }));
        return arn;
      }),
  },
  aws_secretsmanager_secret: {
    name: "name",
    find: (name, _b, c) => orUndefined(async () => (await read<{ ARN?: string }>(c.get(SecretsManagerClient), new DescribeSecretCommand({ SecretId: name }))).ARN),
  },
  aws_lb: {
    name: "name",
    find: (name, _b, c) => orUndefined(async () => (await read<{ LoadBalancers?: Array<{ LoadBalancerArn?: string }> }>(c.get(ElasticLoadBalancingV2Client), new DescribeLoadBalancersCommand({ Names: [name] }))).LoadBalancers?.[0]?.LoadBalancerArn),
  },
  aws_lb_target_group: {
    name: "name",
    find: (name, _b, c) => orUndefined(async () => (await read<{ TargetGroups?: Array<{ TargetGroupArn?: string }> }>(c.get(ElasticLoadBalancingV2Client), new DescribeTargetGroupsCommand({ Names: [name] }))).TargetGroups?.[0]?.TargetGroupArn),
  },
  aws_vpc: { name: "tags.Name", find: byTag("vpc") },
  aws_subnet: { name: "tags.Name", find: byTag("subnet") },
  aws_internet_gateway: {
    // A VPC has at most one internet gateway: the one attached to the adopted VPC.
    name: "vpc_id",
    find: async (vpc, _b, c, _ctx, found) => {
      const vpcId = found.get(/^\$\{(aws_vpc\.[A-Za-z0-9_-]+)\.id\}$/.exec(vpc)?.[1] ?? "");
      if (vpcId === undefined) return undefined;
      const gateways = await read<{ InternetGateways?: Array<{ InternetGatewayId?: string }> }>(
        c.get(EC2Client),
        new DescribeInternetGatewaysCommand({ Filters: [{ Name: "attachment.vpc-id", Values: [vpcId] }] }),
      );
      return only(gateways.InternetGateways?.map((g) => g.InternetGatewayId), `internet gateways attached to ${vpcId}`);
    },
  },
  aws_security_group: {
    // Only a group with a name set by hand: a prefixed name is completed by Terraform.
    name: "name",
    find: async (name, _b, c) => {
      const found = await read<{ SecurityGroups?: Array<{ GroupId?: string }> }>(c.get(EC2Client), new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: [name] }] }));
      return only(found.SecurityGroups?.map((g) => g.GroupId), `security groups named ${name}`);
    },
  },
  aws_ecs_cluster: {
    name: "name",
    find: async (name, _b, c) => {
      const found = await read<{ clusters?: Array<{ clusterName?: string; status?: string }> }>(c.get(ECSClient), new DescribeClustersCommand({ clusters: [name] }));
      return found.clusters?.find((k) => k.clusterName === name && k.status !== "INACTIVE")?.clusterName;
    },
  },
  aws_lambda_function: {
    name: "function_name",
    find: (name, _b, c) => orUndefined(async () => (await read<{ Configuration?: { FunctionName?: string } }>(c.get(LambdaClient), new GetFunctionCommand({ FunctionName: name }))).Configuration?.FunctionName),
  },
  aws_kms_key: {
    // A key has no name: it is found through the alias of the stack that points at it.
    name: "(alias)",
    find: (alias, _b, c) => aliasTarget(alias, c),
  },
  aws_kms_alias: {
    name: "name",
    find: async (name, _b, c) => ((await aliasTarget(name, c)) === undefined ? undefined : name),
  },
};

/** The key an alias points at, or undefined when there is no such alias. */
async function aliasTarget(alias: string, clients: Clients): Promise<string | undefined> {
  let marker: string | undefined;
  do {
    const page = await read<{ Aliases?: Array<{ AliasName?: string; TargetKeyId?: string }>; NextMarker?: string; Truncated?: boolean }>(
      clients.get(KMSClient),
      new ListAliasesCommand({ ...(marker ? { Marker: marker } : {}) }),
    );
    const hit = page.Aliases?.find((a) => a.AliasName === alias);
    if (hit !== undefined) return hit.TargetKeyId;
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker !== undefined);
  return undefined;
}

/** Each key of the stack by the alias that points at it (`target_key_id = aws_kms_key.<name>.key_id`). */
function keyAliases(resources: Record<string, Record<string, Body>>): Map<string, string> {
  const found = new Map<string, string>();
  for (const alias of Object.values(resources.aws_kms_alias ?? {})) {
    const target = /^\$\{aws_kms_key\.([A-Za-z0-9_-]+)\.(key_id|id|arn)\}$/.exec(String(alias.target_key_id ?? ""));
    if (target !== null && typeof alias.name === "string") found.set(`aws_kms_key.${target[1]}`, alias.name);
  }
  return found;
}

/** Resource types `keel adopt` cannot look up, and why (they can still be adopted by hand in the list). */
export const NOT_DISCOVERABLE: Readonly<Record<string, string>> = {
  aws_rds_cluster_parameter_group: "Keel names it with a prefix Terraform completes, so there is no name to look for",
  aws_db_parameter_group: "Keel names it with a prefix Terraform completes, so there is no name to look for",
  aws_cognito_user_pool: "its id is generated, and pool names are not unique",
  aws_iam_policy: "its import id is the policy ARN, which includes its path: adopt it by hand",
  aws_dynamodb_table: "Keel's environments create none",
  aws_ecs_service: "its import id needs the cluster: adopt it by hand as <cluster>/<service>",
  aws_cloudwatch_metric_alarm: "alarms carry no data: Keel recreates them, and the old ones can be deleted",
};

export interface Adoption {
  readonly address: string;
  readonly name: string;
  readonly id: string;
}

export interface AdoptReport {
  readonly stack: string;
  readonly account: string;
  readonly region: string;
  /** Found in AWS under the name Keel gives it: adopt. */
  readonly found: readonly Adoption[];
  /** Looked up, and nothing by that name exists: Keel will create it. */
  readonly missing: ReadonlyArray<{ readonly address: string; readonly name: string }>;
  /** Not looked up, with why: the type has no lookup, or its name is only known after apply. */
  readonly unmatched: ReadonlyArray<{ readonly address: string; readonly because: string }>;
}

function attribute(body: Body, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Body)[k] : undefined), body);
}

/** Checks the credentials are the environment's account's before anything is looked up. */
export async function checkAccount(context: AdoptContext): Promise<void> {
  const clients = new Clients(context);
  const who = await read<{ Account?: string; Arn?: string }>(clients.get(STSClient), new GetCallerIdentityCommand({}));
  if (who.Account !== context.accountId) {
    throw new Error(`The credentials are for account ${who.Account} (${who.Arn}), but the environment deploys to ${context.accountId}: use that account's credentials (its profile, or AWS_PROFILE)`);
  }
}

/** Looks up every resource of a synthesized stack that has a deterministic name. */
export async function discover(stackName: string, stack: { resource?: Record<string, Record<string, Body>> }, context: AdoptContext): Promise<AdoptReport> {
  const clients = new Clients(context);
  const found: Adoption[] = [];
  const missing: Array<{ address: string; name: string }> = [];
  const unmatched: Array<{ address: string; because: string }> = [];
  const aliases = keyAliases(stack.resource ?? {});
  const entries = Object.entries(stack.resource ?? {}).flatMap(([type, blocks]) => Object.entries(blocks).map(([name, body]) => ({ type, address: `${type}.${name}`, body })));
  const resolved = new Map<string, string>();
  // VPCs first: an internet gateway is found through the VPC it is attached to.
  const order = (t: string): number => (t === "aws_vpc" ? 0 : t === "aws_internet_gateway" ? 2 : 1);
  for (const { type, address, body } of entries.sort((a, b) => order(a.type) - order(b.type) || a.address.localeCompare(b.address))) {
    const lookup = LOOKUPS[type];
    if (lookup === undefined) {
      if (NOT_DISCOVERABLE[type] !== undefined) unmatched.push({ address, because: NOT_DISCOVERABLE[type] });
      continue;
    }
    const name = type === "aws_kms_key" ? aliases.get(address) : attribute(body, lookup.name);
    if (typeof name !== "string" || (name.includes("${") && type !== "aws_internet_gateway")) {
      const because =
        type === "aws_kms_key"
          ? "no alias of the stack points at it, and a key has no name of its own"
          : body.name_prefix !== undefined
            ? "its name is a prefix Terraform completes, so there is no name to look for"
            : `its ${lookup.name} is only known after apply`;
      unmatched.push({ address, because });
      continue;
    }
    if (type === "aws_internet_gateway" && !resolved.has(name.slice(2, -4))) {
      unmatched.push({ address, because: "its VPC is not adopted: a new VPC gets a new gateway" });
      continue;
    }
    const id = await lookup.find(name, body, clients, context, resolved);
    if (id === undefined) {
      missing.push({ address, name });
      continue;
    }
    const problem = importIdProblem(type, id);
    if (problem !== undefined) throw new Error(`${address}: AWS answered ${id}, which is not ${problem}`);
    resolved.set(address, id);
    found.push({ address, name: type === "aws_internet_gateway" ? `attached to ${resolved.get(name.slice(2, -4)) ?? name}` : name, id });
  }
  return { stack: stackName, account: context.accountId, region: context.region, found, missing, unmatched };
}

/** The adoption list as a TypeScript file beside the environment: what the reviewer reads in the pull request. */
export function adoptionFile(report: AdoptReport, typesImport: string, date: string): string {
  const lines = [
    `// Written by \`keel adopt ${report.stack}\` on ${date}, from account ${report.account} in ${report.region}.`,
    "// Each existing resource below is imported (a Terraform import block) instead of created.",
    `// Review it with \`keel plan ${report.stack}\`: it lists each import and the settings it then changes.`,
    `import type { AdoptionList } from "${typesImport}";`,
    "",
    "const adopt: AdoptionList = {",
    ...report.found.map((f) => `  ${JSON.stringify(f.address)}: ${JSON.stringify(f.id)},`),
    "};",
    "",
    "export default adopt;",
    "",
  ];
  return lines.join("\n");
}

/** Plain text: what was found, what Keel will create, what could not be looked up. */
export function renderAdoptReport(report: AdoptReport, file: string): string {
  const lines = [`Adopting into ${report.stack} (account ${report.account}, ${report.region}): ${report.found.length} found, ${report.missing.length} not in AWS (Keel creates them), ${report.unmatched.length} not looked up.`];
  if (report.found.length > 0) lines.push("", `Found (written to ${file}):`, ...report.found.map((f) => `  ${f.address} <- ${f.id}`));
  if (report.missing.length > 0) lines.push("", "Not in AWS under Keel's name (set naming.names, or Keel creates it):", ...report.missing.map((m) => `  ${m.address}: ${m.name}`));
  if (report.unmatched.length > 0) lines.push("", "Not looked up:", ...report.unmatched.map((u) => `  ${u.address}: ${u.because}`));
  return lines.join("\n") + "\n";
}

/** The `import type` path from a config folder to the config types. */
export function typesImportFrom(folder: string, projectRoot: string): string {
  const relative = path.relative(folder, path.join(projectRoot, "environments", "lib", "types")).split(path.sep).join("/");
  return relative.startsWith(".") ? relative : `./${relative}`;
}

/** Writes the adoption list, or removes a stale one when nothing was found. */
export function writeAdoptionList(file: string, report: AdoptReport, typesImport: string, date: string): void {
  if (report.found.length === 0) {
    fs.rmSync(file, { force: true });
    return;
  }
  fs.writeFileSync(file, adoptionFile(report, typesImport, date));
}
