#!/usr/bin/env node
// Transpiles Keel's TypeScript to dist/ with swc, without type-checking.
// Why: the app command in cdktf.json runs on every synth; type-checking there
// costs seconds, so `tsc --noEmit` runs once in the test command instead.
// Plain JavaScript on purpose: it must run before anything is compiled.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const crypto = require("node:crypto");
// Versions from their package.json: the compilers themselves load only when something must be compiled.
const swcVersion = require("@swc/core/package.json").version;
const esbuildVersion = require("esbuild/package.json").version;

const root = path.resolve(__dirname, "..");
const outDir = path.join(root, "dist");
const sources = ["main.ts", "modules", "environments", "stacks", "examples", "tools"];

function collect(rel, found) {
  const abs = path.join(root, rel);
  const stat = fs.statSync(abs);
  if (stat.isDirectory()) {
    for (const entry of fs.readdirSync(abs).sort()) collect(path.join(rel, entry), found);
  } else if (rel.endsWith(".ts") && !rel.endsWith(".d.ts")) {
    found.push(rel);
  }
  return found;
}

function listOutputs(dir, found) {
  if (!fs.existsSync(dir)) return found;
  for (const entry of fs.readdirSync(dir)) {
    const abs = path.join(dir, entry);
    if (fs.statSync(abs).isDirectory()) listOutputs(abs, found);
    else found.push(abs);
  }
  return found;
}

/**
 * A key of everything that decides dist/: every source's path and content,
 * this script and swc's version. Content, not mtimes: a copy that keeps old
 * times, or a checkout that sets new ones, cannot fool it.
 */
function contentKey(files) {
  const hash = crypto.createHash("sha256").update(swcVersion).update(esbuildVersion).update(fs.readFileSync(__filename));
  for (const rel of files) hash.update(rel).update("\0").update(fs.readFileSync(path.join(root, rel))).update("\0");
  return hash.digest("hex");
}

function compile() {
  const files = sources.flatMap((s) => collect(s, []));
  const keyFile = path.join(outDir, ".compile-key");
  const key = contentKey(files);
  // Unchanged sources: dist/ is already exactly their output.
  if (fs.existsSync(keyFile) && fs.readFileSync(keyFile, "utf8") === key) return;
  const { transformSync } = require("@swc/core");
  const wanted = new Set([keyFile, path.join(outDir, "app.js")]);
  for (const rel of files) {
    const target = path.join(outDir, rel.replace(/\.ts$/, ".js"));
    wanted.add(target);
    const { code } = transformSync(fs.readFileSync(path.join(root, rel), "utf8"), {
      filename: rel,
      sourceMaps: false,
      module: { type: "commonjs" },
      jsc: { parser: { syntax: "typescript" }, target: "es2022" },
    });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (!fs.existsSync(target) || fs.readFileSync(target, "utf8") !== code) fs.writeFileSync(target, code);
  }
  // A source that was deleted must not live on in dist/: the environment
  // loader would otherwise keep synthesizing a removed environment.
  for (const file of listOutputs(outDir, [])) {
    if (!wanted.has(file)) fs.rmSync(file);
  }
  bundleApp(wanted);
  fs.writeFileSync(keyFile, key);
}

/**
 * dist/app.js: the app (dist/main.js) and everything it imports, Keel's
 * modules, cdktf and the provider classes, in one file. Node then resolves
 * and reads one module instead of several hundred, which is most of what a
 * synth costs. Environment files stay separate: the app finds them at run
 * time (adding a file adds an environment), and they import only types and
 * each other. The output is the same JSON as dist/main.js writes.
 */
function bundleApp(wanted) {
  const { buildSync } = require("esbuild");
  const target = path.join(outDir, "app.js");
  buildSync({ entryPoints: [path.join(outDir, "main.js")], bundle: true, platform: "node", format: "cjs", target: "node20", outfile: target, logLevel: "error", legalComments: "none" });
  wanted.add(target);
}

compile();
