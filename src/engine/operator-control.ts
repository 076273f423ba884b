/**
 * The running deployment's side of the operator commands (issue 15; docs/architecture.md,
 * "Operator commands travel through the record"). Each health poll reads the deployment record
 * once: a `sent` command written on a copy of our own record (`recorder.isOurs`) is obeyed and
 * answered `done` (or `refused`) in the record; the same read serves the heartbeat's ownership
 * check, so a poll costs one ListTags (plus the heartbeat's TagResource every 30 s). A function of
 * a release reads it only with its heartbeat (about every 60 s, releaseHeartbeatMs): the release's
 * control-plane budget — except the one whose record carries the release's commands
 * (commandReaderOf), read at every poll, so `abort --release` is obeyed within a poll.
 *
 * What the hold does with it is the health monitor's business: `take()` hands it a skip
 * (promote) or an abort once, `paused()` stops its clock while health is still watched.
 */
import { answered, type OperatorCommand } from '../domain/operator-command.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { StateStore } from '../ports/state-store.js';
import type { DeploymentRecorder } from './deployment-recorder.js';
import { emitEvent } from './emit.js';
import { type StoredRead, UNREADABLE } from './recorder-reads.js';

/** What every function of a release shares (OperatorControl.shareReleaseControl). */
export interface ReleaseControl {
  paused: boolean;
  /**
   * When a `promote` was obeyed (`clock.elapsedMs()`, compared with the holds' starts): every
   * hold begun by then ends (once per function).
   */
  skipAt?: number;
  /** `promote --full` was obeyed: every function skips every remaining step. */
  full?: boolean;
}

export type OperatorOrder = { kind: 'skip' } | { kind: 'abort'; by: string; reason?: string };

/** What a hold needs to know (src/engine/health-monitor.ts). */
export interface HoldControl {
  paused(): boolean;
  /** The order to act on now, handed out once; `holdStartedAt`: when the asking hold began (`clock.elapsedMs()`). */
  take(holdStartedAt?: number): OperatorOrder | undefined;
}

