export * from "./constants";
export * from "./bucket";
