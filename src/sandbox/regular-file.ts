/**
 * Reads a file the sandbox was pointed at (--state, --scenario, a lock) only if it is a regular
 * file of a sane size. The path is opened non-blocking and checked on the open descriptor: a FIFO
 * would otherwise block the read forever, `/dev/zero` would fill the memory, and a check by path
 * before opening could be answered by another file than the one read.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { describeNotRegularFile } from '../domain/file-kind.js';

export type SmallFileRead =
  | { kind: 'text'; text: string }
  | { kind: 'missing' }
  | { kind: 'not-regular'; problem: string }
  | { kind: 'too-large'; size: number; maxBytes: number }
  | { kind: 'unreadable'; message: string };

export type SmallFileRefusal = Exclude<SmallFileRead, { kind: 'text' } | { kind: 'missing' }>;

/** 10 MiB: far above any scenario or state file the sandbox writes. */
export const MAX_SANDBOX_FILE_BYTES = 10 * 1024 * 1024;

export function readSmallRegularFile(path: string, maxBytes = MAX_SANDBOX_FILE_BYTES): SmallFileRead {
  // Refused by path first: a device is never even opened (opening one may act, e.g. a tape rewinds).
  const refusedByPath = checkSmallRegularFile(path, maxBytes);
  if (refusedByPath) return refusedByPath;
  let fd: number;
  try {
    // Non-blocking, and never as a controlling terminal: the path may be swapped since the check.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unreadable', message: (error as Error).message };
  }
  try {
    const refused = refusal(fstatSync(fd), maxBytes);
    if (refused) return refused;
    const bytes = readAtMost(fd, maxBytes + 1);
    // It may have grown since the fstat, or be a /proc file that says 0 bytes and never ends.
    if (bytes.length > maxBytes) return { kind: 'too-large', size: bytes.length, maxBytes };
    return { kind: 'text', text: bytes.toString('utf8') };
  } catch (error) {
    return { kind: 'unreadable', message: (error as Error).message };
  } finally {
    closeSync(fd);
  }
}

/**
 * The first `limit` bytes of an open file at most. A file of /proc or /sys says it holds 0 bytes
 * and then never ends (`/proc/self/pagemap`): readFileSync read it for minutes at full CPU.
 */
export function readAtMost(fd: number, limit: number): Buffer {
  // Whole 64 KiB reads: /proc/self/pagemap refuses a read whose size is not a multiple of 8.
  const chunk = 64 * 1024;
  const buffer = Buffer.alloc(limit + chunk);
  let length = 0;
  while (length < limit) {
    const read = readSync(fd, buffer, length, chunk, null);
    if (read === 0) break;
    length += read;
  }
  return buffer.subarray(0, length);
}

/** Checks a path without opening it (nothing is created beside a path that will be refused). */
export function checkSmallRegularFile(
  path: string,
  maxBytes = MAX_SANDBOX_FILE_BYTES,
): SmallFileRefusal | undefined {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { kind: 'unreadable', message: (error as Error).message };
  }
  return refusal(stats, maxBytes);
}

function refusal(stats: Stats, maxBytes: number): SmallFileRefusal | undefined {
  if (!stats.isFile()) return { kind: 'not-regular', problem: describeNotRegularFile(stats) };
  if (stats.size > maxBytes) return { kind: 'too-large', size: stats.size, maxBytes };
  return undefined;
}

/**
 * `ENAMETOOLONG: name too long, stat '/tmp/…'` → `ENAMETOOLONG: name too long`: the message this
 * goes in starts with the path already (a 10 KB one was printed twice).
 */
function withoutQuotedPath(message: string): string {
  return message.replace(/, [a-z]+ '[\s\S]*'$/, '');
}

/** `is a directory, not a regular file`, for a message that starts with the path. */
export function describeRefusal(refused: SmallFileRefusal): string {
  switch (refused.kind) {
    case 'not-regular':
      return refused.problem;
    case 'too-large':
      return `is ${refused.size} bytes, over the ${refused.maxBytes / (1024 * 1024)} MiB the sandbox reads`;
    case 'unreadable':
      return `cannot be read: ${withoutQuotedPath(refused.message)}`;
  }
}
