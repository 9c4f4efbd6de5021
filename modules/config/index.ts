export * from "./hipaa-rules";
export * from "./recorder";
