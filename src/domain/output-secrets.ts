/**
 * What a hook prints, with secrets masked before lshift keeps or shows any of it: progress lines,
 * `hook.output` events, the output tail and the failure reason quoting its last line, and so the
 * `::error::` annotation, the step summary and the `--json` result (docs/hooks.md, "Secrets in
 * hook output"). Pure.
 *
 * A `cmd:` hook's line, in this order:
 * 1. the exact value of every variable of the hook's environment whose name looks secret
 *    (looksSecretName: `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_ACCESS_KEY_ID`,
 *    `DB_PASSWORD`, `GITHUB_TOKEN`, …) becomes `***` wherever it stands in the line. Only values of
 *    MIN_SECRET_VALUE_CHARS characters or more (a sandbox's `x` credential must not mask every
 *    `x`), longest first (a value holding another is masked whole); a value of several lines (a
 *    PEM key) is masked line by line; a shorter one of a certainly secret name as a whole word
 *    (shortSecretValuesOf: `DB_PASSWORD=hunter2`);
 * 2. then the rules of hook specs (maskCommandSecrets): `NAME=value` with a secret-looking name,
 *    JSON members, token shapes (`AKIA…`, `ghp_…`, `Bearer …`), URLs' userinfo and query values;
 *    a secret's label's value (labelled-values.ts: `password: ***`, `token = ***`); and one after
 *    words or in a table's cell (prose-secrets.ts: `Password is ***`, `| password | *** |`).
 * Every hook's line (a `cmd:` hook's, an HTTP hook's body, a Lambda hook's response) first has the
 * values of the deployed function's own environment variables masked (KnownSecrets: every value
 * of MIN_FUNCTION_VALUE_CHARS characters or more, whatever its name — lshift read them from the
 * function's configuration); an HTTP hook's body and a Lambda hook's response then go through 2
 * only (maskOutputLine).
 *
 * Every value lshift knows (1 and the function's) is also masked as a hook may print it encoded:
 * any character escaped (escaped-secrets.ts), base64 at any offset and wrapped over lines
 * (encoded-secrets.ts).
 *
 * A secret lshift does not know (a password read from a file, a value under another name) and
 * printed in no shape it recognizes is shown as printed.
 */
import { looksSecretName, maskCommandSecrets } from './command-secrets.js';
import {
  type KnownSecrets,
  linesOf,
  MASK,
  MIN_SECRET_VALUE_CHARS,
  maskForms,
  type SecretForms,
  secretFormsOf,
} from './known-secrets.js';
import { envNameKind, labelWords } from './label-secrets.js';
import { maskLabelledValues } from './labelled-values.js';
import { maskProseSecrets } from './prose-secrets.js';
import { isCountOrFlag } from './secret-value-shapes.js';

// Moved to known-secrets.ts (session 69, a file under ~300 lines); their importers still find them here.
export {
  KnownSecrets,
  MIN_FUNCTION_VALUE_CHARS,
  MIN_SECRET_VALUE_CHARS,
  maskForms,
  maskValues,
  type SecretForms,
  secretFormsOf,
} from './known-secrets.js';

/**
 * One output line with what looks like a secret masked, by shape only (no known values): the rules
 * of hook specs, then a secret's label's value (labelled-values.ts: `password: ***`,
 * `token = ***`, `pin=***`), then one after words or in a table's cell (prose-secrets.ts:
 * `Password is ***`, `| password | *** |`).
 */
export function maskOutputLine(line: string): string {
  return maskProseSecrets(maskLabelledValues(maskCommandSecrets(line, { keepPlainQueryValues: true })));
}

/**
 * Variables whose names look secret (PWD, AUTH, SESSION) but hold none: every absolute path a hook
 * printed lost its root to PWD's value, the repository (`*** /src/index.ts:12`, without the space),
 * and "Author:" its
 * name (found by a hostile pass). Their values are not masked, nor a path assigned to PWD, OLDPWD,
 * SSH_AUTH_SOCK or XAUTHORITY in the output (`PWD=/home/…` in an `env` dump: isPathVariable).
 */
const NOT_SECRET_VALUES = new Set([
  'PWD',
  'OLDPWD',
  'SSH_AUTH_SOCK',
  'XAUTHORITY',
  'DBUS_SESSION_BUS_ADDRESS',
  'XDG_SESSION_ID',
  'XDG_SESSION_TYPE',
  'XDG_SESSION_CLASS',
  'XDG_SESSION_DESKTOP',
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'GIT_AUTHOR_DATE',
]);

