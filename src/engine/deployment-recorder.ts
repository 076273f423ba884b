/**
 * Writes the deployment record at each phase change, each step and (throttled) heartbeats.
 * A failed write never stops a shift: the alias (guarded by RevisionId) is the source of
 * truth, the record only lets other machines see and resume — so it becomes a warning.
 *
 * Ownership: once a write landed, the recorder checks before each later write that the store
 * still holds its own record (same id, a heartbeat it wrote). If not, someone took the
 * deployment over (`deploy --resume` from another runner, `deploy --supersede`, `lshift
 * rollback`), and a heartbeat from here would hide theirs: the recorder stops writing for good
 * and `lostReason()` says why, so the shift can stop. Writes that directly follow one of our
 * own successful alias writes skip the check (`afterAliasWrite`): the RevisionId already proved
 * nobody moved the alias since, and a takeover always moves it — but `lshift rollback` claims the
 * record before it moves the alias, so that holds only for a write sent at once (a single
 * deploy's, one round trip later); a release's step record, which lands seconds later behind the
 * level's other writes, reads first (traffic-steps.ts). Tags have no conditional write,
 * so this is read-then-write: it narrows the race, it cannot close it.
 *
 * The seal (src/domain/record-seal.ts): every record this runner writes carries its token (`rn=`),
 * and from its first write of an ending phase (rolling back, promoted, …) on, each write is also
 * stored as the alias's seal in the same request, so a late write of an older record of this run
 * — an operator's command on a copy of it, a write of ours abandoned in flight — is read as the
 * older record it is, not as the deployment's state.
 *
 * Operator commands: the same read carries a command the sender wrote on our record into the
 * write (recorder-commands.ts says which, and why a heartbeat whose read failed is put off).
 * The order of writes is recorder-queue.ts's; the reads of the store, recorder-reads.ts's;
 * whether heartbeats are on (a release's verdict turns them off), recorder-heartbeats.ts's;
 * whether the stored record is still ours, recorder-ownership.ts's; whether the function was
 * found gone, recorder-gone.ts's; the words of a hung write, a late landing or an unwritable
 * claim, recorder-warnings.ts's. Its state, the write itself and what landed (the lag) are
 * recorder-write-path.ts's.
 */

import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { FoundGone, RecordWriteOptions, WriteEnd } from './deployment-recorder-types.js';
import { describeError, logWarn } from './emit.js';
import { STILL_PENDING, waitAtMost } from './mark-wait.js';
import { storeClaimClose } from './recorder-claim-close.js';
import { type StoredRead, UNREADABLE } from './recorder-reads.js';
import { describeHungWrite } from './recorder-warnings.js';
import { RecorderWritePath } from './recorder-write-path.js';

export class DeploymentRecorder extends RecorderWritePath {
  /**
   * Whether a write of the shift (before any rollback) found the function gone: a rollback that
   * then finds it deleted did not see it deleted under itself (settle-rollback-close.ts).
   */
  foundMissingBeforeRollback(): boolean {
    return this.gone.foundBeforeRollback();
  }

  /**
   * Whether a write of this rollback (the `rolling-back` mark, a heartbeat of its retries) landed
   * on the function: it was there after the rollback began, so a restore that then finds it gone
   * saw it deleted during the rollback (settle-rollback-close.ts); else it may have gone any time since
   * our last landed write.
   */
  landedSinceRollbackBegan(): boolean {
    return this.landedPhase === 'rolling-back';
  }

  /** Its deletion stops the release it is part of: its warning says so (recorder-loss.ts). */
  stopReleaseWhenGone(): void {
    this.stopsReleaseWhenGone = true;
  }

  /**
   * The next weight waits for a lagging record (recordBehind), and the deployment rolls back once
   * it has lagged for `limitMs` (the stale limit): its warnings say so.
   */
  holdMovesForRecord(limitMs: number): void {
    this.movesWaitForRecord = { limitMs };
  }

  /**
   * What found the function gone during the shift (a heartbeat's write, or a read of the record:
   * FUNCTION_NOT_FOUND), once something did; undefined while none did, and for a deletion first
   * found by the rollback. A release stops for it at once (shift-context.ts): its alias went with
   * the function, and the others' stay split until the release decides.
   */
  goneDuringShift(): FoundGone | undefined {
    return this.gone.duringShift();
  }

  /**
   * Our last write found an operator command `sent` in the stored record and carried it over: the
   * next poll reads the record to obey it, heartbeat due or not (operator-control.ts).
   */
  carriesCommand(): boolean {
    return this.carrying;
  }

  /** Why this process no longer owns the record, once it found out; undefined while it does. */
  lostReason(): string | undefined {
    return this.ownership.lost;
  }

