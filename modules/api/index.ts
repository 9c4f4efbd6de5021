export * from "./constants";
export * from "./rest-api";
export * from "./http-api";
export * from "./account-logging";
