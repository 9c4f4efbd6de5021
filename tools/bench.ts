import * as fs from "node:fs";
import { buildSync } from "esbuild";
import * as path from "node:path";
import { ROOT, freshDir, workPath } from "./project";
import { run } from "./terraform";

interface Case {
  readonly name: string;
  /** A shell command run from the project root. */
  readonly command: string;
  readonly runs: number;
  /** Runs once, unmeasured, before the measured runs (e.g. to build dist/). */
  readonly prepare?: string;
}

interface Figure {
  readonly name: string;
  readonly seconds: number[];
  readonly peakMb: number | undefined;
}

const GNU_TIME = "/usr/bin/time";
const out = (name: string): string => freshDir(workPath("bench", name));

/**
 * A script that only imports what Keel's app imports from cdktf, constructs
 * and the provider (each class path the compiled sources use): the floor a
 * synth cannot go below.
 */
function floorScript(): string {
  const found = new Set<string>(["cdktf", "constructs"]);
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith(".js")) for (const m of fs.readFileSync(file, "utf8").matchAll(/require\("(@cdktf\/provider-aws\/lib\/[^"]+)"\)/g)) found.add(m[1]);
    }
  };
  for (const dir of ["modules", "stacks"]) walk(path.join(ROOT, "dist", dir));
  const file = workPath("bench", "floor.js");
  fs.writeFileSync(file, [...found].sort().map((m) => `require(${JSON.stringify(m)});`).join("\n") + "\n");
  return path.relative(ROOT, file);
}

/** The same imports bundled into one file, as dist/app.js bundles the app: the floor of a bundled synth. */
function bundledFloorScript(): string {
  const source = floorScript();
  const file = workPath("bench", "floor.bundle.js");
  buildSync({ entryPoints: [path.join(ROOT, source)], bundle: true, platform: "node", format: "cjs", target: "node20", outfile: file, logLevel: "error", nodePaths: [path.join(ROOT, "node_modules")] });
  return path.relative(ROOT, file);
}

const FLOOR = "floor: import cdktf, constructs and the provider classes Keel uses";
const BUNDLED_FLOOR = "floor, bundled: the same imports in one file";
const CHOSEN = "synth: app command, node tools/app.js (compile check + dist/app.js from V8's code cache, one process) [chosen]";
/** Not what `cdktf init` gives: that app imports the provider's package root, which costs seconds more. */
const TS_NODE = "synth: npx ts-node main.ts (type-checking; Keel's per-class imports, not cdktf init's root import)";
const FAST_TIER = "fast test tier: npm run test:fast (static checks + unit + the real-terraform gate)";

function cases(): Case[] {
  const bin = (tool: string): string => path.join("node_modules", ".bin", tool);
  const synthEnv = (name: string): string => `CDKTF_OUTDIR=${out(name)}`;
  return [
    { name: FLOOR, command: `node ${floorScript()}`, runs: 3 },
    { name: BUNDLED_FLOOR, command: `node ${bundledFloorScript()}`, runs: 3 },
    { name: CHOSEN, command: `${synthEnv("app")} node tools/app.js`, runs: 3 },
    {
      name: "synth: the same, its code cache deleted before each run (the first synth after a change to the bundle)",
      command: `rm -f dist/app.js.cache && ${synthEnv("app-nocache")} node tools/app.js`,
      runs: 3,
    },
    { name: "synth: node dist/app.js alone (one bundled file, no code cache, no compile check)", command: `${synthEnv("node")} node dist/app.js`, runs: 3 },
    { name: "synth: node dist/main.js alone (unbundled, module by module)", command: `${synthEnv("unbundled")} node dist/main.js`, runs: 3 },
    { name: "synth: tsx main.ts", command: `${synthEnv("tsx")} ${bin("tsx")} main.ts`, runs: 3 },
    {
      name: "synth: ts-node --transpile-only main.ts",
      command: `${synthEnv("tsnode-t")} ${bin("ts-node")} --transpile-only main.ts`,
      runs: 3,
    },
    {
      name: "synth: tsc (type-check + emit) + node",
      command: `${synthEnv("tsc")} sh -c '${bin("tsc")} -p tools/tsconfig.bench.json && node .keel/bench/tsc-dist/main.js'`,
      runs: 1,
    },
    {
      name: TS_NODE,
      command: `${synthEnv("tsnode")} npx ts-node main.ts`,
      runs: 1,
    },
    {
      name: "synth: through cdktf synth (CLI + app command)",
      command: `${bin("cdktf")} synth --output ${path.relative(ROOT, out("cdktf"))}`,
      runs: 1,
    },
    { name: "unit tests (jest + @swc/jest, two workers, as npm run test:unit)", command: `${bin("jest")} --selectProjects unit --maxWorkers=2`, runs: 1 },
    { name: FAST_TIER, command: "npm run --silent test:fast", runs: 1 },
    { name: "type-check (tsc --noEmit)", command: `${bin("tsc")} --noEmit -p .`, runs: 1 },
    { name: "validate (synth + init + validate, every stack)", command: "node dist/tools/cli.js validate", runs: 1 },
  ];
}

