/**
 * User input repeated in an error message, cut to a readable length: a 90 KB `--strategy` is
 * named by its start and its size, so the message (and the problem after it) stays readable.
 */
export const ECHO_MAX_CHARS = 200;

export function echoInput(text: string, max = ECHO_MAX_CHARS): string {
  if (text.length <= max) return text;
  // Never split a surrogate pair (an emoji) at the cut.
  const end = /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return `${text.slice(0, end)}… (${text.length} characters)`;
}
