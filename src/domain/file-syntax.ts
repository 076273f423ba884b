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
  // JSON.parse's other messages quote the file and say nothing else.
  if (error instanceof SyntaxError) return 'syntax error';
  // yaml: "<what> at line 3, column 1:" and an excerpt below; or "<what>: <token of the file>".
  const head = (message.split('\n')[0] ?? '').replace(/:\s*$/, '');
  const place = /^(.*) at line (\d+), column (\d+)$/.exec(head);
  const what = withoutQuote(place ? place[1]! : head);
  return place ? `${what} at line ${place[2]}, column ${place[3]}` : what;
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
