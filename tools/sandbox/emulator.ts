import * as fs from "node:fs";
import * as path from "node:path";
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { ROOT } from "../project";

/** The moto release Keel's emulator tier is proven against; its patches name functions of this release. */
export const PINNED_MOTO = "5.2.1";

/** What a person runs where moto is missing. */
export const MOTO_INSTALL = `pip install "moto[server]==${PINNED_MOTO}"`;

/** Keel's launcher: moto's own app, patched in process where moto answers unlike AWS (see the file). */
export const LAUNCHER = path.join(ROOT, "tools", "sandbox", "moto_server.py");

/** Thrown when no Python with moto can be found: says what to install. */
export class EmulatorMissingError extends Error {
  constructor(tried: readonly string[]) {
    super(
      `The AWS emulator is missing: no Python with moto ${PINNED_MOTO} was found (tried ${tried.join(", ")}). ` +
        `Install it with \`${MOTO_INSTALL}\`, or set KEEL_MOTO_PYTHON to the python that has it.`,
    );
    this.name = "EmulatorMissingError";
  }
}

/** The interpreter a `moto_server` script on PATH runs, from its shebang (a pyenv shim has none worth reading). */
function motoServerPython(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const script = path.join(dir, "moto_server");
    if (!fs.existsSync(script)) continue;
    const first = fs.readFileSync(script, "utf8").split("\n", 1)[0];
    const match = /^#!\s*(\S*python[\d.]*)\s*$/.exec(first);
    if (match) return match[1];
  }
  return undefined;
}

let found: string | undefined;

/**
 * The Python that has moto: KEEL_MOTO_PYTHON, else `python3` on PATH, else the
 * interpreter of `moto_server`. Each candidate runs the launcher's `--check`,
 * which also proves every patch still applies to the installed moto.
 */
export function findMotoPython(): string {
  if (found !== undefined) return found;
  const candidates = [process.env.KEEL_MOTO_PYTHON, "python3", motoServerPython()].filter((c): c is string => c !== undefined && c !== "");
  const tried: string[] = [];
  for (const python of candidates) {
    const check = spawnSync(python, [LAUNCHER, "--check"], { encoding: "utf8" });
    if (check.status === 0) return (found = python);
    const said = `${check.stderr ?? ""}${check.stdout ?? ""}`.trim().split("\n").pop();
    tried.push(said ? `${python} (${said})` : python);
  }
  throw new EmulatorMissingError(tried);
}

/** One running emulator: one account, on 127.0.0.1. */
export interface Emulator {
  readonly accountId: string;
  readonly endpoint: string;
  readonly pid: number;
  /** Stops the server by its process id and waits until it has exited. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

function stopAll(): void {
  for (const child of running) if (child.pid !== undefined && child.exitCode === null) child.kill("SIGTERM");
}
let hooked = false;
/** On exit and on Ctrl-C, every server this process started is stopped by its pid. */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on("exit", stopAll);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      stopAll();
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  }
}

/** A Route 53 zone the account has before Keel runs, created in the emulator with its id. */
export interface ExistingZone {
  readonly id: string;
  readonly name: string;
}

/**
 * Starts one moto server for `accountId` on 127.0.0.1, on a port the kernel
 * picks (the launcher prints it once it listens), with AWS-managed IAM
 * policies loaded and `zones` already there. Resolves once it answers.
 */
export function startEmulator(accountId: string, logFile?: string, zones: readonly ExistingZone[] = []): Promise<Emulator> {
  const python = findMotoPython();
  hookExit();
  return new Promise((resolve, reject) => {
    const child = spawn(python, [LAUNCHER], {
      env: { ...process.env, MOTO_ACCOUNT_ID: accountId, MOTO_IAM_LOAD_MANAGED_POLICIES: "true", PYTHONUNBUFFERED: "1", KEEL_SANDBOX_ZONES: JSON.stringify(zones),
        // moto issues a DNS-validated certificate after this many seconds (its own simulation, 60 by
        // default): 5 still takes the provider's validation waiter through PENDING_VALIDATION to ISSUED.
        MOTO_ACM_VALIDATION_WAIT: "5",
      },
      stdio: ["ignore", "pipe", logFile ? fs.openSync(logFile, "a") : "ignore"],
    });
    running.add(child);
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    child.once("exit", () => running.delete(child));
    let buffered = "";
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString("utf8");
      const line = buffered.split("\n")[0];
      if (!buffered.includes("\n")) return;
      child.stdout!.off("data", onData);
      const port = (JSON.parse(line) as { port?: number }).port;
      if (typeof port !== "number") {
        reject(new Error(`The emulator launcher printed no port: ${line}`));
        return;
      }
      resolve({
        accountId,
        endpoint: `http://127.0.0.1:${port}`,
        pid: child.pid!,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
          await exited;
        },
      });
    };
    child.stdout!.on("data", onData);
    child.once("error", reject);
    child.once("exit", (code) => {
      if (!buffered.includes("\n")) reject(new Error(`The emulator for account ${accountId} exited (${code}) before it listened${logFile ? `; see ${logFile}` : ""}`));
    });
  });
}

/**
 * The lines of an emulator's action log (tools/sandbox/moto_server.py) with a 5xx status:
 * `<time> <service> <action> <status> [<exception>] <ms>`.
 */
export function serverErrors(logFile: string): string[] {
  if (!fs.existsSync(logFile)) return [];
  return fs
    .readFileSync(logFile, "utf8")
    .split("\n")
    .filter((l) => /^\d+\.\d+ \S+ .* 5\d\d( \w+)? \d+ms$/.test(l))
    .map((l) => l.replace(/^\d+\.\d+ /, ""));
}
