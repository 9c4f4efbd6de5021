export * from "./label";
export * from "./regions";
