import * as fs from "node:fs";
import * as path from "node:path";
import { WORK } from "../tools/project";
import { OFFLINE_PROVIDER_OVERRIDE, stageStack, synthesize, writeOverrides } from "../tools/stacks";
import { terraform } from "../tools/terraform";

// A replacement planned against live state, offline: the dev stack with a
// state that holds its Aurora security group under an older description and
// its cluster parameter group under an older family (as before a major
// upgrade). `-refresh=false` keeps the provider from calling AWS; the plan
// compares config with that state, exactly as after an edit.
jest.setTimeout(120_000);

const outDir = path.join(WORK, "test-out-replacement");
const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';

interface Change {
  readonly address: string;
  readonly change: { readonly actions: readonly string[] };
  readonly action_reason?: string;
}
let changes: Change[] = [];
let logged = "";

function instance(type: string, name: string, schemaVersion: number, attributes: Record<string, unknown>): object {
  return { mode: "managed", type, name, provider: PROVIDER, instances: [{ schema_version: schemaVersion, attributes }] };
}

beforeAll(async () => {
  fs.rmSync(outDir, { recursive: true, force: true });
  // The reference platform's dev, whose names the crafted state below holds; environments/ is the team's.
  await synthesize(outDir, { config: "examples/omnirapeutic" });
  const dir = stageStack("dev", "replacement", outDir);
  writeOverrides(dir, {
    "keel_backend_override.tf.json": { terraform: { backend: { local: { path: "terraform.tfstate" } } } },
    "keel_provider_override.tf.json": OFFLINE_PROVIDER_OVERRIDE,
  });
  const state = {
    version: 4,
    terraform_version: "1.11.4",
    serial: 1,
    lineage: "keel-replacement-test",
    outputs: {},
    resources: [
      instance("aws_security_group", "aurora_security_group", 1, {
        id: "sg-0123456789abcdef0",
        arn: "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0123456789abcdef0",
        name: "keel-dev-aurora-20260101000000000000000001",
        name_prefix: "keel-dev-aurora-",
        description: "An older description",
        vpc_id: "vpc-0123456789abcdef0",
        owner_id: "111122223333",
        ingress: [],
        egress: [],
        revoke_rules_on_delete: false,
        tags: { Name: "keel-dev-aurora" },
        tags_all: { Name: "keel-dev-aurora" },
      }),
      instance("aws_rds_cluster_parameter_group", "aurora_parameter_group", 0, {
        id: "keel-dev-aurora-postgresql14-20260101000000000000000002",
        arn: "arn:aws:rds:us-east-1:111122223333:cluster-pg:keel-dev-aurora-postgresql14-20260101000000000000000002",
        name: "keel-dev-aurora-postgresql14-20260101000000000000000002",
        name_prefix: "keel-dev-aurora-postgresql14-",
        family: "aurora-postgresql14",
        description: "TLS only; pgAudit; connections logged",
        parameter: [],
        tags: {},
        tags_all: {},
      }),
    ],
  };
  fs.writeFileSync(path.join(dir, "terraform.tfstate"), JSON.stringify(state));
  await terraform(["init", "-input=false", "-no-color"], { cwd: dir });
  // Only the two resources (and what they depend on): the rest of the stack is not what is tested.
  const targets = ["-target=aws_security_group.aurora_security_group", "-target=aws_rds_cluster_parameter_group.aurora_parameter_group"];
  await terraform(["plan", "-input=false", "-no-color", "-lock=false", "-refresh=false", ...targets, "-out=replace.tfplan"], { cwd: dir });
  // With TF_LOG on, as a user debugging a plan would run it: the logs go to stderr, the JSON stays clean.
  const shown = await terraform(["show", "-json", "-no-color", "replace.tfplan"], { cwd: dir, env: { TF_LOG: "info" } });
  logged = shown.stderr;
  changes = JSON.parse(shown.stdout).resource_changes;
});

it("replaces a security group whose description changed create-then-destroy, never delete-first", () => {
  const group = changes.find((c) => c.address === "aws_security_group.aurora_security_group");
  expect(group?.change.actions).toEqual(["create", "delete"]);
  expect(group?.action_reason).toBe("replace_because_cannot_update");
});

it("replaces the cluster parameter group of an older family create-then-destroy, so the cluster moves before the old group goes", () => {
  const group = changes.find((c) => c.address === "aws_rds_cluster_parameter_group.aurora_parameter_group");
  expect(group?.change.actions).toEqual(["create", "delete"]);
});

it("keeps TF_LOG out of the JSON it parses: logs on stderr, `show -json` on stdout", () => {
  expect(logged).toMatch(/\[INFO\]/);
  expect(changes.length).toBeGreaterThan(0);
});
