import { Netmask } from "netmask";
import { z } from "zod";
import { EnvironmentConfig, ProjectConfig } from "./types";
import { KNOWN_REGIONS, zonesOf } from "./regions";
import { INTERFACE_ENDPOINT_SERVICES } from "../../modules/vpc";
import { PGAUDIT_CLASSES } from "../../modules/aurora";

/** One problem with one field: what was given and what is allowed. */
export interface ConfigIssue {
  readonly field: string;
  readonly value: unknown;
  readonly allowed: string;
}

/** A configuration that may not be synthesized. Its message lists every issue, one per line. */
export class ConfigError extends Error {
  constructor(
    public readonly source: string,
    public readonly issues: readonly ConfigIssue[],
  ) {
    super(issues.map((i) => `${source}: field '${i.field}': value ${show(i.value)} is not allowed: ${i.allowed}`).join("\n"));
    this.name = "ConfigError";
  }
}

function show(value: unknown): string {
  if (value === undefined) return "(missing)";
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

const NAME_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const CIDR_PATTERN = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\/\d{1,2}$/;

const accountId = z.string().regex(/^\d{12}$/, { error: "must be a 12-digit AWS account id" });
const region = z.string().refine((r) => KNOWN_REGIONS.includes(r), {
  error: `must be a known region: ${KNOWN_REGIONS.join(", ")}`,
});
const text = z.string().trim().min(1, { error: "must be a non-empty string" });
const cidr = z.string().regex(CIDR_PATTERN, { error: "must be an IPv4 CIDR such as 10.0.0.0/16" });
const cidrList = z.array(cidr).readonly();
const bool = z.boolean({ error: "must be true or false" });
const num = z.number({ error: "must be a number" });
const days = z.number({ error: "must be a number of days" });

const tagsSchema = z.strictObject({
  owner: text,
  costCenter: text,
  dataClassification: z.enum(["public", "internal", "confidential", "restricted"], {
    error: "must be one of public, internal, confidential, restricted",
  }),
});

const environmentSchema = z.strictObject({
  name: z.string().regex(NAME_PATTERN, {
    error: "must be lower-case letters, digits and single dashes ([a-z0-9-]), not starting or ending with a dash",
  }),
  accountId,
  region,
  tags: tagsSchema,
  network: z.strictObject({
    cidr,
    azs: z
      .array(z.string())
      .min(2, { error: "must list 2 or 3 availability zones" })
      .max(3, { error: "must list 2 or 3 availability zones" })
      .readonly(),
    publicSubnets: cidrList,
    privateSubnets: cidrList,
    databaseSubnets: cidrList,
    enableNatGateway: bool,
    singleNatGateway: bool,
    createDatabaseNatGatewayRoute: bool,
    mapPublicIpOnLaunch: bool,
    mapPublicIpOnLaunchReason: text.optional(),
    flowLogRetentionInDays: days,
    interfaceEndpoints: z
      .array(z.enum(INTERFACE_ENDPOINT_SERVICES, { error: `must be one of ${INTERFACE_ENDPOINT_SERVICES.join(", ")}` }))
      .readonly(),
  }),
  productionGrade: bool,
  secrets: z.array(z.strictObject({ name: text, description: text })).readonly(),
  database: z.strictObject({
    engineVersion: text,
    minCapacity: num,
    maxCapacity: num,
    writer: bool,
    readers: num,
    backupRetentionPeriod: days,
    preferredBackupWindow: text,
    logRetentionInDays: days,
    pgauditLog: z.array(z.enum(PGAUDIT_CLASSES, { error: `must be one of ${PGAUDIT_CLASSES.join(", ")}` })).readonly(),
  }),
  bastion: z.strictObject({
    enabled: bool,
    subnetTier: z.enum(["public", "private", "database"], { error: "must be one of public, private, database" }),
    instanceType: text,
    ami: z.union([z.strictObject({ ssmParameter: text }), z.strictObject({ imageId: text })], {
      error: "must be { ssmParameter: \"/aws/service/...\" } or { imageId: \"ami-...\" }",
    }),
    sessionLogRetentionInDays: days,
  }),
}) satisfies z.ZodType<EnvironmentConfig>;

const projectSchema = z.strictObject({
  namespace: z.string().regex(NAME_PATTERN, { error: "must be lower-case letters, digits and single dashes" }),
  tags: tagsSchema,
  state: z.strictObject({
    accountId,
    region,
    bucket: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
        error: "must be a valid S3 bucket name: 3-63 characters of [a-z0-9.-], starting and ending with a letter or digit",
      })
      .refine((b) => !b.includes("..") && !/^\d+\.\d+\.\d+\.\d+$/.test(b), {
        error: "must not contain '..' or look like an IP address",
      }),
    lockTable: z.string().regex(/^[a-zA-Z0-9_.-]{3,255}$/, {
      error: "must be a DynamoDB table name: 3-255 characters of [a-zA-Z0-9_.-]",
    }),
    noncurrentVersionExpirationDays: z
      .number()
      .int({ error: "must be a whole number of days" })
      .min(1, { error: "must be between 1 and 3650 days" })
      .max(3650, { error: "must be between 1 and 3650 days" }),
    bootstrapStateInBucket: z.boolean({ error: "must be true or false" }),
  }),
}) satisfies z.ZodType<ProjectConfig>;

