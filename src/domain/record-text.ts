/**
 * The pieces of the record's text form (record-encode.ts, record-decode.ts): escaped strings,
 * strategies, whole numbers and percentages, and the RECORD_CORRUPT error for a value that does
 * not read back.
 */
import { OperationError } from './errors.js';
import { printable } from './printable.js';
import { describeClearRecordCommand, RECORD_TAG_PREFIX } from './record-tag.js';

export interface DecodeRecordContext {
  functionName?: string;
  alias?: string;
}

const UTF8 = new TextEncoder();

/** Characters that pass through unescaped: all allowed in a tag value, none of them space or `+`. */
export const PLAIN = /^[A-Za-z0-9_.:/=@-]$/;

export function escapeText(text: string, alsoEscape = ''): string {
  let out = '';
  for (const char of text) {
    if (PLAIN.test(char) && !alsoEscape.includes(char)) {
      out += char;
      continue;
    }
    for (const byte of UTF8.encode(char)) {
      out += `+${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

export function unescapeText(text: string, value: string, where: DecodeRecordContext): string {
  if (!/^(?:[A-Za-z0-9_.:/=@-]|\+[0-9A-F]{2})*$/.test(text)) {
    throw corrupt(value, `has a badly escaped value \`${text}\``, where);
  }
  // Another runner or tool may have written the record: its texts are printed, so never raw.
  return printable(
    text.replace(/(?:\+[0-9A-F]{2})+/g, (run) => {
      const bytes = Uint8Array.from(run.slice(1).split('+'), (hex) => Number.parseInt(hex, 16));
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        throw corrupt(value, `has invalid escaped text \`${run}\``, where);
      }
    }),
  );
}

/**
 * Strategies are full of `%` and `,` (`steps:1%@2m,10%@5m,100%`); writing them as `=` and `/`
 * instead of 3-character escapes lets a 4-step-longer list fit in 256 characters. Literal `=` and
 * `/` are escaped first, so the swap is reversible: `st=steps:1=@2m/10=@5m/100=`.
 */
export function escapeStrategy(strategy: string): string {
  return escapeText(strategy, '=/').replaceAll('+25', '=').replaceAll('+2C', '/');
}

export function unescapeStrategy(text: string, value: string, where: DecodeRecordContext): string {
  return unescapeText(text.replaceAll('=', '+25').replaceAll('/', '+2C'), value, where);
}

export function encodeInteger(n: number, field: string, radix: 10 | 36): string {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new OperationError(
      'RECORD_INVALID',
      `Deployment record field ${field} is ${n}, not a whole number`,
      {
        hint: 'This is a bug in lshift; please report it.',
      },
    );
  }
  return n.toString(radix);
}

export function decodeInteger(
  text: string,
  radix: 10 | 36,
  value: string,
  where: DecodeRecordContext,
): number {
  const digits = radix === 10 ? /^\d{1,15}$/ : /^[0-9a-z]{1,10}$/;
  if (!digits.test(text)) throw corrupt(value, `has an invalid number \`${text}\``, where);
  return Number.parseInt(text, radix);
}

export function encodePercent(p: number): string {
  if (!Number.isFinite(p)) {
    throw new OperationError('RECORD_INVALID', `Deployment record percent is ${p}, not a number`, {
      hint: 'This is a bug in lshift; please report it.',
    });
  }
  return String(p);
}

export function decodePercent(text: string, value: string, where: DecodeRecordContext): number {
  const p = Number(text);
  if (text === '' || !Number.isFinite(p))
    throw corrupt(value, `has an invalid percentage \`${text}\``, where);
  return p;
}

export function corrupt(
  value: string,
  problem: string,
  where: DecodeRecordContext,
  newer = false,
): OperationError {
  const tag =
    where.alias === undefined ? 'The deployment record tag' : `Tag \`${RECORD_TAG_PREFIX}${where.alias}\``;
  const on = where.functionName === undefined ? '' : ` on function ${where.functionName}`;
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  const clear = describeClearRecordCommand(where.functionName, where.alias);
  const hint = newer
    ? `A newer lshift wrote this record; upgrade lshift to read it. To discard it instead (only when no deployment is in progress), delete the tag: \`${clear}\`.`
    : `The tag was edited by hand or by another tool. If no deployment is in progress, delete it with \`${clear}\`, then check the alias with \`lshift status\`.`;
  return new OperationError('RECORD_CORRUPT', `${tag}${on} is unreadable: it ${problem}: \`${shown}\``, {
    hint,
    context: {
      functionName: where.functionName,
      alias: where.alias,
      ...(newer ? { newerRecord: true } : {}),
    },
  });
}
