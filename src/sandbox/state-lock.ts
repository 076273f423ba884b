/**
 * One running sandbox per state file: a lock file beside it (`<state>.lock`) holds the pid of
 * the sandbox using it. Two sandboxes saving the same file would each overwrite the other's
 * world at every change, silently.
 *
 * A lock is created whole or not at all (written to a temporary file, then hard-linked to its
 * name, which fails if the name exists). A stale lock — its pid is dead, or now belongs to a
 * process started at another time (a reused pid) — is taken over by renaming it aside and
 * checking that what was moved is the lock judged stale: a plain delete could remove the lock
 * another sandbox has just created in its place.
 */
import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { echoPath, echoPathsIn } from '../domain/echo.js';
import { OperationError, UsageError } from '../domain/errors.js';
import { printable } from '../domain/printable.js';
import { judgeLock, type LockHolder, type ProcessProbe, parseLock, systemProbe } from './lock-holder.js';
import { describeRefusal, readSmallRegularFile } from './regular-file.js';
import { resolveStateFile } from './state-file.js';

export interface StateLock {
  readonly path: string;
  /** Removes the lock if it is still this sandbox's. */
  release(): void;
}

const MAX_LOCK_BYTES = 1024 * 1024;
const ATTEMPTS = 5;

const held = new Set<StateLock>();
let exitHookInstalled = false;

/** Takes the lock of `stateFile` or throws SANDBOX_STATE_IN_USE naming the pid that holds it. */
export function acquireStateLock(stateFile: string, probe: ProcessProbe = systemProbe()): StateLock {
  const path = `${resolve(resolveStateFile(stateFile))}.lock`;
  const mine: LockHolder = {
    pid: probe.pid,
    startTime: probe.startTime(probe.pid),
    host: probe.host,
    token: randomUUID(),
  };
  const text = JSON.stringify(mine);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (createLock(path, text, stateFile)) return remember(path, text);
    const found = readLock(path, stateFile);
    if (found === undefined) continue; // Released meanwhile: try again.
    const verdict = judgeLock(found.holder, probe);
    if (verdict.live) throw inUse(stateFile, path, verdict.reason);
    try {
      takeOver(path, found.text);
    } catch (error) {
      throw lockUnwritable(path, stateFile, error);
    }
  }
  throw inUse(stateFile, path, 'other sandboxes keep taking it');
}

function remember(path: string, text: string): StateLock {
  const lock: StateLock = {
    path,
    release: () => {
      held.delete(lock);
      releaseLock(path, text);
    },
  };
  held.add(lock);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // A process that ends without stopping its sandbox (an uncaught error) still frees its lock.
    process.once('exit', () => {
      for (const lock of held) lock.release();
    });
  }
  return lock;
}

/** True if created; false if a lock is already there. */
function createLock(path: string, text: string, stateFile: string): boolean {
  const temporary = `${path}.${process.pid}.${randomUUID()}.tmp`;
  try {
    writeFileSync(temporary, text, { flag: 'wx' });
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw lockUnwritable(path, stateFile, error);
  } finally {
    try {
      unlinkSync(temporary);
    } catch {
      // Never created.
    }
  }
}

function readLock(path: string, stateFile: string): { text: string; holder?: LockHolder } | undefined {
  const read = readSmallRegularFile(path, MAX_LOCK_BYTES);
  if (read.kind === 'missing') return undefined;
  if (read.kind === 'text') return { text: read.text, holder: parseLock(read.text) };
  // A directory or FIFO by that name is nothing a sandbox wrote: not ours to remove.
  throw inUse(stateFile, path, `the lock file ${describeRefusal(read)}`);
}

/** Moves a stale lock aside; puts it back if what moved was a lock taken meanwhile. */
function takeOver(path: string, staleText: string): void {
  const aside = `${path}.stale-${process.pid}-${randomUUID()}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // Someone else moved it.
    throw error;
  }
  let moved = '';
  try {
    moved = readFileSync(aside, 'utf8');
  } catch {
    // Unreadable: treated as not the stale lock, so restored.
  }
  if (moved !== staleText) {
    try {
      linkSync(aside, path);
    } catch {
      // A newer lock already took the name; the next attempt reads that one.
    }
  }
  unlinkSync(aside);
}

function releaseLock(path: string, text: string): void {
  try {
    if (readFileSync(path, 'utf8') === text) unlinkSync(path);
  } catch {
    // Already gone.
  }
}

function lockUnwritable(path: string, stateFile: string, error: unknown): UsageError {
  return new UsageError(
    'SANDBOX_STATE_UNWRITABLE',
    echoPathsIn(
      `Cannot create the lock file ${path} of the sandbox state file ${stateFile}: ${(error as Error).message}`,
      path,
      stateFile,
    ),
    {
      hint: 'The sandbox locks its state file with a file beside it: the folder must be writable (and allow hard links). Fix the permissions, or point --state at another file.',
    },
  );
}

function inUse(stateFile: string, path: string, reason: string): OperationError {
  return new OperationError(
    'SANDBOX_STATE_IN_USE',
    echoPathsIn(
      `The sandbox state file ${stateFile} is in use: ${reason} (lock file ${path}).`,
      path,
      stateFile,
    ),
    {
      hint: printable(
        `Stop that sandbox first, or point --state at another file. If no sandbox uses it, delete ${echoPath(path)}.`,
      ),
    },
  );
}
