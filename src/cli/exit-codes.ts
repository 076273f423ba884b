/** The exit-code table shown in every command's --help (docs/exit-codes.md has the long form). */
import { ERROR_CODES, type ErrorCodeInfo } from '../domain/error-codes.js';
export const EXIT_CODES_HELP = [
  'EXIT CODES',
  '  0  success: promoted to 100% (or nothing to do)',
  '  1  failed before traffic moved (AWS, permission, internal error); alias unchanged',
  '  2  usage, config or validation error; nothing changed',
  '  3  rolled back: checks failed, all traffic is back on the stable version',
  '  4  unsafe: rollback failed or the alias is in an unknown/split state; a human must look',
  '  5  conflict: another deployment holds the alias, or it changed underneath; nothing overwritten',
].join('\n');

export const ERROR_TABLE_START =
  '<!-- error-codes:start (generated from src/domain/error-codes.ts by `npm run docs:errors`) -->';
export const ERROR_TABLE_END = '<!-- error-codes:end -->';

/** The error-code table of docs/exit-codes.md, ordered by exit code, then as declared. */
export function renderErrorCodeTable(): string {
  const rows = (Object.entries(ERROR_CODES) as [string, ErrorCodeInfo][])
    .map(([code, info], order) => ({ code, info, order }))
    .sort((a, b) => (a.info.exits[0] ?? 0) - (b.info.exits[0] ?? 0) || a.order - b.order)
    .map(({ code, info }) => `| \`${code}\` | ${info.exits.join(' or ')} | ${info.meaning} |`);
  return ['| code | exit | what happened |', '| --- | --- | --- |', ...rows].join('\n');
}

/** `doc` with the text between the markers replaced by the current table. */
export function updateErrorCodeDoc(doc: string): string {
  const start = doc.indexOf(ERROR_TABLE_START);
  const end = doc.indexOf(ERROR_TABLE_END);
  if (start < 0 || end < start) throw new Error('docs/exit-codes.md lacks the error-code markers');
  return `${doc.slice(0, start + ERROR_TABLE_START.length)}\n\n${renderErrorCodeTable()}\n\n${doc.slice(end)}`;
}
