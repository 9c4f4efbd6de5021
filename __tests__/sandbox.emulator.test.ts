import * as fs from "node:fs";
import * as path from "node:path";
import { OUT, WORK } from "../tools/project";
import { SandboxProject, SandboxReport, StackReport, runSandbox } from "../tools/sandbox/run";
import { renderSandboxReport, sandboxProblems } from "../tools/sandbox/report";
import { EMULATOR_GAPS, MISSING_APIS } from "../tools/sandbox/gaps";
import { STATEFUL_TYPES } from "../tools/review/plan-summary";
import { StatusReport, pullState, refreshOnlyDrift, renderStatus, statusReport } from "../tools/ops";
import { CloudWatchLogsClient, PutRetentionPolicyCommand } from "@aws-sdk/client-cloudwatch-logs";

// The emulator tier: every stack of the team's environments (bootstrap, the
// account stacks, every environment) and every example (with its account
// stacks) really applied to moto, planned again, and torn down as its
// protection profile says. What it proves holds for whatever environments/
// holds: nothing here names an environment's values.
jest.setTimeout(900_000);

const runs = new Map<SandboxProject, SandboxReport>();

/** keel status on one live environment, before and after a change made outside Terraform. */
interface StatusCheck {
  readonly stack: string;
  readonly changed: string;
  readonly before: StatusReport;
  readonly after: StatusReport;
}
const statusChecks: StatusCheck[] = [];

/**
 * Day two on the first environment applied: keel status reads its state and finds no drift; a
 * log group's retention is then changed with the AWS SDK, as a person in the console would, and
 * status reports exactly that resource and attribute.
 */
