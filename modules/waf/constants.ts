/** Actions a managed rule's own action may be overridden with. Provider-free: config reads it. */
export const RULE_ACTIONS = ["count", "block", "allow"] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

/** Windows, in seconds, over which a rate-based rule counts requests. */
export const RATE_WINDOWS = [60, 120, 300, 600] as const;
export type RateWindow = (typeof RATE_WINDOWS)[number];

/** An AWS managed rule group, and the rules in it whose action is overridden. */
export interface ManagedRuleGroup {
  /** e.g. `AWSManagedRulesCommonRuleSet`. */
  readonly name: string;
  /**
   * Rules of the group with another action, e.g. `{ rule: "SizeRestrictions_BODY", action: "count" }`
   * for an API that takes large bodies.
   * @default []
   */
  readonly overrides?: ReadonlyArray<{ readonly rule: string; readonly action: RuleAction }>;
}

/** Omnirapeutic's managed rule groups, in its priority order. */
export const DEFAULT_MANAGED_RULE_GROUPS: readonly ManagedRuleGroup[] = [
  { name: "AWSManagedRulesCommonRuleSet" },
  { name: "AWSManagedRulesKnownBadInputsRuleSet" },
  { name: "AWSManagedRulesSQLiRuleSet" },
];

/**
 * The AWS managed rule groups Keel accepts by name (the free baseline and
 * use-case groups; Bot Control and Account Takeover Prevention cost extra and
 * need configuration). Source: AWS WAF Developer Guide, "AWS Managed Rules
 * rule groups list", reviewed 2026-11-22.
 */
export const MANAGED_RULE_GROUP_NAMES = [
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesAdminProtectionRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesSQLiRuleSet",
  "AWSManagedRulesLinuxRuleSet",
  "AWSManagedRulesUnixRuleSet",
  "AWSManagedRulesWindowsRuleSet",
  "AWSManagedRulesPHPRuleSet",
  "AWSManagedRulesWordPressRuleSet",
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesAnonymousIpList",
] as const;
