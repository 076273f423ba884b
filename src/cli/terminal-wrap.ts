/**
 * Prose for a person at a terminal, wrapped at word boundaries to its width. A result's warnings
 * and reasons run to hundreds of characters; the terminal broke them mid-word at its edge and
 * back at column 0, under the headline (found at an 50-column terminal: "the deplo / y
 * promotes"). A continued line is indented two more than the line it continues, so a warning
 * reads as one block. Not for tables (status, check) and not when stdout is not a terminal: a
 * CI log keeps one line per line, for grep.
 */
import wrapAnsi from 'wrap-ansi';

/** Narrower than this, wrapping would leave a word or two a line: the terminal's own wrap is kinder. */
const MIN_COLUMNS = 30;

export function wrapProse(text: string, columns: number | undefined): string {
  if (columns === undefined || !Number.isFinite(columns) || columns < MIN_COLUMNS) return text;
  return text
    .split('\n')
    .map((line) => wrapLine(line, columns))
    .join('\n');
}

function wrapLine(line: string, columns: number): string {
  const body = line.trimStart();
  const indent = line.slice(0, line.length - body.length);
  const hanging = `${indent}  `;
  // The terminal's last column is left free: some terminals wrap a line that fills it exactly.
  const width = columns - hanging.length - 1;
  const [first = '', ...rest] = wrapAnsi(body, width, { hard: true, trim: true }).split('\n');
  return [`${indent}${first}`, ...rest.map((l) => `${hanging}${l}`)].join('\n');
}
