/**
 * One shared token bucket for Lambda's control plane, per region and endpoint, so a release of
 * 100 functions stays under the account's request rate instead of being throttled into retries.
 *
 * Lambda's quotas (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html#api-requests):
 * GetFunction has its own 100 requests/s; every other control-plane API (all but Invoke,
 * GetFunction and GetPolicy) shares 15 requests/s per region; none of these can be raised. Invoke
 * is the data plane and is not paced. So: one bucket of 15/s for the control plane, one of 100/s
 * for GetFunction. `LSHIFT_LAMBDA_RATE` changes the control-plane rate (say, when other tools
 * share the account's budget); `off` turns pacing off.
 *
 * The limiter sits in the SDK's middleware stack right after the retry middleware, so every HTTP
 * attempt takes a token: pages of a listing and the SDK's own retries of a throttled call too.
 * Urgent requests and alias writes go first; everything else is first come, first served.
 *
 * Why bottleneck (2.19.5, no dependencies, engines any Node): it has a FIFO queue with priorities
 * and a reservoir that refills (a token bucket), and its timer is unref'd so a finished command is
 * not held open. p-limit bounds concurrency, not a rate, and `limiter` has no queue order.
 */
import Bottleneck from 'bottleneck';
import { echoInput } from '../domain/echo.js';
import { UsageError } from '../domain/errors.js';
import { callPacing } from './call-deadline.js';

/** Lambda's control-plane rate per region (all APIs but Invoke, GetFunction, GetPolicy). */
export const DEFAULT_CONTROL_RATE = 15;
/** GetFunction's own quota. */
export const GET_FUNCTION_RATE = 100;
/** Refills land every ~200 ms: smooth enough, and few timer wake-ups. */
const REFILLS_PER_SECOND = 5;
/** How often bottleneck looks at the clock to refill (its default, 250 ms, would cost ~20% of the rate). */
const HEARTBEAT_MS = 10;

/** Operations that are not paced by the control-plane bucket. */
const UNPACED = new Set(['Invoke']);

export interface RateLimiter {
  /**
   * Runs `send` when a token is free; `operation` is the API name (`UpdateAlias`). `started`:
   * a later request of a call already under way (a retry, a next page) goes first, so a call's
   * time bound is spent on the call, not in the queue.
   */
  schedule<T>(operation: string, send: () => Promise<T>, started?: boolean, urgent?: boolean): Promise<T>;
  /** Requests waiting for a token now. */
  queued(): number;
}

/** A token bucket of `rate` requests per second, `burst` (default: one second's worth) at most at once. */
export function tokenBucket(rate: number, burst = rate): Bottleneck {
  const shape = bucketShape(rate, burst);
  return new Bottleneck({
    reservoir: shape.reservoir,
    reservoirIncreaseAmount: shape.amount,
    reservoirIncreaseInterval: shape.intervalMs,
    reservoirIncreaseMaximum: shape.maximum,
    heartbeatInterval: HEARTBEAT_MS,
  });
}

/**
 * The reservoir settings of a bucket. Refills are whole tokens: bottleneck adds
 * `min(amount, maximum − reservoir)`, so a fractional burst (1.5 tokens: Lambda's 15/s against a
 * sandbox at 10×, 1.5 per simulated second) with a refill of 1.5 landed on the 0.5 left over and
 * was cut to 1 — one request per refill, 10 a second instead of 15 (the fleet bench's rollback).
 */
export function bucketShape(
  rate: number,
  burst: number,
): { reservoir: number; amount: number; intervalMs: number; maximum: number } {
  const amount = Math.max(1, Math.min(Math.floor(burst), Math.ceil(rate / REFILLS_PER_SECOND)));
  const maximum = Math.max(burst, amount);
  return { reservoir: maximum, amount, intervalMs: (1000 * amount) / rate, maximum };
}

/**
 * `timeScale`: simulated seconds per real second. Against a sandbox whose clock runs 60× faster,
 * a deployment's minute lasts a real second, so the quota is 15 requests per SIMULATED second
 * (900 per real second): the calls keep the proportion to the schedule they have against AWS.
 * The sandbox counts its own quota in simulated seconds too (src/sandbox/control-plane-rate.ts).
 */
export function createLambdaRateLimiter(controlRate: number, timeScale = 1): RateLimiter {
  const rates = bucketRates(controlRate, timeScale);
  const control = tokenBucket(rates.control, rates.controlBurst);
  const getFunction = tokenBucket(rates.getFunction, rates.getFunctionBurst);
  return {
    schedule(operation, send, started = false, urgent = false) {
      if (UNPACED.has(operation)) return send();
      const bucket = operation === 'GetFunction' ? getFunction : control;
      const priority = started || urgent ? 1 : priorityOf(operation);
      return bucket.schedule({ priority }, send);
    },
    queued: () => waiting(control) + waiting(getFunction),
  };
}

