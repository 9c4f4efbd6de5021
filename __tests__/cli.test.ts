import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { sandbox } from "./support/sandbox";

// The CLI as a user runs it (`npx keel <command>` runs `dist/tools/cli.js`), in a sandbox copy of
// the project so its dist/ and cdktf.out/ are its own; answers that need no synth run in-process.
const dir = sandbox();

function spawned(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  return spawnedWith({}, ...args);
}

function spawnedWith(env: Record<string, string>, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(dir, "dist", "tools", "cli.js"), ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The same CLI in this process, for answers that need no synth (help and
 * argument errors): what it writes to stdout and stderr, and its exit code.
 */
async function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { main } = await import("../tools/cli");
  const out: string[] = [];
  const err: string[] = [];
  const stdout = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => out.push(String(chunk)) > 0);
  const stderr = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => err.push(String(chunk)) > 0);
  try {
    const code = await main(args);
    return { code, stdout: out.join(""), stderr: err.join("") };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

function compile(): void {
  const result = spawnSync(process.execPath, [path.join(dir, "tools", "compile.js")], { cwd: dir, encoding: "utf8" });
  expect(result.status).toBe(0);
}

beforeAll(compile);

/** Keel's reference platform, the config the pinned findings below belong to (KEEL_CONFIG). */
const REFERENCE = "examples/omnirapeutic";

// What this file pins (stacks, findings, messages) is the reference platform's, in the process and in
// every CLI it spawns; environments/ is the team's, proven generically (environments.proofs.test.ts).
const keelConfig = process.env.KEEL_CONFIG;
beforeAll(() => (process.env.KEEL_CONFIG = REFERENCE));
afterAll(() => (keelConfig === undefined ? delete process.env.KEEL_CONFIG : (process.env.KEEL_CONFIG = keelConfig)));

const COMMANDS = ["synth", "examples", "validate", "plan", "cost", "check", "hcl", "diagram", "artifacts", "sandbox", "diff", "changed", "ci", "status", "db-shell", "teardown", "lock", "bench"];

describe("help", () => {
  it.each([["--help"], ["-h"], ["help"]])("%s prints every command to stdout and exits 0", async (flag) => {
    const { code, stdout, stderr } = await cli(flag);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout.split("\n")[0]).toBe("usage: npx keel <command> [arguments] [--help]   (or: npm run <command> -- [arguments])");
    for (const command of [...COMMANDS, "cdktf"]) expect(stdout).toMatch(new RegExp(`^  ${command} +\\S`, "m"));
  });

  it.each(COMMANDS.flatMap((c) => [[c, "--help"], [c, "-h"]]))("%s %s prints that command's usage to stdout and exits 0", async (command, flag) => {
    const { code, stdout, stderr } = await cli(command, flag);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toMatch(new RegExp(`^usage: npx keel ${command}\\b`));
    expect(stdout).toContain("--help, -h");
  });

  it("loads no package and neither the config schema nor the compliance rules before it knows the command needs them", () => {
    const script = `require(${JSON.stringify(path.join(dir, "dist", "tools", "cli.js"))}); process.stdout.write(JSON.stringify(Object.keys(require.cache)))`;
    const result = spawnSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8" });
    expect(result.status).toBe(0);
    const loaded = (JSON.parse(result.stdout) as string[]).map((f) => path.relative(dir, f));
    expect(loaded).toContain(path.join("dist", "tools", "cli.js"));
    expect(loaded.filter((f) => f.includes("node_modules"))).toEqual([]);
    expect(loaded.filter((f) => /environments.lib.(schema|validate)|modules.compliance/.test(f))).toEqual([]);
  });

  it("documents plan's stack argument and its options", async () => {
    const { stdout } = await cli("plan", "--help");
    expect(stdout).toContain("usage: npx keel plan <stack> [--offline] [--fail-on-destroy] [--json | --markdown]");
    expect(stdout).toMatch(/--fail-on-destroy +exit 3 when a stateful resource would be replaced or deleted/);
    expect(stdout).toMatch(/--offline +no AWS and no backend/);
  });
});

describe("hcl and diagram arguments", () => {
  it.each([
    [["hcl", "production"], "Give a stack or --from <cdk.tf.json>, and --out <dir>."],
    [["hcl", "production", "--from", "x.json", "--out", "o"], "Give a stack or --from <cdk.tf.json>, and --out <dir>."],
    [["hcl", "--from", "no-such.json", "--out", "o"], "--from no-such.json: no such file"],
    [["hcl", "--update-schema", "--out", "o"], "--update-schema takes no stack, --from or --out."],
    [["diagram", "production"], "Give a stack or --from <cdk.tf.json>, and --out <file.svg>."],
    [["diagram", "--from", "no-such.json", "--out", "d.svg"], "--from no-such.json: no such file"],
  ])("keel %j exits 2 before anything is synthesized: %s", async (args, message) => {
    const { code, stderr } = await cli(...args);
    expect({ code, line: stderr.split("\n")[0] }).toEqual({ code: 2, line: message });
  });
});

