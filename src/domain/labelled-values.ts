/**
 * Output only (not hook specs): the value after a secret's label in what a hook prints — a log's
 * or YAML's `password: x`, INI's, TOML's, Python's, .properties' or terraform's `password = x`,
 * logfmt's `pin=4821`, Ruby's `password => "x"` and `{:password=>"x"}`, Go's `secret := x`, JSON's
 * and Python's `'api_key': 'x'` — judged by the label's words (label-secrets.ts: `Tests passed: 42`,
 * `Keys: 3` are kept). Pure.
 *
 * How much is masked (found by h3's pass, session 63: a value with blanks kept all but its first
 * word, `password: *** horse battery staple`, and a spaced `=` none of it):
 * - a quoted value: to its closing quote (`password: "***"`), or to the end of the line when it
 *   has none;
 * - after a certainly secret label, the whole field: to the end of the line, but in a JSON object,
 *   a Python dict or a call's arguments (the label quoted, or after `{`, `,`, `(`, `[`) to the next
 *   `,`, `}`, `)` or `]`, and in logfmt (`name=value` without blanks) to the next `name=`. When
 *   unsure, more is masked: `password: p@ss;w0rd # rotate` shows `password: ***`. The scheme of an
 *   `Authorization: Bearer x` is kept (`Bearer ***`); a value that is only a variable
 *   (`token: $CI_TOKEN`), an AWS ARN (`secretArn: arn:aws:…`) or a path under PWD is no secret;
 * - after a maybe-secret label (`key`, `session`), its first word unless a count or a flag.
 */
import { type LabelKind, labelKind, namesUrl } from './label-secrets.js';
import { isCountOrFlag, isMeasure, isNoValue, isPathVariable } from './secret-value-shapes.js';

const MASK = '***';

