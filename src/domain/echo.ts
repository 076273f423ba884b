/**
 * User input repeated in an error message, cut to a readable length: a 90 KB `--strategy` is
 * named by its start and its size, so the message (and the problem after it) stays readable.
 * Its control characters are shown as �: input may come from a config file someone else wrote,
 * and an ESC there would otherwise drive the terminal, a newline start a CI workflow command.
 */
import { printable } from './printable.js';

export const ECHO_MAX_CHARS = 200;

export function echoInput(input: string, max = ECHO_MAX_CHARS): string {
  const text = printable(input);
  if (text.length <= max) return text;
  return `${cut(text, max)}… (${text.length} characters)`;
}

/**
 * As echoInput, without the size after the cut (`aaa…`): for a message that states the length
 * itself, as CloudWatch counts it (an alarm name's refusal quoted two lengths in one sentence).
 */
export function echoStart(input: string, max = ECHO_MAX_CHARS): string {
  const text = printable(input);
  return text.length <= max ? text : `${cut(text, max)}…`;
}

/**
 * A file path repeated in an error message: a 10 KB `--state` path was printed whole, twice (once
 * in Node's own ENAMETOOLONG text). Cut in the middle — its start says where, its end which file
 * — with its size: `/tmp/aaa…aaa/x.json (10007 characters)`.
 */
export function echoPath(path: string, max = ECHO_MAX_CHARS): string {
  const text = printable(path);
  if (text.length <= max) return text;
  const start = cut(text, Math.ceil(max / 2));
  const endFrom = text.length - Math.floor(max / 2);
  // Never start the end inside a surrogate pair.
  const end = text.slice(/[\uDC00-\uDFFF]/.test(text[endFrom] ?? '') ? endFrom + 1 : endFrom);
  return `${start}…${end} (${text.length} characters)`;
}

/** `message` made printable, with every occurrence of each of `paths` as echoPath shows it. */
export function echoPathsIn(message: string, ...paths: string[]): string {
  let text = message;
  for (const path of paths) if (path) text = text.split(path).join(echoPath(path));
  return printable(text);
}

function cut(text: string, max: number): string {
  // Never split a surrogate pair (an emoji) at the cut.
  const end = /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return text.slice(0, end);
}

/**
 * The first bytes of an answer that is not what was expected (a server that does not speak HTTP,
 * an HTML page where JSON was due), short and printable: ASCII as it is, every other byte as
 * `\xNN`, so that an ESC or a NUL is seen, never acted on. `\x00\x01SSH-2.0-OpenSSH_9.6 …`.
 */
export function echoFirstBytes(bytes: Uint8Array, max = 40): string {
  const shown = Array.from(bytes.subarray(0, max), (byte) =>
    byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`,
  ).join('');
  return bytes.length > max ? `${shown}…` : shown;
}

/**
 * An AWS service's own message (an error's, a CodeDeploy diagnostic's) is shown in full up to a
 * generous bound: it says what went wrong, but a proxy, a sandbox or a misbehaving endpoint can
 * put anything in it (an HTML page, kilobytes of text, terminal escapes).
 */
export const AWS_MESSAGE_MAX_CHARS = 500;

/** An AWS message on one printable line, at most AWS_MESSAGE_MAX_CHARS characters (and its size). */
export function echoAwsMessage(message: string): string {
  return echoInput(message, AWS_MESSAGE_MAX_CHARS);
}
