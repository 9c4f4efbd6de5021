export type { ProtectionProfile } from "./protection";
