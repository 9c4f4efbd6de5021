// `npm test`'s first step: the type check and the linter, side by side (each
// takes one core for a few seconds), failing when either fails, with both
// outputs kept apart.
const { spawn } = require("node:child_process");
const path = require("node:path");

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
