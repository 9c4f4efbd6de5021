export * from "./constants";
export * from "./vpc";
