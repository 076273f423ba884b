/**
 * In-memory StateStore. With `{ roundTrip: true }` every write goes through the real tag codec
 * (encodeRecord/decodeRecord), so a record that would not fit in a Lambda tag fails here too.
 * It keeps the seal beside the record, as the tag store does (src/domain/record-seal.ts): `read`
 * resolves them as TagStateStore does, `peek` shows the record tag alone, `peekSeal` the seal.
 * And the list of withdrawn commands (`lshift-withdrawn:<alias>`, src/domain/command-withdrawal.ts):
 * `read` drops a `sent` command it lists, `peekWithdrawn` shows it; `noRoomForWithdrawn` plays a
 * function with 50 tags (the list is refused, the record alone written).
 */

import { addWithdrawn, dropWithdrawn } from '../../src/domain/command-withdrawal.js';
import { type DeploymentRecord, decodeRecord, encodeRecord } from '../../src/domain/deployment-record.js';
import { resolveSealed } from '../../src/domain/record-seal.js';
import type {
  StateStore,
  StoreWriteOptions,
  WithdrawalStore,
  WithdrawalView,
  WithdrawnWrite,
} from '../../src/ports/state-store.js';

export interface StoreWrite {
  functionName: string;
  alias: string;
  record: DeploymentRecord;
}

interface Fault {
  error: Error;
  remaining: number;
}

export class FakeStore implements StateStore, WithdrawalStore {
  readonly writes: StoreWrite[] = [];
  private readonly withdrawn = new Map<string, string[]>();
  /** Every list of withdrawn commands written, in order. */
  readonly withdrawnWrites: { functionName: string; alias: string; withdrawn: string[] }[] = [];
  /** The function has 50 tags: a list not yet stored is refused (`no-room`), the record written alone. */
  noRoomForWithdrawn = false;
  reads = 0;
  private readonly records = new Map<string, DeploymentRecord>();
  private readonly seals = new Map<string, DeploymentRecord>();
  /** Every seal written, in order (with the record or alone). */
  readonly sealWrites: StoreWrite[] = [];
  private readFaults: Fault[] = [];
  private writeFaults: Fault[] = [];
  private okWritesLeft = 0;
  private lateWriteFault: Error | undefined;

  constructor(private readonly opts: { roundTrip?: boolean } = {}) {}

  seed(functionName: string, alias: string, record: DeploymentRecord): void {
    this.records.set(key(functionName, alias), structuredClone(record));
  }

  peek(functionName: string, alias: string): DeploymentRecord | undefined {
    const record = this.records.get(key(functionName, alias));
    return record ? structuredClone(record) : undefined;
  }

  /** The seal of the alias as stored (src/domain/record-seal.ts). */
  peekSeal(functionName: string, alias: string): DeploymentRecord | undefined {
    const record = this.seals.get(key(functionName, alias));
    return record ? structuredClone(record) : undefined;
  }

  /** The list of withdrawn commands of the alias as stored, newest first. */
  peekWithdrawn(functionName: string, alias: string): string[] {
    return [...(this.withdrawn.get(key(functionName, alias)) ?? [])];
  }

  /** Stores a list as another verb would have (`entries` newest first). */
  seedWithdrawn(functionName: string, alias: string, entries: string[]): void {
    this.withdrawn.set(key(functionName, alias), [...entries]);
  }

  /** The phases written, in order, with consecutive duplicates (heartbeats) collapsed. */
  phases(): string[] {
    const out: string[] = [];
    for (const w of this.writes) if (out.at(-1) !== w.record.phase) out.push(w.record.phase);
    return out;
  }

  failReads(error: Error, times = Number.POSITIVE_INFINITY): void {
    this.readFaults.push({ error, remaining: times });
  }

  /** Reads work again (every failReads fault left is dropped). */
  healReads(): void {
    this.readFaults = [];
  }

