import { Construct } from "constructs";
import { CognitoUserPool } from "@cdktf/provider-aws/lib/cognito-user-pool";
import { CognitoUserPoolClient } from "@cdktf/provider-aws/lib/cognito-user-pool-client";
import { CognitoIdentityPool } from "@cdktf/provider-aws/lib/cognito-identity-pool";
import { CognitoIdentityPoolRolesAttachment } from "@cdktf/provider-aws/lib/cognito-identity-pool-roles-attachment";
import { Label, TaggableProps } from "../label";
import { ServiceRole } from "../iam";
import { ProtectionProfile } from "../protection";
import { PropsCheck } from "../validation";
import { suppress } from "../compliance/suppress";
import {
  ATTRIBUTE_TYPES,
  AUTH_FLOWS,
  AppClient,
  CustomAttribute,
  MFA_METHODS,
  MFA_MODES,
  MfaMethod,
  MfaMode,
  PasswordPolicy,
  THREAT_PROTECTION_MODES,
  ThreatProtectionMode,
} from "./constants";

export interface UserPoolProps extends TaggableProps {
  /** What the pool is for, `[a-z0-9-]`; the pool is `<namespace>-<env>-<name>`. @default "users" */
  readonly name?: string;
  /** @default "ON" - every user needs a second factor */
  readonly mfa?: MfaMode;
  /** Second factors offered when `mfa` is not OFF. @default ["TOTP"] */
  readonly mfaMethods?: readonly MfaMethod[];
  /** @default 12 characters with lower and upper case, numbers and symbols */
  readonly passwordPolicy?: PasswordPolicy;
  /** Users may sign themselves up; otherwise only administrators create users. @default false */
  readonly selfSignUp?: boolean;
  /** Custom attributes by name (1-20 letters, digits and _). They can be added later, never changed or removed. @default {} */
  readonly customAttributes?: Readonly<Record<string, CustomAttribute>>;
  /** App clients by name. @default {} */
  readonly clients?: Readonly<Record<string, AppClient>>;
  /**
   * Threat protection (compromised credentials, adaptive authentication): it
   * puts the pool on the Plus feature plan, which is billed per active user.
   * @default - off (Essentials plan)
   */
  readonly threatProtection?: ThreatProtectionMode;
  /**
   * An identity pool that trades the pool's tokens for AWS credentials of an
   * authenticated role (guests get none). Grant the role access with the
   * other modules' verbs, e.g. `bucket.grantPerIdentityAccess(pool.authenticatedRole!, ...)`.
   * @default false
   */
  readonly identityPool?: boolean;
  /** `deletionProtection`: deleting the pool deletes every user. */
  readonly protection: Pick<ProtectionProfile, "deletionProtection">;
}

const ATTRIBUTE = /^[A-Za-z0-9_]{1,20}$/;

/**
 * A Cognito user pool where users sign in with their email address: MFA,
 * a password policy, admin-only sign-up unless told otherwise, custom
 * attributes, public app clients with explicit flows and token lifetimes,
 * deletion protection from the protection profile, and optionally threat
 * protection and an identity pool. SMS MFA gets its own SNS role.
 */
export class UserPool extends Construct {
  public readonly resource: CognitoUserPool;
  public readonly userPoolId: string;
  public readonly userPoolArn: string;
  /** `https://cognito-idp.<region>.amazonaws.com/<pool id>`: the issuer of its tokens (JWT authorizers). */
  public readonly issuerUrl: string;
  /** App client ids by name. */
  public readonly clientIds: ReadonlyMap<string, string>;
  public readonly identityPoolId?: string;
  /** The role signed-in identities get; grants go here. */
  public readonly authenticatedRole?: ServiceRole;

