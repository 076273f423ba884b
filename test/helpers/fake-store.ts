/**
 * In-memory StateStore. With `{ roundTrip: true }` every write goes through the real tag codec
 * (encodeRecord/decodeRecord), so a record that would not fit in a Lambda tag fails here too.
 */
import { type DeploymentRecord, decodeRecord, encodeRecord } from '../../src/domain/deployment-record.js';
import type { StateStore } from '../../src/ports/state-store.js';

export interface StoreWrite {
  functionName: string;
  alias: string;
  record: DeploymentRecord;
}

interface Fault {
  error: Error;
  remaining: number;
}

export class FakeStore implements StateStore {
  readonly writes: StoreWrite[] = [];
  reads = 0;
  private readonly records = new Map<string, DeploymentRecord>();
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
    return this.peek(functionName, alias);
  }

  async write(functionName: string, alias: string, record: DeploymentRecord): Promise<void> {
    throwIfFaulted(this.writeFaults);
    if (this.lateWriteFault) {
      if (this.okWritesLeft <= 0) throw this.lateWriteFault;
      this.okWritesLeft--;
    }
    const stored = this.opts.roundTrip ? decodeRecord(encodeRecord(record)) : structuredClone(record);
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