/**
 * Requests per REAL second of the two buckets, and their bursts. The refill speeds up with the
 * clock; the bursts stay within Lambda's (one second's worth of tokens, as the sandbox's own
 * buckets hold), so a compressed run is not throttled where AWS would not throttle. The control
 * plane's burst is a third of that: requests paced at exactly the service's rate still arrive
 * bunched (round trips vary, the event loop stalls), and a full-size burst left no room for that
 * — the fleet bench at 10× saw 20–40 throttles a run, each an SDK back-off of a second or more;
 * with a third, 0–28 at 10× (those left come from the sandbox's own stalls, docs/releases.md) and
 * none at 5×. The rate itself is unchanged.
 */
export function bucketRates(
  controlRate: number,
  timeScale = 1,
): { control: number; getFunction: number; controlBurst: number; getFunctionBurst: number } {
  const getFunctionRate = Math.max(controlRate, GET_FUNCTION_RATE);
  return {
    control: controlRate * timeScale,
    getFunction: getFunctionRate * timeScale,
    controlBurst: Math.max(1, Math.ceil(controlRate / 3)),
    getFunctionBurst: getFunctionRate,
  };
}

/**
 * Lower goes first (bottleneck: 0–9): a call already under way and an urgent one (the record
 * that marks a failed release as rolling back, which every restore waits for) 1, alias writes 2
 * (a failed release's restores overtake the heartbeats and record writes queued before its
 * verdict), everything else 5 in arrival order: a record's ownership read (`ListTags`) must not
 * starve behind other functions' record writes, since each function's alias write waits for its
 * own record.
 */
function priorityOf(operation: string): number {
  return operation === 'UpdateAlias' ? 2 : 5;
}

/** Jobs not started yet: bottleneck keeps all but the next one `RECEIVED` behind its submit lock. */
function waiting(bucket: Bottleneck): number {
  const c = bucket.counts();
  return (c.RECEIVED ?? 0) + (c.QUEUED ?? 0);
}

const shared = new Map<string, RateLimiter>();

/** The process-wide limiter of one region and endpoint: every Lambda client there shares it. */
export function sharedLambdaRateLimiter(key: string, controlRate: number, timeScale = 1): RateLimiter {
  const id = `${key}@${controlRate}×${timeScale}`;
  let limiter = shared.get(id);
  if (!limiter) {
    limiter = createLambdaRateLimiter(controlRate, timeScale);
    shared.set(id, limiter);
  }
  return limiter;
}

/** `LSHIFT_LAMBDA_RATE`: requests per second (default 15), or `off`. A malformed value is a usage error. */
export function lambdaRateFromEnv(env: NodeJS.ProcessEnv = process.env): number | 'off' {
  const raw = env['LSHIFT_LAMBDA_RATE']?.trim();
  if (!raw) return DEFAULT_CONTROL_RATE;
  if (raw.toLowerCase() === 'off') return 'off';
  const rate = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(rate) || rate < 1 || rate > 1000) {
    throw new UsageError(
      'INVALID_FLAG',
      `LSHIFT_LAMBDA_RATE=${echoInput(raw)} is not a request rate lshift accepts.`,
      {
        hint: 'Give Lambda control-plane requests per second between 1 and 1000 (default 15, Lambda’s quota), `off` to stop pacing, or unset it.',
      },
    );
  }
  return rate;
}

interface MiddlewareClient {
  middlewareStack: {
    addRelativeTo(
      mw: (
        next: (args: unknown) => Promise<unknown>,
        context: { commandName?: string },
      ) => (args: unknown) => Promise<unknown>,
      options: { name: string; relation: 'before' | 'after'; toMiddleware: string; override?: boolean },
    ): void;
  };
}

/**
 * Puts every HTTP attempt of `client` through `limiter`: after the retry middleware (one token
 * per attempt) and before signing (a request signed after its wait is never stale).
 */
export function paceClient(client: unknown, limiter: RateLimiter): void {
  (client as MiddlewareClient).middlewareStack.addRelativeTo(
    (next, context) => (args) => {
      // The bounded call this request belongs to (./call-deadline.ts): its deadline waits with it.
      const pacing = callPacing.getStore();
      const first = pacing?.queued() ?? true;
      return limiter.schedule(
        operationOf(context.commandName),
        () => {
          pacing?.granted();
          return next(args);
        },
        !first,
        pacing?.urgent === true,
      );
    },
    {
      name: 'lshiftRateLimit',
      relation: 'before',
      toMiddleware: 'httpSigningMiddleware',
      override: true,
    },
  );
}

function operationOf(commandName: string | undefined): string {
  return (commandName ?? '').replace(/Command$/, '');
}
