import type { SecretSpec } from "../../modules/security/security";

/**
 * Values several environments use. An environment that needs another value
 * writes its own instead of importing these.
 */

/** The application's secrets: the same names everywhere, values set per environment outside Terraform. */
export const APPLICATION_SECRETS: readonly SecretSpec[] = [
  { name: "api-keys", description: "Third-party API keys used by the api service; set by the platform team" },
  { name: "session-signing-key", description: "Key that signs web sessions; rotated by the platform team" },
];
