export * from "./constants";
export * from "./queue";
