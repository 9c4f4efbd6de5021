export * from "./aurora";
