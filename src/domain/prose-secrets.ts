/**
 * Output only: a secret shown after words rather than after a `name: value` label, and in a
 * table's cell after its label's cell (docs/hooks.md, "Secrets in hook output"). They were shown:
 * `Password is hunter22`, `passwd hunter22`, `| password | hunter22 |` (session 63's documented
 * limits). Pure.
 *
 * - After `password`, `token`, `secret`, `PIN`, `API key` … then `is` or `was` (maybe with a
 *   colon), the next word is masked unless it is prose (`Password is required`, `token was
 *   rotated`: a word of lowercase letters that PROSE_WORDS holds or ending in `ed`, `ing`, `ly`).
 *   When unsure, mask: a number is masked (`Your PIN is 4821`).
 * - Right after `password`, `passwd` or `passphrase` (`set password hunter22`, `passwd
 *   hunter22`), the next word only when it does not read as prose: it holds a digit, a symbol or a
 *   capital after its first letter (`password reset`, `passwd root` are shown).
 * - A table's row (`| password | hunter22 |`, box-drawing `│`, or psql's `password | hunter22`
 *   without a leading bar): the cell after a cell that is a secret's label (label-secrets.ts) is
 *   masked whole; after a maybe-secret's, unless a count, a flag or a duration.
 */
import { type LabelKind, labelKind } from './label-secrets.js';
import { isCountOrFlag, isMeasure, isNoValue } from './secret-value-shapes.js';

const MASK = '***';

const IS_LABEL =
  '(?:pass(?:words?|wd|phrase|code)|pins?|otp|tokens?|secrets?|(?:api|access|secret|private|license)[ _-]?keys?)';
/** `Password is hunter22`, `Your token was: abc` → the word after the verb. */
const AFTER_IS = new RegExp(
  String.raw`(?<![A-Za-z0-9_-])${IS_LABEL}[ \t]+(?:is|was|are|were)[ \t]*:?[ \t]+(["'\x60]?)([^\s"'\x60|\u2502]+)`,
  'gi',
);
/** `passwd hunter22`, `set password Tr0ub4dor&3` → the word after the label. */
const AFTER_LABEL = /(?<![A-Za-z0-9_-])(?:passwords?|passwd|passphrase)[ \t]+(["'`]?)([^\s"'`:=|\u2502]+)/gi;
/** Words that read as prose after `password is`: `required`, `too short`, `not set`. */
const PROSE_WORDS = new Set([
  'a',
  'an',
  'the',
  'not',
  'no',
  'now',
  'too',
  'still',
  'also',
  'only',
  'already',
  'never',
  'always',
  'very',
  'incorrect',
  'invalid',
  'wrong',
  'correct',
  'valid',
  'empty',
  'blank',
  'missing',
  'weak',
  'strong',
  'ok',
  'set',
  'unset',
  'reset',
  'known',
  'unknown',
  'same',
  'different',
  'longer',
  'shorter',
  'long',
  'short',
  'due',
  'about',
  'at',
  'in',
  'on',
  'for',
  'from',
  'of',
  'to',
  'as',
  'by',
  'being',
  'none',
  'null',
  'true',
  'false',
  'optional',
  'present',
  'absent',
  'available',
  'unavailable',
  'active',
  'inactive',
  'stale',
  'new',
  'old',
  'current',
  'temporary',
  'your',
  'my',
  'out',
  'its',
  'their',
  'this',
  'that',
]);
const PROSE_SUFFIX = /^[a-z]+(?:ed|ing|ly)$/;
/** What a password shows that an English word does not: a digit, a symbol, an inner capital. */
const SECRET_LOOKING = /[^A-Za-z]|.[A-Z]/;
/** Sentence punctuation after a word (`is hunter22.`, `password set?`): kept. */
const TRAILING = /[.,?]$/;

export function maskProseSecrets(line: string): string {
  let text = line;
  if (VERB.test(text) && PROSE_LABEL.test(text)) text = text.replace(AFTER_IS, maskUnlessProse);
  if (PASSWORD_WORD.test(text)) text = text.replace(AFTER_LABEL, maskIfSecretLooking);
  return maskTableCells(text);
}

// Cheap tests first: most lines hold no verb after a label, and no password's word before a blank.
const VERB = /[ \t](?:is|was|are|were)[ \t:]/i;
const PROSE_LABEL = /pass|pin|otp|token|secret|key/i;
const PASSWORD_WORD = /pass(?:words?|wd|phrase)[ \t]/i;

function maskUnlessProse(all: string, _quote: string, word: string): string {
  return isProse(word) ? all : masked(all, word);
}

function maskIfSecretLooking(all: string, _quote: string, word: string): string {
  return SECRET_LOOKING.test(stripped(word)) ? masked(all, word) : all;
}

function isProse(word: string): boolean {
  const bare = stripped(word);
  return (
    bare === '' ||
    bare === MASK ||
    PROSE_WORDS.has(bare) ||
    PROSE_SUFFIX.test(bare) ||
    /^\$[A-Z_{]/.test(bare)
  );
}

function stripped(word: string): string {
  return word.replace(TRAILING, '');
}

/** `all` with its last `word` masked, its closing punctuation kept. */
function masked(all: string, word: string): string {
  if (word === MASK || /^\*\*\*\W*$/.test(word)) return all;
  const kept = TRAILING.exec(word)?.[0] ?? '';
  return `${all.slice(0, all.length - word.length)}${MASK}${kept}`;
}

const CELL_SEPARATOR = /[|\u2502]/;
/** A label's cell: up to four words (`password`, `API key`, `DB password`). */
const LABEL_CELL = /^[A-Za-z_][A-Za-z0-9_.-]*(?: [A-Za-z0-9_.-]+){0,3}$/;
const ONE_WORD_CELL = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function maskTableCells(line: string): string {
  if (!CELL_SEPARATOR.test(line)) return line;
  const cells = line.split(/([|\u2502])/);
  // A row with a leading bar: any cell may be a label. Without one (psql's `password | x`), only
  // the first, a single word: `cat password | grep x` is a pipeline, no row.
  const bordered = cells[0]!.trim() === '';
  let changed = false;
  for (let at = 0; at + 2 < cells.length; at += 2) {
    if (!bordered && at > 0) break;
    const label = cells[at]!.trim();
    if (!(bordered ? LABEL_CELL : ONE_WORD_CELL).test(label)) continue;
    const kind = labelKind(label);
    if (kind === 'plain') continue;
    const cell = cells[at + 2]!;
    const value = cell.trim();
    if (!isSecretCell(value, kind)) continue;
    cells[at + 2] = cell.replace(value, MASK);
    changed = true;
    at += 2;
  }
  return changed ? cells.join('') : line;
}

function isSecretCell(value: string, kind: LabelKind): boolean {
  if (value === '' || /^\*\*\*\W*$/.test(value) || isNoValue(value) || /^\$\{?[A-Z_]/.test(value))
    return false;
  return kind === 'secret' || !(isCountOrFlag(value) || isMeasure(value));
}