/** The values to mask in the output of a process given `env`: longest first, each once. */
export function secretValuesOf(env: Readonly<Record<string, string | undefined>>): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !looksSecretName(name) || NOT_SECRET_VALUES.has(name.toUpperCase())) continue;
    for (const part of linesOf(value)) if (part.length >= MIN_SECRET_VALUE_CHARS) values.add(part);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/**
 * A value shorter than MIN_SECRET_VALUE_CHARS is masked only when its variable's name certainly
 * names a secret (labelKind: `DB_PASSWORD=hunter2`, `API_TOKEN=s3cr3t`), as a whole word and as
 * written (an encoded form of 4 to 7 characters is a piece of ordinary text), and only from
 * MIN_SHORT_SECRET_CHARS characters: a sandbox's `x` would hide every `x`. Not a count or a flag
 * (`USE_TOKEN=true`, a PIN of digits would hide every such number), not an identifier (a name
 * ending in `ID`: `AWS_ACCESS_KEY_ID=AKIALOC`, `CLIENT_ID`, which lshift and AWS print anyway),
 * not a placeholder local emulators use for credentials (`test`, `fake`, `local`: LocalStack's
 * `AWS_SECRET_ACCESS_KEY=test` would hide the word `test` in every test run's output).
 */
export const MIN_SHORT_SECRET_CHARS = 4;

const PLACEHOLDERS = new Set([
  'test',
  'testing',
  'fake',
  'local',
  'dummy',
  'sandbox',
  'secret',
  'example',
  'changeme',
  'none',
]);

/** The short values to mask as whole words in the output of a process given `env` (see above). */
export function shortSecretValuesOf(env: Readonly<Record<string, string | undefined>>): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (
      value === undefined ||
      value.length < MIN_SHORT_SECRET_CHARS ||
      value.length >= MIN_SECRET_VALUE_CHARS
    )
      continue;
    if (NOT_SECRET_VALUES.has(name.toUpperCase()) || envNameKind(name) !== 'secret') continue;
    if (labelWords(name).at(-1) === 'id' || isCountOrFlag(value) || PLACEHOLDERS.has(value.toLowerCase()))
      continue;
    if (/\s/.test(value)) continue;
    values.add(value);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/** One pattern masking each of `values` where it stands as a whole word (`hunter2`, not `hunter2x`). */
function wholeWordPattern(values: readonly string[]): RegExp | undefined {
  if (values.length === 0) return undefined;
  const words = values.map((value) => value.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'));
  return new RegExp(`(?<![A-Za-z0-9_])(?:${words.join('|')})(?![A-Za-z0-9_])`, 'g');
}

/** A masker for the lines of hook responses: the known function values, then the shapes. */
export function createKnownMasker(known?: KnownSecrets): (line: string) => string {
  return (line) => maskOutputLine(known ? maskForms(line, known.forms()) : line);
}

/**
 * A masker for the lines of a process given `env`: its secret values and the known function
 * values (read as each line comes: lshift may read a version's configuration after the start),
 * then the shapes.
 */
export function createOutputMasker(
  env: Readonly<Record<string, string | undefined>>,
  known?: KnownSecrets,
): (line: string) => string {
  const ownValues = secretValuesOf(env);
  const short = wholeWordPattern(shortSecretValuesOf(env));
  const forms = formsWithKnown(ownValues, known);
  return (line) => {
    let text = maskForms(withoutTerminalSequences(line), forms());
    if (short) text = text.replace(short, MASK);
    return maskOutputLine(text);
  };
}

/**
 * A colour or title sequence (ECMA-48 CSI `ESC [ … final`, OSC `ESC ] … BEL|ESC \\`) taken out of a
 * hook's line before masking: `ESC[1mpassword:ESC[0m hunter2` hid its label from the rules and
 * was shown whole (found by a hostile pass). Shown, it was `�[1m…` anyway (a lone control
 * character still is: printable.ts).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: a terminal sequence starts with ESC.
const TERMINAL_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

export function withoutTerminalSequences(line: string): string {
  return line.includes('\u001b') ? line.replace(TERMINAL_SEQUENCE, '') : line;
}

/**
 * The forms of the hook's own values and the known ones, in one set (one pass a line, and longest
 * first across both: a known value inside an own one no longer leaves the rest of it shown), made
 * again only when lshift learns more values.
 */
function formsWithKnown(ownValues: readonly string[], known?: KnownSecrets): () => SecretForms {
  const own = secretFormsOf(ownValues);
  if (!known) return () => own;
  let seen: SecretForms | undefined;
  let both = own;
  return () => {
    const knownForms = known.forms();
    if (knownForms !== seen) {
      seen = knownForms;
      both = secretFormsOf([...new Set([...known.values(), ...ownValues])]);
    }
    return both;
  };
}
