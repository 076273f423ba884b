/**
 * A `cmd:` hook's command line for display, with what looks like a secret masked (docs/hooks.md,
 * "Secrets in hook specs"). The command lshift runs is never changed: only what it prints (the
 * plan, progress lines, events, results, summaries, errors) goes through this. Pure.
 *
 * Masked, each as `***`:
 * - in every URL (`scheme://…`): the userinfo (`https://***@host/…`), every query value
 *   (`?token=***&team=***`) and the fragment (`#***`), as an HTTP hook's URL is shown;
 * - the value of every `NAME=value` word (an environment assignment, `make TOKEN=…`, `--token=…`,
 *   `-Dapi.key=…`, also inside quotes: `sh -c 'TOKEN=… ./x'`) and of a long option followed by
 *   its value (`--password hunter2`) whose name looks secret: it contains, in any case, one of
 *   SECRET_NAME_PARTS; a value that is only a variable (`TOKEN=$CI_TOKEN`, `--token "${TOKEN}"`,
 *   `AUTH=Bearer $TOKEN`, `AUTH="Bearer $TOKEN"`) is no secret and is kept — never a single-quoted
 *   `'$X'`, which is the text itself; a command substitution (`--password=$(cat p)`) is masked whole;
 * - the string value of a JSON member whose name looks secret (`{"password":"***"}`, also escaped
 *   as `{\"password\":\"***\"}`), and the word after `aws_secret_access_key`,
 *   `aws_session_token` or `aws_security_token` (`aws configure set aws_secret_access_key ***`,
 *   `aws_session_token = ***`);
 * - a quoted header whose name looks secret (`-H 'Authorization: ***'`, `'X-Api-Key: ***'`),
 *   the word after `Bearer`/`Basic` (and both words of `AUTH=Bearer x` when the name looks secret:
 *   `Basic`, `Token`, `Digest` too), and curl's `-u user:***` / `--user user:***`;
 * - well-known token shapes anywhere, keeping their prefix: GitHub (`ghp_***`, `gho_`, `ghu_`,
 *   `ghs_`, `ghr_`, `github_pat_***`), AWS access key ids (`AKIA***`, `ASIA***`), Slack
 *   (`xoxb-***`, …), GitLab (`glpat-***`), npm (`npm_***`), Stripe (`sk_live_***`) and JSON web
 *   tokens (`eyJ***`); also glued to a letter or digit before them (`idAKIA***`, `xghp_***`),
 *   where the shape cannot be an ordinary word (TOKEN_SHAPES).
 * - the secret path of a Slack, Discord or Microsoft Teams incoming-webhook URL
 *   (`https://hooks.slack.com/services/***`, webhook-secrets.ts).
 * - the password after `-p` of MySQL's and MariaDB's clients and of sshpass (`mysql -p***`).
 * It cannot know every secret (a path segment of another webhook URL, a password in a positional
 * argument or after another tool's short option): read secrets from the environment
 * instead of writing them in the command. What hooks print goes through this too (output-secrets.ts).
 */

import { isPathVariable, isPlainQueryName } from './secret-value-shapes.js';
import { maskWebhookPaths } from './webhook-secrets.js';
/** A name holding one of these (case-insensitive) looks secret. */
export const SECRET_NAME_PARTS: readonly string[] = [
  'TOKEN',
  'SECRET',
  'PASS',
  'PWD',
  'KEY',
  'CRED',
  'AUTH',
  'PRIVATE',
  'SIGNATURE',
  'SESSION',
  'COOKIE',
];

const MASK = '***';

export function looksSecretName(name: string): boolean {
  // AUTH, but not in AUTHOR or AUTHORITY (`--author`, `GIT_AUTHOR_NAME`, `Author:`); AUTHORIZATION is.
  const upper = name.toUpperCase().replace(/AUTHOR(?!IZ)/g, '');
  return SECRET_NAME_PARTS.some((part) => upper.includes(part));
}

export interface MaskOptions {
  /**
   * A hook's output (not a command line): a URL's query values under names that carry no secret
   * (`?ref=main&page=2`, label-secrets.ts) are kept; every other one is masked.
   */
  keepPlainQueryValues?: boolean;
}

/** The command line with its secret-looking parts masked; everything else kept as typed. */
export function maskCommandSecrets(command: string, options: MaskOptions = {}): string {
  let text = command;
  text = maskUrls(text, options.keepPlainQueryValues === true);
  // Before the assignments: `Authorization=Basic dXNl…` masked `Basic` as the value and then
  // showed the credential after it (found by a hostile pass).
  text = maskSchemeTokens(text);
  text = maskSchemeAssignments(text);
  text = maskAssignments(text);
  text = maskSecretOptions(text);
  text = maskMysqlPasswords(text);
  text = maskJsonPairs(text);
  text = maskAwsKeyWords(text);
  text = maskHeaders(text);
  text = maskTokenShapes(text);
  return text;
}

