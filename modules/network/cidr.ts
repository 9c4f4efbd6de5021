import { Netmask } from "netmask";
import { PropsCheck } from "../validation";

const CIDR_PATTERN = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\/\d{1,2}$/;

/** A CIDR that parsed, with the field it came from. */
export interface ParsedCidr {
  readonly field: string;
  readonly text: string;
  readonly block: Netmask;
}

/**
 * Parses an IPv4 CIDR and checks it starts on its network boundary and has
 * a prefix in `[minPrefix, maxPrefix]`; records an issue and returns
 * undefined otherwise.
 */
export function parseCidr(check: PropsCheck, field: string, text: string, minPrefix: number, maxPrefix: number): ParsedCidr | undefined {
  let block: Netmask | undefined;
  try {
    block = CIDR_PATTERN.test(text) ? new Netmask(text) : undefined;
  } catch {
    block = undefined;
  }
  if (block === undefined) {
    check.require(false, field, text, "an IPv4 CIDR such as 10.0.0.0/16, with octets 0-255 and a prefix 0-32");
    return undefined;
  }
  if (`${block.base}/${block.bitmask}` !== text) {
    check.require(false, field, text, `a CIDR that starts on its network boundary: ${block.base}/${block.bitmask}`);
    return undefined;
  }
  if (block.bitmask < minPrefix || block.bitmask > maxPrefix) {
    check.require(false, field, text, `a prefix between /${minPrefix} and /${maxPrefix}`);
    return undefined;
  }
  return { field, text, block };
}

export function overlaps(a: Netmask, b: Netmask): boolean {
  return a.contains(b.base) || b.contains(a.base);
}
