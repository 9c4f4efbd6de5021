export * from "./constants";
export * from "./function";
