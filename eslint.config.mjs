import tseslint from "typescript-eslint";

const rootImport = {
  message:
    "Importing the package root of @cdktf/provider-aws loads every AWS resource class (seconds per process). Import the class from its own path, e.g. @cdktf/provider-aws/lib/vpc.",
};

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "cdktf.out/", ".keel/", ".gen/", "**/*.js", "**/*.mjs"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "@cdktf/provider-aws", ...rootImport },
            { name: "@cdktf/provider-aws/lib", ...rootImport },
            { name: "@cdktf/provider-aws/lib/index", ...rootImport },
          ],
        },
      ],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },
);
