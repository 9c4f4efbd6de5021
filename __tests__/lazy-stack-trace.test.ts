import * as fs from "node:fs";
import * as path from "node:path";
import { IResolvable, Lazy, TerraformOutput, TerraformStack, Testing } from "cdktf";
import { types } from "node:util";
import { ROOT } from "../tools/project";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const lazy = require("../tools/lazy-stack-trace.js") as { captureStackTrace: (below?: unknown) => string[]; REPLACES: string[] };
type Capture = (below?: unknown) => string[];

/** cdktf's own helper, loaded from its file (jest maps the module name to Keel's, as the bundle does). */
function original(file: string): Capture {
  const source = fs.readFileSync(path.join(ROOT, "node_modules", file), "utf8");
  const module = { exports: {} as { captureStackTrace: Capture } };
  new Function("exports", "module", "require", source)(module.exports, module, require);
  return module.exports.captureStackTrace;
}

describe("the lazy stack trace of tokens (tools/lazy-stack-trace.js)", () => {
  it.each(lazy.REPLACES)("gives the same lines as %s, once they are read", (file) => {
    const theirs = original(file);
    // Both captured from the same function; only the column on the calling line differs.
    function capturedHere(): [string[], string[]] {
      return [theirs(), lazy.captureStackTrace()];
    }
    const [expected, actual] = capturedHere();
    // jest's source maps name a frame after the identifier at its position, so the first frame is compared by file and line.
    const fileAndLine = (line: string): string => line.replace(/^.*\(/, "").replace(/:\d+\)$/, "");
    const withoutPositions = (lines: readonly string[]): string[] => lines.map((l) => l.replace(/:\d+:\d+\)?$/, ""));
    expect(expected.length).toBeGreaterThan(3);
    expect(fileAndLine(expected[0])).toMatch(/lazy-stack-trace\.test\.ts:\d+$/);
    expect(Array.isArray(actual)).toBe(true);
    expect(actual).toHaveLength(expected.length);
    expect(fileAndLine(actual[0])).toBe(fileAndLine(expected[0]));
    expect(withoutPositions(actual.slice(1))).toEqual(withoutPositions(expected.slice(1)));
    expect(actual.join("\n    at ")).toContain("capturedHere");
    expect(JSON.parse(JSON.stringify(actual))).toHaveLength(expected.length);
  });

  it("hides `below` and the frames above it, as theirs does", () => {
    function outer(capture: Capture): string[] {
      return inner(capture);
    }
    function inner(capture: Capture): string[] {
      return capture(inner);
    }
    const theirs = original(lazy.REPLACES[0]);
    const [expected, actual] = [theirs, lazy.captureStackTrace].map((capture) => outer(capture));
    expect(expected.length).toBeGreaterThan(3);
    expect(actual.join("\n")).toBe(expected.join("\n"));
    // Without `below`, one frame more: inner's own.
    const [withInner] = [lazy.captureStackTrace].map((capture) => outer((() => capture()) as Capture));
    expect(withInner.length).toBeGreaterThan(actual.length);
  });

  it("is the one cdktf uses (jest maps it as the bundle does): a failed token names where it was made", () => {
    const stack = new TerraformStack(Testing.app(), "stack");
    function madeHere(): IResolvable {
      return Lazy.anyValue({
        produce: () => {
          throw new Error("cannot produce");
        },
      });
    }
    const failing = madeHere();
    expect(types.isProxy(failing.creationStack)).toBe(true);
    new TerraformOutput(stack, "out", { value: failing });
    let message = "";
    try {
      Testing.synth(stack);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Resolution error: cannot produce\.\nObject creation stack:\n {2}at /);
    expect(message).toMatch(/madeHere \(.*lazy-stack-trace\.test\.ts:\d+:\d+\)/);
  });
});
