/**
 * The Aurora PostgreSQL versions Keel accepts: every minor AWS has released
 * for the majors that run Serverless v2 (13.6+, 14.3+, 15.2+, 16.1+, 17.4+).
 * Provider-free: config validation reads it.
 *
 * Reviewed: 2026-11-22. Sources: the Aurora PostgreSQL release notes
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraPostgreSQLReleaseNotes/aurora-postgresql-relnotes.html),
 * their extension-version tables per minor
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraPostgreSQLReleaseNotes/AuroraPostgreSQL.Extensions.html)
 * and AWS's "What's New" announcements of each quarterly release. Aurora
 * skips some community minors (no 15.9, 15.11, 16.5, 16.7).
 *
 * A release newer than this list is rejected until added here, one line with
 * its release-note link in the commit. Being listed means the version was
 * released, not that it can still be ordered: AWS retires old minors
 * (`aws rds describe-db-engine-versions --engine aurora-postgresql` is the
 * live answer) and upgrades clusters still on them.
 */
export const AURORA_POSTGRESQL_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  "13": ["13.6", "13.7", "13.8", "13.9", "13.10", "13.11", "13.12", "13.13", "13.14", "13.15", "13.16", "13.18", "13.20", "13.21", "13.22", "13.23"],
  "14": ["14.3", "14.4", "14.5", "14.6", "14.7", "14.8", "14.9", "14.10", "14.11", "14.12", "14.13", "14.15", "14.17", "14.18", "14.19", "14.20"],
  "15": ["15.2", "15.3", "15.4", "15.5", "15.6", "15.7", "15.8", "15.10", "15.12", "15.13", "15.14", "15.15"],
  "16": ["16.1", "16.2", "16.3", "16.4", "16.6", "16.8", "16.9", "16.10", "16.11"],
  "17": ["17.4", "17.5", "17.6", "17.7"],
};

/** When the catalogue was last checked against AWS's release notes. */
export const AURORA_POSTGRESQL_VERSIONS_REVIEWED = "2026-11-22";

/**
 * Features that need at least a given minor of each major. Auto-pause
 * (`minCapacity: 0`): AWS's Serverless v2 scaling-to-zero launch (November
 * 2024) names 13.15, 14.12, 15.7 and 16.3; 17 has it from its first release.
 */
export const AURORA_FEATURE_MINIMUMS = {
  autoPause: { "13": 15, "14": 12, "15": 7, "16": 3, "17": 4 },
} as const satisfies Record<string, Record<string, number>>;

export type AuroraFeature = keyof typeof AURORA_FEATURE_MINIMUMS;

/** The version split into major and minor, if it is in the catalogue. */
export function catalogueVersion(version: string): { major: string; minor: number } | undefined {
  const [major, minor] = version.split(".");
  if (!(AURORA_POSTGRESQL_VERSIONS[major] ?? []).includes(version)) return undefined;
  return { major, minor: Number(minor) };
}

/** Whether a catalogued version has `feature`. */
export function versionHas(version: string, feature: AuroraFeature): boolean {
  const parsed = catalogueVersion(version);
  const minimums: Readonly<Record<string, number>> = AURORA_FEATURE_MINIMUMS[feature];
  return parsed !== undefined && minimums[parsed.major] !== undefined && parsed.minor >= minimums[parsed.major];
}

/** What to tell a user whose version is not in the catalogue. */
export function catalogueHint(version: string): string {
  const major = version.split(".")[0];
  const known = AURORA_POSTGRESQL_VERSIONS[major];
  const where = `(Keel's catalogue, modules/aurora/versions.ts, reviewed ${AURORA_POSTGRESQL_VERSIONS_REVIEWED})`;
  return known
    ? `an Aurora PostgreSQL ${major} release ${where}: ${known.join(", ")}`
    : `an Aurora PostgreSQL release of a major that runs Serverless v2 ${where}: ${Object.keys(AURORA_POSTGRESQL_VERSIONS).join(", ")}`;
}
