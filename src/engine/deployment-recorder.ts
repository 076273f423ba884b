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
 * nobody moved the alias since, and a takeover always moves it. Tags have no conditional write,
 * so this is read-then-write: it narrows the race, it cannot close it.
 *
 * Operator commands: the same read carries a command the sender wrote on our record, not yet
 * answered, into the write (withPendingCommand) — a hook's or a READY wait's heartbeats write
 * the record from memory and would otherwise drop it before a health poll reads it. When that
 * read fails (throttled, a network error), what the store holds is unknown: a heartbeat then
 * says nothing the store lacks, so it is put off to the next try, a poll later, rather than
 * written over a command it could not see (mayPutOffBeat bounds it so the record never looks
 * abandoned). A write that says something new (a step, a phase) goes ahead without the command:
 * carrying the last one seen could write back one its sender withdrew meanwhile, and a sender
 * still waiting writes a dropped command again (operator-send.ts).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { isLshiftError, type LshiftError, OperationError } from '../domain/errors.js';
import { commandToWrite } from '../domain/operator-command.js';
import { MAX_POLL_INTERVAL_SECONDS } from '../domain/poll-interval.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { StateStore } from '../ports/state-store.js';
import { describeError, emitEvent, logWarn } from './emit.js';
import { isEnded } from './record-view.js';
import { describeLoss, whatGoesOn } from './recorder-loss.js';
import { mayPutOffBeat, type StoredRead, UNREADABLE } from './recorder-reads.js';

export interface RecordWriteOptions {
  /** This write follows our own successful alias write: skip the ownership read. */
  afterAliasWrite?: boolean;
  /**
   * The store as read moments ago in this same poll (operator-control.ts), so the ownership
   * check does not read it again (`null`: read, and held nothing; UNREADABLE: the read failed).
   */
  stored?: StoredRead;
  /** Ahead of routine requests in Lambda's queue (the mark of a failed release: release-settle.ts). */
  urgent?: boolean;
}

/** How a write ended: stored, not stored (a warning was logged), or not tried (taken over). */
export type WriteEnd = 'landed' | 'unwritten' | 'lost';

export class DeploymentRecorder {
  private record: DeploymentRecord;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  /** The heartbeat of our last write that reached the store. */
  private lastLandedAt = Number.NEGATIVE_INFINITY;
  /** A write of ours is known to have landed. */
  private confirmed = false;
  /** Every heartbeat this process ever tried to store: an operator command is written on a copy of one. */
  private readonly written = new Set<number>();
  private lost?: string;
  /**
   * Our last write carried over an operator command still `sent` (commandToWrite): a write that
   * skips the ownership read reads the record anyway, so it neither drops nor revives it.
   */
  private carrying = false;
  /**
   * Writes run one at a time, in call order (a write may be left to land behind: writeBehind):
   * a heartbeat never lands after a later write, and a stored record never goes back.
   */
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private heartbeatsStopped = false;
  /** Problems of unreadable records already warned about (noteUnreadable). */
  private readonly unreadableSeen = new Set<string>();
  private readonly stopped: Promise<void>;
  private signalStopped: () => void = () => undefined;

  constructor(
    private readonly deps: { store?: StateStore; clock: Clock; events: EventSink },
    private readonly functionName: string,
    private readonly alias: string,
    initial: DeploymentRecord,
    /**
     * Whether the alias is still as our last write (or preflight read) left it. Tags have no
     * conditional write, so two deploys racing for one alias can both store a record; only the
     * alias RevisionId tells who really owns the deployment. Without it, any other record wins.
     */
    private readonly aliasStillOurs?: () => Promise<boolean>,
    /** How soon a heartbeat put off after a failed read is tried again (`--interval`). */
    private readonly pollIntervalMs = MAX_POLL_INTERVAL_SECONDS * 1000,
  ) {
    this.record = { ...initial, history: [...initial.history] };
    this.stopped = new Promise((resolve) => {
      this.signalStopped = resolve;
    });
  }

  current(): DeploymentRecord {
    return { ...this.record, history: [...this.record.history] };
  }

