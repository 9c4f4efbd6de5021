import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";

export const ROOT = path.resolve(__dirname, "..", "..");

/** What a checkout does not hold: installs, builds, synth output, work folders, git's own. */
const NOT_SOURCES = new Set(["node_modules", "dist", "cdktf.out", "examples.out", ".keel", ".git", "terraform.bootstrap.tfstate", ".terraform"]);

/**
 * A copy of the project's sources (node_modules linked, not copied) in the
 * test temp folder, so a test can break a file and run the real app.
 */
export function sandbox(): string {
  const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? "", "sandbox-"));
  // Everything a checkout has but what installs, builds and runs write (a team's new folder, say functions/, comes along).
  for (const entry of fs.readdirSync(ROOT)) {
    if (NOT_SOURCES.has(entry)) continue;
    fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

/** The app command of `dir`'s cdktf.json, as `cdktf synth` runs it. */
export function appCommand(dir: string): string {
  return (JSON.parse(fs.readFileSync(path.join(dir, "cdktf.json"), "utf8")) as { app: string }).app;
}

/** Runs the app command of `dir`'s cdktf.json (compile, then the bundled app) there, as `cdktf synth` does. */
export function runApp(dir: string, outDir: string, env: Readonly<Record<string, string>> = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync("sh", ["-c", appCommand(dir)], {
    cwd: dir,
    env: { ...process.env, CDKTF_OUTDIR: outDir, ...env },
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every file below `dir`, relative, sorted, with its contents. */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, rel)).sort()) {
      const child = path.join(rel, entry);
      if (fs.statSync(path.join(dir, child)).isDirectory()) walk(child);
      else files.set(child, fs.readFileSync(path.join(dir, child), "utf8"));
    }
  };
  walk("");
  return files;
}
