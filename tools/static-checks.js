// `npm test`'s first step: the type check and the linter, side by side (each
// takes one core for a few seconds), failing when either fails, with both
// outputs kept apart.
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

/**
 * Every optional dependency of every locked package is itself locked, whatever its platform: a
 * lockfile written by an npm that resolves only its own platform makes `npm ci` refuse to install
 * elsewhere ("Missing: @swc/core-darwin-arm64 from lock file"). Returns what is missing.
 */
function lockfileGaps(lock) {
  const packages = lock.packages ?? {};
  const resolves = (from, name) => {
    for (let dir = from; ; dir = dir.replace(/\/?node_modules\/(@[^/]+\/)?[^/]+$/, "")) {
      if (packages[`${dir === "" ? "" : `${dir}/`}node_modules/${name}`] !== undefined) return true;
      if (dir === "") return false;
    }
  };
  return Object.entries(packages).flatMap(([at, entry]) =>
    Object.keys(entry.optionalDependencies ?? {})
      .filter((name) => !resolves(at, name))
      .map((name) => `${name} (optional for ${at === "" ? "the project" : at.replace(/^.*node_modules\//, "")})`),
  );
}

const gaps = lockfileGaps(JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package-lock.json"), "utf8")));
if (gaps.length > 0) {
  process.stderr.write(
    `package-lock.json: ${gaps.length} optional package(s) of other platforms are missing, so \`npm ci\` would refuse the lockfile elsewhere: ${gaps.slice(0, 5).join(", ")}${gaps.length > 5 ? ", ..." : ""}.\n` +
      "Run `npm install` with npm 11 or later (it adds them) and commit package-lock.json.\n",
  );
  process.exit(1);
}

// In CI, `npm test` runs right after `npm ci` on a clean clone: the install must not have changed a
// tracked file (a lockfile rewritten by a newer npm, a postinstall that writes into the tree).
if (process.env.CI && fs.existsSync(path.join(__dirname, "..", ".git"))) {
  const { spawnSync } = require("node:child_process");
  const diff = spawnSync("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: path.join(__dirname, ".."), encoding: "utf8" });
  if (diff.status === 0 && diff.stdout.trim() !== "") {
    process.stderr.write(
      `The install left the tree changed (CI runs this right after \`npm ci\` on a clean clone):\n${diff.stdout}` +
        "Commit what npm wrote (package-lock.json), or stop the script that writes into the tree.\n",
    );
    process.exit(1);
  }
}

const bin = (name) => path.join(__dirname, "..", "node_modules", ".bin", name);
const checks = [
  ["typecheck", bin("tsc"), ["--noEmit", "-p", "."]],
  ["lint", bin("eslint"), ["--max-warnings=0", "."]],
];

Promise.all(
  checks.map(
    ([name, command, args]) =>
      new Promise((resolve) => {
        const child = spawn(command, args, { cwd: path.join(__dirname, ".."), stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (d) => (output += d));
        child.stderr.on("data", (d) => (output += d));
        child.on("close", (code) => resolve({ name, code, output }));
      }),
  ),
).then((results) => {
  for (const r of results) if (r.output.trim() !== "") process.stdout.write(`${r.name}:\n${r.output}`);
  const failed = results.filter((r) => r.code !== 0).map((r) => r.name);
  if (failed.length > 0) {
    process.stderr.write(`npm test: ${failed.join(" and ")} failed\n`);
    process.exit(1);
  }
});
