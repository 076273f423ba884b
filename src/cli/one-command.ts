/**
 * Runs one command class the way `execute()` from @oclif/core runs it, minus what a single known
 * command never needs: the command lookup and import by path, and the `init`/`prerun`/`postrun`/
 * `finally` hooks (lshift and its plugins declare none), and, with the build's snapshot of what
 * oclif reads about lshift and its plugins (src/cli/config-snapshot.ts), reading that again.
 * Every lshift command runs through it from `dist/lshift.bundle.cjs` (scripts/build.mjs makes
 * the bundle, bin/run.js picks it for a listed command without `--help`);
 * test/e2e/fast-start.test.ts compares its output with oclif's path.
 */
import { type Command, type Config, flush, settings } from '@oclif/core';
import { type ConfigSnapshot, configFor } from './config-snapshot.js';
import { guardOutputStreams } from './output.js';
import { reportTopLevelError } from './top-level-error.js';

/** A concrete command class (`Command.run` needs `this` to be constructible). */
type CommandClass = (new (argv: string[], config: Config) => Command) & Pick<typeof Command, 'run'>;

export async function runOneCommand(
  command: CommandClass,
  argv: string[],
  root: string,
  snapshot?: ConfigSnapshot,
): Promise<void> {
  // A bundle has its own copy of output.ts: guard the streams with it (oclif is loaded already).
  guardOutputStreams();
  settings.enableAutoTranspile = false;
  try {
    // Given a Config, `Command.run` remakes it from its plugins (~1 ms): no file is read again.
    await command.run(argv, await configFor(root, snapshot));
    flush();
    exitOnceIdleOrSoon();
  } catch (error) {
    // As bin/run.js: through lshift's output choke point, not oclif's console.error.
    process.exit(reportTopLevelError(error, argv));
  }
}

/**
 * The command has said its result and set its exit code: nothing of lshift's runs any more. A
 * handle left open (a socket to a proxy or an endpoint that stopped answering) must not keep the
 * process, and the exit code CI waits for, alive (found by a hostile pass: a result printed, then
 * no exit). The timer is unref'd: it fires only when something else still holds the process.
 */
export function exitOnceIdleOrSoon(graceMs = EXIT_GRACE_MS): void {
  setTimeout(() => process.exit(), graceMs).unref();
}

/** Long enough for the last output to drain to a slow pipe, short against any CI's patience. */
const EXIT_GRACE_MS = 2_000;
