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
};

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
      testPathIgnorePatterns: ["/node_modules/", "\\.terraform\\.test\\.ts$", "\\.emulator\\.test\\.ts$"],
    },
    {
      ...common,
      displayName: "terraform",
      testMatch: ["<rootDir>/__tests__/**/*.terraform.test.ts"],
    },
    {
      // Every stack and example applied to the local AWS emulator (moto), planned again and torn down.
      ...common,
      displayName: "emulator",
      testMatch: ["<rootDir>/__tests__/**/*.emulator.test.ts"],
    },
  ],
};
