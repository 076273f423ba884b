/**
 * What makes a release's functions act as one while they run (issue 13): they wait for each
 * other's hooks and provisioned concurrency, obey operator commands as one, and stop their
 * heartbeats together at the first failed verdict. How the release then ends: release-settle.ts.
 */
import { commandReaderOf } from '../domain/release-program.js';
import { onAbort } from './fan-out.js';
import type { ShiftContext } from './shift-context.js';

/**
 * The first failed verdict (or an interrupt) ends every function's watch: from that moment no
 * heartbeat is written, and a hold waiting for one stops waiting (deployment-recorder.ts), so
 * the fleet ends and the restores start without waiting for the heartbeats queued at Lambda.
 */
export function stopHeartbeatsOnVerdict(watchSignal: AbortSignal, members: readonly ShiftContext[]): void {
  onAbort(watchSignal, () => {
    for (const ctx of members) ctx.recorder.stopHeartbeats();
  });
}

/**
 * While one function waits without polling health (a hook of the release or its own, its
 * provisioned concurrency after a weight write), the others wait for it — a lockstep level ends
 * with its last write, a --stagger function's turn with the previous one's — without polls of
 * their own: that wait beats for every function's record (shift-waits.ts, beatWhileWaiting).
 */
export function waitAsOneRelease(members: readonly ShiftContext[]): void {
  for (const ctx of members) ctx.waitMates = members;
}

/**
 * The release obeys operator commands as one: its command reader reads its record at every poll
 * (a command is obeyed within a poll), and a pause, resume or promote obeyed by any function
 * holds, frees or ends every function's hold.
 */
export function controlAsOneRelease(members: readonly ShiftContext[]): void {
  commandReaderOf(
    members.map((ctx) => ({ ctx, functionName: ctx.cursor.functionName, alias: ctx.cursor.alias })),
  )?.ctx.operator.readOnEveryPoll();
  // A resumed release its operator had paused (on one record: the reader's) stays paused, all of it.
  const shared = { paused: members.some((ctx) => ctx.operator.paused()) };
  for (const ctx of members) ctx.operator.shareReleaseControl(shared);
}
