export * from "./constants";
export * from "./aurora";
export * from "./versions";
