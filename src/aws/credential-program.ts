/**
 * How a profile's `credential_process` line is named in a message: by its program only. The SDK
 * runs the line with child_process.exec, a shell, so `TOKEN=s3cret /opt/bin/creds --key k` is real
 * usage, and its arguments and the variables set before it may carry a secret (h1's pass, session
 * 64: `TOKEN=ENVSECRET-222 …` was printed as the program). So the line is split into shell words
 * (quotes kept together), the `NAME=value` words before the program (and an `env` that sets them)
 * are dropped, and only the program is shown, with ` …` when anything else was there.
 */
import { echoInput } from '../domain/echo.js';

/** `/opt/bin/creds …`, or '' for a line with no program. */
export function credentialProgram(line: string): string {
  const words = shellWords(line);
  let at = 0;
  while (at < words.length && isSetting(words[at] ?? '')) at++;
  if (words[at] === 'env' && at + 1 < words.length) {
    at++;
    while (at < words.length && (isSetting(words[at] ?? '') || words[at]?.startsWith('-'))) at++;
  }
  const program = words[at];
  if (program === undefined) return '';
  return `${echoInput(program)}${words.length > 1 ? ' …' : ''}`;
}

function isSetting(word: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*=/.test(word);
}

/** The line's words as a POSIX shell splits them: quotes and backslashes keep spaces in a word. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      const close = end === -1 ? line.length : end;
      word = (word ?? '') + line.slice(i + 1, close);
      i = close;
    } else if (c === '\\') {
      word = (word ?? '') + (line[i + 1] ?? '');
      i++;
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}
