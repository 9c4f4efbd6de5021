import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../environments/lib/root";

/** The project root (the folder with cdktf.json), whether running from tools/ or dist/tools/. */
export const ROOT = PROJECT_ROOT;

/**
 * Keel's own ignored work folder. Everything the tools write that is not
 * `cdktf.out/` or `dist/` goes here; nothing is written outside the project.
 */
export const WORK = path.join(ROOT, ".keel");

/** Where `cdktf synth` writes, as cdktf.json says. */
export const OUT = path.join(ROOT, "cdktf.out");

export function workPath(...parts: string[]): string {
  const target = path.join(WORK, ...parts);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  return target;
}

/** Removes `dir` and creates it empty; refuses anything outside the work folder. */
export function freshDir(dir: string): string {
  const relative = path.relative(WORK, dir);
  if (relative.startsWith("..") || path.isAbsolute(relative) || relative === "") {
    throw new Error(`Refusing to empty ${dir}: only folders inside ${WORK} are recreated`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
