export * from "./retention";
export * from "./log-group";