async function statusAndDrift({ name, dir, endpoint, ok }: { name: string; dir: string; endpoint: string; ok: boolean }): Promise<void> {
  if (!ok || claimed) return;
  claimed = true;
  const live = { stack: name, dir, source: "sandbox" as const };
  const before = statusReport(live, await pullState(live), await refreshOnlyDrift(live));
  type LogGroupState = { type: string; name: string; instances: Array<{ attributes: { name: string; arn: string; retention_in_days: number } }> };
  const resources = ((await pullState(live)).state.resources ?? []) as unknown as LogGroupState[];
  const group = resources.find((r) => r.type === "aws_cloudwatch_log_group")!;
  const { name: logGroupName, arn, retention_in_days: days } = group.instances[0].attributes;
  const logs = new CloudWatchLogsClient({ endpoint, region: arn.split(":")[3], credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  await logs.send(new PutRetentionPolicyCommand({ logGroupName, retentionInDays: days === 14 ? 30 : 14 }));
  const after = statusReport(live, await pullState(live), await refreshOnlyDrift(live));
  statusChecks.push({ stack: name, changed: `aws_cloudwatch_log_group.${group.name}`, before, after });
  fs.writeFileSync(path.join(WORK, "test-sandbox", "environments", `status-${name}.txt`), `${renderStatus(before)}\n(after a retention change outside Terraform)\n\n${renderStatus(after)}`);
}
let claimed = false;
const pids: number[] = [];

beforeAll(async () => {
  const projects: SandboxProject[] = ["environments", "examples"];
  const reports = await Promise.all(
    projects.map((project) => runSandbox({ project, destroy: true, dir: path.join(WORK, "test-sandbox", project), afterApply: project === "environments" ? statusAndDrift : undefined, onProgress: (line) => process.env.KEEL_TEST_VERBOSE && process.stderr.write(`${project}: ${line}\n`) })),
  );
  projects.forEach((project, i) => {
    runs.set(project, reports[i].report);
    pids.push(...reports[i].report.emulators.map((e) => e.pid));
    // The table a reviewer reads (per stack: applied, errors, second plan, destroy, times), kept beside the run.
    fs.writeFileSync(path.join(WORK, "test-sandbox", project, "report.md"), renderSandboxReport(reports[i].report));
  });
});

const all = (): StackReport[] => [...runs.values()].flatMap((r) => r.stacks);
const projectOf = (s: StackReport): SandboxProject => ([...runs.entries()].find(([, r]) => r.stacks.includes(s)) ?? ["environments"])[0];

describe("every stack and example, applied to the emulator", () => {
  it("applies bootstrap, an account stack per account, and every environment and example", () => {
    const environments = runs.get("environments")!.stacks;
    const examples = runs.get("examples")!.stacks;
    expect(environments.filter((s) => s.kind === "bootstrap")).toHaveLength(1);
    expect(environments.filter((s) => s.kind === "account").length).toBeGreaterThanOrEqual(1);
    expect(environments.filter((s) => s.kind === "environment").length).toBeGreaterThanOrEqual(1);
    expect(examples.filter((s) => s.kind === "environment").map((s) => s.stack)).toEqual(["mentalspace", "nora", "outreachpass", "startupwebapp"]);
    // Every example's account has its stack: seed 000's budget, seed 002's API Gateway role, seed 004's public bucket policy.
    expect(examples.filter((s) => s.kind === "account").map((s) => s.account)).toEqual(["059364397483", "111122223333", "706704660887", "741783034843"]);
  });

  it("finds no problem: every apply succeeds, every second plan is empty but for the gaps file, every teardown goes as its profile says", () => {
    expect([...runs.values()].flatMap(sandboxProblems)).toEqual([]);
  });

  it("applies every resource of every stack, and each second plan changes only what the gaps file explains", () => {
    const stacks = all();
    expect(stacks.length).toBeGreaterThanOrEqual(12);
    for (const s of stacks) {
      expect({ stack: s.stack, ok: s.apply.ok, applied: s.apply.applied }).toEqual({ stack: s.stack, ok: true, applied: s.apply.planned });
      for (const change of s.secondPlan!.changes) {
        for (const p of change.paths) expect({ at: `${s.stack} ${change.address} ${p.path}`, explained: p.explained !== undefined }).toEqual({ at: `${s.stack} ${change.address} ${p.path}`, explained: true });
      }
    }
  });

  it("leaves out only resources whose API moto lacks, and what refers to them", () => {
    const missing = new Set(MISSING_APIS.map((m) => m.type));
    const skipped = all().flatMap((s) => s.skipped.map((k) => ({ stack: s.stack, ...k })));
    expect(skipped.length).toBeGreaterThan(0);
    for (const k of skipped) {
      const type = k.address.replace(/^(data|output)\./, "").split(".")[0];
      const direct = missing.has(type) && k.because.startsWith("the emulator lacks the API");
      const follows = /^refers to /.test(k.because) && skipped.some((o) => o.stack === k.stack && k.because === `refers to ${o.address}`);
      expect({ address: `${k.stack} ${k.address}`, justified: direct || follows }).toEqual({ address: `${k.stack} ${k.address}`, justified: true });
    }
  });

  it("names, for every gap it used, a resource type, an attribute path and the moto function that proves it", () => {
    expect(EMULATOR_GAPS.length).toBeGreaterThan(0);
    for (const gap of [...EMULATOR_GAPS, ...MISSING_APIS]) {
      expect(gap.type).toMatch(/^aws_[a-z0-9_]+$/);
      expect(gap.moto).toMatch(/^moto\/[a-z0-9_/]+\.py /);
      expect(gap.reason.length).toBeGreaterThan(20);
    }
    for (const gap of EMULATOR_GAPS) expect(gap.path).toMatch(/^[a-z0-9_]+(\.([a-z0-9_]+|\*))*$/);
  });
});

describe("teardown, as the protection profile says", () => {
  it("destroys every stack that protects nothing completely", () => {
    const disposable = all().filter((s) => s.destroy!.protected.length === 0);
    expect(disposable.length).toBeGreaterThanOrEqual(1);
    for (const s of disposable) expect({ stack: s.stack, result: s.destroy!.result, left: s.destroy!.remaining }).toEqual({ stack: s.stack, result: "complete", left: [] });
  });

  it("refuses to destroy a stack with prevent_destroy, touching nothing, and only on stateful resources the stack protects", () => {
    const protectedStacks = all().filter((s) => s.destroy!.protected.length > 0);
    expect(protectedStacks.length).toBeGreaterThanOrEqual(3);
    for (const s of protectedStacks) {
      const d = s.destroy!;
      expect({ stack: s.stack, result: d.result, left: d.remaining.length }).toEqual({ stack: s.stack, result: "refused", left: d.before });
      expect(d.refused.length).toBeGreaterThan(0);
      for (const address of d.refused) expect({ stack: s.stack, address, protectedByStack: d.protected.includes(address) }).toEqual({ stack: s.stack, address, protectedByStack: true });
      for (const address of d.protected) expect({ stack: s.stack, address, stateful: STATEFUL_TYPES.includes(address.split(".")[0]) }).toEqual({ stack: s.stack, address, stateful: true });
    }
  });

  it("tears a production-profile environment down deliberately: switched to the decommission profile, applied, its backup vault and the keys of what is kept left in AWS, the rest destroyed", () => {
    const switched = all().filter((s) => s.kind === "environment" && s.destroy!.result === "refused");
    expect(switched.length).toBeGreaterThanOrEqual(1);
    for (const s of switched) {
      const d = s.destroy!.decommissioned!;
      expect({ stack: s.stack, apply: d.apply.ok, destroy: d.destroy.result, left: d.destroy.remaining }).toEqual({ stack: s.stack, apply: true, destroy: "complete", left: [] });
      // Kept, never destroyed: only the vault, its lock and the database and backup keys (with their aliases).
      for (const address of d.retained) expect({ stack: s.stack, address, kept: /^aws_backup_vault(_lock_configuration)?\.|^aws_kms_(key|alias)\.security_(database|backup)_key/.test(address) }).toEqual({ stack: s.stack, address, kept: true });
    }
    // An environment that backs up keeps its vault and the backup key.
    const backedUp = switched.filter((s) => s.destroy!.decommissioned!.retained.some((a) => a.startsWith("aws_backup_vault.")));
    expect(backedUp.length).toBeGreaterThanOrEqual(1);
    for (const s of backedUp) expect(s.destroy!.decommissioned!.retained).toEqual(expect.arrayContaining(["aws_kms_key.security_backup_key", "aws_kms_key.security_database_key"]));
  });
});

describe("keel status on a live environment", () => {
  it("reads the last apply, the resources and the outputs from the state, finds no drift, then reports a change made outside Terraform by resource and attribute", () => {
    expect(statusChecks).toHaveLength(1);
    const [check] = statusChecks;
    const applied = all().find((s) => s.stack === check.stack)!;
    expect(check.before.resources).toBe(applied.apply.applied);
    expect(check.before.serial).toBeGreaterThan(0);
    expect(check.before.drift).toEqual({ checked: true, resources: [] });
    expect(Object.keys(check.before.outputs).length).toBeGreaterThan(0);
    expect(check.after.drift.resources).toEqual([{ address: check.changed, attributes: ["retention_in_days"] }]);
    // Read-only: the refresh-only plans wrote nothing.
    expect(check.after.serial).toBe(check.before.serial);
  });
});

describe("the first deploy of a workload whose artifact lives in a store of its own stack", () => {
  it("applies the stores first, publishes the artifact, then applies the workload: OutreachPass's functions from an empty account", () => {
    const outreachpass = runs.get("examples")!.stacks.find((s) => s.stack === "outreachpass")!;
    expect(outreachpass.artifacts!.stores).toContain("aws_s3_bucket.buckets_artifacts");
    expect(outreachpass.artifacts!.apply!.ok).toBe(true);
    expect(outreachpass.artifacts!.published).toContain("s3://outreachpass-dev-artifacts/lambda/backend-latest.zip");
    expect(outreachpass.apply.errors).toEqual([]);
    expect(outreachpass.apply.applied).toBe(outreachpass.apply.planned);
  });
});

describe("the harness", () => {
  it("stops every emulator it started, by process id", () => {
    // One server per account and project.
    expect(pids.length).toBe(new Set(all().map((s) => `${projectOf(s)} ${s.account}`)).size);
    for (const pid of pids) {
      let alive = true;
      try {
        process.kill(pid, 0);
      } catch {
        alive = false;
      }
      expect({ pid, alive }).toEqual({ pid, alive: false });
    }
  });

  it("writes no override, endpoint or credential of the emulator into cdktf.out", () => {
    const leaks: string[] = [];
    const walk = (dir: string): void => {
      if (!fs.existsSync(dir)) return;
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/override/.test(entry.name) || /127\.0\.0\.1|keel-sandbox/.test(fs.readFileSync(file, "latin1"))) leaks.push(file);
      }
    };
    walk(OUT);
    expect(leaks).toEqual([]);
    for (const project of runs.keys()) expect(runs.get(project)!.stacks.every((s) => projectOf(s) === project)).toBe(true);
  });
});
