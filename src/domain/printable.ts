/**
 * Text that came from someone else — an operator's `--reason` read back from a record, an owner
 * another runner wrote, an alarm's state reason anyone with `cloudwatch:SetAlarmState` can set —
 * is printed on terminals and in CI logs. A newline there starts a line of its own (in GitHub
 * Actions `::stop-commands::…` or `::error::…` is a workflow command), an ESC starts a terminal
 * escape sequence (hide text, clear the screen, retitle the window), and bidirectional controls
 * reorder what is shown (CVE-2021-42574). Such characters are never printed: control characters
 * (C0, DEL, C1), the line and paragraph separators, and the bidirectional embedding, override and
 * isolate controls.
 */
const UNPRINTABLE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu;

/**
 * The GitHub Actions runner also accepts the legacy form `##[command]data` anywhere in a line, not
 * only at its start: `… ##[stop-commands]x` mid-line would switch off every later workflow command
 * of the step (lshift's own `::error` annotation included), `##[error]` would forge an annotation.
 */
const LEGACY_WORKFLOW_COMMAND = '##[';

/**
 * `text` with every unprintable character replaced by U+FFFD (�), and a U+FFFD inside every
 * `##[` so that no line it is part of can be read as a workflow command.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, '\uFFFD').replaceAll(LEGACY_WORKFLOW_COMMAND, '##\uFFFD[');
}

/** The first unprintable character of `text` as `U+000A at character 4`, or undefined. */
export function describeUnprintable(text: string): string | undefined {
  const match = new RegExp(UNPRINTABLE.source, 'u').exec(text);
  if (!match) return undefined;
  const code = match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `U+${code} at character ${Array.from(text.slice(0, match.index)).length + 1}`;
}

/**
 * Text lshift prints, made of its own lines: each line made printable, lshift's own line breaks
 * kept. It is the one function every printed text goes through (src/cli/output.ts, the base
 * command's log/warn, the TTY renderer); a newline inside an outside value is the job of
 * `printable` (or `joinPrintableLines`) where the value is put into a line, since here it can no
 * longer be told from lshift's own line breaks.
 */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}

/** Lines lshift built, each with outside values in it: a newline inside a line cannot start another. */
export function joinPrintableLines(lines: readonly string[]): string {
  return lines.map(printable).join('\n');
}

/**
 * Characters `JSON.stringify` leaves as they are although a terminal or a log viewer acts on
 * them: DEL and the C1 controls, the line and paragraph separators, the bidirectional controls.
 */
const RAW_IN_JSON = /[\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

/**
 * JSON text (`JSON.stringify` output) that is printable and still means the same value: what
 * `JSON.stringify` leaves raw is written as a `\uXXXX` escape, and `##[` as `##\u005b`, so the
 * choke point (`printableLines`) finds nothing to replace and no string value changes.
 */
export function printableJson(json: string): string {
  return json
    .replace(RAW_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`)
    .replaceAll(LEGACY_WORKFLOW_COMMAND, '##\\u005b');
}
