export * from "./kms-key";
export * from "./security";