async function measure(c: Case, useTime: boolean): Promise<Figure> {
  const seconds: number[] = [];
  let peakKb: number | undefined;
  const report = workPath("bench", "time.txt");
  for (let i = 0; i < c.runs; i++) {
    const started = process.hrtime.bigint();
    const args = useTime ? [GNU_TIME, "-f", "%M", "-o", report, "sh", "-c", c.command] : ["sh", "-c", c.command];
    const result = await run(args[0], args.slice(1), { cwd: ROOT });
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    if (result.code !== 0) throw new Error(`bench case '${c.name}' failed:\n${result.output}`);
    seconds.push(elapsed);
    if (useTime) {
      const kb = Number(fs.readFileSync(report, "utf8").trim().split("\n").pop());
      peakKb = Math.max(peakKb ?? 0, kb);
    }
  }
  return { name: c.name, seconds, peakMb: peakKb === undefined ? undefined : peakKb / 1024 };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Prints wall time (median of the runs) and peak memory (the largest RSS of
 * any one process in the command's tree, from GNU time) for each case.
 * Figures, not pass/fail.
 */
export async function bench(): Promise<void> {
  const useTime = fs.existsSync(GNU_TIME);
  const compiled = await run(process.execPath, ["tools/compile.js"], { cwd: ROOT });
  if (compiled.code !== 0) throw new Error(compiled.output);
  process.stdout.write(`Keel bench on ${process.platform}/${process.arch}, node ${process.version}; peak memory ${useTime ? "from GNU time (%M)" : "unavailable: no /usr/bin/time"}\n\n`);
  const rows: Figure[] = [];
  for (const c of cases()) {
    const figure = await measure(c, useTime);
    rows.push(figure);
    const runs = figure.seconds.length > 1 ? ` (runs: ${figure.seconds.map((s) => s.toFixed(2)).join(", ")})` : "";
    const mem = figure.peakMb === undefined ? "n/a" : `${figure.peakMb.toFixed(0)} MB`;
    process.stdout.write(`${median(figure.seconds).toFixed(2).padStart(7)} s  ${mem.padStart(8)}  ${figure.name}${runs}\n`);
  }
  const at = (name: string): number => median(rows.find((r) => r.name === name)?.seconds ?? [NaN]);
  process.stdout.write(
    `\nsynth, chosen app command / floor: ${(at(CHOSEN) / at(FLOOR)).toFixed(2)}x (goal: within 2x); / bundled floor: ${(at(CHOSEN) / at(BUNDLED_FLOOR)).toFixed(2)}x\n` +
      `type-checking ts-node / chosen app command: ${(at(TS_NODE) / at(CHOSEN)).toFixed(1)}x slower\n` +
      `fast test tier: ${at(FAST_TIER).toFixed(0)} s (goal: 90 s on 2 cores)\n`,
  );
}
