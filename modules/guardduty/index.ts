export * from "./detector";
