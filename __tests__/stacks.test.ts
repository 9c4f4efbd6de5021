import * as fs from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Construct } from "constructs";
import { BootstrapStack, EnvironmentStack } from "../stacks";
import { StateBackend } from "../modules/state-backend";
import { environmentTags } from "../environments";
import {
  STATE_KEY_ALIAS_ARN,
  onlyResource,
  realStacks,
  referenceConfig,
  shippedBackend,
  synthJson,
  synthText,
} from "./support/stacks";

const stacks = realStacks();
const { project } = referenceConfig();

describe("the app", () => {
  it("has a bootstrap stack, one account stack per account and region, and one stack per environment", () => {
    expect([...stacks.keys()].sort()).toEqual([
      "account-111122223333-us-east-1",
      "bootstrap",
      "dev",
      "production",
      "staging",
    ]);
  });

  it.each([...stacks.keys()])("matches the snapshot of stack %s", (name) => {
    expect(synthText(stacks.get(name)!)).toMatchSnapshot();
  });
});

describe.each(["dev", "staging", "production"])(
  "environment stack %s",
  (env) => {
    const json = synthJson(stacks.get(env)!);

    it("keeps state under <env>/terraform.tfstate, SSE-KMS with the state key, locked by DynamoDB and the S3 lock file", () => {
      expect(json.terraform.backend).toEqual(shippedBackend(env));
    });

    it("pins the provider to its region and account, with the six default tags", () => {
      const config = referenceConfig().environments.find((e) => e.name === env)!;
      expect(json.provider.aws).toEqual([
        {
          region: config.region,
          allowed_account_ids: [config.accountId],
          default_tags: [
            {
              tags: {
                Project: "keel",
                Environment: env,
                ManagedBy: "keel-cdktf",
                Owner: environmentTags(config, project).owner,
                CostCenter: environmentTags(config, project).costCenter,
                DataClassification: environmentTags(config, project).dataClassification,
              },
            },
          ],
        },
      ]);
    });

    it("carries no offline-plan skip flags or credentials", () => {
      const text = synthText(stacks.get(env)!);
      expect(text).not.toMatch(
        /skip_credentials_validation|skip_requesting_account_id|access_key|secret_key/
      );
    });
  }
);

describe("every shipped stack", () => {
  it("names every security group by prefix and replaces it create-before-destroy", () => {
    const groups = [...stacks.values()].flatMap((stack) =>
      Object.entries(synthJson(stack).resource?.aws_security_group ?? {})
    );
    expect(groups.map(([address]) => address).sort()).toEqual(
      [
        ...["aurora", "bastion", "alb", "ecs_nginx"].map((g) => `${g}_security_group`),
        ...["aurora", "bastion", "alb", "ecs_api", "ecs_web", "ecs_worker"].map((g) => `${g}_security_group`),
        ...["aurora", "bastion"].map((g) => `${g}_security_group`),
      ].sort(),
    );
    for (const [address, group] of groups) {
      expect({
        address,
        name: group.name,
        prefix: group.name_prefix,
        lifecycle: group.lifecycle,
      }).toEqual({
        address,
        name: undefined,
        prefix: expect.stringMatching(
          /^(keel-(dev|staging)|omnirapeutic-production)-(aurora|bastion|alb|ecs-[a-z]+)-$/
        ),
        lifecycle: { create_before_destroy: true },
      });
    }
  });

  it("uses the provider version the committed lock file records", () => {
    const lock = fs.readFileSync(
      path.join(__dirname, "..", ".terraform.lock.hcl"),
      "utf8"
    );
    const locked =
      /provider "registry\.terraform\.io\/hashicorp\/aws" \{\s*version\s*=\s*"([^"]+)"[\s\S]*?hashes = \[\s*"(h1|zh):/.exec(
        lock
      );
    expect(locked?.[1]).toBe("5.100.0");
    for (const stack of stacks.values()) {
      expect(
        JSON.parse(synthText(stack)).terraform.required_providers.aws
      ).toEqual({ source: "aws", version: locked?.[1] });
    }
  });

  it.each([...stacks.keys()])(
    "%s requires Terraform 1.11 or later 1.x",
    (name) => {
      expect(
        JSON.parse(synthText(stacks.get(name)!)).terraform.required_version
      ).toBe(">= 1.11.0, < 2.0.0");
    }
  );
});

