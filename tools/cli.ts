import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { ROOT } from "./project";
import { toolEnv } from "./terraform";
import { EXAMPLES_OUT, countByType, lockProviders, planStack, synthesize, validateStacks } from "./stacks";

const USAGE = `Keel tools (see the file 'help'):
  synth                       every stack into cdktf.out/ (the app directly; \`cdktf synth\` does the same, slower)
  examples                    the seed examples (examples/) into examples.out/
  validate                    synth, then terraform init -backend=false + validate of every stack
  plan <stack> [--offline]    synth, then terraform plan of one stack (offline: no AWS, no backend)
  lock                        write .terraform.lock.hcl into every synthesized stack
  cdktf <args...>             any cdktf command, with Keel's Terraform CLI config
  bench                       time and peak memory of synth, tests and validate`;

/** Runs the real cdktf CLI with Keel's environment (CLI config, no telemetry). */
function cdktf(args: readonly string[]): number {
  const bin = path.join(ROOT, "node_modules", ".bin", "cdktf");
  const result = spawnSync(bin, args, { cwd: ROOT, env: toolEnv(), stdio: "inherit" });
  return result.status ?? 1;
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "synth":
    case "examples": {
      // One fast path: the app itself, as cdktf.json's app command runs it, without the CLI's start-up and spinner.
      if (rest.length > 0) {
        process.stderr.write(`usage: npm run ${command} (no arguments; for cdktf's own options: npm run cdktf -- synth ...)\n`);
        return 2;
      }
      const examples = command === "examples";
      const outDir = examples ? EXAMPLES_OUT : undefined;
      const stacks = await synthesize(outDir, { examples });
      process.stdout.write(`Synthesized ${stacks.join(", ")} into ${path.relative(ROOT, outDir ?? path.join(ROOT, "cdktf.out"))}/stacks/\n`);
      return 0;
    }
    case "cdktf":
      return cdktf(rest);
    case "validate": {
      const stacks = await synthesize();
      process.stdout.write(`Synthesized ${stacks.join(", ")}\n`);
      await validateStacks(undefined, true);
      return 0;
    }
    case "plan": {
      const stack = rest.find((a) => !a.startsWith("--"));
      const unknown = rest.filter((a) => a.startsWith("--") && a !== "--offline");
      if (stack === undefined || unknown.length > 0) {
        process.stderr.write(`usage: npm run plan -- <stack> [--offline]${unknown.length ? ` (unknown: ${unknown.join(" ")})` : ""}\n`);
        return 2;
      }
      await synthesize();
      const result = await planStack(stack, { offline: rest.includes("--offline"), echo: true });
      process.stdout.write(`\nSaved plan: ${path.relative(ROOT, result.planFile)}\nPlan JSON:  ${path.relative(ROOT, result.jsonFile)}\n`);
      process.stdout.write(`Resources to create, by type:\n${JSON.stringify(countByType(result.plan), null, 2)}\n`);
      return 0;
    }
    case "lock": {
      await synthesize(undefined, { withoutProviderLock: true });
      const lockFile = await lockProviders();
      await synthesize();
      process.stdout.write(`Wrote ${path.relative(ROOT, lockFile)}; commit it. Every stack in cdktf.out/ now uses it.\n`);
      return 0;
    }
    case "bench": {
      const { bench } = await import("./bench");
      await bench();
      return 0;
    }
    default:
      process.stderr.write(`${command === undefined ? "" : `Unknown command '${command}'.\n`}${USAGE}\n`);
      return command === undefined || command === "help" ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Config and terraform errors carry the whole story in their message.
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
