import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { sandbox } from "./support/sandbox";

// The CLI as a user runs it (`npx keel <command>` runs `dist/tools/cli.js`), in a sandbox copy of
// the project so its dist/ and cdktf.out/ are its own; answers that need no synth run in-process.
const dir = sandbox();

function spawned(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(dir, "dist", "tools", "cli.js"), ...args], { cwd: dir, encoding: "utf8" });
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

const COMMANDS = ["synth", "examples", "validate", "plan", "cost", "lock", "bench"];

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

  it("documents plan's stack argument and its options", async () => {
    const { stdout } = await cli("plan", "--help");
    expect(stdout).toContain("usage: npx keel plan <stack> [--offline] [--fail-on-destroy] [--json | --markdown]");
    expect(stdout).toMatch(/--fail-on-destroy +exit 3 when a stateful resource would be replaced or deleted/);
    expect(stdout).toMatch(/--offline +no AWS and no backend/);
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

  it("rejects an unknown stack with exit 2 before anything is synthesized, listing the stacks", () => {
    const { code, stderr } = spawned("plan", "prod", "--offline");
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

  it("exits 1 with one clear message when the config is invalid", () => {
    const file = path.join(dir, "environments", "dev.ts");
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, original.replace(`cidr: "10.10.0.0/16"`, `cidr: "10.10.0.0/8"`));
    try {
      compile();
      const { code, stderr } = spawned("plan", "dev", "--offline");
      expect(code).toBe(1);
      expect(stderr).toContain("environment 'dev' (environments/dev.ts): field 'network.cidr': value \"10.10.0.0/8\" is not allowed");
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      fs.writeFileSync(file, original);
      compile();
    }
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

  it("rewrites nothing when no source changed", () => {
    const output = path.join(dir, "dist", "main.js");
    const before = fs.statSync(output).mtimeMs;
    compile();
    expect(fs.statSync(output).mtimeMs).toBe(before);
  });
});
