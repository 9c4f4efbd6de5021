// Jest's own order (failed first, then slowest first by its cache, else largest file first),
// except that the emulator tier always starts first: it runs for minutes on one worker while
// the other worker takes every other file. On a clean clone there is no cache, and its test
// file is small, so jest would otherwise start it last and add its minutes to the end.
const Sequencer = require("@jest/test-sequencer").default;

class EmulatorFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const emulator = sorted.filter((t) => t.path.endsWith(".emulator.test.ts"));
    return [...emulator, ...sorted.filter((t) => !emulator.includes(t))];
  }
}

module.exports = EmulatorFirst;