// One shell word's characters outside quotes (a URL or a value ends at blanks, quotes, operators).
const URL_PART = String.raw`[^\s'"\x60<>;|()]`;
// Starts where a scheme may start: tried from inside a long word, the scheme scan would make a line
// of letters (a hook may print 8,000 of them) cost quadratic time.
const URL = new RegExp(String.raw`(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/)(${URL_PART}*)`, 'gi');

function maskUrls(text: string, keepPlain: boolean): string {
  return text.replace(URL, (_all, scheme: string, rest: string) => scheme + maskUrlRest(rest, keepPlain));
}

/** `u:pw@host/p?a=1&b#f` → `***@host/p?a=***&b=***#***` (`?page=2` kept when `keepPlain`). */
function maskUrlRest(rest: string, keepPlain: boolean): string {
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  let tail = authorityEnd === -1 ? '' : rest.slice(authorityEnd);
  const at = authority.lastIndexOf('@');
  const host = at === -1 ? authority : `${MASK}@${authority.slice(at + 1)}`;
  const hash = tail.indexOf('#');
  const fragment = hash === -1 ? '' : `#${MASK}`;
  if (hash !== -1) tail = tail.slice(0, hash);
  const question = tail.indexOf('?');
  if (question === -1) return host + tail + fragment;
  const query = tail
    .slice(question + 1)
    .split('&')
    .map((pair) => {
      if (pair === '') return pair;
      const eq = pair.indexOf('=');
      // A bare `?abc123` may be the token itself.
      if (eq === -1) return MASK;
      const name = pair.slice(0, eq);
      return keepPlain && isPlainQueryName(name) ? pair : `${name}=${MASK}`;
    })
    .join('&');
  return `${host}${tail.slice(0, question)}?${query}${fragment}`;
}

