export * from "./log-group";
