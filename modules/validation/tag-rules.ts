import { Issue } from "./issue";

/** AWS's tag rules: letters, digits, spaces and `_ . : / = + - @` (Unicode letters too). */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * What AWS refuses in a set of resource tags: keys of 1-128 and values of
 * 0-256 characters of its tag set, and keys under the reserved `aws:` prefix.
 * Provider-free: config validation uses it for the default tags too.
 */
export function tagIssues(prop: string, tags: Readonly<Record<string, string>> | undefined): Issue[] {
  const issues: Issue[] = [];
  for (const [key, value] of Object.entries(tags ?? {})) {
    const field = `${prop}.${key}`;
    if (!(key.length >= 1 && key.length <= 128 && TAG_CHARACTERS.test(key))) {
      issues.push({ field, value: key, allowed: "a tag key of 1-128 letters, digits, spaces and _ . : / = + - @" });
    }
    if (key.toLowerCase().startsWith("aws:")) issues.push({ field, value: key, allowed: "a tag key not starting with aws: (AWS reserves the prefix)" });
    if (!(typeof value === "string" && value.length <= 256 && TAG_CHARACTERS.test(value))) {
      issues.push({ field, value, allowed: "a tag value of 0-256 letters, digits, spaces and _ . : / = + - @" });
    }
  }
  return issues;
}
