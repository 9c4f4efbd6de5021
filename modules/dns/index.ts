export * from "./zone";
export * from "./certificate";
