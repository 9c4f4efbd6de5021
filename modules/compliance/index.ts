export { StackModel, type ModelResource } from "./model";
export { AREAS, type Area, type Level, type Rule } from "./rule";
export { RULES, RULES_BY_ID } from "./rules";
export { NOT_CHECKED_ALONE } from "./coverage";
export { suppress, suppressed, suppressionProblems, isDate, type Suppression, type PlacedSuppression } from "./suppress";
export { checkStack, checkModel, enforceCompliance, isEnforced, blocking, utcToday, type Finding, type StackReport, type CheckOptions } from "./check";
