/**
 * Lambda's control-plane request rate, enforced like the service does, so a fleet release in
 * the sandbox meets the real bottleneck: 15 requests/s per region across every control-plane
 * API but Invoke, GetFunction and GetPolicy; GetFunction on its own 100/s
 * (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html#api-requests).
 * A request over the rate gets what Lambda sends: HTTP 429 TooManyRequestsException, Reason
 * CallerRateLimitExceeded (https://docs.aws.amazon.com/lambda/latest/api/API_UpdateAlias.html#API_UpdateAlias_Errors).
 *
 * The rate is per SIMULATED second: under a compressed clock a deployment's minute lasts
 * 1/speed of a real minute and makes the calls a real minute of it makes, so the quota must be
 * compressed with it to keep its proportion to the schedule (the CLI's limiter scales the same
 * way, src/aws/rate-limit.ts). Token buckets (capacity = one second's worth) over the sandbox clock.
 */

export const DEFAULT_SANDBOX_LAMBDA_RATE = 15;
const GET_FUNCTION_RATE = 100;
/** Data-plane and separately limited operations the control-plane bucket does not count. */
const OWN_BUCKET: Record<string, 'none' | 'getFunction'> = {
  Invoke: 'none',
  InvokeAsync: 'none',
  InvokeWithResponseStream: 'none',
  GetFunction: 'getFunction',
};

class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly rate: number,
    now: number,
  ) {
    this.tokens = rate;
    this.at = now;
  }

  take(now: number): boolean {
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.at) * this.rate) / 1000);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export class ControlPlaneRate {
  private control?: TokenBucket;
  private getFunction?: TokenBucket;
  private perSecond: number | 'off' = DEFAULT_SANDBOX_LAMBDA_RATE;
  /** Requests refused so far, by operation (GET /__lshift/rate). */
  readonly throttled = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    rate: number | 'off' = DEFAULT_SANDBOX_LAMBDA_RATE,
  ) {
    this.set(rate);
  }

  get rate(): number | 'off' {
    return this.perSecond;
  }

  /** A new rate (full buckets); `off` lets every request through. */
  set(rate: number | 'off'): void {
    if (rate !== 'off' && !(Number.isFinite(rate) && rate > 0)) {
      throw new Error(
        `the Lambda rate must be a positive number of requests per second or "off", not ${rate}`,
      );
    }
    this.perSecond = rate;
    const now = this.now();
    this.control = rate === 'off' ? undefined : new TokenBucket(rate, now);
    this.getFunction = rate === 'off' ? undefined : new TokenBucket(Math.max(rate, GET_FUNCTION_RATE), now);
  }

  /** True when a Lambda request of `operation` may be served now; counts the ones refused. */
  admit(operation: string): boolean {
    const kind = OWN_BUCKET[operation];
    if (kind === 'none') return true;
    const bucket = kind === 'getFunction' ? this.getFunction : this.control;
    if (!bucket || bucket.take(this.now())) return true;
    this.throttled.set(operation, (this.throttled.get(operation) ?? 0) + 1);
    return false;
  }

  describe(): { rate: number | 'off'; throttled: Record<string, number> } {
    return { rate: this.perSecond, throttled: Object.fromEntries(this.throttled) };
  }
}
