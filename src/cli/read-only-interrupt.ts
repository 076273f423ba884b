/**
 * Ctrl-C (SIGTERM, SIGHUP, SIGQUIT…) during a command that only reads (`status`, `history`):
 * nothing is left half done, so the first signal stops it at once, with a line on stderr saying
 * nothing was changed, under --json an INTERRUPTED report on stdout, and exit 130 (documented in
 * docs/exit-codes.md). Found by a hostile pass: Node's default action ended them with 130/143,
 * nothing on stderr and no JSON. Commands that write (`publish`, `codedeploy init`, `alias`…)
 * use guardInterrupts (interrupts.ts) instead: their first signal stops them safely.
 */
import { ExitCode } from '../domain/errors.js';
import { printable, printableJson } from '../domain/printable.js';
import { stderr, stdout } from './output.js';
import { SCHEMA_VERSION } from './schema-version.js';
import { STOP_SIGNALS } from './stop-signals.js';

export interface ReadOnlyGuardOptions {
  /** The command, as typed: `status`, `history`. */
  command: string;
  json: boolean;
  /** Tests: where the line, the report and the exit go. */
  say?: (text: string) => void;
  print?: (text: string) => void;
  exit?: (code: number) => void;
}

/** Stops the read-only command at the first stop signal; `dispose` hands the signals back. */
export function guardReadOnly({
  command,
  json,
  say = (text) => {
    // A redrawn view (status --watch) may have hidden the cursor; nobody else will show it again.
    if (process.stderr.isTTY) stderr.writeControl('\u001b[?25h');
    stderr.writeNow(text);
  },
  print = (text) => stdout.write(text),
  exit = (code) => process.exit(code),
}: ReadOnlyGuardOptions): { dispose(): void } {
  const handler = (signalName: NodeJS.Signals) => {
    const code = ExitCode.Interrupted;
    const message = `${printable(signalName)} received: lshift ${command} stopped before it finished reading; it only reads, so nothing was changed.`;
    say(`\n${message} (exit ${code})\n`);
    if (json) {
      const report = {
        schemaVersion: SCHEMA_VERSION,
        status: 'error',
        code: 'INTERRUPTED',
        message,
        hint: `Run \`lshift ${command}\` again to read it all.`,
        exitCode: code,
      };
      print(`${printableJson(JSON.stringify(report))}\n`);
    }
    exit(code);
  };
  for (const name of STOP_SIGNALS) process.on(name, handler);
  return {
    dispose() {
      for (const name of STOP_SIGNALS) process.off(name, handler);
    },
  };
}
