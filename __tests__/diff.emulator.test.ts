import * as fs from "node:fs";
import * as path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { sandbox } from "./support/sandbox";

// keel diff --emulator, as its help says, on real git history in a copy: the base commit's account
// stack applied to the local emulator, the change planned against it by Terraform. The change moves
// the reference platform's CI to another repository: both CI roles' trust policies change in place,
// and nothing is created, replaced or destroyed.

const dir = sandbox();
const git = (...args: string[]) => spawnSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false", ...args], { cwd: dir, encoding: "utf8" });
const STACK = "account-111122223333-us-east-1";

interface Result {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}
let result: Result;

/** The CLI, asynchronously: jest's worker keeps running while Terraform and the emulator do. */
function keel(...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(dir, "dist", "tools", "cli.js"), ...args], { cwd: dir, env: { ...process.env, KEEL_CONFIG: "examples/omnirapeutic" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

beforeAll(async () => {
  expect(spawnSync(process.execPath, ["tools/compile.js"], { cwd: dir }).status).toBe(0);
  expect(git("init", "-q").status).toBe(0);
  fs.appendFileSync(path.join(dir, ".git", "info", "exclude"), "node_modules\n");
  expect(git("add", "-A").status).toBe(0);
  expect(git("commit", "-qm", "base").status).toBe(0);
  const file = path.join(dir, "examples", "omnirapeutic", "project.ts");
  const source = fs.readFileSync(file, "utf8");
  expect(source).toContain('ci: { repository: "omnirapeutic/platform" }');
  fs.writeFileSync(file, source.replace('ci: { repository: "omnirapeutic/platform" }', 'ci: { repository: "omnirapeutic/infrastructure" }'));
  expect(git("commit", "-qam", "CI moves to the infrastructure repository").status).toBe(0);
  result = await keel("diff", STACK, "HEAD~1", "--emulator", "--json");
}, 600_000);

afterAll(() => {
  if (process.env.KEEL_KEEP_SANDBOX === undefined) fs.rmSync(dir, { recursive: true, force: true });
});

it("plans the change with Terraform against the base applied to the emulator: the two roles' trust (and descriptions) change in place, nothing else", () => {
  expect({ status: result.status, stderr: result.status === 0 ? "" : result.stderr }).toEqual({ status: 0, stderr: "" });
  const plan = JSON.parse(result.stdout) as { counts: Record<string, number>; destroysStateful: unknown[]; changes: Array<{ address: string; action: string; attributes: Array<{ path: string }> }> };
  expect(plan.destroysStateful).toEqual([]);
  expect(plan.changes.map((c) => `${c.action} ${c.address}`).sort()).toEqual(["update aws_iam_role.ci_apply", "update aws_iam_role.ci_plan"]);
  // The trust names the repository, and so does each role's description.
  for (const change of plan.changes) expect(change.attributes.map((a) => a.path).sort()).toEqual(["assume_role_policy", "description"]);
  expect(plan.counts).toEqual({ create: 0, update: 2, replace: 0, delete: 0 });
  expect(result.stderr).toMatch(/base applied in \d+ s, change planned in \d+ s/);
});
