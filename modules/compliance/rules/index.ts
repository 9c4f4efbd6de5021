import type { Rule } from "../rule";
import { STORAGE_RULES } from "./storage";
import { NETWORK_RULES } from "./network";
import { DATA_RULES } from "./data";
import { COMPUTE_RULES } from "./compute";
import { IDENTITY_RULES } from "./identity";
import { EDGE_RULES } from "./edge";
import { AUDIT_RULES } from "./audit";

/** Keel's rule pack, in a stable order: by service group, then as written. */
export const RULES: readonly Rule[] = [...STORAGE_RULES, ...NETWORK_RULES, ...DATA_RULES, ...COMPUTE_RULES, ...IDENTITY_RULES, ...EDGE_RULES, ...AUDIT_RULES];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));
