export * from "./constants";
export * from "./web-acl";
