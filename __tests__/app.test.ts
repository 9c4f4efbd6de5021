import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { appCommand, readTree, runApp, sandbox } from "./support/sandbox";
import { Mutable, configError, devConfig } from "./support/config";
import { EnvironmentConfig, loadConfig } from "../environments";

/** The reference platform, whose files the error tests break (environments/ is the team's). */
const REFERENCE = "examples/omnirapeutic";
import { configErrorReport } from "../main";

describe("synthesizing the real app", () => {
  const dir = sandbox();

  /** Runs the app on the reference platform with edits to its files, then restores them. */
  const runWithBroken = (edits: ReadonlyArray<readonly [file: string, from: string, to: string]>): ReturnType<typeof runApp> => {
    const originals = edits.map(([name, from, to]) => {
      const file = path.join(dir, REFERENCE, `${name}.ts`);
      const original = fs.readFileSync(file, "utf8");
      expect(original).toContain(from);
      fs.writeFileSync(file, original.replace(from, to));
      return [file, original] as const;
    });
    try {
      return runApp(dir, path.join(dir, "out-broken"), { KEEL_CONFIG: REFERENCE });
    } finally {
      for (const [file, original] of originals) fs.writeFileSync(file, original);
    }
  };

  it("writes the same bytes from the bundled app (cdktf.json's app command) as from the unbundled dist/main.js", () => {
    expect(appCommand(dir)).toBe("node tools/app.js");
    const bundled = runApp(dir, path.join(dir, "out-bundled"));
    expect(bundled.status).toBe(0);
    const unbundled = spawnSync(process.execPath, ["dist/main.js"], { cwd: dir, env: { ...process.env, CDKTF_OUTDIR: path.join(dir, "out-unbundled") }, encoding: "utf8" });
    expect(unbundled.status).toBe(0);
    const a = readTree(path.join(dir, "out-bundled"));
    expect(a.size).toBeGreaterThan(10);
    expect(readTree(path.join(dir, "out-unbundled"))).toEqual(a);
  });

  it("runs the bundle from V8's code cache, keyed on the compiled sources: written after a good synth, used as it is, replaced when its key is stale", () => {
    const cache = path.join(dir, "dist", "app.js.cache");
    fs.rmSync(cache, { force: true });
    const first = runApp(dir, path.join(dir, "out-cache-1"));
    expect(first.status).toBe(0);
    const key = fs.readFileSync(path.join(dir, "dist", ".bundle-key"), "utf8");
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const written = fs.readFileSync(cache);
    expect(written.subarray(0, 65).toString()).toBe(`${key}\n`);
    expect(written.length).toBeGreaterThan(1_000_000); // the functions the synth compiled, not only the top level
    // Used as it is: the same output, and the cache is not written again.
    const second = runApp(dir, path.join(dir, "out-cache-2"));
    expect(second.status).toBe(0);
    expect(fs.readFileSync(cache).equals(written)).toBe(true);
    const expected = readTree(path.join(dir, "out-cache-1"));
    expect(readTree(path.join(dir, "out-cache-2"))).toEqual(expected);
    // A cache made for other sources (V8 itself compares only the source's length) is never used, and is replaced.
    fs.writeFileSync(cache, Buffer.concat([Buffer.from(`${"0".repeat(64)}\n`), written.subarray(65)]));
    expect(runApp(dir, path.join(dir, "out-cache-3")).status).toBe(0);
    expect(readTree(path.join(dir, "out-cache-3"))).toEqual(expected);
    expect(fs.readFileSync(cache).subarray(0, 65).toString()).toBe(`${key}\n`);
    // Garbage after a right key: V8 rejects it, the synth still runs, and a good cache replaces it.
    fs.writeFileSync(cache, Buffer.concat([Buffer.from(`${key}\n`), Buffer.from("not a code cache")]));
    expect(runApp(dir, path.join(dir, "out-cache-4")).status).toBe(0);
    expect(readTree(path.join(dir, "out-cache-4"))).toEqual(expected);
    expect(fs.readFileSync(cache).length).toBeGreaterThan(1_000_000);
  });

  it("writes no code cache from a synth that failed", () => {
    const cache = path.join(dir, "dist", "app.js.cache");
    fs.rmSync(cache, { force: true });
    expect(runWithBroken([["dev", `cidr: "10.10.0.0/16"`, `cidr: "10.10.0.0/8"`]]).status).toBe(1);
    expect(fs.existsSync(cache)).toBe(false);
  });

  it("is deterministic: two synths are byte-identical, hold no machine paths or times, and carry the committed provider lock", () => {
    const first = runApp(dir, path.join(dir, "out-1"));
    const second = runApp(dir, path.join(dir, "out-2"));
    expect(first.status).toBe(0);
    expect(second.status).toBe(0);
    const a = readTree(path.join(dir, "out-1"));
    const b = readTree(path.join(dir, "out-2"));
    const { project, environments } = loadConfig();
    for (const e of environments) expect([...a.keys()]).toContain(path.join("stacks", e.name, "cdk.tf.json"));
    expect(b).toEqual(a);
    // The committed provider lock file is in every stack, as committed.
    const lock = fs.readFileSync(path.join(dir, ".terraform.lock.hcl"), "utf8");
    const stacks = [...a.keys()].filter((f) => f.endsWith("cdk.tf.json")).map((f) => path.dirname(f));
    // bootstrap, one account stack per account and region, one stack per environment
    expect(stacks).toHaveLength(1 + project.accounts.reduce((n, acc) => n + acc.regions.length, 0) + environments.length);
    for (const stack of stacks) expect({ stack, lock: a.get(path.join(stack, ".terraform.lock.hcl")) }).toEqual({ stack, lock });
    for (const [file, text] of a) {
      // Machine paths: the sandbox, the project, the temp folder. (Paths inside containers, like /tmp, are content.)
      const machinePaths = [dir, process.cwd(), process.env.TMPDIR ?? dir];
      expect({ file, hasPath: machinePaths.some((p) => text.includes(p)) }).toEqual({ file, hasPath: false });
      expect({ file, hasTime: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) }).toEqual({ file, hasTime: false });
    }
  });

  it("stops on a bad CIDR with one clear message and no stack trace, as the real process", () => {
    const result = runWithBroken([["dev", `cidr: "10.10.0.0/16"`, `cidr: "10.10.0.0/8"`]]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toEqual([
      "Keel configuration is invalid:",
      expect.stringMatching(/^environment 'dev' \(examples\/omnirapeutic\/dev\.ts\): field 'network\.cidr': value "10\.10\.0\.0\/8" is not allowed/),
    ]);
  });

  it("checks every environment file before it reports: one report names each file's problems, config and module errors alike", () => {
    const result = runWithBroken([
      ["dev", `cidr: "10.10.0.0/16"`, `cidr: "10.10.0.0/8"`],
      ["production", `engineVersion: "15.10"`, `engineVersion: "15.11"`],
      // a module's error (the VPC's), in a file that passes the config checks
      ["staging", `flowLogRetentionInDays: 90`, `flowLogRetentionInDays: 45`],
    ]);
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines[0]).toBe("Keel configuration is invalid:");
    expect(lines.slice(1).map((l) => l.slice(0, l.indexOf(":", l.indexOf("field"))))).toEqual([
      "environment 'dev' (examples/omnirapeutic/dev.ts): field 'network.cidr'",
      "environment 'production' (examples/omnirapeutic/production.ts): field 'aurora.engineVersion'",
      "environment 'staging' (examples/omnirapeutic/staging.ts): field 'network.flowLogRetentionInDays'",
    ]);
  });

  // The same report for other mistakes, built in this process (the real process's behaviour is above).
  it.each([
    ["overlapping subnets", (c: Mutable<EnvironmentConfig>) => ((c.network as { databaseSubnets: string[] }).databaseSubnets[0] = "10.10.11.0/24"), "field 'network.databaseSubnets.0': value \"10.10.11.0/24\" is not allowed: a CIDR that does not overlap privateSubnets.0"],
    ["a wrong account id", (c: Mutable<EnvironmentConfig>) => (c.accountId = "11112222333"), "field 'accountId': value \"11112222333\" is not allowed: must be a 12-digit AWS account id"],
    ["an unknown AZ", (c: Mutable<EnvironmentConfig>) => ((c.network as { azs: string[] }).azs[1] = "us-east-1q"), "field 'network.azs.1': value \"us-east-1q\" is not allowed"],
    ["an Aurora version AWS never released", (c: Mutable<EnvironmentConfig>) => (c.aurora!.engineVersion = "15.11"), "field 'aurora.engineVersion': value \"15.11\" is not allowed: an Aurora PostgreSQL 15 release"],
    ["NAT gateways with no public subnets (found by the module)", (c: Mutable<EnvironmentConfig>) => ((c.network as { publicSubnets: string[] }).publicSubnets = []), "field 'network.enableNatGateway': value true is not allowed: NAT gateways live in public subnets"],
    ["a log retention CloudWatch does not accept (found by the module)", (c: Mutable<EnvironmentConfig>) => ((c.network as { flowLogRetentionInDays: number }).flowLogRetentionInDays = 45), "field 'network.flowLogRetentionInDays': value 45 is not allowed: one of 1, 3, 5"],
    ["a maximum capacity below the minimum (found by the module)", (c: Mutable<EnvironmentConfig>) => ((c.aurora as { minCapacity: number }).minCapacity = 2), "field 'aurora.maxCapacity': value 1 is not allowed: at least minCapacity (2)"],
  ])("reports %s in one line against the config field", (_case, change, expected) => {
    const lines = configErrorReport(configError(devConfig(change))).trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe("Keel configuration is invalid:");
    expect(lines[1].startsWith(`environment 'dev' (environments/dev.ts): ${expected}`)).toBe(true);
  });
});