  /**
   * Another deployment's open record found over ours before this run moved the alias, left there
   * (recorder-ownership.ts judge): a 412 on our first weight write is that deployment's move.
   */
  rivalBeforeMove(): DeploymentRecord | undefined {
    return this.ownership.rival;
  }

  /** This run has not moved the alias yet: a 412 now met another's first move (settle-first-write.ts). */
  aliasNeverMoved(): boolean {
    return this.ownership.neverMoved;
  }

  /** The record that took ours, as found then (a stop after a moved alias asks whose: settle.ts). */
  lostTo(): DeploymentRecord | undefined {
    return this.ownership.lostTo;
  }

  /**
   * Applies `patch`, stamps the heartbeat, and stores the record (failures become warnings).
   * Resolves false when the record was taken over: nothing is written, now or later.
   */
  async write(patch: Partial<DeploymentRecord>, opts: RecordWriteOptions = {}): Promise<boolean> {
    return (await this.store(patch, opts)) !== 'lost';
  }

  /** `write`, saying whether the record reached the store (a release's rolling-back mark must). */
  store(patch: Partial<DeploymentRecord>, opts: RecordWriteOptions = {}): Promise<WriteEnd> {
    if (patch.phase !== undefined) this.askedPhase = patch.phase;
    return this.queue.run(() => this.writeNow(patch, opts));
  }

  /**
   * `store`, waited for at most `ms` (its turn behind earlier writes, and its own call): `pending`
   * once that passed, said in a warning. The write stays queued: it lands, or fails (said as any
   * write's), in its turn, never before an older write nor after a later one. A rollback's mark
   * (mark-wait.ts): the alias write does not wait for a hung record write. `then`: what the
   * warning says lshift does meanwhile — goes on, or ends (a rollback's close: its process exits
   * with the write unfinished, and the record stays as last written until a check closes it).
   */
  async storeWithin(
    patch: Partial<DeploymentRecord>,
    ms: number,
    opts: RecordWriteOptions = {},
    then: 'goes-on' | 'ends' = 'goes-on',
  ): Promise<WriteEnd | 'pending'> {
    const work = this.store(patch, opts);
    const end = await waitAtMost(this.deps.clock, work, ms);
    if (end !== STILL_PENDING) return end;
    work.catch((error: unknown) => {
      logWarn(
        this.deps,
        `could not write the deployment record of ${this.functionName}: ${describeError(error)}`,
        'record',
      );
    });
    const phase = patch.phase ?? this.record.phase;
    const hung = { ...this.where(), phase, releaseId: this.record.releaseId };
    logWarn(this.deps, describeHungWrite(hung, ms, then), 'record');
    return 'pending';
  }

  /**
   * `write` without waiting for it (a function of a release after its alias write): the write
   * takes its turn behind earlier ones and before later ones, so the stored record can lag the
   * alias but never pass it or go back; a loss shows in `lostReason()` at the next poll.
   */
  writeBehind(patch: Partial<DeploymentRecord>, opts: RecordWriteOptions = {}): void {
    this.write(patch, opts).catch((error: unknown) => {
      logWarn(
        this.deps,
        `could not write the deployment record of ${this.functionName}: ${describeError(error)}`,
        'record',
      );
    });
  }

  /**
   * Every write asked for so far has landed: none is queued or hangs, and none has failed since
   * the last that landed. A release's mark is closed only once every other record's close has
   * (release-settle.ts).
   */
  allLanded(): boolean {
    return this.queue.idle && this.failedSinceLanded === undefined;
  }

  /** Resolves once every write asked for so far has ended. */
  settled(): Promise<void> {
    return this.queue.settled();
  }

  /**
   * A release's verdict failed (release-settle.ts): no heartbeat is written from now on, and a
   * hold waiting for one (in Lambda's request queue) stops waiting, so the restores start at
   * once. Explicit writes (the rollback's records) go on as before, in order.
   */
  stopHeartbeats(): void {
    this.beats.stop();
  }

  /**
   * A release's rollback, its mark stored (release-settle.ts): heartbeats go on again, so a
   * rollback retried for minutes keeps the records fresh and a check does not take it for
   * abandoned (step-restore.ts beats between attempts). Stopped at the verdict, they did not
   * hold up the restores' start.
   */
  resumeHeartbeats(): void {
    this.beats.resume();
  }

  /** `work`, or nothing once heartbeats are stopped (it carries on unawaited; writes stay in order). */
  unlessStopped(work: Promise<void>): Promise<void> {
    return this.beats.unlessStopped(work);
  }

