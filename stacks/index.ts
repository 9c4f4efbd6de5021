export * from "./keel-stack";
export * from "./platform";
export * from "./steps";
export * from "./bootstrap-stack";
export * from "./account-stack";
export * from "./environment-stack";
export * from "./app";
export * from "./provider-lock";
