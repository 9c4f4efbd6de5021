export * from "./instance";
export * from "./postgres";
export * from "./versions";
