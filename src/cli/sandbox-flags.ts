/**
 * `lshift sandbox` flags checked before anything listens. An empty value is an unset variable
 * (`--state "$STATE"`), refused as `--config ""` and `--profile ""` are: an empty --state would run
 * the sandbox without one (its world lost at exit), an empty --host made Node listen on every
 * interface under a URL nobody can use (`http://:4566`). A host name that does not resolve failed
 * inside listen() as an unexplained internal error.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { echoInput } from '../domain/echo.js';
import { UsageError } from '../domain/errors.js';

const HINTS = {
  host: 'Pass an address of this machine: 127.0.0.1 (the default), ::1, localhost, or 0.0.0.0 / :: for every interface.',
  state: 'Pass the JSON file the sandbox keeps its world in (created if missing), or drop --state.',
  scenario: 'Pass a JSON or YAML scenario file (docs/sandbox.md), or drop --scenario.',
} as const;

export function refuseEmptySandboxFlags(flags: { host: string; state?: string; scenario?: string }): void {
  for (const name of ['host', 'state', 'scenario'] as const) {
    const value = flags[name];
    if (value !== undefined && value.trim() === '') {
      throw new UsageError('INVALID_FLAG', `--${name} is empty.`, { hint: HINTS[name] });
    }
  }
}

/** A host name must resolve; an IP address is left to listen(), which says when it is not this machine's. */
export async function checkSandboxHost(host: string): Promise<void> {
  if (isIP(host) !== 0) return;
  try {
    await lookup(host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'lookup failed';
    throw new UsageError(
      'INVALID_FLAG',
      `--host ${echoInput(host)} is not an address of this machine: the name does not resolve (${code}).`,
      { hint: HINTS.host },
    );
  }
}
