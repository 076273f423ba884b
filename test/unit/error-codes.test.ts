import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_TABLE_END, ERROR_TABLE_START, renderErrorCodeTable } from '../../src/cli/exit-codes.js';
import { ERROR_CODES } from '../../src/domain/error-codes.js';
import { RUN_ERROR_CODES } from '../../src/domain/run-error-codes.js';
import { USAGE_ERROR_CODES } from '../../src/domain/usage-error-codes.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** Table rows as cell lists, whatever the column padding (Biome aligns the Markdown table). */
function rowsOf(table: string): string[][] {
  return table
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[\s-|]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
}

function listTs(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listTs(full) : name.endsWith('.ts') ? [full] : [];
  });
}

/** The exit code each error class gives (errors.ts). */
const CLASS_EXITS: Record<string, number> = {
  UsageError: 2,
  PreflightError: 2,
  OperationError: 1,
  ConflictError: 5,
  UnsafeError: 4,
};

describe('error codes', () => {
  it('docs/exit-codes.md shows exactly the table generated from src/domain/error-codes.ts', () => {
    const doc = readFileSync(join(ROOT, 'docs/exit-codes.md'), 'utf8');
    const start = doc.indexOf(ERROR_TABLE_START);
    const end = doc.indexOf(ERROR_TABLE_END);
    expect(start, 'the error-code markers are missing').toBeGreaterThan(0);
    const documented = rowsOf(doc.slice(start + ERROR_TABLE_START.length, end));
    expect(documented, 'run `npm run docs:errors`').toEqual(rowsOf(renderErrorCodeTable()));
  });

  it('no code is in both halves of the table (a spread would keep the later one silently)', () => {
    const twice = Object.keys(USAGE_ERROR_CODES).filter((code) => Object.hasOwn(RUN_ERROR_CODES, code));
    expect(twice).toEqual([]);
    expect(Object.keys(ERROR_CODES)).toHaveLength(
      Object.keys(USAGE_ERROR_CODES).length + Object.keys(RUN_ERROR_CODES).length,
    );
  });

  it('every row of the table has three cells (a pipe in a meaning is escaped)', () => {
    const rows = renderErrorCodeTable().split('\n');
    const cells = (row: string) => row.split(/(?<!\\)\|/).length - 2;
    expect(rows.filter((r) => cells(r) !== 3)).toEqual([]);
    expect(rows.find((r) => r.startsWith('| `NO_RUNNING_DEPLOYMENT`'))).toContain('promote\\|pause');
  });

  it('the drift check sees a code missing from the docs', () => {
    const table = renderErrorCodeTable();
    const doc = table.replace(/\n\| `SANDBOX_STATE_INVALID` [^\n]*/, '');
    expect(rowsOf(doc)).not.toEqual(rowsOf(table));
  });

  it('every `new XError(CODE…)` in the sources uses its class’s exit code as documented', () => {
    const files = [...listTs(join(ROOT, 'src')), ...listTs(join(ROOT, 'commands'))];
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/new (\w+Error)\(\s*'([A-Z_]+)'([^;]*?exitCode: ExitCode\.(\w+))?/g)) {
        const [, cls, code] = m;
        const exit = CLASS_EXITS[cls!];
        if (exit === undefined || m[3]) continue;
        seen.add(code!);
        const info = ERROR_CODES[code as keyof typeof ERROR_CODES];
        if (!info) problems.push(`${file}: ${code} is not in ERROR_CODES`);
        else if (!(info.exits as readonly number[]).includes(exit)) {
          problems.push(
            `${file}: ${code} thrown as ${cls} (exit ${exit}), documented as ${info.exits.join('/')}`,
          );
        }
      }
    }
    expect(seen.size).toBeGreaterThan(50);
    expect(problems).toEqual([]);
  });
});
