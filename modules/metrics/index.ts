export * from "./metric";
