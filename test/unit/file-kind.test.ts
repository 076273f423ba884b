import { describe, expect, it } from 'vitest';
import { describeNotRegularFile, type FileKindStats, nameFileKind } from '../../src/domain/file-kind.js';

type Kind = 'directory' | 'fifo' | 'socket' | 'char' | 'block' | 'other';

function statsOf(kind: Kind): FileKindStats {
  return {
    isDirectory: () => kind === 'directory',
    isFIFO: () => kind === 'fifo',
    isSocket: () => kind === 'socket',
    isCharacterDevice: () => kind === 'char',
    isBlockDevice: () => kind === 'block',
  };
}

describe('describeNotRegularFile', () => {
  const rows: [Kind, string | undefined, string][] = [
    ['directory', 'a directory', 'is a directory, not a regular file'],
    ['fifo', 'a named pipe (FIFO)', 'is a named pipe (FIFO), not a regular file'],
    ['socket', 'a socket', 'is a socket, not a regular file'],
    ['char', 'a device', 'is a device, not a regular file'],
    ['block', 'a device', 'is a device, not a regular file'],
    // A kind without a name is said once, not "is not a regular file, not a regular file".
    ['other', undefined, 'is not a regular file'],
  ];
  it.each(rows)('%s → %s / %s', (kind, name, sentence) => {
    expect(nameFileKind(statsOf(kind))).toBe(name);
    expect(describeNotRegularFile(statsOf(kind))).toBe(sentence);
  });
});
