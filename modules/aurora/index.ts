export * from "./constants";
export * from "./aurora";
