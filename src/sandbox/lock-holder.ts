/**
 * Who holds a sandbox state lock, and whether that holder still runs (./state-lock.ts). The
 * judgement is pure: the process table is read through a ProcessProbe.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface LockHolder {
  pid: number;
  /** When that process started (Linux: /proc/<pid>/stat field 22), to tell a reused pid apart. */
  startTime?: string;
  host?: string;
  /** This lock's own id: a release removes only the lock it wrote. */
  token: string;
}

export interface ProcessProbe {
  pid: number;
  host: string;
  isAlive(pid: number): boolean;
  /** Undefined where it cannot be read (no /proc: macOS, Windows). */
  startTime(pid: number): string | undefined;
}

export interface LockVerdict {
  live: boolean;
  reason: string;
}

/** The holder a lock file names, or undefined for anything a sandbox would not have written. */
export function parseLock(text: string): LockHolder | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const { pid, startTime, host, token } = data as Record<string, unknown>;
  // Never 0 or negative: process.kill(0 or -1, 0) would probe a whole process group.
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid < 1) return undefined;
  if (typeof token !== 'string') return undefined;
  if (startTime !== undefined && typeof startTime !== 'string') return undefined;
  if (host !== undefined && typeof host !== 'string') return undefined;
  return { pid, token, startTime, host };
}

/**
 * A lock is stale when its holder is certainly gone: garbage, a dead pid, or a pid that now
 * belongs to a process started at another time. Whatever cannot be told (another host's pid,
 * no start time to compare) counts as live: taking over a live lock would lose a world.
 */
export function judgeLock(holder: LockHolder | undefined, probe: ProcessProbe): LockVerdict {
  if (holder === undefined) return { live: false, reason: 'the lock file holds no pid' };
  const { pid } = holder;
  if (holder.host !== undefined && holder.host !== probe.host) {
    return {
      live: true,
      reason: `it is held by pid ${pid} on host ${holder.host}, whose processes this machine cannot see`,
    };
  }
  if (!probe.isAlive(pid)) return { live: false, reason: `pid ${pid} is gone` };
  const now = holder.startTime === undefined ? undefined : probe.startTime(pid);
  if (now !== undefined && now !== holder.startTime) {
    return { live: false, reason: `pid ${pid} is now another process` };
  }
  const self = pid === probe.pid ? ' (this process)' : '';
  return { live: true, reason: `it is held by the sandbox with pid ${pid}${self}` };
}

export function systemProbe(): ProcessProbe {
  return { pid: process.pid, host: hostname(), isAlive, startTime: procStartTime };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Field 22 of /proc/<pid>/stat (clock ticks after boot); the name field before it may hold spaces. */
function procStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
