/**
 * GitHub's escaping of a workflow command's parts
 * (https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions).
 */
import { offeredText } from '../output.js';

/** The message part (`%`, CR, LF). */
export function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** …and property values (`title=`), which also end at `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

/**
 * A message lshift words (an annotation's, a warning's): its offered commands given the run's
 * target (output.ts), THEN escaped. Targeted after escaping, as the line was written, a `%` in a
 * flag's value (`--profile 'pct%0Ax'`) reached GitHub unescaped and was decoded (a line break
 * there), and a command the escaping had joined to the line before was not found (h1's pass,
 * session 65).
 */
export function escapeMessage(text: string): string {
  return escapeData(offeredText(text));
}
