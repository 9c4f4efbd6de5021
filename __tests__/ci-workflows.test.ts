import * as fs from "node:fs";
import * as path from "node:path";
import { buildSync } from "esbuild";
import { loadConfig } from "../environments";
import { ACTIONS, WORKFLOW_FILES, ciDeployedEnvironments, workflows } from "../tools/ci/workflows";
import { ciMatrix, githubOutputs, renderJobGraph } from "../tools/ci/matrix";
import { planDifferences } from "../tools/ci/reviewed";
import { Fetch, GitHubContext, commentMarker, reportDrift, reviewedRun, stickyComment } from "../tools/ci/github";
import { REFERENCE_DIR, referenceConfig } from "./support/stacks";
import { devConfig } from "./support/config";

const ROOT = path.resolve(__dirname, "..");

/**
 * GitHub's own workflow parser (@actions/workflow-parser, the one behind the
 * Actions language server and VS Code extension): the workflow schema, every
 * `${{ }}` expression, and the job graph (`needs`). It is published as ES
 * modules that import JSON, which jest does not load, so esbuild bundles it
 * once into a CommonJS file under the ignored work folder.
 */
type Parser = {
  parseWorkflow(entry: { name: string; content: string }, trace: unknown): { context: { errors: { getErrors(): Array<{ message: string }> } }; value: unknown };
  convertWorkflowTemplate(context: unknown, value: unknown): Promise<{ errors?: Array<{ Message: string }>; jobs?: Array<{ id: { value: string }; needs?: Array<{ value: string }> }> }>;
  NoOperationTraceWriter: new () => unknown;
};
function parser(): Parser {
  const out = path.join(ROOT, ".keel", "tmp", "workflow-parser.cjs");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  buildSync({
    stdin: { contents: 'export * from "@actions/workflow-parser";', resolveDir: ROOT, loader: "js" },
    bundle: true,
    platform: "node",
    format: "cjs",
    outfile: out,
    logLevel: "silent",
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(out) as Parser;
}

async function validate(p: Parser, name: string, content: string): Promise<{ errors: string[]; needs: Record<string, string[]> }> {
  const parsed = p.parseWorkflow({ name, content }, new p.NoOperationTraceWriter());
  const template = await p.convertWorkflowTemplate(parsed.context, parsed.value);
  const errors = [...parsed.context.errors.getErrors().map((e) => e.message), ...(template.errors ?? []).map((e) => e.Message)];
  const needs = Object.fromEntries((template.jobs ?? []).map((j) => [j.id.value, (j.needs ?? []).map((n) => n.value)]));
  return { errors: [...new Set(errors)], needs };
}

const team = loadConfig();
const reference = referenceConfig();
const files = workflows({ project: reference.project, environments: reference.environments });

describe("the workflows keel ci writes", () => {
  const p = parser();

  it("are committed as keel ci would write them from the team's project.ci (run `npx keel ci` after a change)", () => {
    const expected = workflows({ project: team.project, environments: team.environments });
    if (team.project.ci === undefined) return expect(expected).toEqual({});
    expect(Object.keys(expected).sort()).toEqual(
      Object.values(WORKFLOW_FILES)
        .filter((f) => f !== WORKFLOW_FILES.deploy || ciDeployedEnvironments(team.environments).length > 0)
        .sort(),
    );
    for (const [file, text] of Object.entries(expected)) {
      expect({ file, text: fs.readFileSync(path.join(ROOT, ".github", "workflows", file), "utf8") }).toEqual({ file, text });
    }
  });

  it.each(Object.values(WORKFLOW_FILES))("%s passes GitHub's own workflow parser, the team's and the reference platform's", async (file) => {
    const generated = [workflows({ project: team.project, environments: team.environments })[file], files[file]].filter((t): t is string => t !== undefined);
    expect(generated.length).toBeGreaterThan(0);
    for (const text of generated) expect((await validate(p, file, text)).errors).toEqual([]);
  });

  it("has a validator that can fail: a misspelt key, a bad expression and an unknown need are reported", async () => {
    const broken = files[WORKFLOW_FILES.plan].replace("runs-on: ubuntu-latest\n    permissions:\n      contents: read\n    outputs", "runs-onn: ubuntu-latest\n    permissions:\n      contents: read\n    outputs").replace("github.base_ref", "github.base_ref ||| x");
    const { errors } = await validate(p, "broken.yml", broken);
    expect(errors.join("\n")).toMatch(/Unexpected value 'runs-onn'/);
    expect(errors.join("\n")).toMatch(/Unexpected symbol: '\|'/);
    // The job graph is checked once the file parses.
    const unknownNeed = await validate(p, "broken.yml", files[WORKFLOW_FILES.plan].replace("      - changes\n", "      - chnages\n"));
    expect(unknownNeed.errors.join("\n")).toMatch(/chnages/);
  });

  it("pins every action by a full commit SHA, with its tag in a comment", () => {
    const uses = Object.values(files).flatMap((t) => t.split("\n").filter((l) => l.includes("uses: ")));
    expect(uses.length).toBeGreaterThan(10);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    expect(Object.values(ACTIONS).every((a) => /@[0-9a-f]{40}$/.test(a.uses))).toBe(true);
  });

  it("grants no permission at the top, least per job, and id-token: write only to jobs that assume a role", async () => {
    for (const [file, text] of Object.entries(files)) {
      expect(text).toContain("\npermissions: {}\n");
      const jobs = text.split("\njobs:\n")[1].split(/\n(?=  [a-z][\w-]*:\n)/);
      expect(jobs.length).toBeGreaterThanOrEqual(file === WORKFLOW_FILES.deploy ? 1 : 2);
      for (const job of jobs) {
        const name = `${file} ${job.split(":")[0].trim()}`;
        expect({ name, permissions: /\n    permissions:\n/.test(job) }).toEqual({ name, permissions: true });
        expect({ name, oidc: job.includes("id-token: write") }).toEqual({ name, oidc: job.includes(ACTIONS.awsCredentials.uses) });
        expect({ name, writesContents: job.includes("contents: write") }).toEqual({ name, writesContents: false });
      }
    }
  });

  it("echoes no secret: no secrets context, the token only in a step's env, credentials never persisted", () => {
    for (const text of Object.values(files)) {
      expect(text).not.toMatch(/secrets\./);
      expect(text).not.toMatch(/run: .*github\.token/);
      expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key/);
      expect(text.match(/persist-credentials: false/g)?.length).toBe(text.match(new RegExp(ACTIONS.checkout.uses, "g"))?.length);
    }
  });

  it("applies in waves: accounts, then the other environments, then production; each stack in its GitHub environment, one run per stack", async () => {
    const { needs } = await validate(p, "keel-apply.yml", files[WORKFLOW_FILES.apply]);
    expect(needs).toEqual({ changes: [], accounts: ["changes"], environments: ["changes", "accounts"], production: ["changes", "environments"] });
    expect(files[WORKFLOW_FILES.apply].match(/environment: "\$\{\{ matrix.environment \}\}"/g)).toHaveLength(3);
    expect(files[WORKFLOW_FILES.apply].match(/group: keel-apply-\$\{\{ matrix.stack \}\}\n      cancel-in-progress: false/g)).toHaveLength(3);
    const plan = await validate(p, "keel-plan.yml", files[WORKFLOW_FILES.plan]);
    expect(plan.needs).toEqual({ changes: [], check: [], plan: ["changes"] });
  });
});

describe("the job graph for a change that touches only dev", () => {
  // dev's synthesized JSON is the only one that differs, as `keel ci matrix` finds on real git history (diff.test.ts).
  const matrix = ciMatrix(reference.project, reference.environments, ["dev"]);

  it("plans dev alone with the account's plan role, and applies it in the environments wave in GitHub environment dev", () => {
    expect(matrix.plan).toEqual([
      {
        stack: "dev",
        account: "111122223333",
        region: "us-east-1",
        environment: "dev",
        wave: "environments",
        planRole: "arn:aws:iam::111122223333:role/keel-ci-plan",
        applyRole: "arn:aws:iam::111122223333:role/keel-ci-apply",
      },
    ]);
    expect([matrix.accounts, matrix.environments.map((e) => e.stack), matrix.production]).toEqual([[], ["dev"], []]);
    expect(githubOutputs(matrix).split("\n")[2]).toBe("environments=" + JSON.stringify(matrix.plan));
    expect(renderJobGraph(matrix, "push")).toBe(
      [
        "changes  (keel ci matrix <before>)",
        "accounts, after changes:",
        "  (nothing changed; skipped)",
        "environments, after accounts:",
        "  apply dev  (GitHub environment dev, role arn:aws:iam::111122223333:role/keel-ci-apply)",
        "production, after environments:",
        "  (nothing changed; skipped)",
        "",
      ].join("\n"),
    );
  });

  it("orders every stack: the account stack, then dev and staging, then production; bootstrap never", () => {
    const all = ciMatrix(reference.project, reference.environments, "all").all;
    expect(all.map((e) => `${e.wave}:${e.stack}`)).toEqual(["accounts:account-111122223333-us-east-1", "environments:dev", "environments:staging", "production:production"]);
    expect(ciMatrix(reference.project, reference.environments, ["bootstrap"]).plan).toEqual([]);
  });

  it("applies in the GitHub environment ci.environments names, and trusts it", () => {
    const project = { ...reference.project, ci: { repository: "omnirapeutic/platform", environments: { production: "production-approved" } } };
    const prod = ciMatrix(project, [...reference.environments, devConfig((c) => (c.name = "qa"))], ["production", "qa"]);
    expect(prod.production.map((e) => e.environment)).toEqual(["production-approved"]);
    expect(prod.environments.map((e) => `${e.stack}:${e.environment}`)).toEqual(["qa:qa"]);
  });
});

describe("the reviewed plan", () => {
  const change = (address: string, actions: string[], after: unknown) => ({ address, change: { actions, after, after_unknown: {} } });
  const reviewed = { resource_changes: [change("aws_s3_bucket.logs", ["update"], { versioning: true }), change("aws_iam_role.a", ["no-op"], {})] };

  it("is applied only when the new plan makes the same changes with the same values", () => {
    expect(planDifferences(reviewed, { resource_changes: [change("aws_s3_bucket.logs", ["update"], { versioning: true })] })).toEqual([]);
    expect(planDifferences(reviewed, { resource_changes: [change("aws_s3_bucket.logs", ["update"], { versioning: false })] })).toEqual(["aws_s3_bucket.logs: update, with other values than reviewed"]);
    expect(planDifferences(reviewed, { resource_changes: [change("aws_s3_bucket.logs", ["delete", "create"], { versioning: true })] })).toEqual(["aws_s3_bucket.logs: reviewed update, now delete,create"]);
    expect(planDifferences(reviewed, { resource_changes: [...reviewed.resource_changes, change("aws_rds_cluster.db", ["delete"], null)] })).toEqual(["aws_rds_cluster.db: delete now, not in the reviewed plan"]);
    expect(planDifferences(reviewed, { resource_changes: [] })).toEqual(["aws_s3_bucket.logs: update was reviewed, not planned now"]);
  });
});

describe("the GitHub calls", () => {
  /** A recording fake of the REST API: answers by method and path, remembers every request. */
  function fakeGitHub(routes: Record<string, unknown>): { gh: GitHubContext; calls: Array<{ method: string; path: string; body?: unknown; auth: string }> } {
    const calls: Array<{ method: string; path: string; body?: unknown; auth: string }> = [];
    const fetchImpl: Fetch = async (url, init) => {
      const p = url.replace("https://api.github.com", "");
      calls.push({ method: init.method, path: p, body: init.body === undefined ? undefined : JSON.parse(init.body), auth: init.headers.authorization });
      const key = `${init.method} ${p.replace(/[?&]per_page=100&page=\d+$/, "")}`;
      if (!(key in routes)) return { ok: false, status: 404, json: async () => ({}), text: async () => `no route ${key}` };
      return { ok: true, status: 200, json: async () => routes[key], text: async () => "" };
    };
    return { gh: { repository: "omnirapeutic/platform", token: "ghs_test", apiUrl: "https://api.github.com", fetch: fetchImpl }, calls };
  }

  it("updates the stack's own comment on a later push, and leaves other comments alone", async () => {
    const { gh, calls } = fakeGitHub({
      "GET /repos/omnirapeutic/platform/issues/7/comments": [{ id: 1, body: "lgtm" }, { id: 2, body: `${commentMarker("staging")}\nold` }, { id: 3, body: `${commentMarker("dev")}\nold` }],
      "PATCH /repos/omnirapeutic/platform/issues/comments/3": {},
    });
    expect(await stickyComment(gh, 7, "dev", "new plan")).toBe("updated");
    expect(calls.at(-1)).toEqual({ method: "PATCH", path: "/repos/omnirapeutic/platform/issues/comments/3", body: { body: `${commentMarker("dev")}\nnew plan` }, auth: "Bearer ghs_test" });
  });

  it("creates the comment on the first push", async () => {
    const { gh, calls } = fakeGitHub({ "GET /repos/omnirapeutic/platform/issues/7/comments": [{ id: 1, body: "lgtm" }], "POST /repos/omnirapeutic/platform/issues/7/comments": {} });
    expect(await stickyComment(gh, 7, "dev", "plan")).toBe("created");
    expect(calls.map((c) => c.method)).toEqual(["GET", "POST"]);
  });

  it("finds the run that kept the reviewed plan of the pull request merged as this commit, and nothing for a direct push", async () => {
    const { gh } = fakeGitHub({
      "GET /repos/omnirapeutic/platform/commits/abc/pulls": [{ number: 7, merged_at: "2026-12-05T10:00:00Z", merge_commit_sha: "abc", head: { sha: "head7" } }],
      "GET /repos/omnirapeutic/platform/actions/workflows/keel-plan.yml/runs?event=pull_request&head_sha=head7&per_page=20": {
        workflow_runs: [
          { id: 12, head_sha: "head7", conclusion: "failure", created_at: "" },
          { id: 11, head_sha: "head7", conclusion: "success", created_at: "" },
        ],
      },
      "GET /repos/omnirapeutic/platform/actions/runs/12/artifacts?name=keel-plan-dev": { artifacts: [] },
      "GET /repos/omnirapeutic/platform/actions/runs/11/artifacts?name=keel-plan-dev": { artifacts: [{ name: "keel-plan-dev", expired: false }] },
      "GET /repos/omnirapeutic/platform/commits/def/pulls": [],
    });
    expect(await reviewedRun(gh, "abc", "dev", "keel-plan.yml")).toBe(11);
    expect(await reviewedRun(gh, "def", "dev", "keel-plan.yml")).toBeUndefined();
  });

  it("opens one drift issue per stack, then updates that one", async () => {
    const first = fakeGitHub({ "GET /repos/omnirapeutic/platform/issues?state=open&labels=keel-drift": [], "POST /repos/omnirapeutic/platform/issues": { number: 40 } });
    expect(await reportDrift(first.gh, "production", "drift")).toEqual({ action: "opened", number: 40 });
    expect(first.calls.at(-1)?.body).toEqual({ title: "Drift in production", body: "drift", labels: ["keel-drift"] });
    const again = fakeGitHub({
      "GET /repos/omnirapeutic/platform/issues?state=open&labels=keel-drift": [{ number: 39, title: "Drift in staging" }, { number: 40, title: "Drift in production" }],
      "PATCH /repos/omnirapeutic/platform/issues/40": {},
      "POST /repos/omnirapeutic/platform/issues/40/comments": {},
    });
    expect(await reportDrift(again.gh, "production", "drift 2")).toEqual({ action: "updated", number: 40 });
    expect(again.calls.map((c) => `${c.method} ${c.path}`).slice(1)).toEqual(["PATCH /repos/omnirapeutic/platform/issues/40", "POST /repos/omnirapeutic/platform/issues/40/comments"]);
  });
});

describe("keel ci on the reference platform", () => {
  it("writes nothing for a project without project.ci", () => {
    expect(workflows({ project: { ...reference.project, ci: undefined } })).toEqual({});
    expect(fs.existsSync(REFERENCE_DIR)).toBe(true);
  });
});

describe("the deploy workflow", () => {
  it("is written for the environments whose workloads CI deploys, runs in the chosen GitHub environment, and only calls keel", () => {
    expect(ciDeployedEnvironments(reference.environments)).toEqual(["production"]);
    const text = files[WORKFLOW_FILES.deploy];
    expect(text).toContain("        options:\n          - production\n");
    expect(text).toContain('    environment: "${{ inputs.environment }}"\n');
    expect(text.match(/run: .*/g)).toEqual([
      "run: npm ci",
      'run: "npx keel ci deploy-role \\"$ENVIRONMENT\\" --github-output"',
      'run: "npx keel ci deploy \\"$ENVIRONMENT\\" --workload \\"$WORKLOAD\\" --tag \\"$GITHUB_SHA\\" --build \\"$CONTEXT\\" --package \\"$PACKAGE\\""',
    ]);
    expect(workflows({ project: reference.project, environments: [] })).not.toHaveProperty(WORKFLOW_FILES.deploy);
  });
});
