/**
 * The deployment recorder's state and its write path (deployment-recorder.ts says what the
 * recorder does, and why): a write's ownership read, the write itself, a claim's, what landed,
 * and how far the stored record lags behind this runner.
 */

import type { DeploymentRecord } from '../domain/deployment-record.js';
import { MAX_POLL_INTERVAL_SECONDS } from '../domain/poll-interval.js';
import { createRunnerToken, isSealedPhase } from '../domain/record-seal.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { StateStore, StoreWriteOptions } from '../ports/state-store.js';
import type { RecordWriteOptions, WriteEnd } from './deployment-recorder-types.js';
import { describeError, emitEvent, logWarn } from './emit.js';
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
import { claimUnwritable } from './recorder-warnings.js';

export class RecorderWritePath {
  protected record: DeploymentRecord;
  protected lastWriteAt = Number.NEGATIVE_INFINITY;
  /** The heartbeat of our last write that reached the store. */
  private lastLandedAt = Number.NEGATIVE_INFINITY;
  /**
   * A write of ours failed (AWS refused or never answered TagResource) since the last one that
   * landed: the stored record is behind what this runner knows (recordBehind).
   */
  protected failedSinceLanded?: { at: number; error: string };
  /** A write of ours is known to have landed. */
  protected confirmed = false;
  /** Whether the stored record is still ours: the heartbeats we wrote; once lost, why and to whom. */
  protected readonly ownership: RecordOwnership;
  /** When the latest poll's read of the record began (readForPoll): a heartbeat then goes by it. */
  protected pollReadAt?: number;
  /** Whether, when and how a write or read found the function gone (said once: recorder-loss.ts). */
  protected readonly gone: FunctionGoneNote;
  /** The phase of the last write that reached the store. */
  protected landedPhase?: DeploymentRecord['phase'];
  /**
   * Our last write carried over an operator command still `sent` (commandToWrite): a write that
   * skips the ownership read reads the record anyway, so it neither drops nor revives it.
   */
  protected carrying = false;
  /**
   * Writes run one at a time, in call order (a write may be left to land behind: writeBehind):
   * a heartbeat never lands after a later write, and a stored record never goes back.
   */
  protected readonly queue = new WriteQueue();
  protected readonly reads: StoredRecordReads;
  protected readonly beats = new HeartbeatSwitch();
  /** This run's token (`rn=`): drawn once, on every record it writes (record-seal.ts). */
  private readonly runnerToken: string;
  /** A write of an ending phase was asked for: every write from then on is sealed too. */
  private sealing = false;
  /** A release's member: its deletion, once found, stops the release (shift-context.ts). */
  protected stopsReleaseWhenGone = false;
  /**
   * lshift writes the weights, and the next one waits for a lagging record (health-monitor.ts),
   * which rolls back once it has lagged this long (the stale limit, ms).
   */
  protected movesWaitForRecord?: { limitMs: number };
  /**
   * The phase of the latest write asked for (`store`), queued or not: a write of the shift that
   * fails after the rollback's mark was asked for is said as the rollback's time, not the shift's
   * (found by a hostile pass: "the shift continues, but moves no more traffic" under a ROLLBACK).
   */
  protected askedPhase?: DeploymentRecord['phase'];

  constructor(
    protected readonly deps: { store?: StateStore; clock: Clock; events: EventSink; random?: () => number },
    protected readonly functionName: string,
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
    /** This run has not moved the alias yet (recorder-ownership.ts judge: a rival's record). */
    aliasNeverMoved?: () => boolean,
  ) {
    // A resumed record carries its first run's token: this run is another (record-seal.ts).
    const { runnerToken: _theirs, ...own } = initial;
    this.record = { ...own, history: [...initial.history] };
    this.runnerToken = createRunnerToken(deps.random ?? Math.random);
    this.reads = new StoredRecordReads(deps, functionName, alias);
    this.gone = new FunctionGoneNote(functionName);
    this.ownership = new RecordOwnership(
      deps,
      { functionName, alias },
      () => this.record,
      aliasStillOurs,
      aliasNeverMoved,
    );
  }

  current(): DeploymentRecord {
    return { ...this.record, history: [...this.record.history] };
  }

  /** The record as this run stores it: with its token (record-seal.ts). */
  protected tokened(record: DeploymentRecord): DeploymentRecord {
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

  protected async writeNow(
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
      else if (stored && !this.isOurs(stored)) {
        const judged = await this.ownership.judge(stored);
        if (judged === 'lost') {
          this.ownership.markLost(stored);
          return 'lost';
        }
        // Left to the rival until our alias write lands (recorder-ownership.ts judge): the patch is
        // kept for the next write, nothing is stored.
        if (judged === 'rival') {
          this.record = { ...this.record, ...patch };
          return 'unwritten';
        }
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
        {
          inRelease: this.stopsReleaseWhenGone,
          ...(this.movesWaitForRecord ? { movesWaitForIt: this.movesWaitForRecord } : {}),
          ...(this.askedPhase ? { askedSince: this.askedPhase } : {}),
        },
      );
      if (isFunctionGone(error)) this.noteGone('write');
      // A deleted function is not a record that lags: its next weight write meets the deletion.
      else this.failedSinceLanded = { at: this.failedSinceLanded?.at ?? now, error: describeError(error) };
      if (warning && !opts.quiet) logWarn(this.deps, warning, 'record', isFunctionGone(error));
      return 'unwritten';
    }
  }

  protected async claimNow(patch: Partial<DeploymentRecord>): Promise<void> {
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
   * The stored record (recorder-reads.ts), or undefined while no write of ours landed yet. A
   * failed read is judged as a poll's is (storedAfterFailedRead): a heartbeat asked for beside a
   * call (beating-driver.ts, health-monitor.ts) reads here, and a deletion it found went unnoted
   * — the heartbeat was put off for it, and the deletion waited for a write to meet it.
   */
  protected async readStored(
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

  protected where(): { functionName: string; alias: string } {
    return { functionName: this.functionName, alias: this.alias };
  }

  /** The stored record is ours: one we wrote, or a copy of one (recorder-ownership.ts). */
  isOurs(stored: DeploymentRecord): boolean {
    return this.ownership.isOurs(stored);
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

  private confirm(heartbeatAt: number): void {
    this.confirmed = true;
    this.failedSinceLanded = undefined;
    this.lastLandedAt = heartbeatAt;
    this.landedPhase = this.record.phase;
  }
}