// Where a label starts (a line's start, a blank, an opening bracket, a comma, NUL of `env -0`),
// Ruby's symbol colon, the label (maybe quoted), then its separator with any blanks around it:
// `:=`, `=>`, `=` (not `==`), `:` (not `::`).
const LABEL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL separates the words of `env -0` and /proc/<pid>/environ.
  /(^|[\s{,([;\x00])(:?)(['"]?)([A-Za-z_][A-Za-z0-9_.-]*)\3([ \t]*(?::=|=>|=(?!=)|:(?!:))[ \t]*)/g;
/** A maybe-secret's value: one word. */
const WORD = /[^\s'",;})\]]+/y;
/** Left to the rules that mask what follows it (`Authorization: Bearer ***`), or masked already. */
const KEPT_WORD = /^(?:\*\*\*|\$\{?[A-Za-z_]|(?:Bearer|Basic|Token|Digest)$)/i;
// A reference to a variable, maybe after an auth scheme, as a whole word, maybe double-quoted:
// `$TOKEN`, `"${CI_TOKEN}"`, `Bearer "$TOKEN"` (an echoed command, a template: no secret). Not a
// single-quoted `'$X'`, which is the text itself.
// Unbraced, an environment variable's name in capitals (`$CI_TOKEN`): `password: $uperSecret9` is a
// password that starts with `$` (found by a hostile pass: it was shown).
const SCHEME_WORD = '(?:[Bb]earer|BEARER|[Bb]asic|BASIC|[Tt]oken|TOKEN|[Dd]igest|DIGEST)';
const VARIABLE_NAME = '\\$(?:\\{[A-Za-z_][A-Za-z0-9_]*\\}|[A-Z_][A-Z0-9_]*)';
const VARIABLE_FIRST = new RegExp(`^(?:${SCHEME_WORD}\\s+)?("?)${VARIABLE_NAME}\\1(?=\\s|$)`);
const ONLY_VARIABLE = new RegExp(`^(?:${SCHEME_WORD}\\s+)?${VARIABLE_NAME}$`);
/** Masked already, maybe with punctuation after it (`token:***.`). */
const MASKED = /^\*\*\*[^A-Za-z0-9]*$/;
const SCHEME = /^(?:Bearer|Basic|Token|Digest)(?=\s|$)\s*/i;
// AWS's partitions only (`arn:aws-fake:…` is no ARN; found by a hostile pass).
const ARN = /^arn:aws(?:-cn|-us-gov|-iso(?:-[a-f])?|-eusc)?:[a-z0-9-]+:[a-z0-9-]*:(?:\d{12})?:\S+$/;
// A word printed before a one-word label, itself after a blank or a line's start (`partition` of
// `partition key:`); not a logfmt value (`info` of `level=info pin=4821`). Looked for in the
// WORD_WINDOW characters before the label only: a `$` pattern over all the line before each
// label cost quadratic time (40 ms for a line of 1,300 `pin=1`).
const WORD_BEFORE = /(?:^|[\s,{([])([A-Za-z][A-Za-z0-9]*)$/;
const WORD_BEFORE_INSIDE = /[\s,{([]([A-Za-z][A-Za-z0-9]*)$/;
const WORD_WINDOW = 64;
const ONE_WORD = /^(?:[A-Za-z][a-z0-9]*|[A-Z][A-Z0-9]*)$/;

interface Span {
  from: number;
  to: number;
  shown: string;
}

interface Field {
  /** In a JSON object, a dict, a call: the field ends at `,` `}` `)` `]`. */
  structured: boolean;
  /** logfmt's `name=value`: the field ends before the next `name=`. */
  logfmt: boolean;
  /** After a `;` (a connection string's `Pwd=x;`): the field ends at the next `;`. */
  connection: boolean;
}

export function maskLabelledValues(line: string): string {
  let shown = '';
  let copied = 0;
  LABEL.lastIndex = 0;
  for (let match = LABEL.exec(line); match !== null; match = LABEL.exec(line)) {
    const [all, start = '', symbol, quote, name = '', separator = ''] = match;
    if (symbol !== '' && !separator.includes('=>')) continue;
    const labelAt = match.index + start.length;
    const kind = kindOf(name, line, labelAt);
    if (kind === 'plain') continue;
    const field = {
      structured: quote !== '' || /[{,([]/.test(start),
      logfmt: separator === '=',
      connection: start === ';',
    };
    const span = valueSpan(line, match.index + all.length, kind, name, field);
    if (span === undefined) continue;
    shown += line.slice(copied, span.from) + span.shown;
    copied = span.to;
    LABEL.lastIndex = Math.max(LABEL.lastIndex, span.to);
  }
  return copied === 0 ? line : shown + line.slice(copied);
}

function kindOf(name: string, line: string, labelAt: number): LabelKind {
  const kind = labelKind(name);
  // Only to judge a key or a secret better (`sort key`, `private key`): `token count: 5`,
  // `Password policy: min length 12` are no secret's. And an `ID` after `Session` or `Secret`
  // (`Session ID: …`, `Secret ID: …`: shown as a plain id; found by a hostile pass).
  const id = kind === 'plain' && name.toLowerCase() === 'id';
  if ((kind === 'plain' && !id) || !ONE_WORD.test(name) || line[labelAt - 1] !== ' ') return kind;
  const from = Math.max(0, labelAt - 1 - WORD_WINDOW);
  const before = line.slice(from, labelAt - 1);
  const wordBefore = (from === 0 ? WORD_BEFORE : WORD_BEFORE_INSIDE).exec(before)?.[1];
  return wordBefore === undefined ? kind : labelKind(name, wordBefore);
}

function valueSpan(line: string, at: number, kind: LabelKind, name: string, field: Field): Span | undefined {
  const first = line[at];
  if (first === '"' || first === "'") return quotedSpan(line, at, kind, name);
  if (kind === 'maybe') return maybeSpan(line, at, name);
  const end = fieldEnd(line, at, field);
  const value = line.slice(at, end).trimEnd();
  if (value === '' || MASKED.test(value) || VARIABLE_FIRST.test(value) || ARN.test(value)) return undefined;
  if (isNoValue(value) || isPathVariable(name, value, field.connection)) return undefined;
  const scheme = SCHEME.exec(value)?.[0] ?? '';
  const credential = value.slice(scheme.length);
  if (credential === '' || MASKED.test(credential)) return undefined;
  return { from: at + scheme.length, to: at + value.length, shown: MASK };
}

/**
 * A maybe-secret's value: its first word, unless a count, a flag, a duration (`token_ttl: 3600s`)
 * or, after a label naming a URL, a URL (`token_url: https://…`, its query masked already). After
 * an auth scheme, the word after it: `oauth: Token ***` (the credential was shown).
 */
function maybeSpan(line: string, at: number, name: string): Span | undefined {
  WORD.lastIndex = at;
  const word = WORD.exec(line)?.[0];
  if (word === undefined || isPlainMaybe(word, name) || ARN.test(word)) return undefined;
  if (!KEPT_WORD.test(word)) return { from: at, to: at + word.length, shown: MASK };
  if (!SCHEME.test(word)) return undefined;
  const gap = /^[ \t]+/.exec(line.slice(at + word.length))?.[0];
  if (gap === undefined) return undefined;
  WORD.lastIndex = at + word.length + gap.length;
  const credential = WORD.exec(line)?.[0];
  if (credential === undefined || isCountOrFlag(credential) || KEPT_WORD.test(credential)) return undefined;
  return { from: WORD.lastIndex - credential.length, to: WORD.lastIndex, shown: MASK };
}

function isPlainMaybe(value: string, name: string): boolean {
  return isCountOrFlag(value) || isMeasure(value) || (namesUrl(name) && URL_VALUE.test(value));
}

/** A URL's whole value, its userinfo and query masked before (command-secrets.ts). */
const URL_VALUE = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;

/** A quoted value, masked to its closing quote (or the line's end without one). */
function quotedSpan(line: string, at: number, kind: LabelKind, name: string): Span | undefined {
  const close = closingQuote(line, at);
  const inner = line.slice(at + 1, close);
  if (inner === '' || MASKED.test(inner) || ARN.test(inner) || isNoValue(inner)) return undefined;
  if (line[at] === '"' && ONLY_VARIABLE.test(inner)) return undefined;
  if (kind === 'maybe' && isPlainMaybe(inner, name)) return undefined;
  return { from: at + 1, to: close, shown: MASK };
}

/** Where the quoted string opened at `at` closes (a backslash escapes a quote), or the line's end. */
function closingQuote(line: string, at: number): number {
  const quote = line[at];
  for (let i = at + 1; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === quote) return i;
  }
  return line.length;
}

// biome-ignore-start lint/suspicious/noControlCharactersInRegex: NUL ends a field of `env -0`.
// The blank before logfmt's next `name=` (the value is trimmed after): a `\s+` before the name
// cost quadratic time over a run of blanks (54 ms for 8,000).
const STRUCTURED_END = /[,})\]\x00]/g;
const CONNECTION_END = /[;\x00]/g;
const LOGFMT_END = /\s(?=[A-Za-z_][A-Za-z0-9_.-]*=)|\x00/g;
const STRUCTURED_LOGFMT_END = /[,})\]\x00]|\s(?=[A-Za-z_][A-Za-z0-9_.-]*=)/g;
const LINE_END = /\x00/g;
// biome-ignore-end lint/suspicious/noControlCharactersInRegex: NUL ends a field of `env -0`.

/** Where the field of a certainly secret value that starts at `at` ends (see the top). */
function fieldEnd(line: string, at: number, field: Field): number {
  const end = field.connection
    ? CONNECTION_END
    : field.structured
      ? field.logfmt
        ? STRUCTURED_LOGFMT_END
        : STRUCTURED_END
      : field.logfmt
        ? LOGFMT_END
        : LINE_END;
  end.lastIndex = at;
  const found = end.exec(line);
  return found === null ? line.length : found.index;
}
