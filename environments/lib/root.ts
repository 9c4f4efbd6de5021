import * as fs from "node:fs";
import * as path from "node:path";

// On its own, without the config schema and the compliance rules: the CLI finds the project
// root before it knows whether the command needs the config at all.

/**
 * The project root: the folder with cdktf.json, above this file whether it
 * runs from source or from dist/. Paths in config (a function's code) are
 * relative to it, never to the working directory.
 */
export const PROJECT_ROOT = ((): string => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "cdktf.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No cdktf.json above ${__dirname}: run Keel from inside the project`);
    dir = parent;
  }
  return dir;
})();
