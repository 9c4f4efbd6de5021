/**
 * The committed provider lock file, at the project root. On its own, so that the CLI's tools can
 * name it without loading cdktf.
 */
export const PROVIDER_LOCK_FILE = ".terraform.lock.hcl";