  /**
   * Takes the record over (a resumed deployment's first write): applies `patch` with a fresh
   * heartbeat and stores it. Unlike `write`, a failure throws — taking over a deployment that
   * other machines cannot see is not safe, and nothing has moved yet.
   */
  claim(patch: Partial<DeploymentRecord>): Promise<void> {
    return this.queue.run(() => this.claimNow(patch));
  }

  /**
   * After a claim a signal abandoned (Ctrl-C aborts the AWS calls in flight): it may have landed,
   * leaving a `started` record nobody runs. Closed as rolled back (nothing moved) when the store
   * holds it; anything else is left alone, and the close is written as the seal alone, for a claim
   * that lands later. Best effort: a call started now still runs.
   */
  async closeAbandonedClaim(): Promise<void> {
    const store = this.deps.store;
    if (!store) return;
    const closed: DeploymentRecord = {
      ...this.current(),
      phase: 'rolled-back',
      percent: 0,
      endedAt: this.deps.clock.now(),
      cause: { code: 'INTERRUPTED' },
    };
    const ours = (seen: DeploymentRecord) => seen.id === this.record.id && seen.owner === this.record.owner;
    await storeClaimClose(store, this.where(), this.tokened(closed), ours);
  }

  /**
   * The record someone else stored over ours, or undefined while the store holds ours (or
   * cannot be read, or holds nothing: then the next write simply puts ours back).
   */
  async findTakeover(known?: StoredRead, urgent = false): Promise<DeploymentRecord | undefined> {
    const stored = await this.readStored(known, urgent);
    if (!stored || stored === UNREADABLE) return undefined;
    return this.isOurs(stored) ? undefined : stored;
  }

  /**
   * A record read elsewhere (a poll's: operator-control.ts) that is not ours is judged at once,
   * as the next write's ownership read would judge it: the shift stops at that poll, not up to a
   * heartbeat interval later (release-takeover-reaction.test.ts).
   */
  async noticeTakeover(stored: DeploymentRecord): Promise<void> {
    if (this.ownership.lost || !this.confirmed || this.isOurs(stored)) return;
    if ((await this.ownership.judge(stored)) === 'lost') this.ownership.markLost(stored);
  }

  /** Whether a heartbeat of this interval would write now (not while a write waits its turn). */
  heartbeatDue(minIntervalMs: number): boolean {
    return this.queue.idle && this.deps.clock.now() - this.lastWriteAt >= minIntervalMs;
  }

  /** Re-writes the record with a fresh heartbeat when the last write is at least `minIntervalMs` old. */
  async heartbeat(minIntervalMs: number, stored?: StoredRead): Promise<void> {
    if (!this.deps.store || this.beats.isOff) return;
    if (!this.heartbeatDue(minIntervalMs)) return;
    const run = this.queue.run(() => this.writeNow({}, { stored, heartbeat: true }));
    await this.unlessStopped(run.then(() => undefined));
  }

  /**
   * A poll's read of the record (operator-control.ts): the record, nothing (`null`: none, or
   * corrupt), or UNREADABLE — a failure judged as every read's is (storedAfterFailedRead), and
   * counted for recordUnread as every read is.
   */
  async readForPoll(): Promise<StoredRead> {
    this.pollReadAt = this.deps.clock.now();
    return (await this.reads.read(undefined, false, (error) => this.storedAfterFailedRead(error))) ?? null;
  }

  /**
   * Tries the record again now, not at the heartbeat's spacing (a hold kept for it: recordBehind),
   * unless a write already waits its turn.
   */
  async retryBehind(): Promise<void> {
    if (!this.deps.store || this.beats.isOff || !this.failedSinceLanded || !this.queue.idle) return;
    // Said once by the hold it keeps (health-monitor.ts), not at every poll's try.
    const run = this.queue.run(() => this.writeNow({}, { heartbeat: true, quiet: true }));
    await this.unlessStopped(run.then(() => undefined));
  }

  /**
   * After a write of ours that landed late (noteLateLanding), whether it went over a takeover: a
   * claimant (`lshift rollback`, a check) writes its claim, reads it back CHECK_CLAIM_SETTLE_MS
   * later and goes on when it is still there — so only a write landing later than that after its
   * read can have gone over a claim, the rollback and its close unseen. Tags have no conditional
   * write: the record then says nothing of them. The alias does: every takeover that rolls back
   * writes it (the same routing written again when it is already back: rollback.ts, the fence),
   * so an alias no longer as this runner last wrote or read it (its RevisionId) means the
   * deployment was taken over — lost, and the hook whose wait asks (shift-waits.ts: it reads no
   * alias otherwise, and no alias write of ours runs beside it) ends at once. Not for a deployment
   * under CodeDeploy, which writes the alias itself. An alias that cannot be read says nothing.
   */
  checkLateLanding(): Promise<void> {
    return this.ownership.checkLateLanding();
  }
}
