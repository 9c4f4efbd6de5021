import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { changedStacks, diffStacks, renderDiff } from "../tools/review/diff";
import { sandbox } from "./support/sandbox";

// keel diff and keel changed: what a change does to the synthesized
// Terraform, without AWS, on fixtures and then on real git history in a copy
// of the project.

const meta = (p: string) => ({ "//": { metadata: { path: p } } });

describe("diffStacks", () => {
  const before = {
    resource: {
      aws_rds_cluster: { aurora: { ...meta("a"), deletion_protection: true, lifecycle: { prevent_destroy: true } } },
      aws_s3_bucket: { uploads: { bucket: "u" } },
      aws_cloudwatch_log_group: { flow: { ...meta("f"), retention_in_days: 365, name: "/f" } },
    },
    output: { endpoint: { value: "${aws_rds_cluster.aurora.endpoint}" } },
  };
  const after = {
    resource: {
      aws_rds_cluster: { aurora: { ...meta("a-moved"), deletion_protection: false, lifecycle: { prevent_destroy: false } } },
      aws_cloudwatch_log_group: { flow: { ...meta("f"), retention_in_days: 90, name: "/f" } },
      aws_lb_listener: { https: { port: 443 } },
    },
    output: { endpoint: { value: "${aws_rds_cluster.aurora.endpoint}", description: "Writer" } },
  };

  it("lists added, removed and changed resources by address and attribute, one level into blocks, metadata aside, and marks what is stateful", () => {
    expect(diffStacks("production", before, after)).toEqual({
      stack: "production",
      resources: [
        { address: "aws_cloudwatch_log_group.flow", action: "change", stateful: true, attributes: [{ path: "retention_in_days", before: "365", after: "90" }] },
        { address: "aws_lb_listener.https", action: "add", stateful: false, attributes: [] },
        {
          address: "aws_rds_cluster.aurora",
          action: "change",
          stateful: true,
          attributes: [
            { path: "deletion_protection", before: "true", after: "false" },
            { path: "lifecycle.prevent_destroy", before: "true", after: "false" },
          ],
        },
        { address: "aws_s3_bucket.uploads", action: "remove", stateful: true, attributes: [] },
      ],
      outputs: [{ path: "endpoint.description", before: "(absent)", after: '"Writer"' }],
    });
    expect(diffStacks("production", before, before)).toEqual({ stack: "production", resources: [], outputs: [] });
  });

  it("renders a removed stateful resource as a warning first, and a changed one as a question for keel plan; Markdown fits one comment", () => {
    const d = diffStacks("production", before, after);
    const text = renderDiff(d, "main");
    expect(text.split("\n")[0]).toBe("production against main: 1 to add, 2 to change, 1 to remove; 1 output(s) changed");
    expect(text).toContain("  STATEFUL RESOURCE REMOVED: aws_s3_bucket.uploads (its data goes unless a moved block carries it)");
    expect(text).toContain("  stateful resource changed: aws_rds_cluster.aurora: keel plan production says whether it is replaced");
    expect(text).toContain("      lifecycle.prevent_destroy: true -> false");
    const markdown = renderDiff(d, "main", true);
    expect(markdown).toContain("> **STATEFUL RESOURCE REMOVED: aws_s3_bucket.uploads");
    expect(markdown).toContain("- `+ aws_lb_listener.https`");
    expect(markdown).toContain("  - `retention_in_days`: `365` → `90`");
    const cut = renderDiff(d, "main", true, 300);
    expect(cut.length).toBeLessThanOrEqual(300);
    expect(cut).toContain("_Cut to fit one comment");
  });
});

