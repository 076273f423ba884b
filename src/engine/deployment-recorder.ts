/**
 * Writes the deployment record at each phase change, each step and (throttled) heartbeats.
 * A failed write never stops a shift: the alias (guarded by RevisionId) is the source of
 * truth, the record only lets other machines see and resume — so it becomes a warning.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { StateStore } from '../ports/state-store.js';
import { describeError, emitEvent, logWarn } from './emit.js';

export class DeploymentRecorder {
  private record: DeploymentRecord;
  private lastWriteAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly deps: { store?: StateStore; clock: Clock; events: EventSink },
    private readonly functionName: string,
    private readonly alias: string,
    initial: DeploymentRecord,
  ) {
    this.record = { ...initial, history: [...initial.history] };
  }

  current(): DeploymentRecord {
    return { ...this.record, history: [...this.record.history] };
  }

  /** Applies `patch`, stamps the heartbeat, and stores the record (failures become warnings). */
  async write(patch: Partial<DeploymentRecord>): Promise<void> {
    const now = this.deps.clock.now();
    this.record = { ...this.record, ...patch, heartbeatAt: now };
    const store = this.deps.store;
    if (!store) return;
    this.lastWriteAt = now;
    try {
      await store.write(this.functionName, this.alias, this.current());
      emitEvent(this.deps, { type: 'record.written', phase: this.record.phase });
    } catch (error) {
      logWarn(
        this.deps,
        `could not write the deployment record (${this.record.phase}) of ${this.functionName} alias ${this.alias}: ${describeError(error)}; the shift continues`,
      );
    }
  }

  /** Re-writes the record with a fresh heartbeat when the last write is at least `minIntervalMs` old. */
  async heartbeat(minIntervalMs: number): Promise<void> {
    if (!this.deps.store) return;
    if (this.deps.clock.now() - this.lastWriteAt < minIntervalMs) return;
    await this.write({});
  }
}
