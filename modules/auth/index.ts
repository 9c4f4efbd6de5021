export * from "./constants";
export * from "./user-pool";
