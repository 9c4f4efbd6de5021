import * as fs from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { loadConfig } from "../environments";
import type { DatabaseRestore } from "../modules/rds/postgres";
import { EnvironmentStack } from "../stacks";
import { ROOT, WORK } from "../tools/project";
import { OFFLINE_PROVIDER_OVERRIDE, writeOverrides } from "../tools/stacks";
import { terraform } from "../tools/terraform";
import { summarizePlan } from "../tools/review/plan-summary";

// A restored cluster whose source changes is a different cluster: planned
// against a state that holds it (offline, -refresh=false, as after an edit),
// Terraform replaces it, keel plan lists it as a stateful resource destroyed,
// and once it serves in a production-profile environment prevent_destroy
// refuses the plan outright. The reference platform's production is the
// stack; the restore is added in process, so no config file changes.
jest.setTimeout(180_000);

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const OLD = "rds:omnirapeutic-production-2026-12-04-03-00";
const NEW = "rds:omnirapeutic-production-2026-12-05-03-00";

/** A working copy of production with `restore`, and a state holding the restored cluster made from OLD. */
async function planWith(restore: DatabaseRestore, name: string): Promise<{ ok: boolean; message: string; plan?: unknown }> {
  const config = loadConfig(path.join(ROOT, "examples", "omnirapeutic"));
  const production = config.environments.find((e) => e.name === "production")!;
  const stack = new EnvironmentStack(Testing.app(), { ...production, aurora: { ...production.aurora!, restore } }, config.project);
  const dir = path.join(WORK, "work", "restore-plan", name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "cdk.tf.json"), Testing.synth(stack));
  fs.copyFileSync(path.join(ROOT, ".terraform.lock.hcl"), path.join(dir, ".terraform.lock.hcl"));
  writeOverrides(dir, {
    "keel_backend_override.tf.json": { terraform: { backend: { local: { path: "terraform.tfstate" } } } },
    "keel_provider_override.tf.json": OFFLINE_PROVIDER_OVERRIDE,
  });
  const cluster = "omnirapeutic-production-aurora-r1";
  const state = {
    version: 4,
    terraform_version: "1.11.4",
    serial: 1,
    lineage: `keel-restore-test-${name}`,
    outputs: {},
    resources: [
      {
        mode: "managed",
        type: "aws_rds_cluster",
        name: "aurora_restore",
        provider: PROVIDER,
        instances: [
          {
            schema_version: 0,
            attributes: {
              id: cluster,
              cluster_identifier: cluster,
              arn: `arn:aws:rds:us-east-1:111122223333:cluster:${cluster}`,
              engine: "aurora-postgresql",
              snapshot_identifier: OLD,
              deletion_protection: restore.serve === true,
              skip_final_snapshot: restore.serve !== true,
              tags: {},
              tags_all: {},
            },
          },
        ],
      },
    ],
  };
  fs.writeFileSync(path.join(dir, "terraform.tfstate"), JSON.stringify(state));
  await terraform(["init", "-input=false", "-no-color"], { cwd: dir });
  try {
    await terraform(["plan", "-input=false", "-no-color", "-lock=false", "-refresh=false", "-target=aws_rds_cluster.aurora_restore", "-out=restore.tfplan"], { cwd: dir });
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  const shown = await terraform(["show", "-json", "-no-color", "restore.tfplan"], { cwd: dir });
  return { ok: true, message: "", plan: JSON.parse(shown.stdout) };
}

it("replaces a restored candidate cluster whose snapshot changes, and keel plan lists it as a stateful resource destroyed, forced by snapshot_identifier", async () => {
  const result = await planWith({ name: "r1", snapshot: NEW }, "candidate");
  expect(result.ok).toBe(true);
  const summary = summarizePlan(result.plan as Parameters<typeof summarizePlan>[0]);
  const restored = summary.changes.find((c) => c.address === "aws_rds_cluster.aurora_restore");
  expect(restored).toMatchObject({ action: "replace", stateful: true });
  expect(restored?.replacedBecause).toContain("snapshot_identifier");
  expect(summary.destroysStateful.map((c) => c.address)).toEqual(["aws_rds_cluster.aurora_restore"]);
});

it("refuses the same change once the restored cluster serves a production-profile environment: prevent_destroy", async () => {
  const result = await planWith({ name: "r1", snapshot: NEW, serve: true }, "serving");
  expect(result.ok).toBe(false);
  expect(result.message).toMatch(/Instance cannot be destroyed/);
  expect(result.message).toMatch(/aws_rds_cluster\.aurora_restore/);
});
