/**
 * Name rules AWS enforces at create time, checked at synth on the names Keel
 * composes (namespace, environment, role) as well as on names given in
 * config. Each returns what is wrong, or undefined when AWS would accept the
 * name. Provider-free: config validation reads it.
 */

/**
 * Length limits of physical names, per AWS resource kind. A name longer than
 * its limit is cut and suffixed with a short stable hash of the full name.
 */
export const NAME_LIMITS = {
  default: 255,
  s3Bucket: 63,
  iamRole: 64,
  iamPolicy: 128,
  iamInstanceProfile: 128,
  kmsAlias: 250,
  logGroup: 512,
  securityGroup: 255,
  // Terraform's name_prefix for a security group is at most 100 characters, and Keel adds a dash.
  securityGroupNamePrefix: 99,
  dbCluster: 63,
  dbInstance: 63,
  dbSubnetGroup: 255,
  dbParameterGroup: 255,
  secret: 512,
  ssmDocument: 128,
  dynamodbTable: 255,
  loadBalancer: 32,
  targetGroup: 32,
  ec2Name: 255,
  ecrRepository: 256,
  ecsCluster: 255,
  ecsService: 255,
  taskFamily: 255,
  wafWebAcl: 128,
  lambdaFunction: 64,
  cloudfrontFunction: 64,
  // 80, less the ".fifo" a FIFO queue ends with and the "-dlq" of its dead-letter queue.
  sqsQueue: 71,
  sesConfigurationSet: 64,
  apprunnerService: 40,
  apprunnerVpcConnector: 40,
  apprunnerAutoScaling: 32,
  budget: 100,
  backupVault: 50,
  backupPlan: 50,
  backupSelection: 50,
} as const;

export type NameKind = keyof typeof NAME_LIMITS;


/** S3 general purpose bucket naming rules (S3 User Guide, "Bucket naming rules"). */
const S3_RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const S3_RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

export function s3BucketNameProblem(name: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) return "3-63 characters of [a-z0-9.-], starting and ending with a letter or digit";
  if (name.includes("..")) return "no two adjacent periods";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "not formatted as an IP address";
  const prefix = S3_RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix !== undefined) return `not starting with ${prefix} (S3 reserves ${S3_RESERVED_PREFIXES.join(", ")})`;
  const suffix = S3_RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix !== undefined) return `not ending with ${suffix} (S3 reserves ${S3_RESERVED_SUFFIXES.join(", ")})`;
  return undefined;
}

/** RDS cluster, instance, snapshot and parameter group identifiers. */
export function rdsIdentifierProblem(name: string, limit = 63): string | undefined {
  if (!/^[a-zA-Z]/.test(name)) return "an RDS identifier starting with a letter (RDS refuses a leading digit or dash): change the namespace or environment";
  if (!/^[a-zA-Z0-9-]+$/.test(name) || name.includes("--") || name.endsWith("-")) return "letters, digits and single dashes, not ending with a dash";
  if (name.length > limit) return `at most ${limit} characters`;
  return undefined;
}

/** SSM document names: AWS reserves the prefixes aws, amazon and amzn, in any case. */
export function ssmDocumentNameProblem(name: string): string | undefined {
  if (/^(aws|amazon|amzn)/i.test(name)) return "an SSM document name not starting with aws, amazon or amzn (AWS reserves them): change the namespace";
  if (!/^[a-zA-Z0-9_.-]{3,128}$/.test(name)) return "3-128 characters of [a-zA-Z0-9_.-]";
  return undefined;
}

/** A name AWS accepts for `kind`: a character set and AWS's own length limit (which `NAME_LIMITS` may tighten for Keel's suffixes). */
interface NameRule {
  readonly pattern: RegExp;
  readonly allowed: string;
  /** Further rules beyond the pattern (reserved words, shapes). */
  readonly check?: (name: string) => string | undefined;
}

const IAM_NAME: NameRule = { pattern: /^[\w+=,.@-]+$/, allowed: "letters, digits and +=,.@_-" };
const ELB_NAME: NameRule = {
  pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
  allowed: "letters, digits and dashes, not starting or ending with a dash",
  check: (n) => (n.startsWith("internal-") ? "a name not starting with internal- (ELB reserves it)" : undefined),
};
const ECS_NAME: NameRule = { pattern: /^[A-Za-z0-9_-]+$/, allowed: "letters, digits, dashes and underscores" };

/**
 * What AWS accepts as a name of each kind Keel names, from each service's API
 * reference (the `Name` or identifier parameter of its Create call). A name
 * given in config (`naming.names`) is checked against it before synth.
 */
