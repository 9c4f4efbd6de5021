import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { appCommand, sandbox } from "./support/sandbox";

// README, "Make it yours": a team sets its namespace, account and alarm e-mails in
// environments/project.ts and adds an environment by copying dev.ts. This test makes exactly
// those edits in a copy of the repository and runs the generic proofs there; none may need any
// other edit. (The reference platform's pinned tests run on examples/omnirapeutic, which a team
// never edits.)

interface Team {
  namespace: string;
  account: string;
  email: string;
}

const PATTERNS = {
  namespace: /export const NAMESPACE = "([^"]*)";/,
  account: /export const ACCOUNT_ID = "([^"]*)";/,
  email: /export const ALARM_EMAILS: readonly string\[\] = \["([^"]*)"[^\]]*\];/,
};

/** What environments/project.ts holds now: the shipped values, or a team's own once it has made Keel its own. */
function current(dir: string): Team {
  const project = fs.readFileSync(path.join(dir, "environments", "project.ts"), "utf8");
  const value = (pattern: RegExp): string => {
    const match = pattern.exec(project);
    if (!match) throw new Error(`environments/project.ts no longer matches ${pattern}; the README's "Make it yours" checklist and this test name those constants`);
    return match[1];
  };
  return { namespace: value(PATTERNS.namespace), account: value(PATTERNS.account), email: value(PATTERNS.email) };
}

/** A new team, different from whatever project.ts holds, so that every old value must disappear. */
function newTeam(old: Team): Team {
  const pick = (candidates: string[], was: string) => candidates.find((c) => c !== was)!;
  return {
    namespace: pick(["medora", "quillon"], old.namespace),
    account: pick(["444455556666", "555566667777"], old.account),
    email: pick(["oncall@medora.example", "oncall@quillon.example"], old.email),
  };
}

/** The added environment: qa, or uat where a team already has a qa. */
const NEW_ENV = ["qa", "uat"].find((name) => !fs.existsSync(path.join(__dirname, "..", "environments", `${name}.ts`)))!;

/** The README's checklist, as a script: project.ts's constants, then qa.ts as a copy of dev.ts. */
function makeItYours(dir: string, TEAM: Team): void {
  const projectFile = path.join(dir, "environments", "project.ts");
  const replaced = (text: string, pattern: RegExp, value: string): string => {
    expect(text).toMatch(pattern);
    return text.replace(pattern, value);
  };
  let project = fs.readFileSync(projectFile, "utf8");
  project = replaced(project, /export const NAMESPACE = "[^"]*";/, `export const NAMESPACE = "${TEAM.namespace}";`);
  project = replaced(project, /export const ACCOUNT_ID = "[^"]*";/, `export const ACCOUNT_ID = "${TEAM.account}";`);
  project = replaced(project, /export const ALARM_EMAILS: readonly string\[\] = \[[^\]]*\];/, `export const ALARM_EMAILS: readonly string[] = ["${TEAM.email}"];`);
  fs.writeFileSync(projectFile, project);
  // dev.ts, or the first environment file a team kept.
  const files = fs.readdirSync(path.join(dir, "environments")).filter((f) => f.endsWith(".ts") && f !== "index.ts" && f !== "project.ts");
  const source = files.includes("dev.ts") ? "dev.ts" : files.sort()[0];
  const copied = fs.readFileSync(path.join(dir, "environments", source), "utf8");
  fs.writeFileSync(path.join(dir, "environments", `${NEW_ENV}.ts`), replaced(copied, new RegExp(`name: "${path.basename(source, ".ts")}",`), `name: "${NEW_ENV}",`));
}

const run = (dir: string, command: string, args: string[]) => spawnSync(command, args, { cwd: dir, encoding: "utf8", env: { ...process.env, CI: "true" } });

const synth = (dir: string) => run(dir, "sh", ["-c", appCommand(dir)]);
const stacksIn = (dir: string): string[] => fs.readdirSync(path.join(dir, "cdktf.out", "stacks")).sort();