describe("bootstrap stack", () => {
  const json = synthJson(stacks.get("bootstrap")!);
  const synthesized = synthText(stacks.get("bootstrap")!);

  it("keeps its own state in a local file at the project root until migrated", () => {
    expect(json.terraform.backend).toEqual({
      local: { path: "../../../terraform.bootstrap.tfstate" },
    });
  });

  it("names resources like hand-written Terraform", () => {
    expect(Object.keys(json.resource?.aws_s3_bucket ?? {})).toEqual([
      "state_bucket",
    ]);
    expect(Object.keys(json.resource?.aws_kms_key ?? {})).toEqual([
      "state_key",
    ]);
    expect(Object.keys(json.resource?.aws_dynamodb_table ?? {})).toEqual([
      "state_lock_table",
    ]);
  });

  it("creates the state bucket, never force-destroyed, with prevent_destroy", () => {
    expect(synthesized).toHaveResourceWithProperties(S3Bucket, {
      bucket: project.state.bucket,
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  it("versions the bucket", () => {
    expect(
      onlyResource(json, "aws_s3_bucket_versioning").versioning_configuration
    ).toEqual({ status: "Enabled" });
  });

  it("encrypts the bucket with SSE-KMS under the rotating state key", () => {
    const sse = onlyResource(
      json,
      "aws_s3_bucket_server_side_encryption_configuration"
    );
    expect(sse.rule).toEqual([
      {
        apply_server_side_encryption_by_default: {
          sse_algorithm: "aws:kms",
          kms_master_key_id: "${aws_kms_key.state_key.arn}",
        },
        bucket_key_enabled: true,
      },
    ]);
    const key = onlyResource(json, "aws_kms_key");
    expect(key.enable_key_rotation).toBe(true);
    expect(key.deletion_window_in_days).toBe(30);
    expect(key.lifecycle).toEqual({ prevent_destroy: true });
  });

  it("blocks all four kinds of public access", () => {
    expect(
      onlyResource(json, "aws_s3_bucket_public_access_block")
    ).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it("denies any request without TLS, TLS older than 1.2, and a state write with an encryption other than SSE-KMS", () => {
    const policy = JSON.parse(
      onlyResource(json, "aws_s3_bucket_policy").policy as string
    );
    const arn = `arn:aws:s3:::${project.state.bucket}`;
    expect(policy.Statement).toEqual([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Sid: "DenyTlsOlderThan12",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [arn, `${arn}/*`],
        Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
      },
      {
        Sid: "DenyStateWritesNotEncryptedWithKms",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:PutObject",
        Resource: `${arn}/*`,
        // Denied when a write names an encryption other than SSE-KMS; a write naming none gets the bucket's SSE-KMS default.
        Condition: {
          Null: { "s3:x-amz-server-side-encryption": "false" },
          StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
        },
      },
    ]);
  });

  it("expires noncurrent state versions after the configured days", () => {
    const rules = onlyResource(json, "aws_s3_bucket_lifecycle_configuration")
      .rule as Array<Record<string, unknown>>;
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      status: "Enabled",
      noncurrent_version_expiration: [
        { noncurrent_days: project.state.noncurrentVersionExpirationDays },
      ],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    });
  });

  it("enforces bucket-owner object ownership (no ACLs)", () => {
    expect(onlyResource(json, "aws_s3_bucket_ownership_controls").rule).toEqual(
      { object_ownership: "BucketOwnerEnforced" }
    );
  });

  it("creates the lock table: LockID hash key, on-demand, PITR, KMS, deletion protection, prevent_destroy", () => {
    expect(onlyResource(json, "aws_dynamodb_table")).toMatchObject({
      name: project.state.lockTable,
      hash_key: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      billing_mode: "PAY_PER_REQUEST",
      point_in_time_recovery: { enabled: true },
      server_side_encryption: {
        enabled: true,
        kms_key_arn: "${aws_kms_key.state_key.arn}",
      },
      deletion_protection_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
  });

  it("lets account principals use the state key only through S3 and DynamoDB", () => {
    const policy = JSON.parse(
      onlyResource(json, "aws_kms_key").policy as string
    );
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      "AccountAdministersKey",
      "AccountUseThroughServices",
      "AccountGrantsToServiceResources",
    ]);
    expect(policy.Statement[1].Action).not.toContain("kms:CreateGrant");
    expect(policy.Statement[2]).toMatchObject({
      Action: "kms:CreateGrant",
      Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
    });
    const admin: string[] = policy.Statement[0].Action;
    expect(admin).toContain("kms:PutKeyPolicy");
    for (const use of [
      "kms:*",
      "kms:Decrypt",
      "kms:Encrypt",
      "kms:GenerateDataKey*",
      "kms:ReEncrypt*",
      "kms:CreateGrant",
    ]) {
      expect(admin).not.toContain(use);
    }
    expect(
      policy.Statement[1].Condition.StringEquals["kms:ViaService"]
    ).toEqual([
      "s3.us-east-1.amazonaws.com",
      "dynamodb.us-east-1.amazonaws.com",
    ]);
  });

  it("aliases the state key through the label", () => {
    expect(onlyResource(json, "aws_kms_alias").name).toBe(
      "alias/keel-bootstrap-tfstate"
    );
  });

  it("moves its state into the bucket once state.bootstrapStateInBucket is set", () => {
    const migrated = {
      ...project,
      state: { ...project.state, bootstrapStateInBucket: true },
    };
    const stack = new BootstrapStack(Testing.app(), {
      project: migrated,
      environments: [],
    });
    expect(synthJson(stack).terraform.backend).toEqual(
      shippedBackend("bootstrap")
    );
  });

  it("names in every backend's kms_key_id the alias it gives the state key, in the state account and region", () => {
    expect(STATE_KEY_ALIAS_ARN).toBe(
      `arn:aws:kms:${project.state.region}:${project.state.accountId}:${
        onlyResource(json, "aws_kms_alias").name
      }`
    );
    expect(onlyResource(json, "aws_kms_alias").target_key_id).toBe(
      "${aws_kms_key.state_key.key_id}"
    );
  });
});

describe("protection profiles in the shipped stacks (production vs disposable dev)", () => {
  const dev = synthJson(stacks.get("dev")!);
  const production = synthJson(stacks.get("production")!);

  it("protects production's database and keys", () => {
    expect(onlyResource(production, "aws_rds_cluster")).toMatchObject({
      deletion_protection: true,
      skip_final_snapshot: false,
    });
    const secret = Object.values(
      production.resource?.aws_secretsmanager_secret ?? {}
    )[0];
    expect(secret.recovery_window_in_days).toBe(30);
  });

  it("leaves a disposable environment (dev) destroyable, because its config says so", () => {
    expect(onlyResource(dev, "aws_rds_cluster")).toMatchObject({
      deletion_protection: false,
      skip_final_snapshot: true,
      lifecycle: { prevent_destroy: false },
    });
    for (const key of Object.values(dev.resource?.aws_kms_key ?? {}))
      expect(key.lifecycle).toEqual({ prevent_destroy: false });
    const secret = Object.values(
      dev.resource?.aws_secretsmanager_secret ?? {}
    )[0];
    expect(secret.recovery_window_in_days).toBe(7);
  });
});

describe("StateBackend props", () => {
  it("rejects a noncurrent-version expiry of zero days before creating anything", () => {
    const stack = new BootstrapStack(Testing.app(), {
      project,
      environments: [],
    });
    expect(
      () =>
        new StateBackend(stack, "again", {
          bucketName: "b",
          lockTableName: "t",
          noncurrentVersionExpirationDays: 0,
        })
    ).toThrow(
      "StateBackend: field 'noncurrentVersionExpirationDays': value 0 is not allowed: a whole number from 1 to 3650"
    );
    expect(stack.node.tryFindChild("again")?.node.children ?? []).toEqual([]);
  });
});

describe("Terraform addresses", () => {
  it("refuse two construct paths that map to one address", () => {
    const config = referenceConfig().environments[0];
    const stack = new EnvironmentStack(Testing.app(), config, project);
    new S3Bucket(new Construct(stack, "a-b"), "c", {});
    new S3Bucket(new Construct(stack, "a"), "b-c", {});
    expect(() => synthText(stack)).toThrow(
      "Terraform address 'a_b_c' is claimed by both 'dev/a-b/c' and 'dev/a/b-c': rename one construct id"
    );
  });
});
