import type { ModelResource, StackModel } from "./model";

/**
 * `error`: a Keel guarantee (encryption with customer keys, no public data,
 * TLS, audit logging, deletion protection); it fails synth of a stack whose
 * environment is protected as `production`. `warning`: a hardening the
 * standards recommend and an environment may knowingly skip.
 */
export type Level = "error" | "warning";

/** The areas a rule pack must cover, as the review issue lists them. */
export const AREAS = {
  encryption: "encryption at rest with customer keys",
  "public-access": "public access",
  tls: "TLS in transit",
  logging: "logging and retention",
  backup: "backups and deletion protection",
  "least-privilege": "least-privilege security groups and IAM",
  imds: "IMDSv2",
  alarms: "alarm actions",
  "key-rotation": "key rotation",
  waf: "WAF association and logging",
  ecr: "ECR scanning and immutability",
  cognito: "Cognito MFA and password policy",
  edge: "API and CloudFront TLS and logging",
  messaging: "SQS and SNS encryption",
  lambda: "Lambda tracing and dead-letter handling",
  detection: "threat detection and configuration recording",
  secrets: "secrets kept out of code, config and state",
  patching: "supported versions and patches",
} as const;
export type Area = keyof typeof AREAS;

/** One compliance rule over the resources of one synthesized stack. */
export interface Rule {
  /** Stable, kebab-case, `<service>-<what>`: suppressions and SARIF name it. */
  readonly id: string;
  readonly level: Level;
  readonly area: Area;
  /** What a compliant resource does, in one line. */
  readonly title: string;
  /** The resource types the rule inspects. */
  readonly types: readonly string[];
  /**
   * The checks it corresponds to: `checkov CKV_AWS_7`, `cdk-nag AwsSolutions-KMS5`,
   * `Security Hub KMS.4`. At least one.
   */
  readonly refs: readonly string[];
  /** The problem with `resource`, in words a reviewer can act on; undefined when compliant. */
  check(resource: ModelResource, model: StackModel): string | undefined;
}

/** A rule, typed. */
export function rule(definition: Rule): Rule {
  return definition;
}
