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
 * claim, recorder-warnings.ts's.
 */

import type { DeploymentRecord } from '../domain/deployment-record.js';
import { MAX_POLL_INTERVAL_SECONDS } from '../domain/poll-interval.js';
import { createRunnerToken, isSealedPhase } from '../domain/record-seal.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { StateStore, StoreWriteOptions } from '../ports/state-store.js';
import type { FoundGone, RecordWriteOptions, WriteEnd } from './deployment-recorder-types.js';
import { describeError, emitEvent, logWarn } from './emit.js';
import { STILL_PENDING, waitAtMost } from './mark-wait.js';
import { storeClaimClose } from './recorder-claim-close.js';
import { withPendingCommand } from './recorder-commands.js';
import { FunctionGoneNote } from './recorder-gone.js';
import { HeartbeatSwitch } from './recorder-heartbeats.js';
import { describeUnread, describeUnwritten, isFunctionGone } from './recorder-loss.js';
import { RecordOwnership } from './recorder-ownership.js';
import { WriteQueue } from './recorder-queue.js';
import {
  mayPutOffBeat,
  type RecordLag,
  type StoredRead,
  StoredRecordReads,
  UNREADABLE,
  type UnreadRecord,
} from './recorder-reads.js';
import { claimUnwritable, describeHungWrite } from './recorder-warnings.js';

export class DeploymentRecorder {
  private record: DeploymentRecord;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  /** The heartbeat of our last write that reached the store. */
  private lastLandedAt = Number.NEGATIVE_INFINITY;
  /**
   * A write of ours failed (AWS refused or never answered TagResource) since the last one that
   * landed: the stored record is behind what this runner knows (recordBehind).
   */
  private failedSinceLanded?: { at: number; error: string };
  /** A write of ours is known to have landed. */
  private confirmed = false;
  /** Whether the stored record is still ours: the heartbeats we wrote; once lost, why and to whom. */
  private readonly ownership: RecordOwnership;
  /** When the latest poll's read of the record began (readForPoll): a heartbeat then goes by it. */
  private pollReadAt?: number;
  /** Whether, when and how a write or read found the function gone (said once: recorder-loss.ts). */
  private readonly gone: FunctionGoneNote;
  /** The phase of the last write that reached the store. */
  private landedPhase?: DeploymentRecord['phase'];
  /**
   * Our last write carried over an operator command still `sent` (commandToWrite): a write that
   * skips the ownership read reads the record anyway, so it neither drops nor revives it.
   */
  private carrying = false;
  /**
   * Writes run one at a time, in call order (a write may be left to land behind: writeBehind):
   * a heartbeat never lands after a later write, and a stored record never goes back.
   */
  private readonly queue = new WriteQueue();
  private readonly reads: StoredRecordReads;
  private readonly beats = new HeartbeatSwitch();
  /** This run's token (`rn=`): drawn once, on every record it writes (record-seal.ts). */
  private readonly runnerToken: string;
  /** A write of an ending phase was asked for: every write from then on is sealed too. */
  private sealing = false;
  /** A release's member: its deletion, once found, stops the release (shift-context.ts). */
  private stopsReleaseWhenGone = false;
  /**
   * lshift writes the weights, and the next one waits for a lagging record (health-monitor.ts),
   * which rolls back once it has lagged this long (the stale limit, ms).
   */
  private movesWaitForRecord?: { limitMs: number };

  constructor(
    private readonly deps: { store?: StateStore; clock: Clock; events: EventSink; random?: () => number },
    private readonly functionName: string,
    private readonly alias: string,
    initial: DeploymentRecord,
    /**
     * Whether the alias is still as our last write (or preflight read) left it. Tags have no
     * conditional write, so two deploys racing for one alias can both store a record; only the
     * alias RevisionId tells who really owns the deployment. Without it, any other record wins.
     */
    aliasStillOurs?: () => Promise<boolean>,
    /** How soon a heartbeat put off after a failed read is tried again (`--interval`). */
    private readonly pollIntervalMs = MAX_POLL_INTERVAL_SECONDS * 1000,
  ) {
    // A resumed record carries its first run's token: this run is another (record-seal.ts).
    const { runnerToken: _theirs, ...own } = initial;
    this.record = { ...own, history: [...initial.history] };
    this.runnerToken = createRunnerToken(deps.random ?? Math.random);
    this.reads = new StoredRecordReads(deps, functionName, alias);
    this.gone = new FunctionGoneNote(functionName);
    this.ownership = new RecordOwnership(deps, { functionName, alias }, () => this.record, aliasStillOurs);
  }

