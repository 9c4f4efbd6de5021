import { TerraformResource } from "cdktf";
import { Label, parseNameKey } from "../modules/label";
import { Issue, ValidationError } from "../modules/validation";
import { IMPORT_IDS } from "../environments/lib/import-ids";
import type { AdoptionList } from "../environments";
import { KeelStack } from "./keel-stack";

/**
 * A `naming.names` key that no resource of the environment was named by is a
 * config error listing the keys of that kind there are: a mistyped key must
 * not sit in config looking like it renamed something.
 */
export function checkNames(label: Label, source: string): void {
  const unused = label.unusedNames();
  if (unused.length === 0) return;
  const issues: Issue[] = unused.map((key) => {
    const kind = parseNameKey(key)?.kind;
    const same = [...label.names.keys()].filter((k) => parseNameKey(k)?.kind === kind);
    return {
      field: `naming.names.${key}`,
      value: key,
      allowed: `a key this environment names a resource by; of kind ${kind}: ${same.length > 0 ? same.join(", ") : "(none)"}`,
    };
  });
  throw new ValidationError(source, issues);
}

/** The stack's managed resources by Terraform address. */
export function resourcesByAddress(stack: KeelStack): Map<string, TerraformResource> {
  return new Map(
    stack.node
      .findAll()
      .filter(TerraformResource.isTerraformResource)
      .map((r): [string, TerraformResource] => [`${r.terraformResourceType}.${stack.getLogicalId(r)}`, r]),
  );
}

/**
 * Emits a Terraform `import` block for each adopted resource: `plan` shows
 * it as an import, with whatever the config then changes on it. An address
 * the stack does not have is a config error that lists the stack's
 * addresses of that type. (Each id's shape was checked with the config.)
 */
export function adopt(stack: KeelStack, list: AdoptionList, source: string): void {
  const entries = Object.entries(list);
  if (entries.length === 0) return;
  const resources = resourcesByAddress(stack);
  const issues: Issue[] = [];
  for (const [address, id] of entries) {
    const resource = resources.get(address);
    if (resource === undefined) {
      const type = address.split(".")[0];
      const same = [...resources.keys()].filter((a) => a.startsWith(`${type}.`));
      issues.push({
        field: "adopt",
        value: address,
        allowed: same.length > 0 ? `an address of this environment; of ${type}: ${same.join(", ")}` : `an address of this environment; it has no ${type}. Adoptable types: ${Object.keys(IMPORT_IDS).join(", ")}`,
      });
    } else {
      resource.importFrom(id);
    }
  }
  if (issues.length > 0) throw new ValidationError(source, issues);
}