describe("arguments and exit codes", () => {
  it("exits 2 with the overview on stderr when no command is given", async () => {
    const { code, stdout, stderr } = await cli();
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toContain("usage: npx keel <command>");
  });

  it("exits 2 on an unknown command, naming it", async () => {
    const { code, stderr } = await cli("deploy");
    expect(code).toBe(2);
    expect(stderr.split("\n")[0]).toBe("Unknown command 'deploy'.");
  });

  it("lists the artifacts a first apply cannot contain, with the first-deploy order: OutreachPass's function package", () => {
    const { code, stdout } = spawned("artifacts", "outreachpass");
    expect(code).toBe(0);
    expect(stdout).toContain("aws_lambda_function.functions_backend needs the object lambda/backend-latest.zip in aws_s3_bucket.buckets_artifacts");
    expect(stdout).toContain("apply the stores alone:  terraform -chdir=examples.out/stacks/outreachpass apply -target=aws_s3_bucket.buckets_artifacts");
    const none = spawned("artifacts", "startupwebapp");
    expect(none.stdout).toBe("startupwebapp: every workload's artifact is built by Terraform or lives outside the stack; one apply deploys it.\n");
  });

  it("rejects an unknown stack with exit 2 before anything is synthesized, listing the stacks", () => {
    const { code, stderr } = spawnedWith({ KEEL_CONFIG: REFERENCE }, "plan", "prod", "--offline");
    expect(code).toBe(2);
    expect(stderr).toBe(
      "Unknown stack 'prod'. Stacks: bootstrap, account-111122223333-us-east-1, dev, production, staging; examples: mentalspace, nora, outreachpass, startupwebapp\n",
    );
    expect(fs.existsSync(path.join(dir, "cdktf.out"))).toBe(false);
  });

  it.each([
    [["synth", "dev"], "Unexpected arguments: dev."],
    [["plan", "dev", "staging"], "Unexpected arguments: staging."],
    [["plan"], "Missing arguments."],
    [["validate", "--offline"], "Unknown option '--offline'"],
    [["plan", "dev", "--ofline"], "Unknown option '--ofline'"],
    [["artifacts"], "Missing arguments."],
    [["sandbox", "--destory"], "Unknown option '--destory'"],
  ])("exits 2 on %j, saying what is wrong, with the command's usage", async (args, problem) => {
    const { code, stdout, stderr } = await cli(...args);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr.split("\n")[0]).toContain(problem);
    expect(stderr).toContain(`usage: npx keel ${args[0]}`);
  });

  it("names the environments and examples when cost is asked about another", async () => {
    const { code, stderr } = await cli("cost", "prod");
    expect(code).toBe(2);
    expect(stderr).toBe("Unknown environment 'prod'. Environments: dev, production, staging; examples: mentalspace, nora, outreachpass, startupwebapp\n");
  });

  it("refuses --json with --markdown", async () => {
    const { code, stderr } = await cli("plan", "dev", "--offline", "--json", "--markdown");
    expect(code).toBe(2);
    expect(stderr).toBe("Choose one of --json and --markdown.\n");
  });

  it("exits 3 on --fail-on-destroy only when a stateful resource would be destroyed", async () => {
    const { planExitCode } = await import("../tools/cli");
    const { summarizePlan } = await import("../tools/review/plan-summary");
    const destroying = summarizePlan({ resource_changes: [{ address: "aws_s3_bucket.b", type: "aws_s3_bucket", change: { actions: ["delete"] } }] });
    const harmless = summarizePlan({ resource_changes: [{ address: "aws_iam_role.r", type: "aws_iam_role", change: { actions: ["delete"] } }] });
    expect([planExitCode(destroying, true), planExitCode(destroying, false), planExitCode(harmless, true)]).toEqual([3, 0, 0]);
  });

  it("says which credentials a real plan lacks and names --offline, instead of Terraform's raw error", () => {
    // No credentials anywhere, and no instance metadata probe (nothing but 127.0.0.1 is reachable).
    const none = { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_SESSION_TOKEN: "", AWS_PROFILE: "", AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent", AWS_EC2_METADATA_DISABLED: "true" };
    const { code, stderr } = spawnedWith({ ...none, KEEL_CONFIG: REFERENCE }, "plan", "dev");
    expect(code).toBe(1);
    expect(stderr).toContain("No usable AWS credentials to plan 'dev' in account 111122223333");
    expect(stderr).toContain("run 'keel plan dev --offline'");
  });

  it("exits 1 with one clear message when the config is invalid", () => {
    const file = path.join(dir, REFERENCE, "dev.ts");
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, original.replace(`cidr: "10.10.0.0/16"`, `cidr: "10.10.0.0/8"`));
    try {
      compile();
      const { code, stderr } = spawnedWith({ KEEL_CONFIG: REFERENCE }, "plan", "dev", "--offline");
      expect(code).toBe(1);
      expect(stderr).toContain(`environment 'dev' (${REFERENCE}/dev.ts): field 'network.cidr': value "10.10.0.0/8" is not allowed`);
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      fs.writeFileSync(file, original);
      compile();
    }
  });
});

