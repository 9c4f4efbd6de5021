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
const LAZY_STACK_TRACE = path.join(__dirname, "lazy-stack-trace.js");

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

/** What decides dist/ besides Keel's sources: this script, the stack-trace shim, the compilers and every installed package's version. */
function toolingHash() {
  const lock = path.join(root, "package-lock.json");
  return crypto
    .createHash("sha256")
    .update(swcVersion)
    .update(esbuildVersion)
    .update(fs.readFileSync(__filename))
    .update(fs.readFileSync(LAZY_STACK_TRACE))
    .update(fs.existsSync(lock) ? fs.readFileSync(lock) : "");
}

/**
 * A key of everything that decides dist/: every source's path and content,
 * and the tooling. Content, not mtimes: a copy that keeps old times, or a
 * checkout that sets new ones, cannot fool it.
 */
function contentKey(files) {
  const hash = toolingHash();
  for (const rel of files) hash.update(rel).update("\0").update(fs.readFileSync(path.join(root, rel))).update("\0");
  return hash.digest("hex");
}

const BUNDLE = path.join(outDir, "app.js");
const BUNDLE_FILES = {
  key: path.join(outDir, ".bundle-key"),
  inputs: path.join(outDir, ".bundle-inputs.json"),
  cache: path.join(outDir, "app.js.cache"),
};

/**
 * A key of what decides dist/app.js: the tooling and the compiled files the
 * last bundle was made of (esbuild's own list of its inputs). An edit to an
 * environment file, which the app loads at run time, leaves it unchanged, so
 * the bundle and V8's code cache of it stay. Undefined when there is no bundle.
 */
function bundleKey() {
  if (!fs.existsSync(BUNDLE) || !fs.existsSync(BUNDLE_FILES.inputs)) return undefined;
  const hash = toolingHash();
  for (const rel of JSON.parse(fs.readFileSync(BUNDLE_FILES.inputs, "utf8"))) {
    const file = path.join(root, rel);
    hash.update(rel).update("\0").update(fs.existsSync(file) ? fs.readFileSync(file) : "(deleted)").update("\0");
  }
  return hash.digest("hex");
}

function compile() {
  const files = sources.flatMap((s) => collect(s, []));
  const keyFile = path.join(outDir, ".compile-key");
  const key = contentKey(files);
  // Unchanged sources: dist/ is already exactly their output.
  if (fs.existsSync(keyFile) && fs.readFileSync(keyFile, "utf8") === key && fs.existsSync(BUNDLE_FILES.key)) return fs.readFileSync(BUNDLE_FILES.key, "utf8");
  const { transformSync } = require("@swc/core");
  const wanted = new Set([keyFile, BUNDLE, ...Object.values(BUNDLE_FILES)]);
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
  let bundled = bundleKey();
  if (bundled === undefined || !fs.existsSync(BUNDLE_FILES.key) || fs.readFileSync(BUNDLE_FILES.key, "utf8") !== bundled) {
    fs.rmSync(BUNDLE_FILES.cache, { force: true });
    bundleApp();
    bundled = bundleKey();
    fs.writeFileSync(BUNDLE_FILES.key, bundled);
  }
  fs.writeFileSync(keyFile, key);
  return bundled;
}

/**
 * dist/app.js: the app (dist/main.js) and everything it imports, Keel's
 * modules, cdktf and the provider classes, in one file. Node then resolves
 * and reads one module instead of several hundred, which is most of what a
 * synth costs. Environment files stay separate: the app finds them at run
 * time (adding a file adds an environment), and they import only types and
 * each other. The output is the same JSON as dist/main.js writes.
 * cdktf's and constructs' stack-trace helpers are bundled as Keel's lazy one
 * (tools/lazy-stack-trace.js). esbuild takes plugins only in its asynchronous
 * build, and this script must finish before whoever required it goes on, so
 * the bundle is built by a child process.
 */
function bundleApp() {
  const child = require("node:child_process").spawnSync(process.execPath, [__filename, "--bundle-app"], { stdio: "inherit" });
  if (child.status !== 0) throw new Error(`bundling dist/app.js failed (exit ${child.status})`);
}

/** The esbuild plugin that swaps the stack-trace helpers named in REPLACES. */
function lazyStackTraces() {
  const { REPLACES } = require(LAZY_STACK_TRACE);
  const shim = `module.exports = require(${JSON.stringify(LAZY_STACK_TRACE)});`;
  const filter = new RegExp(`node_modules/(${REPLACES.map((r) => r.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|")})$`);
  const found = new Set();
  return {
    plugin: {
      name: "keel-lazy-stack-trace",
      setup(build) {
        build.onLoad({ filter }, (args) => {
          found.add(REPLACES.find((r) => args.path.endsWith(r)));
          return { contents: shim, loader: "js", resolveDir: path.dirname(args.path) };
        });
      },
    },
    found,
    REPLACES,
  };
}

async function bundle() {
  const { build } = require("esbuild");
  const lazy = lazyStackTraces();
  const { metafile } = await build({
    entryPoints: [path.join(outDir, "main.js")],
    absWorkingDir: root,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outfile: BUNDLE,
    logLevel: "error",
    legalComments: "none",
    metafile: true,
    plugins: [lazy.plugin],
  });
  // The compiled files in the bundle (packages are keyed by package-lock.json), for bundleKey().
  const inputs = Object.keys(metafile.inputs).filter((rel) => rel.startsWith("dist/")).sort();
  fs.writeFileSync(BUNDLE_FILES.inputs, `${JSON.stringify(inputs, null, 2)}\n`);
  // A cdktf or constructs upgrade that moves either file must not silently bring back the slow helper.
  const missing = lazy.REPLACES.filter((r) => !lazy.found.has(r));
  if (missing.length > 0) throw new Error(`tools/compile.js: ${missing.join(", ")} not found in the bundle; update REPLACES in tools/lazy-stack-trace.js`);
}

if (process.argv[2] === "--bundle-app") {
  bundle().catch((e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exit(1);
  });
} else {
  /** The key of dist/app.js as compiled; tools/app.js keys V8's code cache of it on this. */
  module.exports = { key: compile() };
}
