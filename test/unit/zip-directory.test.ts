import { describe, expect, it } from 'vitest';
import { declaredUnzippedBytes, findZipEnd, readZip64End } from '../../src/domain/zip-directory.js';

/** An end of central directory record: `entries` entries, a directory of `bytes` at `offset`. */
function endRecord(entries: number, bytes: number, offset: number, comment = ''): Buffer {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries, 8);
  end.writeUInt16LE(entries, 10);
  end.writeUInt32LE(bytes, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([end, Buffer.from(comment, 'latin1')]);
}

function header(size: number, name = 'f'): Buffer {
  const h = Buffer.alloc(46 + name.length);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt32LE(size, 24);
  h.writeUInt16LE(name.length, 28);
  h.write(name, 46, 'latin1');
  return h;
}

describe('findZipEnd', () => {
  it.each<[string, Buffer, ReturnType<typeof findZipEnd>]>([
    [
      'a plain end record',
      endRecord(2, 100, 5000),
      { kind: 'directory', entries: 2, bytes: 100, offset: 5000 },
    ],
    [
      'after data',
      Buffer.concat([Buffer.alloc(300), endRecord(1, 47, 253)]),
      { kind: 'directory', entries: 1, bytes: 47, offset: 253 },
    ],
    [
      'with a comment',
      endRecord(1, 47, 0, 'built by ci'),
      { kind: 'directory', entries: 1, bytes: 47, offset: 0 },
    ],
    // The signature inside a comment is not the record: its comment would not reach the end.
    [
      'whose comment holds a signature',
      endRecord(1, 47, 0, `x${endRecord(9, 9, 9).toString('latin1')} and more text`),
      { kind: 'directory', entries: 1, bytes: 47, offset: 0 },
    ],
    ['no record at all (a cut-off file)', Buffer.from('PK\u0003\u0004rest', 'latin1'), undefined],
    ['nothing', Buffer.alloc(0), undefined],
  ])('%s', (_name, tail, expected) => {
    expect(findZipEnd(tail)).toEqual(expected);
  });

  it('points at the Zip64 end record when the sizes do not fit', () => {
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(1234n, 8);
    expect(findZipEnd(Buffer.concat([locator, endRecord(0xffff, 0xffffffff, 0xffffffff)]))).toEqual({
      kind: 'zip64',
      zip64At: 1234,
    });
  });
});

describe('readZip64End', () => {
  it('reads entries, size and offset; anything else is undefined', () => {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(70000n, 32);
    record.writeBigUInt64LE(5_000_000n, 40);
    record.writeBigUInt64LE(6_000_000_000n, 48);
    expect(readZip64End(record)).toEqual({
      kind: 'directory',
      entries: 70000,
      bytes: 5_000_000,
      offset: 6_000_000_000,
    });
    expect(readZip64End(Buffer.alloc(56))).toBeUndefined();
    expect(readZip64End(record.subarray(0, 40))).toBeUndefined();
  });
});

describe('declaredUnzippedBytes', () => {
  it.each<[string, Buffer, number, number | undefined]>([
    ['sums the entries', Buffer.concat([header(10), header(20, 'gg')]), 2, 30],
    ['no entries', Buffer.alloc(0), 0, 0],
    ['more entries announced than the directory holds', header(10), 2, undefined],
    ['not a directory (data before the archive moved it)', Buffer.alloc(46), 1, undefined],
    ['a name running past the end', header(10, 'name').subarray(0, 48), 1, undefined],
  ])('%s', (_name, directory, entries, expected) => {
    expect(declaredUnzippedBytes(directory, entries)).toBe(expected);
  });
});
