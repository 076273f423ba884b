/**
 * A config file that holds no settings at all — 0 bytes, blank lines, only comments, or a bare
 * `null` / `~` / `---` — is refused: it was read as "no settings" and a deploy ran on the
 * built-in defaults (no alarms, the default strategy, no hooks) without a word, which is what an
 * empty `--config ""` is refused for. A file truncated by a failed write, a template whose
 * variables were all unset or a generated file left empty would do that. `{}` (an empty mapping,
 * in JSON or YAML) says "no settings" on purpose and stays valid.
 */

import { echoInput } from '../domain/echo.js';
import { UsageError } from '../domain/errors.js';

/** Throws CONFIG_INVALID when the parsed file is null or undefined (a document with no value). */
export function refuseEmptyConfig(path: string, body: string, data: unknown, explicit: boolean): void {
  if (data !== null && data !== undefined) return;
  const how = explicit ? 'or drop --config' : 'or delete the file';
  throw new UsageError(
    'CONFIG_INVALID',
    `Config file ${echoInput(path)} holds no settings: ${describeEmpty(body)}.`,
    {
      hint: `Write the settings it should hold (docs/configuration.md), write \`{}\` in it to run with the built-in defaults on purpose, ${how}.`,
    },
  );
}

function describeEmpty(body: string): string {
  if (body.length === 0) return 'it is empty (0 bytes)';
  if (body.trim() === '') return 'it holds only blank space';
  const lines = body.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.every((line) => line.trim().startsWith('#'))) return 'it holds only comments';
  return 'its value is null';
}
