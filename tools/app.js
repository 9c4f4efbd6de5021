#!/usr/bin/env node
// The app command of cdktf.json: compiles Keel when its sources changed
// (tools/compile.js, content-keyed), then runs the bundled app, dist/app.js,
// in this same process, from V8's code cache of it.
// Why: a synth is short, and starting a second node process for the compile
// check (about 40 ms) and compiling a 7 MB bundle's functions again on every
// run (about 120 ms) were a third of it.
// The cache (dist/app.js.cache) starts with the compile key of the dist/ it
// was made from; V8 itself only compares the source's length, so the key is
// what keeps a stale cache from running against a new bundle. V8 refuses a
// cache from another node version or other flags, and then it is made again.
// It is written after a successful synth, so it holds every function the
// synth compiled, and by rename, so that two synths at once never read half a file.
// Plain JavaScript on purpose: it runs before anything is compiled.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const Module = require("node:module");
const { key } = require("./compile.js");

const filename = path.join(__dirname, "..", "dist", "app.js");
const cacheFile = `${filename}.cache`;
const header = Buffer.from(`${key}\n`);

function readCache() {
  try {
    const data = fs.readFileSync(cacheFile);
    return data.subarray(0, header.length).equals(header) ? data.subarray(header.length) : undefined;
  } catch {
    return undefined;
  }
}

const cachedData = readCache();
const script = new vm.Script(Module.wrap(fs.readFileSync(filename, "utf8")), { filename, cachedData });
// The module dist/app.js would be if node ran it: the app starts when it is `require.main`.
const app = new Module(filename, null);
app.filename = filename;
app.paths = Module._nodeModulePaths(path.dirname(filename));
const appRequire = Module.createRequire(filename);
appRequire.main = app;

process.on("exit", (code) => {
  if (code !== 0 || (cachedData !== undefined && !script.cachedDataRejected)) return;
  try {
    const temporary = `${cacheFile}.${process.pid}`;
    fs.writeFileSync(temporary, Buffer.concat([header, script.createCachedData()]));
    fs.renameSync(temporary, cacheFile);
  } catch {
    // A read-only checkout: the next synth compiles the bundle again, as node would.
  }
});

script.runInThisContext().call(app.exports, app.exports, appRequire, app, filename, path.dirname(filename));
app.loaded = true;
