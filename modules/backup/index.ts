export * from "./backup";
