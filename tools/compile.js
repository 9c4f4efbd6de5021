#!/usr/bin/env node
// Transpiles Keel's TypeScript to dist/ with swc, without type-checking.
// Why: the app command in cdktf.json runs on every synth; type-checking there
// costs seconds, so `tsc --noEmit` runs once in the test command instead.
// Plain JavaScript on purpose: it must run before anything is compiled.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { transformSync } = require("@swc/core");

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

function compile() {
  const wanted = new Set();
  for (const rel of sources.flatMap((s) => collect(s, []))) {
    const target = path.join(outDir, rel.replace(/\.ts$/, ".js"));
    wanted.add(target);
    // Everything, every time: swc takes ~0.1 s for the whole tree, and an
    // mtime check could keep a stale output after a copy that preserves times.
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
}

compile();
