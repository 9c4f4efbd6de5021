/**
 * Name rules AWS enforces at create time, checked at synth on the names Keel
 * composes (namespace, environment, role) as well as on names given in
 * config. Each returns what is wrong, or undefined when AWS would accept the
 * name. Provider-free: config validation reads it.
 */

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
