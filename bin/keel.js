#!/usr/bin/env node
// `npx keel <command>`: compiles Keel (content-keyed, so a no-op when nothing
// changed), then runs its CLI. Plain JavaScript: it runs before anything is compiled.
"use strict";
require("../tools/compile.js");
const { main } = require("../dist/tools/cli.js");
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
