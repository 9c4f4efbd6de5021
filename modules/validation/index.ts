export * from "./issue";
export * from "./validation";
