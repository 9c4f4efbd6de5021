export * from "./email";
