/**
 * The package uploaded is the package checked: readCodeSource opens the file once and checks the
 * very bytes it returns. Before, it checked the file (two opens) and then read it again by path,
 * so a build still writing it could have a damaged zip uploaded after a whole one was checked.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tinyZip } from '../helpers/tiny-zip.js';

const opened: string[] = [];
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const record = (path: unknown) => {
    if (typeof path === 'string' && path.endsWith('.zip')) opened.push(path);
  };
  return {
    ...fs,
    openSync: (path: string, ...rest: [string]) => {
      record(path);
      return fs.openSync(path, ...rest);
    },
    readFileSync: (path: string, ...rest: []) => {
      record(path);
      return fs.readFileSync(path, ...rest);
    },
  };
});

const { readCodeSource } = await import('../../src/cli/code-source.js');

afterEach(() => {
  opened.length = 0;
});

describe('readCodeSource: --zip is read once', () => {
  it('opens the package once and returns the bytes it checked', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lshift-once-')), 'fn.zip');
    writeFileSync(path, tinyZip());
    const source = readCodeSource({ kind: 'zip', path });
    expect(opened).toEqual([path]);
    expect(source).toMatchObject({ kind: 'zip', zipFile: tinyZip() });
  });

  it('refuses a damaged package from the bytes it read', () => {
    const whole = tinyZip();
    const path = join(mkdtempSync(join(tmpdir(), 'lshift-once-')), 'cut.zip');
    writeFileSync(path, whole.subarray(0, whole.length - 22));
    expect(() => readCodeSource({ kind: 'zip', path })).toThrow(/not a whole zip archive/);
    expect(opened).toEqual([path]);
  });
});

describe('readCodeSource / checkCodeSource: --zip that is not a regular file', () => {
  it('refuses a named pipe without opening it (opening would wait for a writer)', async () => {
    const { execFileSync } = await import('node:child_process');
    const { checkCodeSource } = await import('../../src/cli/code-source.js');
    const path = join(mkdtempSync(join(tmpdir(), 'lshift-once-')), 'pipe.zip');
    execFileSync('mkfifo', [path]);
    expect(() => checkCodeSource({ kind: 'zip', path })).toThrow(
      /is a named pipe \(FIFO\), not a regular file/,
    );
    expect(() => readCodeSource({ kind: 'zip', path })).toThrow(
      /is a named pipe \(FIFO\), not a regular file/,
    );
    expect(opened).toEqual([]);
  });

  it('refuses a directory, saying so', () => {
    const path = mkdtempSync(join(tmpdir(), 'lshift-once-dir.zip'));
    expect(() => readCodeSource({ kind: 'zip', path })).toThrow(/is a directory, not a regular file/);
  });
});
