import { Testing } from "cdktf";
import { KmsKey, Security, SecurityProps } from "../modules/security";
import { PROTECTION_PROFILES } from "../environments";
import { moduleStack, resources, synth } from "./support/module-stack";

interface Statement {
  Sid: string;
  Principal: Record<string, string>;
  Action: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

type Props = Partial<SecurityProps> & { secretRecoveryWindowInDays?: number };

/** Security with all three keys asked for, as an environment with a database, a VPC and secrets asks. */
function build({ secretRecoveryWindowInDays, ...props }: Props = {}) {
  const stack = moduleStack();
  const protection = { ...PROTECTION_PROFILES.production, ...(secretRecoveryWindowInDays !== undefined ? { secretRecoveryWindowInDays } : {}) };
  const security = new Security(stack, "security", { protection, ...props });
  void [security.databaseKey, security.logsKey, security.secretsKey];
  return { json: synth(stack), text: Testing.synth(stack) };
}

const policyOf = (json: ReturnType<typeof synth>, name: string): Statement[] =>
  JSON.parse(resources(json, "aws_kms_key")[name].policy as string).Statement;

describe("Security", () => {
  const secrets = [
    { name: "api-keys", description: "Third-party API keys" },
    { name: "session-signing-key", description: "Signs sessions" },
  ];
  const { json, text } = build({ secrets });

  it("matches the snapshot", () => {
    const stack = moduleStack();
    new Security(stack, "security", { secrets: secrets.slice(0, 1), protection: PROTECTION_PROFILES.production });
    expect(Testing.synth(stack)).toMatchSnapshot();
  });

  it("creates one rotating key per purpose, with aliases from the label and prevent_destroy", () => {
    const keys = resources(json, "aws_kms_key");
    expect(Object.keys(keys).sort()).toEqual(["security_database_key", "security_logs_key", "security_secrets_key"]);
    for (const key of Object.values(keys)) {
      expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    }
    expect(Object.values(resources(json, "aws_kms_alias")).map((a) => a.name).sort()).toEqual([
      "alias/keel-test-database",
      "alias/keel-test-logs-storage",
      "alias/keel-test-secrets",
    ]);
  });

  it("grants the database key only through RDS", () => {
    const statements = policyOf(json, "security_database_key");
    expect(statements.map((s) => s.Sid)).toEqual(["AccountAdministersKey", "AccountUseThroughServices", "AccountGrantsToServiceResources"]);
    expect(statements[1].Condition?.StringEquals["kms:ViaService"]).toEqual(["rds.us-east-1.amazonaws.com"]);
  });

  describe("key policies, every statement's principal, actions and conditions", () => {
    const account = { AWS: "arn:aws:iam::111122223333:root" };
    const use = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];
    const viaStatements = (hosts: string[]) => [
      {
        Sid: "AccountUseThroughServices",
        Effect: "Allow",
        Principal: account,
        Action: [...use, "kms:ListGrants"],
        Resource: "*",
        Condition: { StringEquals: { "kms:CallerAccount": "111122223333", "kms:ViaService": hosts } },
      },
      {
        Sid: "AccountGrantsToServiceResources",
        Effect: "Allow",
        Principal: account,
        Action: "kms:CreateGrant",
        Resource: "*",
        Condition: { StringEquals: { "kms:CallerAccount": "111122223333", "kms:ViaService": hosts }, Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
    ];
    const admin = expect.objectContaining({ Sid: "AccountAdministersKey", Principal: account, Resource: "*" });
    const trails = { "aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/*" };

    it("logs key: CloudWatch Logs under the log-group context; CloudTrail encrypts under its context and describes the key in a statement of its own", () => {
      expect(policyOf(json, "security_logs_key")).toEqual([
        admin,
        {
          Sid: "CloudWatchLogsEncryptsLogGroups",
          Effect: "Allow",
          Principal: { Service: "logs.us-east-1.amazonaws.com" },
          Action: use,
          Resource: "*",
          Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:111122223333:log-group:*" } },
        },
        {
          Sid: "CloudTrailEncryptsTrails",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "kms:GenerateDataKey*",
          Resource: "*",
          Condition: { ArnLike: trails, StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111122223333:trail/*" } },
        },
        {
          // DescribeKey carries no encryption context: under the encrypt statement's condition CloudTrail could never call it.
          Sid: "CloudTrailDescribesKey",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "kms:DescribeKey",
          Resource: "*",
          Condition: { ArnLike: trails },
        },
        ...viaStatements(["s3.us-east-1.amazonaws.com", "ec2.us-east-1.amazonaws.com"]),
      ]);
    });

    it("database key: the account through RDS only", () => {
      expect(policyOf(json, "security_database_key")).toEqual([admin, ...viaStatements(["rds.us-east-1.amazonaws.com"])]);
    });

    it("secrets key: alarm and event publishers from this account, and the account through Secrets Manager, ECR and SNS", () => {
      const publisher = (sid: string, service: string) => ({
        Sid: sid,
        Effect: "Allow",
        Principal: { Service: service },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
      });
      expect(policyOf(json, "security_secrets_key")).toEqual([
        admin,
        publisher("CloudWatchPublishesToTopics", "cloudwatch.amazonaws.com"),
        publisher("EventBridgePublishesToTopics", "events.amazonaws.com"),
        ...viaStatements(["secretsmanager.us-east-1.amazonaws.com", "ecr.us-east-1.amazonaws.com", "sns.us-east-1.amazonaws.com"]),
      ]);
    });
  });

  it("grants the secrets key through Secrets Manager, ECR and SNS, and to alarm publishers", () => {
    const statements = policyOf(json, "security_secrets_key");
    expect(statements.find((s) => s.Sid === "AccountUseThroughServices")?.Condition?.StringEquals["kms:ViaService"]).toEqual([
      "secretsmanager.us-east-1.amazonaws.com",
      "ecr.us-east-1.amazonaws.com",
      "sns.us-east-1.amazonaws.com",
    ]);
    expect(statements.filter((s) => s.Principal.Service).map((s) => s.Principal.Service)).toEqual(["cloudwatch.amazonaws.com", "events.amazonaws.com"]);
  });

  it("never lets the account use a key directly, only administer it", () => {
    for (const name of Object.keys(resources(json, "aws_kms_key"))) {
      const admin = policyOf(json, name)[0];
      expect(admin.Principal).toEqual({ AWS: "arn:aws:iam::111122223333:root" });
      expect(admin.Action).not.toContain("kms:*");
      expect(admin.Action).not.toContain("kms:Decrypt");
      expect(admin.Action).not.toContain("kms:CreateGrant");
    }
  });

  it("creates the secrets empty, encrypted with the secrets key: no value in the JSON or the state", () => {
    const all = resources(json, "aws_secretsmanager_secret");
    expect(Object.values(all).map((s) => s.name)).toEqual(["keel-test-api-keys", "keel-test-session-signing-key"]);
    for (const secret of Object.values(all)) {
      expect(secret).toMatchObject({ kms_key_id: "${aws_kms_key.security_secrets_key.arn}", recovery_window_in_days: 30 });
    }
    expect(resources(json, "aws_secretsmanager_secret_version")).toEqual({});
    expect(text).not.toMatch(/secret_string|secret_binary|password/);
  });

  describe("validation", () => {
    it("rejects a repeated secret name", () => {
      expect(() => build({ secrets: [secrets[0], secrets[0]] })).toThrow("Security: field 'secrets.1.name': value \"api-keys\" is not allowed: a name not used by another secret");
    });

    it("rejects a secret name outside [a-z0-9-]", () => {
      expect(() => build({ secrets: [{ name: "API_KEYS", description: "x" }] })).toThrow(
        "Security: field 'secrets.0.name': value \"API_KEYS\" is not allowed: lower-case letters, digits and single dashes",
      );
    });

    it("rejects a secret without a description", () => {
      expect(() => build({ secrets: [{ name: "x", description: " " }] })).toThrow("Security: field 'secrets.0.description': value \" \" is not allowed: a non-empty string");
    });

    it("rejects a recovery window outside 7-30 days", () => {
      expect(() => build({ secretRecoveryWindowInDays: 0 })).toThrow("Security: field 'protection.secretRecoveryWindowInDays': value 0 is not allowed: a whole number from 7 to 30");
    });

    it("rejects a key deletion window outside 7-30 days", () => {
      expect(() => build({ keyDeletionWindowInDays: 3 })).toThrow("Security: field 'keyDeletionWindowInDays': value 3 is not allowed: a whole number from 7 to 30");
    });

    it("rejects a key that no service may use", () => {
      expect(() => new KmsKey(moduleStack(), "k", { purpose: "idle", description: "d" })).toThrow(
        "KmsKey 'idle': field 'servicePrincipals/viaServices': value [] is not allowed: at least one service that uses the key",
      );
    });
  });
});
