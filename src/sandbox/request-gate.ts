/**
 * Holds API requests on an event, so a test can act at an exact point of a client's run
 * ("kill the CLI right after it wrote the record") however slow or loaded the machine is.
 * Armed with a trigger, the gate closes right after the first request for which the trigger is
 * true has been applied; every later request waits, unapplied, until `release()`. Released with
 * `drop`, the held requests are never applied (their connections are reset): what a test wants
 * after killing the client, whose closed socket the server may not have noticed yet.
 */

/** What becomes of a request at the gate (RequestGate.pass). */
export type GateVerdict = 'go' | 'late' | 'drop';

/** Called after each applied request with its operation name and the world after it. */
export type GateTrigger<World> = (operation: string, sb: World) => boolean;

/** `World` is the sandbox (a type parameter, so this file does not import sandbox.ts). */
export class RequestGate<World> {
  private trigger?: GateTrigger<World>;
  private closed = false;
  /** Which operations a closed gate holds (all when undefined). */
  private only?: (operation: string) => boolean;
  private waiting: { settle: (verdict: GateVerdict) => void; clientGone: () => boolean }[] = [];
  private holdingListeners: (() => void)[] = [];
  private applied = new Map<string, number>();

  /** Requests waiting at the gate now. */
  get held(): number {
    return this.waiting.length;
  }

  /** Held requests whose client has gone (timed out, killed): `late` applies them, `{}` does not. */
  get heldClientGone(): number {
    return this.waiting.filter((w) => w.clientGone()).length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** How many requests of `operation` were applied since the sandbox started. */
  count(operation: string): number {
    return this.applied.get(operation) ?? 0;
  }

  /**
   * Close the gate right after the first applied request for which `trigger` returns true.
   * With `only`, the closed gate holds just those operations (say the writes of one client while
   * another client keeps reading).
   */
  holdAfter(trigger: GateTrigger<World>, opts: { only?: string[] } = {}): void {
    this.trigger = trigger;
    this.only = filterOf(opts.only);
  }

  /** Close the gate now: every request (or every `only` operation) from here on waits. */
  holdNow(opts: { only?: string[] } = {}): void {
    this.trigger = undefined;
    this.only = filterOf(opts.only);
    this.closed = true;
  }

  /**
   * Open the gate and disarm it; held requests go on, or with `drop` are reset unapplied. With
   * `late`, one whose client has gone meanwhile (its SDK timed out, or was killed) is applied
   * all the same, its answer going nowhere: a lost response, as AWS applies a request it received
   * whatever became of the caller. Without it, such a request is not applied.
   */
  release(opts: { drop?: boolean; late?: boolean } = {}): void {
    this.trigger = undefined;
    this.only = undefined;
    this.closed = false;
    const verdict: GateVerdict = opts.drop ? 'drop' : opts.late ? 'late' : 'go';
    for (const { settle } of this.waiting.splice(0)) settle(verdict);
  }

  /** Resolves once at least one request waits at the gate (a client reached its next call). */
  whenHolding(): Promise<void> {
    if (this.held > 0) return Promise.resolve();
    return new Promise((resolve) => this.holdingListeners.push(resolve));
  }

  /**
   * The server awaits this before applying a request: `go` to apply it (unless its client left),
   * `late` to apply it even then, `drop` to reset it unapplied.
   */
  async pass(operation: string, clientGone: () => boolean = () => false): Promise<GateVerdict> {
    if (!this.closed || (this.only && !this.only(operation))) return 'go';
    const released = new Promise<GateVerdict>((settle) => this.waiting.push({ settle, clientGone }));
    for (const notify of this.holdingListeners.splice(0)) notify();
    return released;
  }

  /** The server calls this right after a request was applied (before any other can run). */
  afterApplied(operation: string, sb: World): void {
    this.applied.set(operation, this.count(operation) + 1);
    if (this.trigger?.(operation, sb)) {
      this.trigger = undefined;
      this.closed = true;
    }
  }
}

function filterOf(only?: string[]): ((operation: string) => boolean) | undefined {
  return only ? (operation) => only.includes(operation) : undefined;
}
