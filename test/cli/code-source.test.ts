import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCodeSource, readCodeSource } from '../../src/cli/code-source.js';
import { tinyZip } from '../helpers/tiny-zip.js';

function file(name: string, content: string | Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lshift-code-')), name);
  writeFileSync(path, content);
  return path;
}

describe('readCodeSource / checkCodeSource: --zip', () => {
  it('takes a whole zip archive', () => {
    const local = file('fn.zip', tinyZip());
    expect(readCodeSource({ kind: 'zip', path: local })).toMatchObject({ kind: 'zip', fileName: 'fn.zip' });
    expect(() => checkCodeSource({ kind: 'zip', path: local })).not.toThrow();
  });

  // Lambda's CodeSha256 of it: how a lost UpdateFunctionCode answer is told to be lshift's own.
  it('carries the package’s CodeSha256 (its base64 SHA-256)', () => {
    const local = file('fn.zip', tinyZip());
    const sha256 = createHash('sha256').update(tinyZip()).digest('base64');
    expect(readCodeSource({ kind: 'zip', path: local })).toMatchObject({ codeSha256: sha256 });
  });

  const whole = tinyZip();
  const pastEnd = Buffer.from(whole);
  pastEnd.writeUInt32LE(whole.length + 1000, whole.length - 6);
  const notDirectory = Buffer.from(whole);
  notDirectory.writeUInt32LE(2, whole.length - 6);
  it.each([
    [
      'cut before its end record (a truncated download)',
      whole.subarray(0, whole.length - 22),
      'ZIP_DAMAGED',
      /no end of central directory record/,
    ],
    [
      'cut in half',
      whole.subarray(0, whole.length >> 1),
      'ZIP_DAMAGED',
      /no end of central directory record/,
    ],
    [
      'a bare local header signature',
      Buffer.from('PK\u0003\u0004', 'latin1'),
      'ZIP_DAMAGED',
      /no end of central directory record/,
    ],
    [
      'whose central directory points past its end',
      pastEnd,
      'ZIP_DAMAGED',
      /central directory .* past the end of the file/,
    ],
    [
      'whose central directory is not where its end record says',
      notDirectory,
      'ZIP_DAMAGED',
      /no central directory .*where its end record says/,
    ],
    [
      'with no entry',
      Buffer.from('PK\u0005\u0006'.padEnd(22, '\u0000'), 'latin1'),
      'ZIP_EMPTY',
      /holds no file/,
    ],
  ])('refuses a zip %s (exit 2), naming it, before any AWS call', (_name, content, code, message) => {
    const path = file('fn.zip', content);
    for (const check of [checkCodeSource, readCodeSource]) {
      expect(() => check({ kind: 'zip', path })).toThrow(
        expect.objectContaining({ code, exitCode: 2, message: expect.stringMatching(message) }),
      );
      expect(() => check({ kind: 'zip', path })).toThrow(
        expect.objectContaining({ message: expect.stringContaining(path) }),
      );
    }
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

/**
 * A zip whose central directory declares these uncompressed sizes (the data itself is a few
 * bytes: Lambda reads the sizes the archive declares, as any unzip does, before it extracts).
 * `zip64` entries carry their size in the Zip64 extra field, as archives over 4 GiB do.
 */
function zipDeclaring(entries: { name: string; size: number; zip64?: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(name.length, 26);
    const data = Buffer.from('x');
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt32LE(data.length, 20);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    let extra = Buffer.alloc(0);
    if (entry.zip64) {
      header.writeUInt32LE(0xffffffff, 24);
      extra = Buffer.alloc(12);
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(8, 2);
      extra.writeBigUInt64LE(BigInt(entry.size), 4);
    } else {
      header.writeUInt32LE(entry.size, 24);
    }
    header.writeUInt16LE(extra.length, 30);
    locals.push(local, name, data);
    central.push(header, name, extra);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe('checkCodeSource: --zip unzipped size (Lambda takes at most 250 MB unzipped)', () => {
  const MiB = 1024 * 1024;

  it.each([
    [
      'one file of 300 MB (a zip bomb: a small zip of a huge file of zeros)',
      [{ name: 'zeros.bin', size: 300 * MiB }],
    ],
    [
      'files that add up to 251 MB',
      [
        { name: 'a.bin', size: 200 * MiB },
        { name: 'b.bin', size: 51 * MiB },
      ],
    ],
    ['a Zip64 entry of 5 GB', [{ name: 'big.bin', size: 5 * 1024 * MiB, zip64: true }]],
  ])('refuses %s as ZIP_UNZIPPED_TOO_LARGE (exit 2) before any AWS call', (_name, entries) => {
    const path = file('fn.zip', zipDeclaring(entries));
    for (const check of [checkCodeSource, readCodeSource]) {
      expect(() => check({ kind: 'zip', path })).toThrow(
        expect.objectContaining({
          code: 'ZIP_UNZIPPED_TOO_LARGE',
          exitCode: 2,
          message: expect.stringMatching(/unzips to .* [MG]B .*at most 250\.0 MB/),
        }),
      );
    }
  });

  it('takes a zip of exactly 250 MB unzipped, and one with a comment after its directory', () => {
    const exact = file('fn.zip', zipDeclaring([{ name: 'a.bin', size: 250 * MiB }]));
    expect(() => checkCodeSource({ kind: 'zip', path: exact })).not.toThrow();
    const commented = zipDeclaring([{ name: 'index.js', size: 1000 }]);
    commented.writeUInt16LE(5, commented.length - 2);
    const withComment = file('fn.zip', Buffer.concat([commented, Buffer.from('hello')]));
    expect(() => checkCodeSource({ kind: 'zip', path: withComment })).not.toThrow();
  });
});
