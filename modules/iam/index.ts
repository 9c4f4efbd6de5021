export * from "./grant";
export * from "./policy";
export * from "./statements";
export * from "./service-role";
