/**
 * Node's own process warnings (`process.emitWarning`: MaxListenersExceededWarning, a deprecation,
 * an experimental feature, the AWS SDK's) are printed by a listener Node installs at start-up,
 * straight to fd 2 and over several lines: `(node:1234) [DEP0040] DeprecationWarning: …`, then
 * `(Use \`node --trace-warnings ...\` …)`. That bypasses the output choke point (output.ts): no
 * printable(), and a reader of lshift's stderr (a CI log, a table being redrawn at a TTY) gets
 * lines it cannot place. lshift takes that listener's place and says each warning once, as one
 * `Warning: …` line through the guarded stderr — never on stdout, which `--json` and
 * `--progress ndjson` keep for their objects.
 *
 * Node installs its printer only without `--no-warnings` and `NODE_NO_WARNINGS=1`
 * (https://nodejs.org/api/cli.html#--no-warnings): when there is none, the user asked for
 * silence, and lshift stays silent too.
 */
import type { EventEmitter } from 'node:events';
import { printable } from '../domain/printable.js';

type Write = (text: string) => void;

/** process, or an emitter standing in for it in tests. */
type WarningSource = Pick<EventEmitter, 'listeners' | 'off' | 'on'>;

/**
 * Where a display shows a warning: its line (`part` 'warning'), then, under --debug, its stack
 * (`part` 'stack'), which a display may print apart (the task list: after it ends).
 */
type LiveWrite = (text: string, part: 'warning' | 'stack') => void;

/** Who prints a warning while a display redraws its rows in place; undefined: stderr as it is. */
let liveRegion: LiveWrite | undefined;

/**
 * While a display redraws rows in place (the release table at a terminal), a warning written
 * straight to stderr would land under those rows and be overdrawn at the next redraw: the
 * display prints it above them instead. Returns the function that gives stderr back.
 */
export function printNodeWarningsThrough(write: LiveWrite): () => void {
  liveRegion = write;
  return () => {
    if (liveRegion === write) liveRegion = undefined;
  };
}

/**
 * Replaces Node's warning printer with one lshift line per distinct warning. `debug` (--debug or
 * LSHIFT_DEBUG, debug.ts): the warning's stack follows, as an error's does (top-level-error.ts).
 */
export function routeNodeWarnings(write: Write, source: WarningSource = process, debug = false): void {
  const printers = source.listeners('warning');
  if (printers.length === 0) return;
  for (const printer of printers) source.off('warning', printer as (...args: unknown[]) => void);
  const said = new Set<string>();
  source.on('warning', (warning: Error) => {
    const line = describeNodeWarning(warning);
    if (said.has(line)) return;
    said.add(line);
    const out: LiveWrite = liveRegion ?? write;
    out(`${line}\n`, 'warning');
    if (debug && warning.stack) out(`${warning.stack}\n`, 'stack');
  });
}

/**
 * `Warning: Node.js MaxListenersExceededWarning: Possible EventEmitter memory leak detected. …`:
 * the name (and code) that tell what it is, the message and its detail on one printable line.
 */
export function describeNodeWarning(warning: Error & { code?: unknown; detail?: unknown }): string {
  const name = warning.name || 'Warning';
  const code = typeof warning.code === 'string' ? ` [${warning.code}]` : '';
  const detail = typeof warning.detail === 'string' ? ` ${warning.detail}` : '';
  const text = `${warning.message}${detail}`
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
  return printable(`Warning: Node.js ${name}${code}: ${text}`);
}
