export * from "./constants";
export * from "./load-balancer";
