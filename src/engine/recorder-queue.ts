/**
 * The order of the deployment recorder's writes (deployment-recorder.ts): one at a time, in call
 * order, whether awaited or left to land behind (writeBehind). Apart from the recorder because
 * the ordering is what keeps a heartbeat from landing after a later write and a stored record
 * from going back, whatever each write does.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;

  /** Runs `work` after every write queued before it has ended (a failed one included). */
  run<T>(work: () => Promise<T>): Promise<T> {
    this.queued++;
    const turn = this.tail.then(work, work).finally(() => {
      this.queued--;
    });
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  /** No write is running or waiting for its turn. */
  get idle(): boolean {
    return this.queued === 0;
  }

  /** Resolves once every write queued so far has ended. */
  async settled(): Promise<void> {
    await this.tail;
  }
}
