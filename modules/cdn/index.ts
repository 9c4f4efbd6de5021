export * from "./constants";
export * from "./distribution";
