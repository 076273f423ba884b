/**
 * Provisioned concurrency during a shift (issue 14). When an alias has provisioned concurrency
 * and its routing changes, Lambda re-allocates it across the two versions by weight: the
 * alias's `AllocatedProvisionedConcurrentExecutions` "fluctuates depending on the amount of
 * concurrency that is provisioned for the function versions" and its Status is IN_PROGRESS until
 * the allocation is done (https://docs.aws.amazon.com/lambda/latest/api/API_ProvisionedConcurrencyConfigListItem.html,
 * https://docs.aws.amazon.com/lambda/latest/api/API_GetProvisionedConcurrencyConfig.html). Until it
 * is READY again, part of the traffic runs cold, so the step's hold should not count yet.
 *
 * `awaitProvisionedConcurrencyReady` is called right after each weight write, once per write,
 * and is self-contained (ports + clock) so it can move into a step interpreter unchanged. It is
 * bounded: at the limit it warns and lets the hold count (the health gates still watch).
 *
 * Allocation "can take a few minutes" (same pages): longer than the stale limit (120 s) after
 * which other runners take a record that does not change for abandoned. So the wait keeps the
 * record moving as a hold does: `keepAlive.beat` at every read (the recorder writes at most one
 * heartbeat per interval), and a record someone took over ends the wait at once (`lost`).
 */
import type { ReleaseTarget } from '../domain/release-program.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { LambdaPort, ProvisionedConcurrencyInfo } from '../ports/lambda.js';
import type { FoundGone } from './deployment-recorder-types.js';
import { describeError, logInfo, logWarn } from './emit.js';

export interface PcWaitLimits {
  /** Longest wait after one weight write (default 5 minutes). */
  timeoutMs: number;
  /** Time between reads (default 5 s). */
  pollMs: number;
}

export const DEFAULT_PC_WAIT: PcWaitLimits = { timeoutMs: 300_000, pollMs: 5_000 };

/** The deployment's record during the wait (shift-context.ts, `keepAliveOf`). */
export interface PcWaitKeepAlive {
  /** Writes a heartbeat when one is due; a failure is only a warning (the recorder's). */
  beat: () => Promise<void>;
  /**
   * Whose record is no longer this runner's (taken over) and why, once a heartbeat found out: in a
   * release the wait beats every function's record, and the one taken over may be another's.
   */
  lost: () => LostRecord | undefined;
  /**
   * In a release, the function a heartbeat or read of its record found deleted (any one the wait
   * beats for): the release decides at once, so the wait ends (shift-waits.ts).
   */
  gone?: () => GoneRecord | undefined;
  /** Called once, when the first answer says the wait begins (not READY yet): wait-watch.ts. */
  waiting?: () => void;
  /**
   * An operator's `abort` was obeyed by a beat (shift-waits.ts keepAliveReadingAbort): the wait
   * ends at once, and the deployment rolls back for it.
   */
  aborted?: () => boolean;
}

/** A function of a release found deleted: which one, and what found it (deployment-recorder.ts). */
export interface GoneRecord extends FoundGone {
  deleted: ReleaseTarget;
}

/** A record another lshift took over: its function, and the recorder's lostReason. */
export interface LostRecord {
  taken: ReleaseTarget;
  reason: string;
}

export type PcWaitOutcome =
  | { kind: 'none' }
  /** The record was taken over: the runner stops as it would at a health poll. */
  | ({ kind: 'lost' } & LostRecord)
  /** A function of the release was found deleted: the release stops for it. */
  | ({ kind: 'gone' } & GoneRecord)
  /** An operator's abort was obeyed during the wait (`PcWaitKeepAlive.aborted`). */
  | { kind: 'aborted' }
  | { kind: 'ready'; waitedMs: number }
  | { kind: 'timeout'; waitedMs: number; last: ProvisionedConcurrencyInfo }
  | { kind: 'failed'; reason: string }
  | { kind: 'unreadable'; reason: string };

/** Aliases known to have no provisioned concurrency: read once per run, not after every write. */
const withoutPc = new WeakMap<LambdaPort, Set<string>>();

/**
 * Preflight read the alias and it has no provisioned concurrency: the first weight write need
 * not read it again. In a release that read after each function's first write doubled the first
 * level's requests (100 alias writes + 100 reads at Lambda's 15/s: 13 s instead of 7). Provisioned
 * concurrency added in the seconds between preflight and the first write is not waited for; the
 * health gates still watch.
 */