export class OperatorControl implements HoldControl {
  private isPaused = false;
  private full = false;
  private order?: OperatorOrder;
  private lastNonce?: string;
  /** A release's functions pause, resume and promote as one (shareReleaseControl). */
  private release?: ReleaseControl;
  /** The release's promote this function has acted on (or let pass: its hold began after it). */
  private skipSeenAt = Number.NEGATIVE_INFINITY;
  /** When the last read of the record began (`clock.elapsedMs()`): `notWithinMs` skips a read. */
  private lastReadAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly deps: { store?: StateStore; clock: Clock; events: EventSink },
    private readonly recorder: DeploymentRecorder,
    /**
     * Read the record at every poll (a single deployment: a command is obeyed within one poll),
     * or only when the heartbeat is due (a function of a release: 100 functions reading their
     * records every 10 s poll would spend 10 of Lambda's 15 control-plane requests a second).
     */
    private readEveryPoll = true,
  ) {}

  /**
   * A resumed deployment whose record says an operator paused it (its runner died paused) starts
   * paused: the pause stands until `lshift resume`, as it would have in the run that died.
   */
  startPaused(): void {
    this.setPaused(true);
  }

  /** This function's record carries the release's commands (commandReaderOf): read it at every poll. */
  readOnEveryPoll(): void {
    this.readEveryPoll = true;
  }

  paused(): boolean {
    return this.release?.paused ?? this.isPaused;
  }

  /**
   * One pause and one promote for every function of a release: obeyed by one function alone they
   * would stretch or end its hold while the others, their holds over, waited for it unwatched.
   * With this, whichever function obeys `pause`, `resume` or `promote`, every function's hold
   * stops, goes on or ends (each still polling its health).
   */
  shareReleaseControl(shared: ReleaseControl): void {
    this.release = shared;
  }

  private setPaused(paused: boolean): void {
    this.isPaused = paused;
    if (this.release) this.release.paused = paused;
  }

  /** `promote --full` was obeyed: every remaining weight, hold, settle and bake is skipped. */
  promotingFully(): boolean {
    return this.full || this.release?.full === true;
  }

  take(holdStartedAt = Number.NEGATIVE_INFINITY): OperatorOrder | undefined {
    const order = this.order;
    this.order = undefined;
    return order ?? this.releaseSkip(holdStartedAt);
  }

  /**
   * A release's promote ends the hold every function was in when it was obeyed — each at its own
   * next poll, once — and no later hold: a function whose hold of that level had already ended
   * starts its next one after the promote, and holds it whole.
   */
  private releaseSkip(holdStartedAt: number): OperatorOrder | undefined {
    const skipAt = this.release?.skipAt;
    if (skipAt === undefined || skipAt <= this.skipSeenAt) return undefined;
    this.skipSeenAt = skipAt;
    return holdStartedAt <= skipAt || this.release?.full ? { kind: 'skip' } : undefined;
  }

  /**
   * The abort obeyed and not yet acted on, without taking it: a hook's heartbeat asks after each
   * beat (shift-hooks.ts), and the hook is ended for it; so does the wait for provisioned
   * concurrency after a weight write (shift-waits.ts keepAliveReadingAbort).
   */
  pendingAbort(): Extract<OperatorOrder, { kind: 'abort' }> | undefined {
    return this.order?.kind === 'abort' ? this.order : undefined;
  }

  /**
   * One poll's record work: read it once, obey a new command, else heartbeat with that read.
   * `abortOnly` (while a hook runs): only an `abort` is obeyed — the operator wants it stopped
   * now, and the hook can be ended for it; a pause or promote has no hold to act on until the
   * hook is over, so it is left in the record (the heartbeat carries it over) for the first poll
   * after it, and the verb waits for that (docs/hooks.md).
   * `notWithinMs` (a wait that beats more often than the deployment polls, or in a release many
   * waits beating for one function: shift-waits.ts): a read begun less than that ago is not
   * repeated — only the heartbeat is written, if due.
   */
  async poll(
    heartbeatIntervalMs: number,
    opts: { abortOnly?: boolean; notWithinMs?: number } = {},
  ): Promise<void> {
    const store = this.deps.store;
    if (!store) return;
    // A release's function reads when its heartbeat is due, or when its last record write (a
    // level's, which reads first) carried a command over: each level's write counts as a
    // heartbeat, so during 1-minute levels none was ever due and a command on any function but
    // the reader was never read (found by a hostile pass: `abort fc` timed out, the release went on).
    // While its latest read failed, every poll reads again: a hold before a weight write waits for
    // one to land (health-monitor-types.ts, RecordLagWatch), up to the stale limit.
    const due =
      this.recorder.heartbeatDue(heartbeatIntervalMs) ||
      this.recorder.carriesCommand() ||
      this.recorder.recordUnread() !== undefined;
    if (!this.readEveryPoll && !due) return;
    const now = this.deps.clock.elapsedMs();
    if (opts.notWithinMs !== undefined && now - this.lastReadAt < opts.notWithinMs) {
      await this.recorder.heartbeat(heartbeatIntervalMs);
      return;
    }
    this.lastReadAt = now;
    // Unreadable now: no command this poll, and the heartbeat, told so, waits for a read rather
    // than write over a command this read could not see (deployment-recorder.ts).
    const read: StoredRead = await this.recorder.readForPoll();
    const stored = read === UNREADABLE ? undefined : read;
    // Taken over: seen now, acted on now (the hold stops at this poll), not at the heartbeat.
    if (stored) await this.recorder.noticeTakeover(stored);
    if (this.recorder.lostReason() !== undefined) return;
    const command = stored?.command;
    if (
      stored &&
      command?.state === 'sent' &&
      command.nonce !== this.lastNonce &&
      (command.verb === 'abort' || !opts.abortOnly) &&
      this.recorder.isOurs(stored)
    ) {
      this.lastNonce = command.nonce;
      const state = this.apply(command);
      emitEvent(this.deps, {
        type: 'operator.command',
        verb: command.verb,
        // Still "" for a sender the record had no room for: the event's `by` is always there.
        by: command.by ?? '',
        ...(command.reason === undefined ? {} : { reason: command.reason }),
        obeyed: state === 'done',
      });
      await this.recorder.write({ command: answered(command, state) }, { stored });
      return;
    }
    await this.recorder.heartbeat(heartbeatIntervalMs, read);
  }

  private apply(command: OperatorCommand): 'done' | 'refused' {
    switch (command.verb) {
      case 'pause':
        if (this.paused()) return 'refused';
        this.setPaused(true);
        return 'done';
      case 'resume':
        if (!this.paused()) return 'refused';
        this.setPaused(false);
        return 'done';
      case 'promote-full':
      case 'promote':
        if (command.verb === 'promote-full') this.full = true;
        this.setPaused(false);
        // In a release every function ends its hold (releaseSkip), not this one alone: the others,
        // their holds over, would wait for it unwatched.
        if (this.release) {
          this.release.skipAt = this.deps.clock.elapsedMs();
          if (command.verb === 'promote-full') this.release.full = true;
        } else this.order = { kind: 'skip' };
        return 'done';
      case 'abort':
        this.order = {
          kind: 'abort',
          by: command.by ?? '',
          ...(command.reason ? { reason: command.reason } : {}),
        };
        return 'done';
    }
  }
}