  current(): DeploymentRecord {
    return { ...this.record, history: [...this.record.history] };
  }

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

  /** The record as this run stores it: with its token (record-seal.ts). */
  private tokened(record: DeploymentRecord): DeploymentRecord {
    return { ...record, runnerToken: this.runnerToken };
  }

  /** How the record just stamped (`this.record`) is written: sealed from its first ending phase on. */
  private writeOptions(urgent?: boolean): StoreWriteOptions {
    if (isSealedPhase(this.record.phase)) this.sealing = true;
    return {
      keepRunnerToken: true,
      ...(this.sealing ? { seal: 'also' as const } : {}),
      ...(urgent ? { urgent: true } : {}),
    };
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

  private async writeNow(
    patch: Partial<DeploymentRecord>,
    opts: RecordWriteOptions & { heartbeat?: boolean },
  ): Promise<WriteEnd> {
    if (this.ownership.lost) return 'lost';
    const store = this.deps.store;
    let ownStored: DeploymentRecord | undefined;
    let unseen = false;
    // A read that finds the function deleted is noted as found by a read, in the phase written.
    const phase = patch.phase ?? this.record.phase;
    // When the read this write goes by began: the poll's (`opts.stored`), or its own below.
    let readAt: number | undefined;
    if (store && this.confirmed && !opts.afterAliasWrite) {
      readAt = opts.stored === undefined ? this.deps.clock.now() : this.pollReadAt;
      const stored = await this.readStored(opts.stored, opts.urgent, phase);
      if (stored === UNREADABLE) unseen = true;
      else if (stored && !this.isOurs(stored) && !(await this.ownership.keepDespite(stored))) {
        this.ownership.markLost(stored);
        return 'lost';
      }
      // Another deployment's record that ours is put back over (keepDespite) carries no command of ours.
      if (stored && stored !== UNREADABLE && this.isOurs(stored)) ownStored = stored;
    } else if (store && this.confirmed && this.carrying) {
      // Our own alias write proved the deployment ours, but only a read tells whether the
      // command carried over is still there or was withdrawn by its sender meanwhile.
      const stored = await this.readStored(undefined, opts.urgent, phase);
      if (stored === UNREADABLE) unseen = true;
      else if (stored && this.isOurs(stored)) ownStored = stored;
    }
    // A heartbeat that waited (for its turn, or its ownership read) past the verdict is dropped.
    if (opts.heartbeat && this.beats.isOff) return 'unwritten';
    if (opts.onlyIfRead && unseen) return 'unwritten';
    // Written blind it could drop a command sent since the last read; it stays due, so the next
    // poll (or the wait's next beat) tries again with a read.
    if (opts.heartbeat && unseen && this.mayPutOffBeat()) return 'unwritten';
    const now = this.deps.clock.now();
    this.record = { ...this.record, ...patch, heartbeatAt: now };
    if (!store) return 'landed';
    this.lastWriteAt = now;
    this.ownership.wrote(now);
    try {
      const { record, carrying } = withPendingCommand(this.current(), ownStored);
      this.carrying = carrying;
      await store.write(this.functionName, this.alias, this.tokened(record), this.writeOptions(opts.urgent));
      if (ownStored && readAt !== undefined) this.ownership.noteLateLanding(readAt);
      this.confirm(now);
      emitEvent(this.deps, { type: 'record.written', phase: this.record.phase });
      return 'landed';
    } catch (error) {
      // A deleted function fails every later write the same way: said once (recorder-loss.ts).
      const warning = describeUnwritten(
        this.record.phase,
        { functionName: this.functionName, alias: this.alias },
        error,
        this.gone.found,
        this.stopsReleaseWhenGone,
        this.movesWaitForRecord,
      );
      if (isFunctionGone(error)) this.noteGone('write');
      // A deleted function is not a record that lags: its next weight write meets the deletion.
      else this.failedSinceLanded = { at: this.failedSinceLanded?.at ?? now, error: describeError(error) };
      if (warning && !opts.quiet) logWarn(this.deps, warning, 'record', isFunctionGone(error));
      return 'unwritten';
    }
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

  private async claimNow(patch: Partial<DeploymentRecord>): Promise<void> {
    const now = this.deps.clock.now();
    this.record = { ...this.record, ...patch, heartbeatAt: now };
    const store = this.deps.store;
    if (!store) return;
    this.lastWriteAt = now;
    this.ownership.wrote(now);
    try {
      await store.write(this.functionName, this.alias, this.tokened(this.current()), this.writeOptions());
    } catch (error) {
      throw claimUnwritable(this.where(), error);
    }
    this.confirm(now);
    emitEvent(this.deps, { type: 'record.written', phase: this.record.phase });
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
    if (!(await this.ownership.keepDespite(stored))) this.ownership.markLost(stored);
  }

  /**
   * The stored record (recorder-reads.ts), or undefined while no write of ours landed yet. A
   * failed read is judged as a poll's is (storedAfterFailedRead): a heartbeat asked for beside a
   * call (beating-driver.ts, health-monitor.ts) reads here, and a deletion it found went unnoted
   * — the heartbeat was put off for it, and the deletion waited for a write to meet it.
   */
  private async readStored(
    known?: StoredRead,
    urgent = false,
    phase = this.record.phase,
  ): Promise<DeploymentRecord | typeof UNREADABLE | undefined> {
    if (!this.confirmed) return undefined;
    return this.reads.read(known, urgent, (error) => this.storedAfterFailedRead(error, phase));
  }

  /**
   * What a read that threw says about the store (StoredRecordReads.afterFailedRead). A read that
   * found the function gone is remembered (goneDuringShift) and said once, as a write's would be: a
   * release's member reads before it beats (operator-control.ts), and an unreadable record may
   * put the beat off — the deletion then waited a heartbeat more to be found.
   */
  storedAfterFailedRead(error: unknown, phase = this.record.phase): null | typeof UNREADABLE {
    if (isFunctionGone(error) && !this.gone.found) {
      this.noteGone('read', phase);
      logWarn(this.deps, describeUnread(phase, this.where(), this.stopsReleaseWhenGone), 'record', true);
    }
    return this.reads.afterFailedRead(error, isFunctionGone(error));
  }

  private noteGone(by: 'write' | 'read', phase = this.record.phase): void {
    this.gone.note(by, phase);
  }

  private where(): { functionName: string; alias: string } {
    return { functionName: this.functionName, alias: this.alias };
  }

  /** The stored record is ours: one we wrote, or a copy of one (recorder-ownership.ts). */
  isOurs(stored: DeploymentRecord): boolean {
    return this.ownership.isOurs(stored);
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

  private mayPutOffBeat(): boolean {
    return mayPutOffBeat(this.record, this.deps.clock.now() - this.lastLandedAt, this.pollIntervalMs);
  }

  /**
   * How far the stored record is behind this runner, while a write has failed since the last one
   * that landed: how long ago that landed write was (what `lshift status`, `check` and another
   * deploy go by), and the latest failure's words. Undefined while every write lands. A hold before a
   * weight write does not end while it is (hold-record-lag.ts, holdsForRecord).
   */
  recordBehind(): { sinceLandedMs: number; error: string } | undefined {
    const failed = this.failedSinceLanded;
    if (!failed || this.ownership.lost) return undefined;
    const landedAt = Number.isFinite(this.lastLandedAt) ? this.lastLandedAt : failed.at;
    return { sinceLandedMs: this.deps.clock.now() - landedAt, error: failed.error };
  }

  /**
   * The latest read of the record failed: since when none has landed (recorder-reads.ts). Not
   * once the record was lost to another lshift: there is nothing more of ours to see.
   */
  recordUnread(): UnreadRecord | undefined {
    return this.ownership.lost === undefined ? this.reads.unread() : undefined;
  }

  /** What a hold before a weight write waits for: a write to land, else a read (RecordLag). */
  recordLag(): RecordLag | undefined {
    const behind = this.recordBehind();
    if (behind) return { kind: 'unwritten', sinceMs: behind.sinceLandedMs, error: behind.error };
    const unread = this.recordUnread();
    return unread && { kind: 'unread', sinceMs: unread.sinceReadMs, error: unread.error };
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

  private confirm(heartbeatAt: number): void {
    this.confirmed = true;
    this.failedSinceLanded = undefined;
    this.lastLandedAt = heartbeatAt;
    this.landedPhase = this.record.phase;
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