function schemaIssues(schema: z.ZodType, raw: unknown): ConfigIssue[] {
  const result = schema.safeParse(raw, { reportInput: true });
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const field = issue.path.join(".") || "(root)";
    if (issue.code === "unrecognized_keys") {
      return {
        field: field === "(root)" ? issue.keys.join(", ") : `${field}.${issue.keys.join(", ")}`,
        value: "(unknown key)",
        allowed: "unknown keys are rejected (is it misspelt?)",
      };
    }
    return { field, value: issue.input, allowed: issue.message };
  });
}

interface ParsedCidr {
  readonly field: string;
  readonly text: string;
  readonly block: Netmask;
}

/** Parses a CIDR that the schema accepted; returns an issue if the address is not a network address. */
function parseCidr(field: string, text: string, issues: ConfigIssue[]): ParsedCidr | undefined {
  let block: Netmask;
  try {
    block = new Netmask(text);
  } catch {
    issues.push({ field, value: text, allowed: "must be an IPv4 CIDR with octets 0-255 and a prefix 0-32" });
    return undefined;
  }
  if (`${block.base}/${block.bitmask}` !== text) {
    issues.push({ field, value: text, allowed: `must start on its network boundary: ${block.base}/${block.bitmask}` });
    return undefined;
  }
  return { field, text, block };
}

function overlaps(a: Netmask, b: Netmask): boolean {
  return a.contains(b.base) || b.contains(a.base);
}

function networkIssues(config: EnvironmentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { network } = config;

  const zones = zonesOf(config.region);
  network.azs.forEach((az, i) => {
    if (!zones.includes(az)) {
      issues.push({ field: `network.azs.${i}`, value: az, allowed: `must be an availability zone of ${config.region}: ${zones.join(", ")}` });
    } else if (network.azs.indexOf(az) !== i) {
      issues.push({ field: `network.azs.${i}`, value: az, allowed: "availability zones must be distinct" });
    }
  });

  const vpc = parseCidr("network.cidr", network.cidr, issues);
  if (vpc && (vpc.block.bitmask < 16 || vpc.block.bitmask > 24)) {
    issues.push({ field: "network.cidr", value: network.cidr, allowed: "a VPC CIDR must have a prefix between /16 and /24" });
  }

  const tiers = ["publicSubnets", "privateSubnets", "databaseSubnets"] as const;
  const subnets: ParsedCidr[] = [];
  for (const tier of tiers) {
    const list = network[tier];
    if (list.length !== 0 && list.length !== network.azs.length) {
      issues.push({
        field: `network.${tier}`,
        value: list,
        allowed: `must list one subnet per availability zone (${network.azs.length}) or none`,
      });
    }
    list.forEach((text, i) => {
      const parsed = parseCidr(`network.${tier}.${i}`, text, issues);
      if (!parsed) return;
      if (parsed.block.bitmask < 16 || parsed.block.bitmask > 28) {
        issues.push({ field: parsed.field, value: text, allowed: "a subnet CIDR must have a prefix between /16 and /28" });
      } else if (vpc && !vpc.block.contains(parsed.block)) {
        issues.push({ field: parsed.field, value: text, allowed: `must lie inside the VPC CIDR ${network.cidr}` });
      }
      subnets.push(parsed);
    });
  }
  if (subnets.length === 0 && tiers.every((t) => network[t].length === 0)) {
    issues.push({ field: "network", value: "(no subnets)", allowed: "at least one subnet tier must be given" });
  }
  subnets.forEach((a, i) => {
    for (const b of subnets.slice(i + 1)) {
      if (overlaps(a.block, b.block)) {
        issues.push({ field: b.field, value: b.text, allowed: `must not overlap ${a.field} (${a.text})` });
      }
    }
  });
  return issues;
}

/**
 * Validates one environment file's default export. Throws a ConfigError that
 * names the environment, every bad field, its value and what is allowed.
 */
export function validateEnvironment(raw: unknown, fileName: string, project: ProjectConfig): EnvironmentConfig {
  const name = typeof raw === "object" && raw !== null && "name" in raw ? String(raw.name) : fileName;
  const source = `environment '${name}' (environments/${fileName}.ts)`;
  const issues = schemaIssues(environmentSchema, raw);
  if (issues.length > 0) throw new ConfigError(source, issues);

  const config = raw as EnvironmentConfig;
  const semantic = networkIssues(config);
  if (config.name !== fileName) {
    semantic.unshift({ field: "name", value: config.name, allowed: `must equal the file name '${fileName}'` });
  }
  if (config.accountId !== project.state.accountId) {
    semantic.push({
      field: "accountId",
      value: config.accountId,
      allowed: `must be the state account ${project.state.accountId} (state.accountId in environments/project.ts): the S3 backend is single-account`,
    });
  }
  if (semantic.length > 0) throw new ConfigError(source, semantic);
  return config;
}

/** Validates the project-wide settings in `environments/project.ts`. */
export function validateProject(raw: unknown): ProjectConfig {
  const issues = schemaIssues(projectSchema, raw);
  if (issues.length > 0) throw new ConfigError("project settings (environments/project.ts)", issues);
  return raw as ProjectConfig;
}
