/**
 * What is wrong with a file that does not parse (JSON or YAML), said without its content. Parsers
 * quote the text they stopped at (JSON.parse: `"root:x:0:0"... is not valid JSON`; yaml: the
 * line with a caret under it, or `…: <token>`), and the file may be the wrong one (`/etc/passwd`,
 * a `.env`) whose lines are secrets: errors name the file and the place, never what is written.
 */
export function describeSyntaxError(body: string, error: unknown): string {
  if (body.trim() === '') return 'the file is empty';
  const message = error instanceof Error ? error.message : String(error);
  if (/end of JSON input/i.test(message)) return 'it ends too early';
  const position = /at position (\d+)/.exec(message);
  if (position) return `syntax error at ${describePlace(body, Number(position[1]))}`;
  // JSON.parse's other messages ("Unexpected token '}', "…" is not valid JSON") quote the file
  // and say nothing else: find the place without them.
  if (error instanceof SyntaxError) return describeJsonError(body) ?? 'syntax error';
  // yaml: "<what> at line 3, column 1:" and an excerpt below; or "<what>: <token of the file>".
  const head = (message.split('\n')[0] ?? '').replace(/:\s*$/, '');
  const place = /^(.*) at line (\d+), column (\d+)$/.exec(head);
  const what = withoutQuote(place ? place[1]! : head);
  return place ? `${what} at line ${place[2]}, column ${place[3]}` : what;
}

/** `syntax error at line 3, column 12` when the text is not JSON; undefined when it is. */
export function describeJsonError(body: string): string | undefined {
  const at = locateJsonError(body);
  return at === undefined ? undefined : `syntax error at ${describePlace(body, at)}`;
}

/** `line 3, column 7` of a 0-based character offset. */
function describePlace(body: string, offset: number): string {
  const before = body.slice(0, offset);
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** yaml's words without the token it quotes after a colon (`Unresolved tag: !secret`). */
function withoutQuote(text: string): string {
  const cut = text.replace(/:\s.*$/, '').trim();
  return cut === '' ? 'syntax error' : cut;
}

/** What may come next while scanning JSON. */
type Expecting = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'after-value';

const JSON_SPACE = new Set([' ', '\t', '\n', '\r']);
const LITERALS = ['true', 'false', 'null'];

/**
 * The 0-based offset where `text` stops being JSON (RFC 8259), or undefined when it is JSON; the
 * length of the text when it ends too early. Iterative, so a deeply nested file cannot overflow
 * the stack. Node 20's JSON.parse gives a position for some errors only.
 */
export function locateJsonError(text: string): number | undefined {
  const open: string[] = [];
  let expecting: Expecting = 'value';
  let i = 0;
  for (;;) {
    while (i < text.length && JSON_SPACE.has(text[i]!)) i++;
    if (i >= text.length) return expecting === 'after-value' && open.length === 0 ? undefined : i;
    const c = text[i]!;
    const top = open.at(-1);
    let next: { end: number; expecting: Expecting } | undefined;
    if (expecting === 'after-value') {
      if (top === undefined) return i;
      if (c === ',') next = { end: i + 1, expecting: top === '{' ? 'key' : 'value' };
      else if (c === (top === '{' ? '}' : ']')) open.pop();
      else return i;
    } else if (expecting === 'colon') {
      if (c !== ':') return i;
      next = { end: i + 1, expecting: 'value' };
    } else if (expecting === 'key' || expecting === 'key-or-close') {
      if (c === '}' && expecting === 'key-or-close') open.pop();
      else if (c !== '"') return i;
      else next = { end: scanJsonString(text, i), expecting: 'colon' };
    } else if (c === ']' && expecting === 'value-or-close') {
      open.pop();
    } else if (c === '{' || c === '[') {
      open.push(c);
      next = { end: i + 1, expecting: c === '{' ? 'key-or-close' : 'value-or-close' };
    } else {
      next = { end: scanJsonScalar(text, i), expecting: 'after-value' };
    }
    next ??= { end: i + 1, expecting: 'after-value' };
    if (next.end < 0) return -next.end - 1;
    i = next.end;
    expecting = next.expecting;
  }
}

/** A failure at `offset`, told apart from an end offset by its sign. */
function failAt(offset: number): number {
  return -offset - 1;
}

/** The end of the string, number or literal at `i`, or failAt(where it breaks). */
function scanJsonScalar(text: string, i: number): number {
  const c = text[i]!;
  if (c === '"') return scanJsonString(text, i);
  if (c === '-' || (c >= '0' && c <= '9')) return scanJsonNumber(text, i);
  const literal = LITERALS.find((word) => word[0] === c);
  if (literal === undefined) return failAt(i);
  for (let k = 1; k < literal.length; k++) if (text[i + k] !== literal[k]) return failAt(i + k);
  return i + literal.length;
}

function scanJsonString(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length) {
    const c = text[j]!;
    if (c === '"') return j + 1;
    if (c < ' ') return failAt(j);
    if (c !== '\\') {
      j++;
      continue;
    }
    const escaped = text[j + 1];
    if (escaped === undefined) return failAt(j + 1);
    if ('"\\/bfnrt'.includes(escaped)) j += 2;
    else if (escaped === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) j += 6;
    else return failAt(j + 1);
  }
  return failAt(j);
}

function scanJsonNumber(text: string, i: number): number {
  let j = i;
  const digits = () => {
    const start = j;
    while (text[j] !== undefined && text[j]! >= '0' && text[j]! <= '9') j++;
    return j > start;
  };
  if (text[j] === '-') j++;
  if (text[j] === '0') j++;
  else if (!digits()) return failAt(j);
  if (text[j] === '.') {
    j++;
    if (!digits()) return failAt(j);
  }
  if (text[j] === 'e' || text[j] === 'E') {
    j++;
    if (text[j] === '+' || text[j] === '-') j++;
    if (!digits()) return failAt(j);
  }
  return j;
}
