// Preloaded (`node --import`) by test/e2e/wait-interrupt.test.ts: sends the process SIGINT as
// bin/run.js reads the bundle, long before the command has set up its own signal handling — a
// Ctrl-C pressed while lshift starts, at a known moment. Without a listener then, Node's default
// action ends the process at once.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const read = fs.readFileSync;
fs.readFileSync = function readAndSignal(path, ...rest) {
  if (String(path).endsWith('lshift.bundle.cjs')) {
    fs.readFileSync = read;
    syncBuiltinESMExports();
    process.kill(process.pid, 'SIGINT');
  }
  return read.call(this, path, ...rest);
};
syncBuiltinESMExports();
