export * from "./names";
export * from "./github-ci";