// A shell word's value: quoted parts, command substitutions (`$(…)`, one level of parentheses
// inside, and backquotes: taken whole, so a value is masked whole, never cut at its `(`), escaped
// characters and plain characters, up to a blank or an operator.
const VALUE = String.raw`(?:\$\((?:[^()]|\([^()]*\))*\)|\x60[^\x60]*\x60|'[^']*'|"(?:[^"\\]|\\.)*"|\\.|[^\s'"\\;&|<>()\x60\x00])+`;
// Only a variable: `$X`, `${X}`, `"$X"`, `"${X}"`. Not `'$X'`: single quotes keep the text as
// it is, so it is no variable but the value itself (`TOKEN='$ecretPass1'` was shown).
const ONLY_VARIABLE = /^("?)\$(?:\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)\1$/;
// An auth scheme and only a variable, double-quoted as one value: `"Bearer $TOKEN"`.
const QUOTED_SCHEME_VARIABLE =
  /^"(?:Bearer|Basic|Token|Digest)[ \t]+\$(?:\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)"$/i;
const SCHEME_WORD = /^(?:Bearer|Basic|Token|Digest)$/i;
// A word starts a line, follows a blank or an operator, or opens a quoted string (a command given
// to `sh -c '…'`, `bash -c "…"`).
// A NUL too: `env -0` and /proc/<pid>/environ separate their NAME=value words with it.
const WORD_START = String.raw`(^|[\s;&|(\x60'"\x00])`;
const ASSIGNMENT = new RegExp(`${WORD_START}(-{0,2}[A-Za-z_][A-Za-z0-9_.-]*)=(${VALUE})`, 'g');
const LONG_OPTION = new RegExp(String.raw`${WORD_START}(--[A-Za-z][A-Za-z0-9_-]*)(\s+)(${VALUE})`, 'g');
// curl's `-u user:password` (or `--user`): the password is masked, the user kept.
const CURL_USER = new RegExp(String.raw`${WORD_START}(-u|--user)(\s+|=)('[^']*'|"[^"]*"|[^\s'"]+)`, 'g');

function maskValue(value: string): string {
  return ONLY_VARIABLE.test(value) || QUOTED_SCHEME_VARIABLE.test(value) ? value : MASK;
}

// The shell word after a value: `AUTH=Bearer $TOKEN`'s `$TOKEN`.
const NEXT_WORD = new RegExp(String.raw`[ \t]+(${VALUE})`, 'y');

/**
 * `Bearer` in `AUTH=Bearer $TOKEN`: a scheme whose credential is only a variable, kept with it
 * (maskSchemeAssignments masks both words of any other credential). It was masked as the value,
 * the variable shown after it: `AUTH=*** $TOKEN`.
 */
function isSchemeOfVariable(value: string, text: string, at: number): boolean {
  if (!SCHEME_WORD.test(value)) return false;
  NEXT_WORD.lastIndex = at;
  const next = NEXT_WORD.exec(text)?.[1];
  return next !== undefined && ONLY_VARIABLE.test(next);
}

function maskAssignments(text: string): string {
  return text.replace(
    ASSIGNMENT,
    (all, start: string, name: string, value: string, offset: number, whole: string) =>
      looksSecretName(name) &&
      !isPathVariable(name, value, start === ';' || whole[offset + all.length] === ';') &&
      !isSchemeOfVariable(value, whole, offset + all.length)
        ? `${start}${name}=${maskValue(value)}`
        : all,
  );
}

function maskSecretOptions(text: string): string {
  const options = text.replace(
    LONG_OPTION,
    (all, start: string, option: string, gap: string, value: string) =>
      looksSecretName(option) && !value.startsWith('-') ? `${start}${option}${gap}${maskValue(value)}` : all,
  );
  return options.replace(CURL_USER, (all, start: string, option: string, gap: string, word: string) => {
    const quote = word.startsWith("'") || word.startsWith('"') ? word[0]! : '';
    const inner = quote === '' ? word : word.slice(1, -1);
    const colon = inner.indexOf(':');
    if (colon === -1) return all;
    const password = inner.slice(colon + 1);
    const shown = ONLY_VARIABLE.test(password) || password === '' ? password : MASK;
    return `${start}${option}${gap}${quote}${inner.slice(0, colon)}:${shown}${quote}`;
  });
}

// MySQL's and MariaDB's clients take the password glued to `-p` (`mysql -uroot -phunter2`), and
// sshpass after `-p`; a `-p hunter2` after mysql names a database, but was surely meant as the
// password: masked too (it was shown: session 63's documented limits). Up to the command's end.
const MYSQL_COMMAND =
  /(?<![A-Za-z0-9_-])(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlshow|mysqlcheck|mysqlpump|mysqlsh|mariadb(?:-dump|-admin|-import|-show|-check)?|sshpass)(?![A-Za-z0-9_-])[^;|&\n]*/g;
const SHORT_PASSWORD = new RegExp(String.raw`(\s-p)([ \t]*)(${VALUE})`, 'g');

function maskMysqlPasswords(text: string): string {
  if (!/mysql|mariadb|sshpass/.test(text)) return text;
  return text.replace(MYSQL_COMMAND, (command) =>
    command.replace(SHORT_PASSWORD, (all, option: string, gap: string, value: string) =>
      value.startsWith('-') ? all : `${option}${gap}${maskValue(value)}`,
    ),
  );
}

// A JSON member with a secret-looking name and a string value: `"password":"***"`, also as it is
// written escaped inside a double-quoted shell word (`-d "{\\"token\\":\\"***\\"}"`).
const JSON_PAIR = /"([A-Za-z0-9_.-]+)"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;
const ESCAPED_JSON_PAIR = /\\"([A-Za-z0-9_.-]+)\\"(\s*:\s*)\\"((?:[^"\\]|\\[^"])*)\\"/g;

function maskJsonPairs(text: string): string {
  const mask = (quote: string) => (all: string, name: string, colon: string, value: string) =>
    looksSecretName(name) && value !== '' && !ONLY_VARIABLE.test(value)
      ? `${quote}${name}${quote}${colon}${quote}${MASK}${quote}`
      : all;
  return text.replace(JSON_PAIR, mask('"')).replace(ESCAPED_JSON_PAIR, mask('\\"'));
}

// The AWS CLI's and credentials file's names for the secret parts of a key, followed by the value
// as a separate word or after `=`: `aws configure set aws_secret_access_key ***`,
// `aws_session_token = ***`, `default.aws_secret_access_key ***`.
const AWS_KEY_WORD = new RegExp(
  String.raw`${WORD_START}((?:[A-Za-z0-9_-]+\.)?aws_(?:secret_access_key|session_token|security_token))(\s*=\s*|\s+)(${VALUE})`,
  'gi',
);

function maskAwsKeyWords(text: string): string {
  return text.replace(AWS_KEY_WORD, (all, start: string, name: string, gap: string, value: string) =>
    value.startsWith('-') ? all : `${start}${name}${gap}${maskValue(value)}`,
  );
}

const QUOTED_HEADER = /(['"])([A-Za-z][A-Za-z0-9_-]*)(\s*:\s*)([^'"]*)\1/g;
// `Bearer $TOKEN`: only variables (and the scheme's word) is no secret.
const ONLY_VARIABLES = /^(?:\s|Bearer|Basic|Token|\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*)*$/i;
const SCHEME_TOKENS: readonly [RegExp, string][] = [
  // Bearer in any case: HTTP's scheme names are case-insensitive (`authorization: bearer …` in a
  // log). Not `basic`, an English word ("basic information" is no credential).
  [/\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${MASK}`],
  [/\b(Basic\s+)[A-Za-z0-9+/=]{8,}/g, `$1${MASK}`],
];

function maskHeaders(text: string): string {
  return text.replace(QUOTED_HEADER, (all, quote: string, name: string, colon: string, value: string) =>
    looksSecretName(name) && !ONLY_VARIABLES.test(value) ? `${quote}${name}${colon}${MASK}${quote}` : all,
  );
}

function maskSchemeTokens(text: string): string {
  return SCHEME_TOKENS.reduce((masked, [shape, replacement]) => masked.replace(shape, replacement), text);
}

// A secret-looking name whose unquoted value is an HTTP auth scheme, the credential its next word
// (`AUTH_HEADER=Bearer x`, `TOKEN=Token abc` as `env` prints them): both words masked, however
// short; a quoted one too (`AUTH=Bearer '$ecretPass1'` showed the credential).
const SCHEME_ASSIGNMENT = new RegExp(
  String.raw`${WORD_START}(-{0,2}[A-Za-z_][A-Za-z0-9_.-]*)=(Bearer|Basic|Token|Digest)([ \t]+)(${VALUE})`,
  'gi',
);

function maskSchemeAssignments(text: string): string {
  return text.replace(
    SCHEME_ASSIGNMENT,
    (all, start: string, name: string, _scheme, gap: string, word: string) =>
      looksSecretName(name) && !ONLY_VARIABLE.test(word) ? `${start}${name}=${MASK}${gap}${MASK}` : all,
  );
}

// A token glued to the text before it (`idAKIA…`, `token:abcghp_…`, `xghp_…`) is masked too where
// no ordinary word ends in its prefix followed by its shape. Where some do, the glued token must
// have the real shape: Slack's `xox?-<digits>-…`, Stripe's live keys of 24 characters or more
// (`task_test_ShouldReturnTrueWhenEmpty` is a test's name, so a glued `sk_test_` is not masked),
// and a JWT whose payload follows (`keyJson.data.value` is code).
const TOKEN_SHAPES: readonly [RegExp, string][] = [
  [/(gh[pousr]_)[A-Za-z0-9]{16,}/g, `$1${MASK}`],
  [/(github_pat_)[A-Za-z0-9_]{16,}/g, `$1${MASK}`],
  [/(AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g, `$1${MASK}`],
  [/(?<![A-Za-z0-9])(xox[abeoprs]-)[A-Za-z0-9-]+/g, `$1${MASK}`],
  [/(xox[abeoprs]-)[0-9]+-[A-Za-z0-9-]+/g, `$1${MASK}`],
  [/(glpat-)[A-Za-z0-9_-]{16,}/g, `$1${MASK}`],
  [/(npm_)[A-Za-z0-9]{30,}/g, `$1${MASK}`],
  [/(?<![A-Za-z0-9])([sr]k_(?:live|test)_)[A-Za-z0-9]{16,}/g, `$1${MASK}`],
  [/([sr]k_live_)[A-Za-z0-9]{24,}/g, `$1${MASK}`],
  [/(?<![A-Za-z0-9_-])(eyJ)[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, `$1${MASK}`],
];

// A dotted word whose second part may be a JWT's payload, tried only from the word's start: tried
// from every `eyJ` inside a long word, a line of 8,000 `eyJeyJ…` would cost 30 ms (quadratic).
// A payload is a JSON object, so base64url of `{"…`: it starts `eyJ` (`monkeyJumps.eyebrows.ok` is no JWT).
const DOTTED_WORD = /(?<![A-Za-z0-9_-])([A-Za-z0-9_-]+)\.(eyJ[A-Za-z0-9_-]{7,}\.[A-Za-z0-9_-]*)/g;
const GLUED_JWT_HEADER_CHARS = 'eyJ'.length + 8;

/** `xeyJhbGci….eyJzdWIi….sig` → `xeyJ***`: a JWT glued to the text before it. */
function maskGluedJwt(text: string): string {
  return text.replace(DOTTED_WORD, (all, first: string) => {
    const header = first.indexOf('eyJ');
    return header !== -1 && first.length - header >= GLUED_JWT_HEADER_CHARS
      ? `${first.slice(0, header)}eyJ${MASK}`
      : all;
  });
}

function maskTokenShapes(text: string): string {
  const shapes = TOKEN_SHAPES.reduce(
    (masked, [shape, replacement]) => masked.replace(shape, replacement),
    text,
  );
  return maskWebhookPaths(maskGluedJwt(shapes));
}
