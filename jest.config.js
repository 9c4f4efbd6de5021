// Tests are transpiled by swc without type-checking (fast); `tsc --noEmit`
// type-checks everything once in `npm test`.
const transform = {
  "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
};
const common = {
  testEnvironment: "node",
  transform,
  setupFiles: ["<rootDir>/__tests__/support/tmpdir.ts", "<rootDir>/__tests__/support/clock.ts", "<rootDir>/__tests__/support/go-gc.ts"],
  setupFilesAfterEnv: ["<rootDir>/__tests__/support/matchers.ts"],
  modulePathIgnorePatterns: ["<rootDir>/dist/", "<rootDir>/cdktf.out/", "<rootDir>/.keel/"],
  // cdktf's and constructs' stack-trace helpers, as dist/app.js bundles them (tools/lazy-stack-trace.js).
  moduleNameMapper: { "^\\./(tokens/)?(private/)?stack-trace$": "<rootDir>/tools/lazy-stack-trace.js" },
};

/**
 * The fast tier's real-terraform gate: every export (the reference platform's, the examples' and the
 * stress fixture's) formatted and valid, and bootstrap's, the account stack's, production's and the
 * stress fixture's exports planned beside their JSON. Two files, one per worker. The other twin plans
 * (dev, staging, the examples) are in the integration tier.
 */
const GATE = ["validate-and-plan.terraform.test.ts", "gate-examples.terraform.test.ts"];
/** Unit-named files that run whole programs: a nested jest on a copied repository, the CLI on real git history. */
const INTEGRATION = ["make-it-yours.test.ts", "diff.test.ts"];

/** @type {import('jest').Config} */
module.exports = {
  reporters: ["default", "<rootDir>/tools/jest-summary-reporter.js"],
  testSequencer: "<rootDir>/__tests__/support/sequencer.js",
  globalSetup: "<rootDir>/__tests__/support/global-setup.ts",
  projects: [
    {
      ...common,
      displayName: "unit",
      testMatch: ["<rootDir>/__tests__/**/*.test.ts"],
      testPathIgnorePatterns: ["/node_modules/", "\\.terraform\\.test\\.ts$", "\\.emulator\\.test\\.ts$", ...INTEGRATION],
    },
    {
      // keel hcl's gate with the real terraform (see GATE), one root per worker.
      ...common,
      displayName: "gate",
      testMatch: GATE.map((f) => `<rootDir>/__tests__/${f}`),
    },
    {
      // Everything else with the real terraform, or that runs the CLI, git or jest itself as a user would.
      ...common,
      displayName: "integration",
      testMatch: ["<rootDir>/__tests__/**/*.terraform.test.ts", ...INTEGRATION.map((f) => `<rootDir>/__tests__/${f}`)],
      testPathIgnorePatterns: ["/node_modules/", ...GATE],
    },
    {
      // Every stack and example applied to the local AWS emulator (moto), planned again and torn down.
      ...common,
      displayName: "emulator",
      testMatch: ["<rootDir>/__tests__/**/*.emulator.test.ts"],
    },
  ],
};
