// A drop-in for the `captureStackTrace` of cdktf (lib/tokens/private/stack-trace.js)
// and constructs (lib/private/stack-trace.js), which every token and lazy
// value calls when it is created.
// Why: theirs formats the whole stack into strings at once, for every token.
// A synth creates tens of thousands of tokens and never reads one of those
// stacks unless a token fails to resolve: the formatting was about 90 ms of
// a 700 ms synth. This one captures the same frames (V8 records them when
// `Error.captureStackTrace` is called) and formats them on first use, into
// the same array of "at ..." lines.
// Plain JavaScript on purpose: compile.js bundles it into dist/app.js in place
// of those two files, and jest maps them to it, before anything is compiled.
"use strict";

function captureStackTrace(below) {
  below = below || captureStackTrace;
  const holder = { stack: "" };
  const previousLimit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = Number.MAX_SAFE_INTEGER;
    Error.captureStackTrace(holder, below);
  } finally {
    Error.stackTraceLimit = previousLimit;
  }
  const lines = [];
  let formatted = false;
  const format = () => {
    if (formatted) return;
    formatted = true;
    if (!holder.stack) return;
    for (const line of holder.stack.split("\n").slice(1)) lines.push(line.replace(/^\s*at\s+/, ""));
  };
  return new Proxy(lines, {
    get(target, key, receiver) {
      format();
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      format();
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      format();
      return Reflect.ownKeys(target);
    },
    getOwnPropertyDescriptor(target, key) {
      format();
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
  });
}

/** The files this replaces, as paths below node_modules. */
const REPLACES = ["cdktf/lib/tokens/private/stack-trace.js", "constructs/lib/private/stack-trace.js"];

module.exports = { captureStackTrace, REPLACES };