export function noteNoProvisionedConcurrency(lambda: LambdaPort, functionName: string, alias: string): void {
  const known = withoutPc.get(lambda) ?? new Set<string>();
  withoutPc.set(lambda, known);
  known.add(`${functionName}:${alias}`);
}

export async function awaitProvisionedConcurrencyReady(
  deps: { lambda: LambdaPort; events: EventSink },
  /** `alias` is the qualifier read (an alias, or `--warm`'s target version with `first`). */
  target: { functionName: string; alias: string; signal?: AbortSignal; first?: boolean },
  clock: Clock,
  limits: PcWaitLimits = DEFAULT_PC_WAIT,
  keepAlive?: PcWaitKeepAlive,
): Promise<PcWaitOutcome> {
  const key = `${target.functionName}:${target.alias}`;
  const known = withoutPc.get(deps.lambda) ?? new Set<string>();
  withoutPc.set(deps.lambda, known);
  if (known.has(key)) return { kind: 'none' };
  const log = { clock, events: deps.events };
  const started = clock.elapsedMs();
  let reported = false;
  // --warm stops before any traffic when it is not READY; after a weight write the hold goes on.
  const then = target.first ? 'no traffic has moved' : 'the hold counts';
  for (;;) {
    let pc: ProvisionedConcurrencyInfo | undefined;
    try {
      pc = await deps.lambda.getProvisionedConcurrency(target.functionName, target.alias);
    } catch (error) {
      // Unknown is not READY: say so, and let the health gates judge the step.
      const reason = describeError(error);
      logWarn(
        log,
        `could not read the provisioned concurrency of ${key} (${reason}); ${target.first ? then : `${then} without waiting for it`}`,
        'provisioned-concurrency',
      );
      return { kind: 'unreadable', reason };
    }
    const waitedMs = clock.elapsedMs() - started;
    if (!pc) {
      known.add(key);
      return { kind: 'none' };
    }
    if (pc.status === 'READY') {
      logInfo(
        log,
        `provisioned concurrency of ${key} READY (${pc.allocated} of ${pc.requested} allocated) after ${Math.round(waitedMs / 1000)} s`,
      );
      return { kind: 'ready', waitedMs };
    }
    if (pc.status === 'FAILED') {
      const reason = pc.statusReason ?? 'no reason given';
      logWarn(
        log,
        `provisioned concurrency of ${key} FAILED: ${reason}; ${target.first ? then : `${then} without it`}`,
        'provisioned-concurrency',
      );
      return { kind: 'failed', reason };
    }
    if (waitedMs >= limits.timeoutMs) {
      logWarn(
        log,
        `provisioned concurrency of ${key} still ${pc.status} after ${Math.round(waitedMs / 1000)} s (${pc.allocated} of ${pc.requested} allocated); ${target.first ? then : `${then} from now`}`,
        'provisioned-concurrency',
      );
      return { kind: 'timeout', waitedMs, last: pc };
    }
    if (!reported) {
      keepAlive?.waiting?.();
      logInfo(
        log,
        `waiting for the provisioned concurrency of ${key} to be READY${target.first ? '' : ' again'} (${pc.status}, ${pc.allocated} of ${pc.requested} allocated)`,
      );
      reported = true;
    }
    if (target.signal?.aborted) return { kind: 'timeout', waitedMs, last: pc };
    const ended = await beat(keepAlive);
    if (ended !== undefined) return ended;
    // An interrupt ends the wait; the shift loop handles the signal itself.
    await clock
      .sleep(Math.min(limits.pollMs, limits.timeoutMs - waitedMs), target.signal)
      .catch(() => undefined);
  }
}

/**
 * A heartbeat if due; the record lost, a function found deleted, or an operator's abort obeyed,
 * if one was. A failing beat never ends the wait.
 */
async function beat(
  keepAlive: PcWaitKeepAlive | undefined,
): Promise<Extract<PcWaitOutcome, { kind: 'lost' | 'gone' | 'aborted' }> | undefined> {
  if (!keepAlive) return undefined;
  try {
    await keepAlive.beat();
  } catch {
    // The recorder turns its write failures into warnings; nothing else may stop the wait.
  }
  const lost = keepAlive.lost();
  if (lost !== undefined) return { kind: 'lost', ...lost };
  const gone = keepAlive.gone?.();
  if (gone) return { kind: 'gone', ...gone };
  return keepAlive.aborted?.() ? { kind: 'aborted' } : undefined;
}
