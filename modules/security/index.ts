export * from "./kms-key";
export * from "./secret";
export * from "./security";
