/**
 * The RDS for PostgreSQL versions Keel accepts, by major. Provider-free:
 * config validation reads it.
 *
 * Reviewed: 2026-11-22, against the RDS for PostgreSQL release notes
 * (https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-versions.html).
 * RDS offers the community minors, a few weeks after each quarterly
 * community release. A newer release is refused until added here, one line
 * with its release-note link in the commit. Listed means released, not that
 * it can still be ordered: `aws rds describe-db-engine-versions --engine
 * postgres` is the live answer.
 */
export const RDS_POSTGRESQL_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  "13": ["13.15", "13.16", "13.18", "13.20", "13.21", "13.22", "13.23"],
  "14": ["14.12", "14.13", "14.15", "14.17", "14.18", "14.19", "14.20"],
  "15": ["15.7", "15.8", "15.10", "15.12", "15.13", "15.14", "15.15"],
  "16": ["16.3", "16.4", "16.6", "16.8", "16.9", "16.10", "16.11"],
  "17": ["17.1", "17.2", "17.4", "17.5", "17.6", "17.7"],
};

export const RDS_POSTGRESQL_VERSIONS_REVIEWED = "2026-11-22";

/** What to tell a user whose version is not in the catalogue. */
export function rdsCatalogueHint(version: string): string {
  const major = version.split(".")[0];
  const known = RDS_POSTGRESQL_VERSIONS[major];
  const where = `(Keel's catalogue, modules/rds/versions.ts, reviewed ${RDS_POSTGRESQL_VERSIONS_REVIEWED})`;
  return known ? `an RDS for PostgreSQL ${major} release ${where}: ${known.join(", ")}` : `an RDS for PostgreSQL release ${where} of major ${Object.keys(RDS_POSTGRESQL_VERSIONS).join(", ")}`;
}

/** The major of a catalogued version, or undefined. */
export function rdsMajor(version: string): string | undefined {
  const major = version.split(".")[0];
  return (RDS_POSTGRESQL_VERSIONS[major] ?? []).includes(version) ? major : undefined;
}

/** Instance classes: burstable and general-purpose or memory-optimized Graviton/Intel families. */
export const DB_INSTANCE_CLASS = /^db\.(t3|t4g|m5|m6g|m6i|m7g|m7i|r5|r6g|r6i|r7g|r7i)\.(micro|small|medium|large|xlarge|[1-9][0-9]?xlarge)$/;
