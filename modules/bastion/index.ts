export * from "./constants";
export * from "./bastion";