  /** Why this process no longer owns the record, once it found out; undefined while it does. */
  lostReason(): string | undefined {
    return this.lost;
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
    return this.inTurn(() => this.writeNow(patch, opts));
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

  /** Resolves once every write asked for so far has ended. */
  async settled(): Promise<void> {
    await this.tail;
  }

  private inTurn<T>(run: () => Promise<T>): Promise<T> {
    this.queued++;
    const turn = this.tail.then(run, run).finally(() => {
      this.queued--;
    });
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async writeNow(
    patch: Partial<DeploymentRecord>,
    opts: RecordWriteOptions & { heartbeat?: boolean },
  ): Promise<WriteEnd> {
    if (this.lost) return 'lost';
    const store = this.deps.store;
    let ownStored: DeploymentRecord | undefined;
    let unseen = false;
    if (store && this.confirmed && !opts.afterAliasWrite) {
      const stored = await this.readStored(opts.stored, opts.urgent);
      if (stored === UNREADABLE) unseen = true;
      else if (stored && !this.isOurs(stored) && !(await this.keepDespite(stored))) {
        this.markLost(stored);
        return 'lost';
      } else if (stored) ownStored = stored;
    } else if (store && this.confirmed && this.carrying) {
      // Our own alias write proved the deployment ours, but only a read tells whether the
      // command carried over is still there or was withdrawn by its sender meanwhile.
      const stored = await this.readStored(undefined, opts.urgent);
      if (stored === UNREADABLE) unseen = true;
      else if (stored && this.isOurs(stored)) ownStored = stored;
    }
    // A heartbeat that waited (for its turn, or its ownership read) past the verdict is dropped.
    if (opts.heartbeat && this.heartbeatsStopped) return 'unwritten';
    // Written blind it could drop a command sent since the last read; it stays due, so the next
    // poll (or the wait's next beat) tries again with a read.
    if (opts.heartbeat && unseen && this.mayPutOffBeat()) return 'unwritten';
    const now = this.deps.clock.now();
    this.record = { ...this.record, ...patch, heartbeatAt: now };
    if (!store) return 'landed';
    this.lastWriteAt = now;
    this.written.add(now);
    try {
      const record = this.withPendingCommand(ownStored);
      if (opts.urgent) await store.write(this.functionName, this.alias, record, { urgent: true });
      else await store.write(this.functionName, this.alias, record);
      this.confirm(now);
      emitEvent(this.deps, { type: 'record.written', phase: this.record.phase });
      return 'landed';
    } catch (error) {
      logWarn(
        this.deps,
        `could not write the deployment record (${this.record.phase}) of ${this.functionName} alias ${this.alias}: ${describeError(error)}; ${whatGoesOn(this.record.phase)}`,
        'record',
      );
      return 'unwritten';
    }
  }

  /**
   * The record to store: ours, carrying over an operator command the stored record (just read,
   * ours) has and we have not answered yet — else a heartbeat during a hook or the wait for
   * READY would write it away before a health poll reads it. The command stays out of memory: it
   * is carried from what the store holds, so a command withdrawn meanwhile is not written back.
   * An ending record (promoted, rolling back, …) carries none: nobody will read it.
   */
  private withPendingCommand(ownStored: DeploymentRecord | undefined): DeploymentRecord {
    const record = this.current();
    const running = !isEnded(record) && record.phase !== 'rolling-back';
    const command = running ? commandToWrite(record.command, ownStored?.command) : record.command;
    this.carrying = command !== undefined && command !== record.command;
    if (!this.carrying) return record;
    return { ...record, command: command! };
  }

  /**
   * A release's verdict failed (release-settle.ts): no heartbeat is written from now on, and a
   * hold waiting for one (in Lambda's request queue) stops waiting, so the restores start at
   * once. Explicit writes (the rollback's records) go on as before, in order.
   */
  stopHeartbeats(): void {
    this.heartbeatsStopped = true;
    this.signalStopped();
  }

  /** `work`, or nothing once heartbeats are stopped (it carries on unawaited; writes stay in order). */
  unlessStopped(work: Promise<void>): Promise<void> {
    if (this.heartbeatsStopped) return Promise.resolve();
    work.catch(() => undefined);
    return Promise.race([work, this.stopped]);
  }

  /**
   * Takes the record over (a resumed deployment's first write): applies `patch` with a fresh
   * heartbeat and stores it. Unlike `write`, a failure throws — taking over a deployment that
   * other machines cannot see is not safe, and nothing has moved yet.
   */
  claim(patch: Partial<DeploymentRecord>): Promise<void> {
    return this.inTurn(() => this.claimNow(patch));
  }

  private async claimNow(patch: Partial<DeploymentRecord>): Promise<void> {
    const now = this.deps.clock.now();
    this.record = { ...this.record, ...patch, heartbeatAt: now };
    const store = this.deps.store;
    if (!store) return;
    this.lastWriteAt = now;
    this.written.add(now);
    try {
      await store.write(this.functionName, this.alias, this.current());
    } catch (error) {
      throw new OperationError(
        'STATE_UNWRITABLE',
        `Could not write the deployment record of ${this.functionName} alias ${this.alias}: ${describeError(error)}`,
        {
          hint: 'lshift needs lambda:TagResource on the function to take a deployment over; nothing was changed.',
          context: { functionName: this.functionName, alias: this.alias },
          cause: error,
        },
      );
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
   * The stored record (`known`: as read moments ago), UNREADABLE, or undefined: none, corrupt
   * (written over: noteUnreadable), or no write of ours landed yet.
   */
  private async readStored(
    known?: StoredRead,
    urgent = false,
  ): Promise<DeploymentRecord | typeof UNREADABLE | undefined> {
    const store = this.deps.store;
    if (!store || !this.confirmed) return undefined;
    if (known !== undefined) return known ?? undefined;
    try {
      return (
        (urgent
          ? await store.read(this.functionName, this.alias, { urgent })
          : await store.read(this.functionName, this.alias)) ?? undefined
      );
    } catch (error) {
      return this.storedAfterFailedRead(error) ?? undefined;
    }
  }

  /**
   * What a read that threw says about the store, for `stored` (operator-control.ts reads at each
   * poll): a corrupt record is as good as none — ours is written back over it (said once) —
   * anything else (throttled, network) leaves what it holds unknown.
   */
  storedAfterFailedRead(error: unknown): null | typeof UNREADABLE {
    if (isLshiftError(error) && error.code === 'RECORD_CORRUPT') {
      this.noteUnreadable(error);
      return null;
    }
    return UNREADABLE;
  }

  /**
   * A record that cannot be decoded (RECORD_CORRUPT: edited by hand or by another tool) is
   * written over by this live runner's next write, as a missing one is: say so once per distinct
   * problem, so the overwrite is never silent. A read that failed for any other reason (throttled,
   * network) is only retried by the next poll (storedAfterFailedRead).
   */
  private noteUnreadable(error: LshiftError): void {
    const problem = describeError(error);
    if (this.unreadableSeen.has(problem)) return;
    this.unreadableSeen.add(problem);
    logWarn(
      this.deps,
      `the deployment record of ${this.functionName} alias ${this.alias} was changed into a value lshift cannot decode (${problem}); this deployment is still running and writes its own record back over it`,
      'record',
    );
  }

  /**
   * The stored record is ours: one we wrote, or a copy of one we wrote (an operator command is
   * written on a copy of what `lshift promote|pause|resume|abort` read, and withdrawn the same
   * way). A takeover — resume, supersede, rollback, `lshift alias` — always stamps its own
   * heartbeat, so it never matches one of ours.
   */
  isOurs(stored: DeploymentRecord): boolean {
    return stored.id === this.record.id && this.written.has(stored.heartbeatAt);
  }

  /**
   * Another record replaced ours, but the alias has not moved since we last saw it: that
   * deployment lost the race for the alias (its first write met a 412) or never got to write,
   * so ours is put back. Never over a rollback's claim on this very deployment (`lshift
   * rollback`, `check`, `deploy --supersede`: ours, `rolling-back`, another owner): the alias
   * has not moved yet because that rollback is about to move it, or waits for CodeDeploy's own
   * rollback to (minutes) — put back, ours would hide the claim and this runner roll back beside it.
   */
  private async keepDespite(other: DeploymentRecord): Promise<boolean> {
    if (!this.aliasStillOurs) return false;
    if (other.id === this.record.id && other.phase === 'rolling-back') return false;
    const ours = await this.aliasStillOurs().catch(() => false);
    if (ours) {
      logWarn(
        this.deps,
        `deployment ${other.id} (${other.owner}) stored its record over ours on ${this.functionName} alias ${this.alias}, but never moved the alias; restoring ours`,
        'record',
      );
    }
    return ours;
  }

  /** Whether a heartbeat of this interval would write now (not while a write waits its turn). */
  heartbeatDue(minIntervalMs: number): boolean {
    return this.queued === 0 && this.deps.clock.now() - this.lastWriteAt >= minIntervalMs;
  }

  /** Re-writes the record with a fresh heartbeat when the last write is at least `minIntervalMs` old. */

  async heartbeat(minIntervalMs: number, stored?: StoredRead): Promise<void> {
    if (!this.deps.store || this.heartbeatsStopped) return;
    if (!this.heartbeatDue(minIntervalMs)) return;
    const run = this.inTurn(() => this.writeNow({}, { stored, heartbeat: true }));
    await this.unlessStopped(run.then(() => undefined));
  }

  private mayPutOffBeat(): boolean {
    return mayPutOffBeat(this.record, this.deps.clock.now() - this.lastLandedAt, this.pollIntervalMs);
  }

  private confirm(heartbeatAt: number): void {
    this.confirmed = true;
    this.lastLandedAt = heartbeatAt;
  }

  private markLost(other: DeploymentRecord): void {
    this.lost = `the deployment record of ${this.functionName} alias ${this.alias} changed underneath: ${describeLoss(this.record, other)}; this lshift stopped writing it`;
    logWarn(this.deps, this.lost, 'record');
  }
}
