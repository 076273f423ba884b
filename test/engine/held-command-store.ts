/**
 * The verbs' store with their own record writes held in flight, as a stalled endpoint or a lost
 * response holds a TagResource (test/e2e/operator-withdrawn-late.test.ts is the same against the
 * sandbox's gate). Reads and the withdrawal's writes pass; a write of the record is held when told:
 *
 * - `held`: it never answers; an interrupt abandons it (INTERRUPTED, as the SDK call's bound does,
 *   src/aws/bounded-caller.ts), and `land()` applies it later, as the request finally reaches Lambda;
 * - `lost`: it is applied and answers (the SDK's retry), and `land()` applies its first attempt
 *   again later, whose answer was lost.
 */
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { OperationError } from '../../src/domain/errors.js';
import type { TagStateStore } from '../../src/engine/tag-state-store.js';
import type {
  CommandStore,
  StoreWriteOptions,
  WithdrawalView,
  WithdrawnWrite,
} from '../../src/ports/state-store.js';
import type { FakeStore } from '../helpers/fake-store.js';

interface HeldWrite {
  functionName: string;
  alias: string;
  record: DeploymentRecord;
  opts: StoreWriteOptions | undefined;
}

export class HeldCommandStore implements CommandStore {
  private mode: 'held' | 'lost' | undefined;
  private readonly inFlight: HeldWrite[] = [];
  /** Called as a write is held (`held` mode): a test's Ctrl-C while it is in flight. */
  onHeld: () => void = () => {};
  /** Record writes of the verbs, held or not, in order. */
  readonly written: DeploymentRecord[] = [];

  constructor(
    private readonly inner: FakeStore | TagStateStore,
    private readonly interrupt?: AbortSignal,
  ) {}

  /** Holds every later write of the record (the withdrawal's goes through `writeWithdrawals`). */
  hold(mode: 'held' | 'lost'): void {
    this.mode = mode;
  }

  /** Lets writes through again (the held ones stay in flight until `land`). */
  pass(): void {
    this.mode = undefined;
  }

  get held(): number {
    return this.inFlight.length;
  }

  /**
   * The writes in flight reach the store now, late (on the fake store at once; on a TagStateStore
   * as their TagResource, which the promise waits for).
   */
  async land(): Promise<void> {
    for (const w of this.inFlight.splice(0)) {
      if ('seedAsWritten' in this.inner) this.inner.seedAsWritten(w.functionName, w.alias, w.record, w.opts);
      else await this.inner.write(w.functionName, w.alias, w.record, w.opts);
    }
  }

  read(functionName: string, alias: string): Promise<DeploymentRecord | undefined> {
    return this.inner.read(functionName, alias);
  }

  readWithdrawals(functionName: string, alias: string): Promise<WithdrawalView> {
    return this.inner.readWithdrawals(functionName, alias);
  }

  writeWithdrawals(
    functionName: string,
    alias: string,
    withdrawn: readonly string[],
    record?: DeploymentRecord,
  ): Promise<WithdrawnWrite> {
    return this.inner.writeWithdrawals(functionName, alias, withdrawn, record);
  }

  async write(
    functionName: string,
    alias: string,
    record: DeploymentRecord,
    opts?: StoreWriteOptions,
  ): Promise<void> {
    this.written.push(structuredClone(record));
    const write = { functionName, alias, record: structuredClone(record), opts };
    if (this.mode === 'lost') {
      this.inFlight.push(write);
      return this.inner.write(functionName, alias, record, opts);
    }
    if (this.mode !== 'held') return this.inner.write(functionName, alias, record, opts);
    this.inFlight.push(write);
    const signal = this.interrupt;
    queueMicrotask(() => this.onHeld());
    return new Promise<void>((_resolve, reject) => {
      const abandon = () =>
        reject(
          new OperationError(
            'INTERRUPTED',
            'lambda:TagResource on function demo was abandoned: interrupted.',
            {
              context: { functionName, alias },
            },
          ),
        );
      if (signal?.aborted) abandon();
      else signal?.addEventListener('abort', abandon, { once: true });
    });
  }
}
