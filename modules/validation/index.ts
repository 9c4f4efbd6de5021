export * from "./issue";
export * from "./validation";
export * from "./tag-rules";
