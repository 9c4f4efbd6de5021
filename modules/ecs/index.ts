export * from "./constants";
export * from "./cluster";
export * from "./fargate-service";
