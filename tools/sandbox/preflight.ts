import { PINNED_MOTO, findMotoPython } from "./emulator";

/**
 * `npm test`'s check that the emulator tier can run: a Python with moto
 * 5.2.1 whose every patch applies. The tier is never skipped; without moto,
 * `npm test` stops here with the install command.
 */
function main(): void {
  try {
    const python = findMotoPython();
    process.stderr.write(`keel: AWS emulator: moto ${PINNED_MOTO} (${python}), patched in process by tools/sandbox/moto_server.py\n`);
  } catch (error) {
    process.stderr.write(`npm test: ${(error as Error).message}\nThe emulator tier is part of npm test and is never skipped.\n`);
    process.exit(1);
  }
}

if (require.main === module) main();
