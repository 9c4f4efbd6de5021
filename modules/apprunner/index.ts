export * from "./constants";
export * from "./service";
