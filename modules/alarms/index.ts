export * from "./alarm-topic";
export * from "./alarm";
export * from "./dashboard";
export * from "./thresholds";
