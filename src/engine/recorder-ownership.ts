/**
 * Whether the record in the store is still the deployment recorder's own (deployment-recorder.ts,
 * "Ownership"): the heartbeats this process wrote, whether a record found there is one of them,
 * whether ours is put back over another's (recorder-loss.ts keepOursDespite), and once lost, why
 * and to whom — for good: nothing is written after.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { sanitizeOwner } from '../domain/record-owner.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import { CHECK_CLAIM_SETTLE_MS } from './check-claim.js';
import { logWarn } from './emit.js';
import { isEnded } from './record-view.js';
import { describeLoss, keepOursDespite } from './recorder-loss.js';
import { describeLateLandingLoss } from './recorder-warnings.js';

export class RecordOwnership {
  /** Every heartbeat this process ever tried to store: an operator command is written on a copy of one. */
  private readonly written = new Set<number>();
  private lostWhy?: string;
  /** The record found in the store instead of ours when it was lost (lostTo). */
  private lostToRecord?: DeploymentRecord;
  /** Our last write that landed later than a claimant's settle after its read (noteLateLanding). */
  private lateLanding?: { sinceReadMs: number };
  /** Another deployment's open record found over ours before either moved the alias (judge). */
  private rivalRecord?: DeploymentRecord;

  constructor(
    private readonly deps: { clock: Clock; events: EventSink },
    private readonly target: { functionName: string; alias: string },
    /** The record as this runner holds it now. */
    private readonly ours: () => DeploymentRecord,
    /** Whether the alias is still as our last write left it (DeploymentRecorder's constructor). */
    private readonly aliasStillOurs?: () => Promise<boolean>,
    /** This run has not moved the alias yet: its preflight read is still its cursor (shift-context.ts). */
    private readonly aliasNeverMoved?: () => boolean,
  ) {}

  /**
   * Another deployment found holding the record before this run moved the alias (judge's
   * `rival`), while this run still has not: once ours moved it, a later move is someone else's.
   */
  get rival(): DeploymentRecord | undefined {
    return this.aliasNeverMoved?.() ? this.rivalRecord : undefined;
  }

  /** This run has not moved the alias yet (not a resume, none of our alias writes landed). */
  get neverMoved(): boolean {
    return this.aliasNeverMoved?.() === true;
  }

  /** Why this process no longer owns the record, once it found out; undefined while it does. */
  get lost(): string | undefined {
    return this.lostWhy;
  }

  /** The record that took ours, as found then. */
  get lostTo(): DeploymentRecord | undefined {
    return this.lostToRecord;
  }

  /** A write of ours with this heartbeat is about to be tried. */
  wrote(heartbeatAt: number): void {
    this.written.add(heartbeatAt);
  }

  /**
   * The stored record is ours: one we wrote, or a copy of one we wrote (an operator command is
   * written on a copy of what `lshift promote|pause|resume|abort` read, and withdrawn the same
   * way). A takeover — resume, supersede, rollback, `lshift alias` — always stamps its own
   * heartbeat, so it never matches one of ours.
   */
  isOurs(stored: DeploymentRecord): boolean {
    const record = this.ours();
    // The owner too: a rival's claim can be stamped in the very millisecond of one of our writes.
    // A prefix, because a long record keeps only as much of the owner as fits (record-encode.ts).
    return (
      stored.id === record.id &&
      this.written.has(stored.heartbeatAt) &&
      sanitizeOwner(record.owner).startsWith(stored.owner)
    );
  }

  /**
   * What a record not ours (`other`) means for the write that found it: ours is put back over it
   * (`keep`: recorder-loss.ts keepOursDespite), the deployment is lost (`lost`), or — `rival` —
   * another deployment's open record stored while neither had moved the alias: two deploys started
   * together, both past preflight, both before their first weight write. Neither has won: the alias
   * write decides (RevisionId). Each put its own back over the other's at every heartbeat, and tags
   * have no conditional write, so the loser's alias read ("not moved") could come just before the
   * winner's write landed and its record then went over the winner's; at its 412 it read its own
   * record back, closed it "moved by hand" and offered a rollback over the winner's live deployment
   * (CI, session 70). Ours is left unwritten until our own alias write lands (its record write then
   * skips this read: afterAliasWrite), or the rival's move makes ours lost.
   */
  async judge(other: DeploymentRecord): Promise<'keep' | 'lost' | 'rival'> {
    if (this.isOpenRival(other)) {
      if (!this.aliasStillOurs || !(await this.aliasStillOurs().catch(() => false))) return 'lost';
      if (!this.rivalRecord) logWarn(this.deps, this.describeRival(other), 'record');
      this.rivalRecord = other;
      return 'rival';
    }
    const target = { ...this.target, ours: this.ours() };
    return (await keepOursDespite(this.deps, target, other, this.aliasStillOurs)) ? 'keep' : 'lost';
  }

  private isOpenRival(other: DeploymentRecord): boolean {
    const ours = this.ours();
    return (
      this.aliasNeverMoved?.() === true &&
      other.id !== ours.id &&
      !isEnded(other) &&
      other.phase !== 'rolling-back'
    );
  }

  private describeRival(other: DeploymentRecord): string {
    const { functionName, alias } = this.target;
    return `deployment ${other.id} (${other.owner || 'an unknown owner'}) also stored its record on ${functionName} alias ${alias}, and neither has moved the alias yet: this deployment leaves that record there until its own first weight write lands (whichever lands first holds the alias; the other stops)`;
  }

  /**
   * Our write, judged ours by a read that began at `readAt`, landed more than a claimant's settle
   * after it (CHECK_CLAIM_SETTLE_MS): it may have gone over a takeover unseen (checkLateLanding).
   */
  noteLateLanding(readAt: number): void {
    const sinceReadMs = this.deps.clock.now() - readAt;
    if (sinceReadMs > CHECK_CLAIM_SETTLE_MS) this.lateLanding = { sinceReadMs };
  }

  /** DeploymentRecorder.checkLateLanding: lost when the alias was written by someone else since. */
  async checkLateLanding(): Promise<void> {
    const late = this.lateLanding;
    this.lateLanding = undefined;
    if (!late || this.lostWhy || !this.aliasStillOurs) return;
    if (await this.aliasStillOurs().catch(() => true)) return;
    this.lostWhy = describeLateLandingLoss(this.target, late.sinceReadMs);
    logWarn(this.deps, this.lostWhy, 'record');
  }

  markLost(other: DeploymentRecord): void {
    this.lostToRecord = other;
    this.lostWhy = `the deployment record of ${this.target.functionName} alias ${this.target.alias} changed underneath: ${describeLoss(this.ours(), other)}; this lshift stopped writing it`;
    logWarn(this.deps, this.lostWhy, 'record');
  }
}
