import * as fs from "node:fs";
import * as path from "node:path";

/** Empties the test temp folder once per run, so cdktf's Testing folders do not pile up. */
export default function globalSetup(): void {
  fs.rmSync(path.resolve(__dirname, "..", "..", ".keel", "tmp"), { recursive: true, force: true });
}
