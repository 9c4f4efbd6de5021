/**
 * Regions Keel knows, with the availability-zone letters each offers. A static
 * table on purpose: validation must work offline and before any AWS call. Add
 * a region here when an environment needs one.
 */
export const REGION_ZONES: Readonly<Record<string, readonly string[]>> = {
  "us-east-1": ["a", "b", "c", "d", "e", "f"],
  "us-east-2": ["a", "b", "c"],
  "us-west-1": ["a", "b", "c"],
  "us-west-2": ["a", "b", "c", "d"],
  "ca-central-1": ["a", "b", "d"],
  "eu-west-1": ["a", "b", "c"],
  "eu-west-2": ["a", "b", "c"],
  "eu-west-3": ["a", "b", "c"],
  "eu-central-1": ["a", "b", "c"],
  "eu-north-1": ["a", "b", "c"],
  "ap-south-1": ["a", "b", "c"],
  "ap-southeast-1": ["a", "b", "c"],
  "ap-southeast-2": ["a", "b", "c"],
  "ap-northeast-1": ["a", "c", "d"],
  "sa-east-1": ["a", "b", "c"],
};

export const KNOWN_REGIONS: readonly string[] = Object.keys(REGION_ZONES);

export function zonesOf(region: string): readonly string[] {
  return (REGION_ZONES[region] ?? []).map((letter) => `${region}${letter}`);
}
