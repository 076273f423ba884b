/**
 * The parts of an alarm name as lshift reads it: literal text, and the placeholders `{function}`
 * and `{alias}` that `deploy`, `status` and `check` fill per function (alarm-templates.ts). `{{`
 * and `}}` stand for a literal `{` and `}`, as in many template languages (Python's str.format,
 * Rust's format!, C#'s composite formatting), so an alarm whose own name holds a brace can be
 * watched by name: `team{{a}}-errors` is the alarm `team{a}-errors`, `{{function}}` the alarm
 * literally named `{function}`. Any other brace is refused (aws-names.ts describeBraceProblem):
 * a lone `{` or `}` is far likelier a typo than part of a real name.
 */

export type AlarmNamePart =
  | { kind: 'text'; text: string }
  | { kind: 'placeholder'; name: 'function' | 'alias' };

/** A brace lshift cannot read: an unknown `{…}` placeholder, or a lone `{` or `}` (at `index`). */
export interface AlarmBraceProblem {
  kind: 'unknown-placeholder' | 'lone-brace';
  /** The placeholder as written, or the lone brace. */
  text: string;
  /** Where it starts in the name (UTF-16 index). */
  index: number;
}

const PLACEHOLDER_SHAPE = /^\{[\w.-]*\}/;

/** The parts of `name`, or the first brace it cannot read. */
export function parseAlarmName(name: string): AlarmNamePart[] | AlarmBraceProblem {
  const parts: AlarmNamePart[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
  };
  for (let i = 0; i < name.length; ) {
    const c = name[i]!;
    if (c !== '{' && c !== '}') {
      text += c;
      i++;
      continue;
    }
    if (name[i + 1] === c) {
      text += c;
      i += 2;
      continue;
    }
    const rest = name.slice(i);
    if (c === '{' && (rest.startsWith('{function}') || rest.startsWith('{alias}'))) {
      const placeholder = rest.startsWith('{function}') ? 'function' : 'alias';
      flush();
      parts.push({ kind: 'placeholder', name: placeholder });
      i += placeholder.length + 2;
      continue;
    }
    const shaped = c === '{' ? PLACEHOLDER_SHAPE.exec(rest) : null;
    if (shaped) return { kind: 'unknown-placeholder', text: shaped[0], index: i };
    return { kind: 'lone-brace', text: c, index: i };
  }
  flush();
  return parts;
}

/** Whether `name` has `{function}` or `{alias}` to fill (an escaped `{{function}}` is not one). */
export function hasAlarmPlaceholder(name: string, which?: 'function' | 'alias'): boolean {
  const parts = parseAlarmName(name);
  return (
    Array.isArray(parts) &&
    parts.some((p) => p.kind === 'placeholder' && (which === undefined || p.name === which))
  );
}

/**
 * The name with its placeholders filled from `values` and its escapes read (`{{` → `{`). A
 * placeholder without a value is kept, and then so are the escapes (`{{`), so the result is still
 * a name to fill later. A name lshift cannot read is returned as it is (it is refused before use).
 */
export function fillAlarmName(name: string, values: { function?: string; alias?: string }): string {
  const parts = parseAlarmName(name);
  if (!Array.isArray(parts)) return name;
  const open = parts.some((p) => p.kind === 'placeholder' && values[p.name] === undefined);
  return parts
    .map((p) => {
      if (p.kind === 'placeholder') return values[p.name] ?? `{${p.name}}`;
      return open ? p.text.replaceAll('{', '{{').replaceAll('}', '}}') : p.text;
    })
    .join('');
}