  constructor(scope: Construct, id: string, props: UserPoolProps) {
    super(scope, id);
    const mfa = props.mfa ?? "ON";
    const methods = props.mfaMethods ?? ["TOTP"];
    validate(props, mfa, methods);
    const label = Label.of(this);
    const name = label.id(props.name ?? "users");
    const password = props.passwordPolicy ?? {};
    const sms = mfa !== "OFF" && methods.includes("SMS");
    const smsRole = sms ? this.smsRole(label) : undefined;

    this.resource = new CognitoUserPool(this, "resource", {
      name,
      usernameAttributes: ["email"],
      autoVerifiedAttributes: ["email"],
      usernameConfiguration: { caseSensitive: false },
      accountRecoverySetting: { recoveryMechanism: [{ name: "verified_email", priority: 1 }] },
      adminCreateUserConfig: { allowAdminCreateUserOnly: !(props.selfSignUp ?? false) },
      mfaConfiguration: mfa,
      ...(mfa !== "OFF" && methods.includes("TOTP") ? { softwareTokenMfaConfiguration: { enabled: true } } : {}),
      ...(smsRole === undefined
        ? {}
        : {
            smsConfiguration: { externalId: smsRole.externalId, snsCallerArn: smsRole.role.roleArn, snsRegion: label.region },
            smsAuthenticationMessage: "Your sign-in code is {####}",
          }),
      passwordPolicy: {
        minimumLength: password.minimumLength ?? 12,
        requireLowercase: password.requireLowercase ?? true,
        requireUppercase: password.requireUppercase ?? true,
        requireNumbers: password.requireNumbers ?? true,
        requireSymbols: password.requireSymbols ?? true,
        temporaryPasswordValidityDays: password.temporaryPasswordValidityDays ?? 7,
      },
      schema: Object.entries(props.customAttributes ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([attribute, spec]) => ({
          name: attribute,
          attributeDataType: spec.type,
          mutable: spec.mutable ?? true,
          developerOnlyAttribute: false,
          ...(spec.type === "String"
            ? { stringAttributeConstraints: { minLength: String(spec.min ?? 0), maxLength: String(spec.max ?? 2048) } }
            : spec.min !== undefined || spec.max !== undefined
              ? { numberAttributeConstraints: { ...(spec.min === undefined ? {} : { minValue: String(spec.min) }), ...(spec.max === undefined ? {} : { maxValue: String(spec.max) }) } }
              : {}),
        })),
      userPoolTier: props.threatProtection === undefined ? "ESSENTIALS" : "PLUS",
      ...(props.threatProtection === undefined ? {} : { userPoolAddOns: { advancedSecurityMode: props.threatProtection } }),
      deletionProtection: props.protection.deletionProtection ? "ACTIVE" : "INACTIVE",
      tags: label.resourceTags(name, props.tags),
    });
    this.userPoolId = this.resource.id;
    this.userPoolArn = this.resource.arn;
    this.issuerUrl = `https://${this.resource.endpoint}`;

    const clients = new Map<string, string>();
    for (const [clientName, client] of Object.entries(props.clients ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      const flows = [...new Set([...client.authFlows, "REFRESH_TOKEN_AUTH"])].sort().map((f) => `ALLOW_${f}`);
      const resource = new CognitoUserPoolClient(this, `client-${clientName}`, {
        name: label.id(clientName),
        userPoolId: this.resource.id,
        generateSecret: false,
        explicitAuthFlows: flows,
        accessTokenValidity: client.accessTokenValidityMinutes ?? 60,
        idTokenValidity: client.idTokenValidityMinutes ?? 60,
        refreshTokenValidity: client.refreshTokenValidityDays ?? 30,
        tokenValidityUnits: [{ accessToken: "minutes", idToken: "minutes", refreshToken: "days" }],
        preventUserExistenceErrors: "ENABLED",
        enableTokenRevocation: true,
      });
      clients.set(clientName, resource.id);
    }
    this.clientIds = clients;

    if (props.identityPool === true) {
      const pool = new CognitoIdentityPool(this, "identity-pool", {
        identityPoolName: label.id(`${props.name ?? "users"}-identities`).replace(/-/g, "_"),
        allowUnauthenticatedIdentities: false,
        allowClassicFlow: false,
        cognitoIdentityProviders: [...clients.values()].map((clientId) => ({ clientId, providerName: this.resource.endpoint, serverSideTokenCheck: true })),
        tags: label.resourceTags(name, props.tags),
      });
      const host = "cognito-identity.amazonaws.com";
      this.authenticatedRole = new ServiceRole(this, "authenticated-role", {
        purpose: `${props.name ?? "users"}-authenticated`,
        webIdentity: {
          provider: host,
          conditions: { StringEquals: { [`${host}:aud`]: pool.id }, "ForAnyValue:StringLike": { [`${host}:amr`]: "authenticated" } },
        },
        tags: props.tags,
      });
      new CognitoIdentityPoolRolesAttachment(this, "identity-roles", { identityPoolId: pool.id, roles: { authenticated: this.authenticatedRole.roleArn } });
      this.identityPoolId = pool.id;
    }
  }

  /** The role Cognito publishes SMS codes through, trusted only with the pool's external id. */
  private smsRole(label: Label): { role: ServiceRole; externalId: string } {
    const externalId = label.id("cognito-sms");
    const role = new ServiceRole(this, "sms-role", {
      purpose: `${this.node.id}-sms`,
      servicePrincipal: "cognito-idp.amazonaws.com",
      trustConditions: { StringEquals: { "sts:ExternalId": externalId, "aws:SourceAccount": label.accountId } },
    });
    role.addToPolicy({ sid: "PublishSmsCodes", actions: ["sns:Publish"], resources: ["*"] });
    // SMS goes to phone numbers, which have no ARN: sns:Publish to a number needs Resource "*".
    suppress(role, { rule: "iam-no-unscoped-writes", reason: "Cognito sends SMS codes with sns:Publish to phone numbers, which have no ARN to scope to" });
    return { role, externalId };
  }
}

function validate(props: UserPoolProps, mfa: MfaMode, methods: readonly MfaMethod[]): void {
  const check = new PropsCheck(`UserPool '${props.name ?? "users"}'`);
  const password = props.passwordPolicy ?? {};
  check
    .shortName("name", props.name ?? "users")
    .oneOf("mfa", mfa, MFA_MODES)
    .require(mfa === "OFF" || methods.length > 0, "mfaMethods", methods, `at least one of ${MFA_METHODS.join(", ")} when mfa is ${mfa}`)
    .distinct("mfaMethods", methods)
    .integer("passwordPolicy.minimumLength", password.minimumLength ?? 12, 8, 99)
    .integer("passwordPolicy.temporaryPasswordValidityDays", password.temporaryPasswordValidityDays ?? 7, 1, 365)
    .tags("tags", props.tags);
  methods.forEach((m, i) => check.oneOf(`mfaMethods.${i}`, m, MFA_METHODS));
  if (props.threatProtection !== undefined) check.oneOf("threatProtection", props.threatProtection, THREAT_PROTECTION_MODES);
  const attributes = Object.entries(props.customAttributes ?? {});
  check.require(attributes.length <= 50, "customAttributes", attributes.length, "at most 50 custom attributes (Cognito's limit)");
  for (const [name, spec] of attributes) {
    const at = `customAttributes.${name}`;
    check.require(ATTRIBUTE.test(name), at, name, "1-20 letters, digits and _").oneOf(`${at}.type`, spec.type, ATTRIBUTE_TYPES);
    if (spec.type === "String") {
      check.integer(`${at}.min`, spec.min ?? 0, 0, 2048).integer(`${at}.max`, spec.max ?? 2048, 1, 2048);
      check.require((spec.min ?? 0) <= (spec.max ?? 2048), `${at}.max`, spec.max, `at least min (${spec.min ?? 0})`);
    }
  }
  const clients = Object.entries(props.clients ?? {});
  check.require(props.identityPool !== true || clients.length > 0, "identityPool", true, "at least one client: the identity pool trusts the pool's clients");
  for (const [name, client] of clients) {
    const at = `clients.${name}`;
    const access = client.accessTokenValidityMinutes ?? 60;
    const idToken = client.idTokenValidityMinutes ?? 60;
    const refresh = client.refreshTokenValidityDays ?? 30;
    check
      .shortName(at, name)
      .require(client.authFlows.length > 0, `${at}.authFlows`, client.authFlows, `at least one of ${AUTH_FLOWS.join(", ")}`)
      .distinct(`${at}.authFlows`, client.authFlows)
      .integer(`${at}.accessTokenValidityMinutes`, access, 5, 1440)
      .integer(`${at}.idTokenValidityMinutes`, idToken, 5, 1440)
      .integer(`${at}.refreshTokenValidityDays`, refresh, 1, 3650)
      .require(refresh * 1440 > Math.max(access, idToken), `${at}.refreshTokenValidityDays`, refresh, "longer than the access and id tokens");
    client.authFlows.forEach((f, i) => check.oneOf(`${at}.authFlows.${i}`, f, AUTH_FLOWS));
  }
  check.done();
}