describe("check", () => {
  it("lists the rules, each with its level, area and what it corresponds to, as JSON", async () => {
    const { RULES } = await import("../modules/compliance");
    const { code, stdout, stderr } = await cli("check", "--list-rules", "--json");
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const listed = JSON.parse(stdout) as { rules: { id: string; level: string; refs: string[] }[] };
    expect(listed.rules.length).toBe(RULES.length);
    expect(listed.rules.find((r) => r.id === "kms-key-rotation")).toMatchObject({ level: "error", refs: ["checkov CKV_AWS_7", "Security Hub KMS.4", "cdk-nag AwsSolutions-KMS5"] });
    const table = await cli("check", "--list-rules");
    expect(table.stdout.split("\n")[0]).toBe(`${RULES.length} rules`);
    expect(table.stdout).toContain("kms-key-rotation");
  });

  it("prints production's findings with every suppression's reason, and exits 0", async () => {
    const { code, stdout, stderr } = await cli("check", "production");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^production: 177 resources; 0 error\(s\), \d+ warning\(s\), \d+ suppressed \(errors stop synth\)$/m);
    expect(stdout).toMatch(/\(error\) +│ alb-https-listener +│ aws_lb_listener\.alb_http/);
    // The finding column wraps at 60 characters.
    expect(stdout).toContain("suppressed until 2027-05-31: Seed 003 serves HTTP until");
    expect(stderr).toMatch(/^keel: checking production against \d+ rules \(suppressions judged on 2026-11-22\)\.\.\.$/m);
  });

  it("writes SARIF 2.1.0: every rule, each finding at its environment file and address, suppressions with their justification", async () => {
    const { RULES } = await import("../modules/compliance");
    const { code, stdout } = await cli("check", "production", "--sarif");
    expect(code).toBe(0);
    const log = JSON.parse(stdout);
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0].tool.driver.rules).toHaveLength(RULES.length);
    const listener = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === "alb-https-listener");
    expect(listener).toMatchObject({
      level: "error",
      locations: [{ physicalLocation: { artifactLocation: { uri: `${REFERENCE}/production.ts` } }, logicalLocations: [{ name: "aws_lb_listener.alb_http", kind: "resource" }] }],
      suppressions: [{ kind: "inSource", status: "accepted", properties: { expires: "2027-05-31" } }],
    });
    expect(log.runs[0].tool.driver.rules[listener.ruleIndex].id).toBe("alb-https-listener");
    const open = log.runs[0].results.filter((r: { suppressions?: unknown[] }) => r.suppressions === undefined);
    expect(open.length).toBeGreaterThan(0);
    for (const r of open) expect(r.level).toBe("warning");
  });

  it("checks a seed example, locating its findings in its example file", async () => {
    const { code, stdout } = await cli("check", "mentalspace", "--json");
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.stacks.map((s: { stack: string }) => s.stack)).toEqual(["mentalspace"]);
    expect(report.summary).toMatchObject({ stacks: 1, errors: 0, blocking: 0 });
    const sarif = JSON.parse((await cli("check", "mentalspace", "--sarif")).stdout);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe("examples/mentalspace.ts");
  });

  it("exits 3 when an error finding would stop synth: production after its suppression expires", async () => {
    process.env.KEEL_TODAY = "2027-06-01";
    try {
      const { code, stdout, stderr } = await cli("check", "production", "--json");
      expect(code).toBe(3);
      const report = JSON.parse(stdout);
      expect(report.summary.blocking).toBe(1);
      expect(report.stacks[0].findings.find((f: { rule: string }) => f.rule === "alb-https-listener").suppressionRefused).toBe(
        "the suppression at production/alb/http expired on 2027-05-31",
      );
      expect(stderr).toContain("keel: 1 error finding(s) would stop synth");
    } finally {
      process.env.KEEL_TODAY = "2026-11-22";
    }
  });

  it("stops a real synth on the same finding, with the rule, the address and why the suppression no longer holds", () => {
    const { code, stderr } = spawnedWith({ KEEL_TODAY: "2027-06-01" }, "synth");
    expect(code).toBe(1);
    expect(stderr).toContain(
      "Keel stopped synth:\n  [production] compliance rule alb-https-listener (error): aws_lb_listener.alb_http: an HTTP listener that serves traffic instead of redirecting to HTTPS (the suppression at production/alb/http expired on 2027-05-31).",
    );
    expect(stderr).not.toMatch(/\n\s+at |skipValidation/);
  });

  it.each([
    [["check", "prod"], "Unknown stack 'prod'."],
    [["check", "production", "--json", "--sarif"], "Choose one of --json, --markdown and --sarif."],
    [["check", "production", "--list-rules"], "--list-rules takes no stack, and only --json."],
  ])("exits 2 on %j", async (args, problem) => {
    const { code, stdout, stderr } = await cli(...args);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr.split("\n")[0]).toContain(problem);
  });
});

