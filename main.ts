import * as path from "node:path";
import { App } from "cdktf";
import { loadConfigReport } from "./environments";
import { ValidationError, ValidationReport } from "./modules/validation";
import { PROVIDER_LOCK_FILE, buildAccountsAndEnvironments, buildApp, copyProviderLock, removeStaleStacks } from "./stacks";
import { ROOT } from "./tools/project";

/**
 * Loads the config and synthesizes every stack, each with the committed
 * provider lock file. `KEEL_EXAMPLES=1` builds the
 * examples in `examples/` instead (`npm run examples`): their account
 * stacks and environments.
 */
function main(): void {
  const examples = process.env.KEEL_EXAMPLES === "1";
  let app: App;
  try {
    // Every file's config errors and the valid files' module errors, in one report.
    const { config, errors } = loadConfigReport(examples ? path.join(__dirname, "examples") : undefined);
    const built: ValidationError[] = [...errors];
    app = new App();
    try {
      if (examples) buildAccountsAndEnvironments(app, config, "examples");
      else buildApp(app, config);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      built.push(...(error instanceof ValidationReport ? error.errors : [error]));
    }
    built.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0)); // file by file
    if (built.length > 0) throw built.length === 1 ? built[0] : new ValidationReport(built);
  } catch (error) {
    if (error instanceof ValidationError) {
      // One clear message, no stack trace: the problem is the config, not the code.
      process.stderr.write(configErrorReport(error));
      process.exit(1);
    }
    throw error;
  }
  try {
    app.synth();
  } catch (error) {
    // cdktf's validation error: print the findings, not a stack trace and cdktf's advice to skip validation.
    const message = error instanceof Error ? error.message : String(error);
    if (!message.startsWith(VALIDATION_FAILED)) throw error;
    process.stderr.write(`Keel stopped synth:\n${message.slice(VALIDATION_FAILED.length).split("\n\nIf you wish")[0].replace(/^\s*\n/, "").trimEnd()}\n`);
    process.exit(1);
  }
  // `npm run lock` synthesizes once without it, to make it.
  if (process.env.KEEL_WITHOUT_PROVIDER_LOCK !== "1") copyProviderLock(app, path.join(ROOT, PROVIDER_LOCK_FILE));
  for (const stale of removeStaleStacks(app)) process.stderr.write(`Removed ${path.relative(ROOT, path.join(app.outdir, "stacks", stale))}: no stack of that name any more (its state, if it was deployed, is still in the state bucket)\n`);
}

const VALIDATION_FAILED = "Validation failed with the following errors:";

/** What the app prints for an invalid configuration: a header and one line per problem. */
export function configErrorReport(error: ValidationError): string {
  return `Keel configuration is invalid:\n${error.message}\n`;
}

if (require.main === module) main();
