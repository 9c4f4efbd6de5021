export * from "./label";
export * from "./regions";
export * from "./aws-names";
export * from "./naming";
