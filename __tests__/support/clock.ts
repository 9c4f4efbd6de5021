// Suppression expiry dates are judged on KEEL_TODAY when it is set: tests pin
// it, so that no test result depends on the day it runs (child processes
// such as the synth of the terraform tests inherit it).
export const TEST_TODAY = "2026-11-22";
process.env.KEEL_TODAY = TEST_TODAY;