const NAME_RULES: Readonly<Record<NameKind, NameRule>> = {
  default: { pattern: /^[A-Za-z0-9_.-]+$/, allowed: "letters, digits and ._-" },
  s3Bucket: { pattern: /^.+$/, allowed: "an S3 bucket name", check: s3BucketNameProblem },
  iamRole: IAM_NAME,
  iamPolicy: IAM_NAME,
  iamInstanceProfile: IAM_NAME,
  kmsAlias: { pattern: /^[A-Za-z0-9/_-]+$/, allowed: "letters, digits and /_- (the alias/ prefix is added)", check: (n) => (/^aws\//i.test(n) ? "an alias not starting with aws/ (AWS reserves it)" : undefined) },
  logGroup: { pattern: /^[.\-_/#A-Za-z0-9]+$/, allowed: "letters, digits and ._-/#" },
  securityGroup: { pattern: /^[\x20-\x7e]+$/, allowed: "printable ASCII", check: (n) => (/^sg-/i.test(n) ? "a name not starting with sg- (EC2 refuses it)" : undefined) },
  securityGroupNamePrefix: { pattern: /^[\x20-\x7e]+$/, allowed: "printable ASCII", check: (n) => (/^sg-/i.test(n) ? "a name not starting with sg- (EC2 refuses it)" : undefined) },
  dbCluster: { pattern: /^.+$/, allowed: "an RDS identifier", check: (n) => rdsIdentifierProblem(n, 63) },
  dbInstance: { pattern: /^.+$/, allowed: "an RDS identifier", check: (n) => rdsIdentifierProblem(n, 63) },
  dbSubnetGroup: { pattern: /^[a-z0-9 ._-]+$/, allowed: "lower-case letters, digits, spaces and ._-", check: (n) => (n === "default" ? "not default (RDS reserves it)" : undefined) },
  dbParameterGroup: { pattern: /^.+$/, allowed: "an RDS identifier", check: (n) => rdsIdentifierProblem(n, 255) },
  secret: { pattern: /^[A-Za-z0-9/_+=.@-]+$/, allowed: "letters, digits and /_+=.@-", check: (n) => (/-[A-Za-z0-9]{6}$/.test(n) ? "a name not ending with a dash and six characters (Secrets Manager's ARN suffix looks the same, and lookups by name go wrong)" : undefined) },
  ssmDocument: { pattern: /^.+$/, allowed: "an SSM document name", check: ssmDocumentNameProblem },
  dynamodbTable: { pattern: /^[A-Za-z0-9_.-]{3,}$/, allowed: "3 or more letters, digits and _.-" },
  loadBalancer: ELB_NAME,
  targetGroup: ELB_NAME,
  ec2Name: { pattern: /^.+$/, allowed: "any text" },
  ecrRepository: { pattern: /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, allowed: "lower-case letters and digits, separated by single ._- or /" },
  ecsCluster: ECS_NAME,
  ecsService: ECS_NAME,
  taskFamily: ECS_NAME,
  wafWebAcl: { pattern: /^[\w-]+$/, allowed: "letters, digits, dashes and underscores" },
  lambdaFunction: ECS_NAME,
  cloudfrontFunction: ECS_NAME,
  sqsQueue: ECS_NAME,
  sesConfigurationSet: ECS_NAME,
  apprunnerService: { pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{3,}$/, allowed: "4 or more letters, digits, dashes and underscores, starting with a letter or digit" },
  apprunnerVpcConnector: { pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{3,}$/, allowed: "4 or more letters, digits, dashes and underscores, starting with a letter or digit" },
  apprunnerAutoScaling: { pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{3,}$/, allowed: "4 or more letters, digits, dashes and underscores, starting with a letter or digit" },
  budget: { pattern: /^[^:\\]+$/, allowed: "any text without : or \\" },
  backupVault: { pattern: /^[a-zA-Z0-9\-_]{2,}$/, allowed: "2 or more letters, digits, dashes and underscores" },
  backupPlan: { pattern: /^[a-zA-Z0-9\-_.]+$/, allowed: "letters, digits and -_." },
  backupSelection: { pattern: /^[a-zA-Z0-9\-_.]+$/, allowed: "letters, digits and -_." },
};

/** What is wrong with `name` as a physical name of `kind`, or undefined when AWS accepts it. */
export function nameProblem(kind: NameKind, name: string): string | undefined {
  const rule = NAME_RULES[kind];
  const limit = NAME_LIMITS[kind];
  if (name.length === 0 || name.length > limit) return `1 to ${limit} characters`;
  if (!rule.pattern.test(name)) return rule.allowed;
  return rule.check?.(name);
}

/** The kinds a `naming.names` key may start with. */
export const NAME_KINDS = Object.keys(NAME_LIMITS) as NameKind[];
