/**
 * The other ways a hook prints a secret it was given (escaped characters: escaped-secrets.ts):
 * base64-encoded (`echo -n "$DB_PASSWORD" | base64`, a `user:password` basic-auth
 * header, a Kubernetes secret's `data:`), and base64 wrapped over several lines (`base64` wraps
 * at 76 characters). Pure (docs/hooks.md, "Secrets in hook output").
 *
 * Base64: a value inside a longer encoded text starts at any of three offsets within a 3-byte
 * group, so its encoding depends on what precedes it. Dropping its first 0, 1 or 2 bytes puts the
 * rest on a group boundary in one of the three; and only the characters whose 6 bits all come
 * from the value are fixed — the last one of a value that does not end on a boundary also holds
 * bits of what follows it (`pass\n`). This is the GitHub Actions runner's method (ValueEncoders.
 * EnumerateBase64Variations, https://github.com/actions/runner, src/Sdk/DTLogging/Logging/
 * ValueEncoders.cs), with that last character dropped as its ADR 0297 ("Base64 Masking Trailing
 * Characters") proposes; both alphabets of RFC 4648 (§4 `+/`, §5 `-_`).
 */

/** A form shorter than this is not masked: it would hide ordinary words (as for the values). */
export const MIN_FORM_CHARS = 8;

/** The base64 forms of `value`, each of MIN_FORM_CHARS or more (escapes: escaped-secrets.ts). */
export function encodedForms(value: string): string[] {
  const forms = new Set(base64Forms(value));
  forms.delete(value);
  return [...forms].filter((form) => form.length >= MIN_FORM_CHARS);
}

/**
 * Every base64 form of `value` a longer encoded text can hold, in both alphabets: per offset, the
 * whole encoding without padding (a value that ends the text) and its fixed characters only.
 */
export function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms: string[] = [];
  for (let skip = 0; skip < 3 && skip < bytes.length; skip += 1) {
    const aligned = bytes.subarray(skip);
    const whole = aligned.toString('base64').replace(/=+$/, '');
    const fixed = whole.slice(0, Math.floor((aligned.length * 4) / 3));
    for (const form of [whole, fixed]) forms.push(form, toBase64Url(form));
  }
  return forms;
}

function toBase64Url(form: string): string {
  return form.replaceAll('+', '-').replaceAll('/', '_');
}

/**
 * Wrapped forms with what finds, for one line, the few that can have a piece in it: a piece at a
 * line's end starts with its form's first MIN_FORM_CHARS characters (`starts`), a piece at its
 * start holds its first MIN_FORM_CHARS characters somewhere in the form (`inside`). Built once per
 * set of values: trying every form at every offset of every base64 line cost ~35 µs a line with
 * 32 values (10× the rest of the masking).
 */
export interface WrappedForms {
  readonly forms: readonly string[];
  readonly starts: ReadonlyMap<string, readonly number[]>;
  readonly inside: ReadonlyMap<string, readonly number[]>;
  readonly longest: number;
}

export function indexWrappedForms(forms: readonly string[]): WrappedForms {
  const starts = new Map<string, number[]>();
  const inside = new Map<string, number[]>();
  const note = (map: Map<string, number[]>, key: string, index: number) => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [index]);
    else if (list[list.length - 1] !== index) list.push(index);
  };
  forms.forEach((form, index) => {
    if (form.length < MIN_FORM_CHARS) return;
    note(starts, form.slice(0, MIN_FORM_CHARS), index);
    for (let at = 0; at + MIN_FORM_CHARS <= form.length; at += 1) {
      note(inside, form.slice(at, at + MIN_FORM_CHARS), index);
    }
  });
  return { forms, starts, inside, longest: Math.max(0, ...forms.map((form) => form.length)) };
}

/**
 * `line` with the pieces of a wrapped form masked: the end of the line when it is the start of a
 * form, the start of the line when it is the end of one, the whole line when it is inside one —
 * each piece MIN_FORM_CHARS or more. Only for base64 forms, whose pieces are no words: the start
 * of a plain value (`production` of `production-db.internal`) ends many an ordinary line.
 */
export function maskWrappedPieces(
  line: string,
  wrapped: readonly string[] | WrappedForms,
  mask: string,
): string {
  const index = Array.isArray(wrapped) ? indexWrappedForms(wrapped) : (wrapped as WrappedForms);
  const tail = BASE64_EDGE.test(line.slice(-MIN_FORM_CHARS));
  const head = BASE64_EDGE.test(line.slice(0, MIN_FORM_CHARS));
  if (!tail && !head) return line;
  return maskPiecesOf(line, candidates(line, index, tail, head), mask);
}

/** The forms (in their order) that can have a piece at the line's end (`tail`) or start (`head`). */
function candidates(line: string, index: WrappedForms, tail: boolean, head: boolean): string[] {
  const found = new Set<number>();
  if (head) for (const i of index.inside.get(line.slice(0, MIN_FORM_CHARS)) ?? []) found.add(i);
  if (tail) {
    for (let at = Math.max(0, line.length - index.longest + 1); at <= line.length - MIN_FORM_CHARS; at += 1) {
      for (const i of index.starts.get(line.slice(at, at + MIN_FORM_CHARS)) ?? []) found.add(i);
    }
  }
  return [...found].sort((a, b) => a - b).map((i) => index.forms[i]!);
}

function maskPiecesOf(line: string, forms: readonly string[], mask: string): string {
  let text = line;
  for (const form of forms) {
    const tail = BASE64_EDGE.test(text.slice(-MIN_FORM_CHARS));
    const head = BASE64_EDGE.test(text.slice(0, MIN_FORM_CHARS));
    if (!tail && !head) return text;
    if (tail && head && form.includes(text)) return mask;
    if (tail) text = maskTailPiece(text, form, mask);
    if (head) text = maskHeadPiece(text, form, mask);
  }
  return text;
}

/** A line's end or start that can be a piece of base64 at all (most log lines cannot). */
const BASE64_EDGE = new RegExp(`^[A-Za-z0-9+/_-]{${MIN_FORM_CHARS}}$`);

/** The longest start of `form` (shorter than it) that ends `line`, masked. */
function maskTailPiece(line: string, form: string, mask: string): string {
  const first = line.length - form.length + 1;
  for (let at = Math.max(0, first); at <= line.length - MIN_FORM_CHARS; at += 1) {
    if (line.charCodeAt(at) === form.charCodeAt(0) && form.startsWith(line.slice(at))) {
      return line.slice(0, at) + mask;
    }
  }
  return line;
}

/** The longest end of `form` (shorter than it) that starts `line`, masked. */
function maskHeadPiece(line: string, form: string, mask: string): string {
  const last = form.charCodeAt(form.length - 1);
  for (let end = Math.min(form.length - 1, line.length); end >= MIN_FORM_CHARS; end -= 1) {
    if (line.charCodeAt(end - 1) === last && form.endsWith(line.slice(0, end))) return mask + line.slice(end);
  }
  return line;
}
