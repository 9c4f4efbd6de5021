/**
 * What a credential looks like in configuration: by the variable's name, or
 * by a URL that carries a password. Provider-free: config validation, the
 * modules and keel check's rules read the same patterns.
 */
export const SECRET_NAME = /^(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|ECS_ENGINE_AUTH_DATA)$|PASSWORD|SECRET|PRIVATE_KEY|API_KEY|TOKEN/i;

/** A name that says it holds a reference to a secret (its ARN or name), not the secret. */
const REFERENCE_SUFFIX = /_(ARN|NAME|PARAMETER)$/i;

/** Whether an environment variable's name says it holds a credential itself. */
export function isCredentialName(name: string): boolean {
  return SECRET_NAME.test(name) && !REFERENCE_SUFFIX.test(name);
}

/** Whether a value is a URL with a password in it, e.g. `postgresql://user:pass@host/db`. */
export function hasUrlCredentials(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/@:\s]+:[^/@\s]+@/i.test(value);
}
