import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCodeSource, readCodeSource } from '../../src/cli/code-source.js';

function file(name: string, content: string | Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lshift-code-')), name);
  writeFileSync(path, content);
  return path;
}

describe('readCodeSource / checkCodeSource: --zip', () => {
  it('takes a zip archive, an empty one included', () => {
    const local = file('fn.zip', Buffer.from('PK\u0003\u0004rest', 'latin1'));
    const empty = file('empty.zip', Buffer.from('PK\u0005\u0006'.padEnd(22, '\u0000'), 'latin1'));
    expect(readCodeSource({ kind: 'zip', path: local })).toMatchObject({ kind: 'zip', fileName: 'fn.zip' });
    expect(() => checkCodeSource({ kind: 'zip', path: empty })).not.toThrow();
  });

  it.each([
    ['a text file', 'root:x:0:0:root:/root:/bin/bash\n'],
    ['an empty file', ''],
    ['a gzip file', Buffer.from([0x1f, 0x8b, 8, 0])],
  ])('refuses %s as ZIP_NOT_A_ZIP (exit 2), naming it', (_name, content) => {
    const path = file('fn.zip', content);
    for (const check of [checkCodeSource, readCodeSource]) {
      expect(() => check({ kind: 'zip', path })).toThrow(
        expect.objectContaining({
          code: 'ZIP_NOT_A_ZIP',
          exitCode: 2,
          message: expect.stringContaining(path),
        }),
      );
    }
  });

  it('refuses a directory or a missing file as ZIP_NOT_READABLE (exit 2)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-code-'));
    for (const path of [dir, join(dir, 'nope.zip')]) {
      expect(() => checkCodeSource({ kind: 'zip', path })).toThrow(
        expect.objectContaining({ code: 'ZIP_NOT_READABLE', exitCode: 2 }),
      );
    }
  });
});
