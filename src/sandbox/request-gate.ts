/**
 * Holds API requests on an event, so a test can act at an exact point of a client's run
 * ("kill the CLI right after it wrote the record") however slow or loaded the machine is.
 * Armed with a trigger, the gate closes right after the first request for which the trigger is
 * true has been applied; every later request waits, unapplied, until `release()`. Released with
 * `drop`, the held requests are never applied (their connections are reset): what a test wants
 * after killing the client, whose closed socket the server may not have noticed yet.
 * A gate may hold the requests of one client only (`client`: the SDK app id its User-Agent
 * carries as `app/<id>`, set with AWS_SDK_UA_APP_ID), and a release may let through the held
 * requests of some operations only (`only`), the others staying held: so one client can be
 * stopped at an exact call while another runs, then let go one call at a time.
 */

/** What becomes of a request at the gate (RequestGate.pass). */
export type GateVerdict = 'go' | 'late' | 'drop';

/**
 * Called after each applied request with its operation name, the world after it, and its client's
 * SDK app id (undefined without one): so a test can tell one client's calls from another's.
 */
export type GateTrigger<World> = (operation: string, sb: World, client?: string) => boolean;

/** Which requests a closed gate holds: these operations (all when absent) of this client (any when absent). */
export interface GateFilter {
  only?: string[];
  /** The SDK app id of the client (`app/<id>` in its User-Agent: AWS_SDK_UA_APP_ID). */
  client?: string;
}

interface Waiting {
  operation: string;
  settle: (verdict: GateVerdict) => void;
  clientGone: () => boolean;
}

/** `World` is the sandbox (a type parameter, so this file does not import sandbox.ts). */
export class RequestGate<World> {
  private trigger?: GateTrigger<World>;
  private closed = false;
  /** Which requests a closed gate holds (all when undefined). */
  private holds?: (operation: string, client: string | undefined) => boolean;
  private waiting: Waiting[] = [];
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
   * another client keeps reading); with `client`, just that client's.
   */
  holdAfter(trigger: GateTrigger<World>, opts: GateFilter = {}): void {
    this.trigger = trigger;
    this.holds = filterOf(opts);
  }

  /**
   * Close the gate now: every request (or every `only` operation, of `client`) from here on
   * waits. Requests already held stay held, whatever the new filter says.
   */
  holdNow(opts: GateFilter = {}): void {
    this.trigger = undefined;
    this.holds = filterOf(opts);
    this.closed = true;
  }

  /**
   * Open the gate and disarm it; held requests go on, or with `drop` are reset unapplied. With
   * `late`, one whose client has gone meanwhile (its SDK timed out, or was killed) is applied
   * all the same, its answer going nowhere: a lost response, as AWS applies a request it received
   * whatever became of the caller. Without it, such a request is not applied. With `only`, just
   * the held requests of those operations go on (or are dropped); the others stay held, and the
   * gate stays as it was armed.
   */
  release(opts: { drop?: boolean; late?: boolean; only?: string[] } = {}): void {
    const verdict: GateVerdict = opts.drop ? 'drop' : opts.late ? 'late' : 'go';
    const { only } = opts;
    if (only) {
      const going = this.waiting.filter((w) => only.includes(w.operation));
      this.waiting = this.waiting.filter((w) => !only.includes(w.operation));
      for (const { settle } of going) settle(verdict);
      return;
    }
    this.trigger = undefined;
    this.holds = undefined;
    this.closed = false;
    for (const { settle } of this.waiting.splice(0)) settle(verdict);
  }

  /** Resolves once at least one request waits at the gate (a client reached its next call). */
  whenHolding(): Promise<void> {
    if (this.held > 0) return Promise.resolve();
    return new Promise((resolve) => this.holdingListeners.push(resolve));
  }

  /**
   * The server awaits this before applying a request: `go` to apply it (unless its client left),
   * `late` to apply it even then, `drop` to reset it unapplied. `client`: the request's SDK app id.
   */
  async pass(
    operation: string,
    clientGone: () => boolean = () => false,
    client?: string,
  ): Promise<GateVerdict> {
    if (!this.closed || (this.holds && !this.holds(operation, client))) return 'go';
    const released = new Promise<GateVerdict>((settle) =>
      this.waiting.push({ operation, settle, clientGone }),
    );
    for (const notify of this.holdingListeners.splice(0)) notify();
    return released;
  }

  /**
   * The server calls this right after a request was applied (before any other can run);
   * `client`: the request's SDK app id.
   */
  afterApplied(operation: string, sb: World, client?: string): void {
    this.applied.set(operation, this.count(operation) + 1);
    if (this.trigger?.(operation, sb, client)) {
      this.trigger = undefined;
      this.closed = true;
    }
  }
}

function filterOf({
  only,
  client,
}: GateFilter): ((operation: string, client?: string) => boolean) | undefined {
  if (!only && client === undefined) return undefined;
  return (operation, from) =>
    (!only || only.includes(operation)) && (client === undefined || from === client);
}

/**
 * The SDK app id a request's User-Agent carries (`app/<id>`: AWS_SDK_UA_APP_ID or the profile's
 * `sdk_ua_app_id`, https://docs.aws.amazon.com/sdkref/latest/guide/feature-appid.html), or
 * undefined. The SDK writes characters outside ``[A-Za-z0-9!#$%&'*+.^_`|~-]`` as `-`.
 */
export function sdkAppId(userAgent: string | string[] | undefined): string | undefined {
  const value = Array.isArray(userAgent) ? userAgent.join(' ') : (userAgent ?? '');
  return /(?:^|\s)app\/(\S+)/.exec(value)?.[1];
}
