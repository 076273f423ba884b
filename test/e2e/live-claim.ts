/**
 * A claim held by a live actor (a check rolling a function back, another person's rollback):
 * its heartbeat moves on as the sandbox clock does, as that actor's heartbeats would. A test of a
 * command that waits for such a claim (60 simulated seconds: RIVAL_WAIT_MS) used to write one
 * heartbeat ahead and slow the sandbox clock down until that one heartbeat stayed fresh for
 * longer than a loaded machine took to start the CLI: a 60-s wait then took 15–20 real seconds.
 * Kept fresh here, the clock may run at LIVE_CLAIM_SPEED (the wait: 3 real seconds).
 */
import { onTestFinished } from 'vitest';
import { decodeRecord, encodeRecord } from '../../src/domain/deployment-record.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { own } from '../../src/sandbox/own.js';

/**
 * The sandbox clock's speed while a live claim is held. The claim is judged abandoned 240
 * simulated seconds after its heartbeat (LIVE_AHEAD_MS + the stale limit + the check's skew
 * allowance): 12 real seconds at this speed, against a heartbeat written every REFRESH_MS. Only a
 * test process stalled that long (the sandbox is in it) could let the claim go stale.
 */
export const LIVE_CLAIM_SPEED = 20;
/** How far ahead of the sandbox clock each heartbeat is written (a minute: well inside the 5-minute skew limit). */
export const LIVE_AHEAD_MS = 60_000;
const REFRESH_MS = 200;

/** Operations that write: none of them may be served while a test says "nothing written". */
const WRITES = /^(Tag|Untag|Update|Publish|Create|Delete|Put|Stop)/;

export interface LiveClaim {
  /**
   * Stops the heartbeats. `changedByOther`: the record was found other than the last heartbeat
   * written (someone else wrote it; the heartbeats stopped there). `writes`: the write operations
   * the sandbox served meanwhile.
   */
  stop(): { changedByOther: boolean; writes: string[] };
}

/** Moves the heartbeat of the record on `fn`'s `alias` tag on, every REFRESH_MS, until stopped. */
export function keepClaimLive(handle: SandboxHandle, functionName: string, alias = 'live'): LiveClaim {
  const fn = own(handle.state.data.functions, functionName);
  if (!fn) throw new Error(`function ${functionName} missing from the sandbox`);
  const key = `lshift:${alias}`;
  const before = new Map(handle.state.operationCounts);
  let last = fn.tags[key];
  let changedByOther = false;
  const beat = () => {
    if (fn.tags[key] !== last) {
      changedByOther = true;
      clearInterval(timer);
      return;
    }
    const record = decodeRecord(last!);
    last = encodeRecord({ ...record, heartbeatAt: handle.state.simNow() + LIVE_AHEAD_MS });
    fn.tags[key] = last;
  };
  beat();
  const timer = setInterval(beat, REFRESH_MS);
  // A failed assertion before stop() must not leave the heartbeats running.
  onTestFinished(() => clearInterval(timer));
  return {
    stop() {
      clearInterval(timer);
      if (fn.tags[key] !== last) changedByOther = true;
      const writes = [...handle.state.operationCounts]
        .filter(([op, n]) => WRITES.test(op) && n !== (before.get(op) ?? 0))
        .map(([op]) => op);
      return { changedByOther, writes };
    },
  };
}
