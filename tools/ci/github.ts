import * as fs from "node:fs";

/**
 * The few GitHub REST calls the workflows need, made by Keel's CLI so tests
 * reach them: the sticky plan comment, the reviewed plan's run, the drift
 * issue. `fetch` is injected; the token is sent only to the API host and
 * never printed.
 */
export type Fetch = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<{ ok: boolean; status: number; json(): Promise<unknown>; text(): Promise<string> }>;

export interface GitHubContext {
  /** `owner/name`, from GITHUB_REPOSITORY. */
  readonly repository: string;
  readonly token: string;
  /** From GITHUB_API_URL (GitHub Enterprise), else the public API. */
  readonly apiUrl: string;
  readonly fetch: Fetch;
}

/** The context of the running workflow, from the variables GitHub sets; a clear error when one is missing. */
export function githubContext(env: NodeJS.ProcessEnv = process.env, fetchImpl: Fetch = fetch as unknown as Fetch): GitHubContext {
  const missing = ["GITHUB_REPOSITORY", "GITHUB_TOKEN"].filter((k) => (env[k] ?? "") === "");
  if (missing.length > 0) throw new Error(`${missing.join(" and ")} not set: this command runs in a GitHub Actions job (the workflow passes GITHUB_TOKEN: \${{ github.token }})`);
  return { repository: env.GITHUB_REPOSITORY as string, token: env.GITHUB_TOKEN as string, apiUrl: env.GITHUB_API_URL ?? "https://api.github.com", fetch: fetchImpl };
}

async function call<T>(gh: GitHubContext, method: string, path: string, body?: unknown): Promise<T> {
  const response = await gh.fetch(`${gh.apiUrl}${path}`, {
    method,
    headers: { accept: "application/vnd.github+json", authorization: `Bearer ${gh.token}`, "x-github-api-version": "2022-11-28", ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`GitHub API ${method} ${path}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
  return (await response.json()) as T;
}

/** Every page of a list endpoint (100 a page). */
async function all<T>(gh: GitHubContext, path: string, pick: (page: unknown) => readonly T[] = (p) => p as T[]): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const batch = pick(await call<unknown>(gh, "GET", `${path}${path.includes("?") ? "&" : "?"}per_page=100&page=${page}`));
    items.push(...batch);
    if (batch.length < 100) return items;
  }
}

/** The hidden line that marks a stack's comment, so each push updates it instead of adding one. */
export function commentMarker(stack: string): string {
  return `<!-- keel-plan: ${stack} -->`;
}

/** Creates or updates the one comment a pull request has for `stack`. Returns what it did. */
export async function stickyComment(gh: GitHubContext, pullRequest: number, stack: string, body: string): Promise<"created" | "updated"> {
  const marker = commentMarker(stack);
  const text = `${marker}\n${body}`;
  const comments = await all<{ id: number; body?: string }>(gh, `/repos/${gh.repository}/issues/${pullRequest}/comments`);
  const mine = comments.find((c) => (c.body ?? "").startsWith(marker));
  if (mine !== undefined) {
    await call(gh, "PATCH", `/repos/${gh.repository}/issues/comments/${mine.id}`, { body: text });
    return "updated";
  }
  await call(gh, "POST", `/repos/${gh.repository}/issues/${pullRequest}/comments`, { body: text });
  return "created";
}

/**
 * The run of the plan workflow that reviewed the pull request merged as
 * `sha`, and that kept `stack`'s plan: its id, or undefined (a push with no
 * pull request, a plan that never ran or failed).
 */
export async function reviewedRun(gh: GitHubContext, sha: string, stack: string, workflowFile: string): Promise<number | undefined> {
  const pulls = await call<Array<{ number: number; merged_at: string | null; merge_commit_sha: string | null; head: { sha: string } }>>(gh, "GET", `/repos/${gh.repository}/commits/${sha}/pulls`);
  const merged = pulls.find((p) => p.merged_at !== null && p.merge_commit_sha === sha);
  if (merged === undefined) return undefined;
  const runs = await call<{ workflow_runs: Array<{ id: number; head_sha: string; conclusion: string | null; created_at: string }> }>(
    gh,
    "GET",
    `/repos/${gh.repository}/actions/workflows/${workflowFile}/runs?event=pull_request&head_sha=${merged.head.sha}&per_page=20`,
  );
  // Newest first (the API's order); a failed run may still have planned this stack, but only a finished one counts.
  for (const run of runs.workflow_runs.filter((r) => r.head_sha === merged.head.sha && r.conclusion !== null)) {
    const artifacts = await call<{ artifacts: Array<{ name: string; expired: boolean }> }>(gh, "GET", `/repos/${gh.repository}/actions/runs/${run.id}/artifacts?name=keel-plan-${encodeURIComponent(stack)}`);
    if (artifacts.artifacts.some((a) => a.name === `keel-plan-${stack}` && !a.expired)) return run.id;
  }
  return undefined;
}

export const DRIFT_LABEL = "keel-drift";

export function driftTitle(stack: string): string {
  return `Drift in ${stack}`;
}

/** Opens the stack's drift issue, or updates the open one (its body, and a comment so watchers hear of it). */
export async function reportDrift(gh: GitHubContext, stack: string, body: string): Promise<{ action: "opened" | "updated"; number: number }> {
  const open = await all<{ number: number; title: string; pull_request?: unknown }>(gh, `/repos/${gh.repository}/issues?state=open&labels=${DRIFT_LABEL}`);
  const existing = open.find((i) => i.pull_request === undefined && i.title === driftTitle(stack));
  if (existing !== undefined) {
    await call(gh, "PATCH", `/repos/${gh.repository}/issues/${existing.number}`, { body });
    await call(gh, "POST", `/repos/${gh.repository}/issues/${existing.number}/comments`, { body: "The nightly drift check found drift again; the description holds the latest." });
    return { action: "updated", number: existing.number };
  }
  const created = await call<{ number: number }>(gh, "POST", `/repos/${gh.repository}/issues`, { title: driftTitle(stack), body, labels: [DRIFT_LABEL] });
  return { action: "opened", number: created.number };
}

/** The pull request number and label names of the event that started the job (GITHUB_EVENT_PATH). */
export function pullRequestEvent(env: NodeJS.ProcessEnv = process.env): { number?: number; labels: string[] } {
  const file = env.GITHUB_EVENT_PATH;
  if (file === undefined || !fs.existsSync(file)) return { labels: [] };
  const event = JSON.parse(fs.readFileSync(file, "utf8")) as { pull_request?: { number: number; labels?: Array<{ name: string }> } };
  return { number: event.pull_request?.number, labels: (event.pull_request?.labels ?? []).map((l) => l.name) };
}
