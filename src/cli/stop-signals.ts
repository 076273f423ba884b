/**
 * The signals lshift takes over from Node's default action (src/cli/interrupts.ts): a module of
 * its own, with no import but node:os, so bin/run.js can load it before the rest of the CLI
 * (src/cli/early-signals.ts).
 */
import { constants } from 'node:os';

/**
 * SIGQUIT is here because Ctrl-\ at a terminal sends it, and its default action (quit at once,
 * https://man7.org/linux/man-pages/man7/signal.7.html) left the alias split with nobody watching:
 * whoever presses it wants lshift to stop, which is what the first signal does safely.
 */
const INTERRUPT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;

/**
 * The other signals whose default action ends the process (signal(7)), each of which left the
 * alias split with nobody watching: `timeout -s ALRM`, a CPU-time limit's warning before its
 * SIGKILL (`ulimit -t`, SIGXCPU), a file-size limit (SIGXFSZ), a stray `kill -USR2`, a UPS's
 * SIGPWR. Handled like SIGTERM. Not here: SIGUSR1 (Node's debugger), SIGPIPE (Node ignores it),
 * SIGPROF and SIGVTALRM (profilers' timers), and the signals the kernel sends for a fault in the
 * process itself (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS), after which no JavaScript
 * may run. A name this platform lacks (SIGPWR outside Linux) is left out.
 */
const OTHER_STOP_SIGNALS = ['SIGALRM', 'SIGUSR2', 'SIGXCPU', 'SIGXFSZ', 'SIGPWR'] as const;

/** Every signal the first of which stops lshift safely, and a second one at once. */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = [...INTERRUPT_SIGNALS, ...OTHER_STOP_SIGNALS].filter(
  (name) => name in constants.signals,
);