describe("progress", () => {
  it("reports each step on stderr and the result on stdout", () => {
    const { code, stdout, stderr } = spawned("synth");
    expect(code).toBe(0);
    expect(stderr.split("\n")).toEqual([
      "keel: synthesizing every stack...",
      expect.stringMatching(/^keel: synthesized account-111122223333-us-east-1, bootstrap, dev, production, staging \(\d+\.\d s\)$/),
      "",
    ]);
    expect(stdout).toBe("Synthesized account-111122223333-us-east-1, bootstrap, dev, production, staging into cdktf.out/stacks/\n");
  });
});

describe("tools/compile.js", () => {
  it("removes the output of a deleted source, so a removed environment cannot live on in dist/", () => {
    const source = path.join(dir, "environments", "qa.ts");
    const output = path.join(dir, "dist", "environments", "qa.js");
    fs.writeFileSync(source, 'import dev from "./dev";\nexport default { ...dev, name: "qa" };\n');
    compile();
    expect(fs.existsSync(output)).toBe(true);
    fs.rmSync(source);
    compile();
    expect(fs.existsSync(output)).toBe(false);
    expect(fs.existsSync(path.join(dir, "dist", "environments", "dev.js"))).toBe(true);
  });

  it("keeps the bundle and its code cache when only an environment file changed: the app loads those at run time", () => {
    const bundle = path.join(dir, "dist", "app.js");
    const cache = path.join(dir, "dist", "app.js.cache");
    compile();
    fs.writeFileSync(cache, "a cache of this bundle");
    const before = fs.statSync(bundle).mtimeMs;
    const file = path.join(dir, "environments", "dev.ts");
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, `${original}// an edit\n`);
    try {
      compile();
      expect(fs.readFileSync(path.join(dir, "dist", "environments", "dev.js"), "utf8")).toContain("// an edit");
      expect(fs.statSync(bundle).mtimeMs).toBe(before);
      expect(fs.readFileSync(cache, "utf8")).toBe("a cache of this bundle");
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it.each([
    ["a module the app imports", "modules/label/index.ts"],
    ["package-lock.json (an upgraded cdktf or provider)", "package-lock.json"],
  ])("bundles again, and drops the code cache, when %s changed", (_what, rel) => {
    const bundle = path.join(dir, "dist", "app.js");
    const cache = path.join(dir, "dist", "app.js.cache");
    compile();
    fs.writeFileSync(cache, "a cache of the old bundle");
    const key = fs.readFileSync(path.join(dir, "dist", ".bundle-key"), "utf8");
    const file = path.join(dir, rel);
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, rel.endsWith(".json") ? `${original}\n` : `${original}export const edited = 1;\n`);
    try {
      compile();
      expect(fs.readFileSync(path.join(dir, "dist", ".bundle-key"), "utf8")).not.toBe(key);
      expect(fs.existsSync(cache)).toBe(false);
      if (!rel.endsWith(".json")) expect(fs.readFileSync(bundle, "utf8")).toContain("edited = 1");
    } finally {
      fs.writeFileSync(file, original);
      compile();
    }
  });

  it("rewrites nothing when no source changed", () => {
    const output = path.join(dir, "dist", "main.js");
    const before = fs.statSync(output).mtimeMs;
    compile();
    expect(fs.statSync(output).mtimeMs).toBe(before);
  });
});
