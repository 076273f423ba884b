/**
 * How both adapters make an SDK call: within its time bound (./time-bounds.ts, ./call-deadline.ts), abandoned by
 * an interrupt that fires while it is in flight, and with whatever it throws mapped to an
 * LshiftError that names the operation, the resource and, for transport failures, the endpoint.
 */

import { boundedCall } from './call-deadline.js';
import { describeEndpoint } from './client-config.js';
import { type AwsErrorContext, mapAwsError, needsEndpoint } from './error-mapping.js';
import { readShape } from './error-shape.js';
import { type TimeBounds, timeBounds } from './time-bounds.js';

/** Options every `send` of a bounded call must get. */
export type SendOptions = { abortSignal: AbortSignal; requestTimeout?: number };

export interface CallerOptions {
  bounds?: TimeBounds;
  /** Ctrl-C: abandons the calls in flight; calls started afterwards still run. */
  interrupt?: AbortSignal;
  /**
   * The command has said its result (Runtime.close): abandons every call in flight, whenever it
   * started. An interrupted check's release look gives up on a read after 1 s; its socket (and
   * the SDK's retries of it) held the exit until one-command.ts's 2 s grace.
   */
  closed?: AbortSignal;
  /**
   * Told each message AWS answered a failed call with, as lshift's errors quote it: the CLI keeps
   * a command or an ARN in it as AWS wrote it (cli/outside-text.ts), not given the run's flags.
   */
  onAwsMessage?: (message: string) => void;
}

export class BoundedCaller {
  constructor(
    private readonly clientConfig: unknown,
    /** `lambda`/`LAMBDA`/`lambda`, `cloudwatch`/`CLOUDWATCH`/`monitoring`. */
    private readonly service: { prefix: string; envSuffix: string; host: string },
    private readonly options: CallerOptions = {},
  ) {}

  get bounds(): TimeBounds {
    return this.options.bounds ?? timeBounds();
  }

  /**
   * Runs `run` (one call: an operation, or all the pages of a listing). `operation` is the API
   * and IAM action name without the service prefix; `bound` overrides the per-request timeout
   * and the call deadline where the control-plane defaults do not fit.
   */
  async call<T>(
    operation: string,
    ctx: Omit<AwsErrorContext, 'operation' | 'endpoint'>,
    run: (opts: SendOptions) => Promise<T>,
    bound: { deadlineMs?: number; requestTimeout?: number; urgent?: boolean } = {},
  ): Promise<T> {
    const action = `${this.service.prefix}:${operation}`;
    const { bounds } = this;
    try {
      return await boundedCall(
        (abortSignal) => run({ abortSignal, requestTimeout: bound.requestTimeout }),
        {
          deadlineMs: bound.deadlineMs ?? bounds.callMs,
          attemptMs: bound.requestTimeout ?? bounds.attemptMs,
          ...(bound.urgent ? { urgent: true } : {}),
        },
        action,
        this.options.interrupt,
        this.options.closed,
      );
    } catch (error) {
      const endpoint = needsEndpoint(error)
        ? await describeEndpoint(this.clientConfig, this.service)
        : undefined;
      const said = readShape(error).message;
      if (said) this.options.onAwsMessage?.(said);
      throw mapAwsError(error, { ...ctx, operation: action, endpoint });
    }
  }
}