  failWrites(error: Error, times = Number.POSITIVE_INFINITY): void {
    this.writeFaults.push({ error, remaining: times });
  }

  /** Lets the first `okWrites` writes through, then fails every later one. */
  failWritesAfter(okWrites: number, error: Error): void {
    this.okWritesLeft = okWrites;
    this.lateWriteFault = error;
  }

  async read(functionName: string, alias: string): Promise<DeploymentRecord | undefined> {
    this.reads++;
    throwIfFaulted(this.readFaults);
    return dropWithdrawn(this.stored(functionName, alias), this.peekWithdrawn(functionName, alias));
  }

  async readWithdrawals(functionName: string, alias: string): Promise<WithdrawalView> {
    this.reads++;
    throwIfFaulted(this.readFaults);
    const stored = this.stored(functionName, alias);
    const withdrawn = this.peekWithdrawn(functionName, alias);
    return { record: dropWithdrawn(stored, withdrawn), stored, withdrawn };
  }

  async writeWithdrawals(
    functionName: string,
    alias: string,
    withdrawn: readonly string[],
    record?: DeploymentRecord,
  ): Promise<WithdrawnWrite> {
    this.failIfFaulted();
    const k = key(functionName, alias);
    const noRoom = this.noRoomForWithdrawn && !this.withdrawn.has(k);
    if (!noRoom) {
      // Through the domain's own trimming, as a tag value holds it.
      const [first, ...rest] = withdrawn;
      const kept = first === undefined ? [] : addWithdrawn(rest, first);
      this.withdrawn.set(k, kept);
      this.withdrawnWrites.push({ functionName, alias, withdrawn: [...kept] });
    }
    if (record) this.put(functionName, alias, record, { keepRunnerToken: true });
    return noRoom ? 'no-room' : 'written';
  }

  /** The record tag, or the seal when the record tag holds an older record of its run. */
  private stored(functionName: string, alias: string): DeploymentRecord | undefined {
    return resolveSealed(this.peek(functionName, alias), this.peekSeal(functionName, alias));
  }

  async write(
    functionName: string,
    alias: string,
    record: DeploymentRecord,
    opts: StoreWriteOptions = {},
  ): Promise<void> {
    this.failIfFaulted();
    this.put(functionName, alias, record, opts);
  }

  /** A write that lands now without asking (one held in flight: no fault applies to it any more). */
  seedAsWritten(
    functionName: string,
    alias: string,
    record: DeploymentRecord,
    opts: StoreWriteOptions = {},
  ): void {
    this.put(functionName, alias, record, opts);
  }

  private failIfFaulted(): void {
    throwIfFaulted(this.writeFaults);
    if (this.lateWriteFault) {
      if (this.okWritesLeft <= 0) throw this.lateWriteFault;
      this.okWritesLeft--;
    }
  }

  private put(functionName: string, alias: string, record: DeploymentRecord, opts: StoreWriteOptions): void {
    const { runnerToken, ...untokened } = record;
    const written = opts.keepRunnerToken || runnerToken === undefined ? record : untokened;
    if (opts.seal && runnerToken !== undefined) {
      const seal = this.opts.roundTrip ? decodeRecord(encodeRecord(record)) : structuredClone(record);
      this.seals.set(key(functionName, alias), seal);
      this.sealWrites.push({ functionName, alias, record: structuredClone(seal) });
    }
    if (opts.seal === 'only') return;
    const stored = this.opts.roundTrip ? decodeRecord(encodeRecord(written)) : structuredClone(written);
    this.records.set(key(functionName, alias), stored);
    this.writes.push({ functionName, alias, record: structuredClone(stored) });
  }
}

function key(functionName: string, alias: string): string {
  return `${functionName}\u0000${alias}`;
}

function throwIfFaulted(faults: Fault[]): void {
  const fault = faults.find((f) => f.remaining > 0);
  if (!fault) return;
  fault.remaining--;
  throw fault.error;
}
