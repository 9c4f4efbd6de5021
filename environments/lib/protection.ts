import type { ProtectionProfile } from "../../modules/protection";

/**
 * The protection presets an environment picks from with `protection:
 * "production"`, `"disposable"` or `"decommission"`. Each module reads only
 * the fields it needs (see modules/protection/README.md).
 */
export const PROTECTION_PROFILES = {
  /** Nothing stateful is lost by accident: deletion protection, final snapshots, `prevent_destroy`. */
  production: {
    deletionProtection: true,
    preventDestroy: true,
    finalSnapshot: true,
    secretRecoveryWindowInDays: 30,
    protectAuditLogs: true,
    emptyOnDestroy: false,
    lockBackups: true,
  },
  /** Destroyed and rebuilt at will; holds nothing that must survive. */
  disposable: {
    deletionProtection: false,
    preventDestroy: false,
    finalSnapshot: false,
    secretRecoveryWindowInDays: 7,
    protectAuditLogs: false,
    emptyOnDestroy: true,
    lockBackups: false,
  },
  /**
   * A production environment on its way out, deliberately (README: "Tear down"): deletion
   * protection and `prevent_destroy` off, final snapshots still taken, the vault still locked.
   * `keel teardown` then keeps the backup vault and the keys of what is kept out of the destroy.
   */
  decommission: {
    deletionProtection: false,
    preventDestroy: false,
    finalSnapshot: true,
    secretRecoveryWindowInDays: 30,
    protectAuditLogs: false,
    emptyOnDestroy: true,
    lockBackups: true,
  },
} as const satisfies Readonly<Record<string, ProtectionProfile>>;

export type ProtectionProfileName = keyof typeof PROTECTION_PROFILES;
export const PROTECTION_PROFILE_NAMES = Object.keys(PROTECTION_PROFILES) as ProtectionProfileName[];
