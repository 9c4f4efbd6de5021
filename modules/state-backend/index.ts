export * from "./names";
export * from "./state-backend";