describe("keel changed and keel diff on real git history", () => {
  const dir = sandbox();
  const git = (...args: string[]) => spawnSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false", ...args], { cwd: dir, encoding: "utf8" });
  const keel = (...args: string[]) => spawnSync(process.execPath, [path.join(dir, "dist", "tools", "cli.js"), ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, KEEL_CONFIG: "examples/omnirapeutic" } });

  beforeAll(() => {
    expect(spawnSync(process.execPath, ["tools/compile.js"], { cwd: dir }).status).toBe(0);
    expect(git("init", "-q").status).toBe(0);
    // The copy links node_modules, which `node_modules/` in .gitignore (a folder) does not match.
    fs.appendFileSync(path.join(dir, ".git", "info", "exclude"), "node_modules\n");
    expect(git("add", "-A").status).toBe(0);
    expect(git("commit", "-qm", "base").status).toBe(0);
    // A change to dev only: Aurora's log retention in the reference platform's dev.
    const file = path.join(dir, "examples", "omnirapeutic", "dev.ts");
    const source = fs.readFileSync(file, "utf8");
    expect(source).toContain("logRetentionInDays: 7 }");
    fs.writeFileSync(file, source.replace("logRetentionInDays: 7 }", "logRetentionInDays: 14 }"));
    expect(git("commit", "-qam", "dev: keep Aurora's logs 14 days").status).toBe(0);
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("lists only dev as changed against the commit before", () => {
    const result = keel("changed", "HEAD~1");
    expect({ status: result.status, stacks: result.stdout.trim().split("\n"), stderr: result.status === 0 ? "" : result.stderr }).toEqual({ status: 0, stacks: ["dev"], stderr: "" });
    expect(keel("changed", "HEAD").stdout).toBe("");
  }, 120_000);

  it("gives CI its matrix: dev alone, planned with the account's plan role, applied in the environments wave", () => {
    const outputs = path.join(dir, "github-output");
    const result = spawnSync(process.execPath, [path.join(dir, "dist", "tools", "cli.js"), "ci", "matrix", "HEAD~1", "--github-output"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, KEEL_CONFIG: "examples/omnirapeutic", GITHUB_OUTPUT: outputs },
    });
    expect({ status: result.status, stderr: result.status === 0 ? "" : result.stderr }).toEqual({ status: 0, stderr: "" });
    const lines = Object.fromEntries(fs.readFileSync(outputs, "utf8").trim().split("\n").map((l) => [l.slice(0, l.indexOf("=")), JSON.parse(l.slice(l.indexOf("=") + 1))]));
    expect(Object.keys(lines)).toEqual(["plan", "accounts", "environments", "production", "all"]);
    expect(lines.plan.map((e: { stack: string; planRole: string }) => [e.stack, e.planRole])).toEqual([["dev", "arn:aws:iam::111122223333:role/keel-ci-plan"]]);
    expect([lines.accounts, lines.environments.map((e: { stack: string }) => e.stack), lines.production]).toEqual([[], ["dev"], []]);
    const graph = keel("ci", "matrix", "HEAD~1", "--graph");
    expect(graph.stdout).toContain("plan, in parallel, after changes:\n  plan dev  (role arn:aws:iam::111122223333:role/keel-ci-plan, us-east-1)\n");
  }, 120_000);

  it("shows the attribute that changed, as a pull-request comment would", () => {
    const result = keel("diff", "dev", "HEAD~1", "--markdown");
    expect(result.status).toBe(0);
    expect(result.stdout.split("\n")[0]).toBe("### `keel diff`: dev against HEAD~1: 0 to add, 1 to change, 0 to remove; 0 output(s) changed");
    expect(result.stdout).toContain("- `~ aws_cloudwatch_log_group.aurora_postgresql_log_group` (stateful)");
    expect(result.stdout).toContain("  - `retention_in_days`: `7` → `14`");
  }, 120_000);
});

describe("changedStacks", () => {
  it("compares output folders stack by stack, metadata aside, with added and removed stacks", () => {
    const root = fs.mkdtempSync(path.join(process.env.TMPDIR ?? "/tmp", "changed-"));
    const write = (out: string, stack: string, json: object) => {
      fs.mkdirSync(path.join(root, out, "stacks", stack), { recursive: true });
      fs.writeFileSync(path.join(root, out, "stacks", stack, "cdk.tf.json"), JSON.stringify(json));
    };
    write("a", "same", { resource: { t: { n: { ...meta("x"), v: 1 } } } });
    write("b", "same", { resource: { t: { n: { ...meta("y"), v: 1 } } } });
    write("a", "edited", { resource: { t: { n: { v: 1 } } } });
    write("b", "edited", { resource: { t: { n: { v: 2 } } } });
    write("a", "gone", {});
    write("b", "new", {});
    expect(changedStacks(path.join(root, "a"), path.join(root, "b"))).toEqual(["edited", "gone", "new"]);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
