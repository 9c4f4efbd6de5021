export * from "./network";
export * from "./cidr";
export * from "./connections";
export * from "./existing-network";
export * from "./security-group";
export * from "./egress";
