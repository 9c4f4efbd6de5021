/** Cognito MFA settings: `ON` requires a second factor of every user. Provider-free: config validation reads it. */
export const MFA_MODES = ["ON", "OPTIONAL", "OFF"] as const;
export type MfaMode = (typeof MFA_MODES)[number];

/** Second factors Keel can turn on: TOTP apps, and SMS (which needs an SNS role and an SMS origination setup). */
export const MFA_METHODS = ["TOTP", "SMS"] as const;
export type MfaMethod = (typeof MFA_METHODS)[number];

/** Sign-in flows an app client may use; refresh-token sign-in is always allowed. */
export const AUTH_FLOWS = ["USER_SRP_AUTH", "USER_PASSWORD_AUTH", "USER_AUTH", "CUSTOM_AUTH", "ADMIN_USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"] as const;
export type AuthFlow = (typeof AUTH_FLOWS)[number];

/** Threat protection (Plus feature plan): `AUDIT` only records risk, `ENFORCED` acts on it. */
export const THREAT_PROTECTION_MODES = ["AUDIT", "ENFORCED"] as const;
export type ThreatProtectionMode = (typeof THREAT_PROTECTION_MODES)[number];

export const ATTRIBUTE_TYPES = ["String", "Number"] as const;

/** Password rules. */
export interface PasswordPolicy {
  /** 8-99 characters. @default 12 */
  readonly minimumLength?: number;
  /** @default true */
  readonly requireLowercase?: boolean;
  /** @default true */
  readonly requireUppercase?: boolean;
  /** @default true */
  readonly requireNumbers?: boolean;
  /** @default true */
  readonly requireSymbols?: boolean;
  /** Days an administrator-set temporary password works, 1-365. @default 7 */
  readonly temporaryPasswordValidityDays?: number;
}

/** A custom attribute, `custom:<name>` in tokens. Cognito never lets one be changed or removed. */
export interface CustomAttribute {
  readonly type: (typeof ATTRIBUTE_TYPES)[number];
  /** Users (or the app) may change it after sign-up. @default true */
  readonly mutable?: boolean;
  /** Characters (String) or value (Number), lower bound. @default 0 for String; none for Number */
  readonly min?: number;
  /** Upper bound. @default 2048 for String; none for Number */
  readonly max?: number;
}

/** One app client: a public client (no secret) for a browser or mobile app. */
export interface AppClient {
  /** Flows the app signs in with; `REFRESH_TOKEN_AUTH` is always added. */
  readonly authFlows: readonly AuthFlow[];
  /** 5-1440. @default 60 */
  readonly accessTokenValidityMinutes?: number;
  /** 5-1440. @default 60 */
  readonly idTokenValidityMinutes?: number;
  /** 1-3650, and longer than the access and id tokens. @default 30 */
  readonly refreshTokenValidityDays?: number;
}
