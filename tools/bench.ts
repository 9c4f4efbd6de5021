import * as fs from "node:fs";
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

const FLOOR = "floor: import cdktf, constructs and the provider classes Keel uses";
const CHOSEN = "synth: app command (swc transpile + node dist/main.js) [chosen]";
const INIT_DEFAULT = "synth: cdktf init default (npx ts-node main.ts)";

function cases(): Case[] {
  const bin = (tool: string): string => path.join("node_modules", ".bin", tool);
  const synthEnv = (name: string): string => `CDKTF_OUTDIR=${out(name)}`;
  return [
    { name: FLOOR, command: `node ${floorScript()}`, runs: 3 },
    {
      name: CHOSEN,
      command: `${synthEnv("swc")} sh -c 'node tools/compile.js && node dist/main.js'`,
      runs: 3,
    },
    { name: "synth: node dist/main.js alone", command: `${synthEnv("node")} node dist/main.js`, runs: 3 },
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
      name: INIT_DEFAULT,
      command: `${synthEnv("tsnode")} npx ts-node main.ts`,
      runs: 1,
    },
    {
      name: "synth: through cdktf synth (CLI + app command)",
      command: `${bin("cdktf")} synth --output ${path.relative(ROOT, out("cdktf"))}`,
      runs: 1,
    },
    { name: "unit tests (jest + @swc/jest)", command: `${bin("jest")} --selectProjects unit`, runs: 1 },
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
    `\nchosen app command / floor: ${(at(CHOSEN) / at(FLOOR)).toFixed(2)}x (goal: within 2x)\n` +
      `cdktf init default / chosen app command: ${(at(INIT_DEFAULT) / at(CHOSEN)).toFixed(1)}x faster (goal: 25x)\n`,
  );
}
