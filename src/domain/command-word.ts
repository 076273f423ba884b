/**
 * The program a `cmd:` hook names, as `/bin/sh` would split it off the command (hook-spec.ts):
 * its first word, with quotes and backslashes removed. Only a word the shell takes literally is
 * returned — any expansion in it (`$`, a backquote, a glob, `~`, braces — a `{function}`
 * placeholder too), a variable assignment or a leading operator, and it is undefined: lshift
 * cannot know what the shell will run, so it checks nothing.
 */

/** Ends the first word when unquoted (blanks and the shell's operators). */
const WORD_END = new Set([' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')']);
/** Shell syntax that makes the word something other than what is typed. */
const EXPANDS = new Set(['$', '`', '*', '?', '[', '{', '}', '~', '=', '!', '#']);

export function firstCommandWord(command: string): string | undefined {
  const text = command.replace(/^[ \t\n]+/, '');
  let word = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (WORD_END.has(c)) break;
    if (EXPANDS.has(c)) return undefined;
    if (c === '\\') {
      const next = text[i + 1];
      if (next === undefined || next === '\n') return undefined;
      word += next;
      i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) return undefined;
      word += text.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end === -1) return undefined;
      const inside = text.slice(i + 1, end);
      // Inside double quotes `$`, a backquote and a backslash still mean something.
      if (/[$`\\]/.test(inside)) return undefined;
      word += inside;
      i = end;
    } else word += c;
  }
  return word === '' ? undefined : word;
}
