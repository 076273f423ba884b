/**
 * Reads a file the sandbox was pointed at (--state, --scenario, a lock) only if it is a regular
 * file of a sane size. The path is opened non-blocking and checked on the open descriptor: a FIFO
 * would otherwise block the read forever, `/dev/zero` would fill the memory, and a check by path
 * before opening could be answered by another file than the one read.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { describeFileKind } from '../domain/file-kind.js';

export type SmallFileRead =
  | { kind: 'text'; text: string }
  | { kind: 'missing' }
  | { kind: 'not-regular' | 'too-large' | 'unreadable'; problem: string };

/** 10 MiB: far above any scenario or state file the sandbox writes. */
export const MAX_SANDBOX_FILE_BYTES = 10 * 1024 * 1024;

export function readSmallRegularFile(path: string, maxBytes = MAX_SANDBOX_FILE_BYTES): SmallFileRead {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unreadable', problem: (error as Error).message };
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { kind: 'not-regular', problem: `it is ${describeFileKind(stats)}` };
    if (stats.size > maxBytes) return tooLarge(stats.size, maxBytes);
    const bytes = readFileSync(fd);
    // It may have grown since the fstat.
    if (bytes.length > maxBytes) return tooLarge(bytes.length, maxBytes);
    return { kind: 'text', text: bytes.toString('utf8') };
  } catch (error) {
    return { kind: 'unreadable', problem: (error as Error).message };
  } finally {
    closeSync(fd);
  }
}

function tooLarge(size: number, maxBytes: number): SmallFileRead {
  return {
    kind: 'too-large',
    problem: `it is ${size} bytes, over the ${maxBytes / (1024 * 1024)} MiB the sandbox reads`,
  };
}
