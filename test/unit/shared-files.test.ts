/**
 * The files under SHARED (vitest.config.ts) share their worker's modules (isolate: false): one that
 * replaced a module or a global, or faked the timers, would leak that into the files after it.
 * Such a file belongs elsewhere (test/cli, test/aws: isolated).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED } from '../../vitest.config.js';

const ROOT = join(import.meta.dirname, '../..');
const LEAKS =
  /\bvi\.(mock|doMock|unmock|doUnmock|hoisted|resetModules|stubGlobal|stubEnv|useFakeTimers)\(|\bprocess\.env\[[^\]]+\] *=(?!=)/;

/** `test/engine/**\/*.test.ts` → the .ts files under test/engine (recursively: helpers too). */
function filesOf(pattern: string): string[] {
  const dir = pattern.slice(0, pattern.indexOf('/**'));
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => `${dir}/${name}`);
}

describe('test files that share their worker’s modules', () => {
  it('replace no module or global and fake no timers', () => {
    const files = SHARED.flatMap(filesOf);
    expect(files.length).toBeGreaterThan(100);
    const leaking = files.filter(
      (file) =>
        file !== 'test/unit/shared-files.test.ts' && LEAKS.test(readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(leaking).toEqual([]);
  });

  it('the check sees a leak when there is one', () => {
    expect(LEAKS.test("vi.mock('../../src/aws/clients.js')")).toBe(true);
    expect(LEAKS.test("process.env['AWS_REGION'] = 'x'")).toBe(true);
    expect(LEAKS.test("process.env['AWS_REGION'] === 'x'")).toBe(false);
  });
});
