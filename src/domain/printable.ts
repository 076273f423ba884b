/**
 * Text that came from someone else — an operator's `--reason` read back from a record, an owner
 * another runner wrote, an alarm's state reason anyone with `cloudwatch:SetAlarmState` can set —
 * is printed on terminals and in CI logs. A newline there starts a line of its own (in GitHub
 * Actions `::stop-commands::…` or `::error::…` is a workflow command), an ESC starts a terminal
 * escape sequence (hide text, clear the screen, retitle the window). Such characters are never
 * printed: control characters (C0, DEL, C1) and the line and paragraph separators become U+FFFD.
 */
const CONTROL = /[\p{Cc}\u2028\u2029]/gu;

/**
 * Characters a terminal prints as nothing but which change what a line says: bidirectional
 * embeddings, overrides, isolates and marks reorder what is shown (CVE-2021-42574: a right-to-left
 * override can make a line lie), and zero-width spaces, joiners, the word joiner and a byte-order
 * mark hide inside a name (`li\u{200B}ve` is not `live`, and looked like it). They are shown by
 * their code point, `\u{202E}`, so that the reader sees what is there (found by a garbage-input
 * pass: U+200B and U+FEFF reached the terminal raw). So are the soft hyphen (U+00AD), the Hangul
 * fillers (U+115F, U+1160, U+3164, U+FFA0: blank letters) and the tag characters (U+E0000–E007F,
 * invisible text that a reader, or a model reading a log, may still be given), found by h1's pass;
 * tag characters stay inside an emoji flag of a region (🏴 then tags: 🏴󠁧󠁢󠁳󠁣󠁴󠁿).
 */
const INVISIBLE =
  /[\u00AD\u061C\u115F\u1160\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u3164\uFEFF\uFFA0\u{E0000}-\u{E007F}]/gu;

/** Blank letters: not format characters (\p{Cf}), yet they show nothing. */
const BLANK_LETTERS = /[\u115F\u1160\u3164\uFFA0]/gu;

/** What `describeUnprintable` finds (and --reason and alarm names refuse): controls and bidi controls. */
const UNPRINTABLE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

/**
 * The GitHub Actions runner also accepts the legacy form `##[command]data` anywhere in a line, not
 * only at its start: `… ##[stop-commands]x` mid-line would switch off every later workflow command
 * of the step (lshift's own `::error` annotation included), `##[error]` would forge an annotation.
 */
const LEGACY_WORKFLOW_COMMAND = '##[';

/**
 * `text` with every control character replaced by U+FFFD (�), every invisible one written as
 * `\u{200B}`, and a U+FFFD inside every `##[` so that no line it is part of can be read as a
 * workflow command.
 */
export function printable(text: string): string {
  return text
    .replace(CONTROL, '\uFFFD')
    .replace(INVISIBLE, (char, at: number, whole: string) =>
      isEmojiJoiner(char, at, whole) || isFlagTag(at, whole) ? char : `\\u{${codePointOf(char)}}`,
    )
    .replaceAll(LEGACY_WORKFLOW_COMMAND, '##\uFFFD[');
}

/**
 * A zero-width joiner between two pictographs is part of one emoji (👩‍💻 is 👩, U+200D, 💻) and is
 * shown as that emoji: it stays.
 */
function isEmojiJoiner(char: string, at: number, whole: string): boolean {
  return (
    char === '\u200D' &&
    /\p{Extended_Pictographic}\uFE0F?$/u.test(whole.slice(Math.max(0, at - 3), at)) &&
    /^\p{Extended_Pictographic}/u.test(whole.slice(at + 1, at + 3))
  );
}

/**
 * An emoji flag of a region: 🏴 (U+1F3F4), 2–6 tag letters or digits (`gbsct`), the cancel tag
 * U+E007F. Only that shape keeps its tags: any other run of tags after a 🏴 may be hidden text.
 */
const REGION_FLAG = /\u{1F3F4}[\u{E0030}-\u{E0039}\u{E0061}-\u{E007A}]{2,6}\u{E007F}/uy;

/** Whether the tag character at `at` is part of a region flag (each tag takes 2 UTF-16 units). */
function isFlagTag(at: number, whole: string): boolean {
  for (let start = at - 2; start >= Math.max(0, at - 16); start -= 2) {
    if (whole.codePointAt(start) !== 0x1f3f4) continue;
    REGION_FLAG.lastIndex = start;
    const flag = REGION_FLAG.exec(whole);
    return flag !== null && at < start + flag[0].length;
  }
  return false;
}

/** `202E` for U+202E. */
function codePointOf(char: string): string {
  return char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * Whether `text` shows anything: not only blanks and invisible format characters (a zero-width
 * space, a joiner, a byte-order mark, a left-to-right mark — `\p{Cf}`), which `trim()` keeps. A
 * reason made of them reads as empty wherever it is printed.
 */
export function hasVisibleText(text: string): boolean {
  return text.replace(/[\s\p{Cf}]/gu, '').replace(BLANK_LETTERS, '') !== '';
}

/** The first unprintable character of `text` as `U+000A at character 4`, or undefined. */
export function describeUnprintable(text: string): string | undefined {
  const match = UNPRINTABLE.exec(text);
  if (!match) return undefined;
  return `U+${codePointOf(match[0])} at character ${Array.from(text.slice(0, match.index)).length + 1}`;
}

/**
 * GitHub's runner reads a line as a workflow command when it starts with `::` after its leading
 * blanks (`::error::`, `::add-mask::`, `::stop-commands::`), see
 * https://docs.github.com/en/actions/using-workflows/workflow-commands-for-github-actions.
 */
const WORKFLOW_COMMAND_AT_LINE_START = /^([ \t]*)::/;

/**
 * Multi-line text lshift prints whole (an error with its hint, a warning, a log line): its own line
 * breaks and tabs stay, every line is made `printable`, and a line that would start with `::` gets
 * a U+FFFD in front, so that nothing in it (an AWS message, a name from a config file) can issue a
 * workflow command or drive the terminal.
 */
export function printableLines(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line.split('\t').map(printable).join('\t').replace(WORKFLOW_COMMAND_AT_LINE_START, '$1\uFFFD::'),
    )
    .join('\n');
}

/** Lines lshift built, each with outside values in it: a newline inside a line cannot start another. */
export function joinPrintableLines(lines: readonly string[]): string {
  return lines.map(printable).join('\n');
}

/**
 * Characters `JSON.stringify` leaves as they are although a terminal or a log viewer acts on
 * them: DEL and the C1 controls, the line and paragraph separators, the invisible ones (bidi
 * controls, zero-width characters, a byte-order mark).
 */
const RAW_IN_JSON =
  /[\u007F-\u009F\u00AD\u115F\u1160\u2028\u2029\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u3164\uFEFF\uFFA0]|\uDB40[\uDC00-\uDC7F]/g;

/**
 * JSON text (`JSON.stringify` output) that is printable and still means the same value: what
 * `JSON.stringify` leaves raw is written as a `\uXXXX` escape, and `##[` as `##\u005b`, so the
 * choke point (`printableLines`) finds nothing to replace and no string value changes.
 */
export function printableJson(json: string): string {
  return json
    .replace(RAW_IN_JSON, (chars) =>
      Array.from({ length: chars.length }, (_, i) => `\\u${hex4(chars.charCodeAt(i))}`).join(''),
    )
    .replaceAll(LEGACY_WORKFLOW_COMMAND, '##\\u005b');
}

function hex4(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}