describe("a team's first edits (README, 'Make it yours')", () => {
  const dir = sandbox();
  // As the repository ships, first: the renamed account's old stack folder must not survive the next synth.
  const shipped = synth(dir);
  const before = shipped.status === 0 ? stacksIn(dir) : [];
  const OLD = current(dir);
  const TEAM = newTeam(OLD);
  makeItYours(dir, TEAM);

  it("synthesizes a stack for qa, with the team's namespace, account and e-mail everywhere and the old ones nowhere", () => {
    expect(shipped.status).toBe(0);
    const result = synth(dir);
    expect(result.status).toBe(0);
    const stacks = stacksIn(dir);
    // The old account's stack folder is removed, and the synth says so.
    const gone = before.filter((s) => !stacks.includes(s));
    expect(gone.length).toBeGreaterThan(0);
    expect(result.stderr.trim().split("\n").sort()).toEqual(gone.map((s) => expect.stringMatching(new RegExp(`^Removed cdktf.out/stacks/${s}: no stack of that name any more`))));
    for (const kept of before.filter((s) => !s.startsWith("account-"))) expect(stacks).toContain(kept);
    expect(stacks).toContain(NEW_ENV);
    expect(stacks.filter((s) => s.startsWith(`account-${TEAM.account}-`)).length).toBeGreaterThan(0);
    for (const stack of stacks) {
      const text = fs.readFileSync(path.join(dir, "cdktf.out", "stacks", stack, "cdk.tf.json"), "utf8");
      expect({ stack, oldAccount: text.includes(OLD.account), oldEmail: text.includes(OLD.email), oldNamespace: new RegExp(`"${OLD.namespace}-(?!cdktf")`).test(text) }).toEqual({
        stack,
        oldAccount: false,
        oldEmail: false,
        oldNamespace: false,
      });
      expect(text).toContain(TEAM.account);
    }
    const qa = JSON.parse(fs.readFileSync(path.join(dir, "cdktf.out", "stacks", NEW_ENV, "cdk.tf.json"), "utf8"));
    expect(qa.terraform.backend.s3).toMatchObject({ bucket: expect.stringMatching(new RegExp(`^${TEAM.namespace}-tfstate-${TEAM.account}-`)), key: `${NEW_ENV}/terraform.tfstate` });
    expect(qa.provider.aws[0].default_tags[0].tags).toMatchObject({ Project: TEAM.namespace, Environment: NEW_ENV });
    // The alarm e-mail reaches the account stack's topic (and production's, where its alarms use ALARM_EMAILS).
    expect(stacks.some((s) => fs.readFileSync(path.join(dir, "cdktf.out", "stacks", s, "cdk.tf.json"), "utf8").includes(TEAM.email))).toBe(true);
  });

  it("passes every generic proof, and the reference platform's tests, with no other edit", () => {
    const jest = run(dir, process.execPath, [
      path.join(dir, "node_modules", "jest", "bin", "jest.js"),
      "--ci",
      "--selectProjects",
      "unit",
      "--runTestsByPath",
      "__tests__/environments.proofs.test.ts",
      "__tests__/app.test.ts",
      "__tests__/environments.test.ts",
      "__tests__/stacks.test.ts",
      "__tests__/addresses.test.ts",
    ]);
    const summary = `${jest.stdout}\n${jest.stderr}`;
    expect({ status: jest.status, failures: summary.split("\n").filter((l) => /✕|●/.test(l)) }).toEqual({ status: 0, failures: [] });
    expect(summary).toMatch(/Test Suites: 5 passed, 5 total/);
  });

  it("leaves keel check with no blocking finding in any stack", () => {
    const check = run(dir, process.execPath, [path.join(dir, "dist", "tools", "cli.js"), "check", "--json"]);
    expect(check.status).toBe(0);
    const report = JSON.parse(check.stdout);
    expect(report.stacks.map((s: { stack: string }) => s.stack)).toContain(NEW_ENV);
    expect(report.summary.blocking).toBe(0);
  });
});
