export * from "./names";
export * from "./state-backend";
export * from "./statements";
