/**
 * Holds a built CLI at the very end of its life — its command done, its output written, its event
 * loop empty (`beforeExit`) — until the test lets it go, so that a signal lands in the moment
 * between the result and the process's exit, whatever the machine's speed. Node's own teardown
 * puts every signal back on its default action there (tens of milliseconds, measured with strace),
 * and a Ctrl-C in that moment ended a finished lshift with 130 (src/cli/late-interrupt.ts).
 *
 * A script preloaded with NODE_OPTIONS=--require listens to `beforeExit` before lshift can (so it
 * runs first), says so on stderr, then blocks the process synchronously on a FIFO: a signal whose
 * action is the default one ends it at once; one lshift still holds waits until the test writes
 * a byte, and lshift's own `beforeExit` listener, which runs next, ends the process.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stderrShows } from './run-cli.js';

export const AT_THE_END = '[exit-gate] at the end';

const PROBE = `'use strict';
const fs = require('node:fs');
process.once('beforeExit', () => {
  fs.writeSync(2, '\\n${AT_THE_END}\\n');
  const fd = fs.openSync(process.env.LSHIFT_TEST_EXIT_GATE, 'r');
  fs.readSync(fd, Buffer.alloc(1), 0, 1, null);
  fs.closeSync(fd);
});
`;

export interface ExitGate {
  /** The environment that preloads the probe into the CLI. */
  env: NodeJS.ProcessEnv;
  /** Once the CLI is held at its end, sends it `signal`, then lets it go. */
  signalAtTheEnd(child: ChildProcess, signal: NodeJS.Signals): void;
}

export function exitGate(): ExitGate {
  const dir = mkdtempSync(join(tmpdir(), 'lshift-exit-gate-'));
  const probe = join(dir, 'probe.cjs');
  writeFileSync(probe, PROBE);
  const fifo = join(dir, 'gate');
  execFileSync('mkfifo', [fifo]);
  return {
    env: {
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${probe}`.trim(),
      LSHIFT_TEST_EXIT_GATE: fifo,
    },
    signalAtTheEnd(child, signal) {
      void stderrShows(child, AT_THE_END).then(() => {
        child.kill(signal);
        // Read-write: opening never blocks, whether or not the probe has opened its end yet, and
        // the byte waits in the FIFO for it. Kept open until the CLI is gone (a FIFO nobody holds
        // loses what it holds).
        const gate = openSync(fifo, constants.O_RDWR);
        writeSync(gate, 'x');
        child.once('close', () => closeSync(gate));
      });
    },
  };
}
