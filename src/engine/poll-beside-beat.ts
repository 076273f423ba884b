/**
 * A heartbeat asked for beside a hold's slow call (HealthMonitorOptions.beat): a poll's reads,
 * its record work, the alias read. Each may hang until its AWS call bound, and the record must
 * not go stale meanwhile (health-monitor-types.ts, `beat`). Apart from the hold's loop
 * (health-monitor.ts), which waits for the beat only while one is in flight.
 */

import type { Clock } from '../ports/clock.js';
import { BEAT_BESIDE_CALL_MS } from './beating-driver.js';
import type { HealthMonitorOptions } from './health-monitor-types.js';
import { runBeside } from './keep-beating.js';

export class PollBesideBeat {
  /**
   * The beat asked for beside a poll while it is in flight: the poll waits for it only then (an
   * await for nothing would let an auto-advancing test clock move on meanwhile).
   */
  private beating?: Promise<void>;

  constructor(
    private readonly clock: Clock,
    private readonly opts: Pick<HealthMonitorOptions, 'beat'>,
  ) {}

  /** A beat asked for beside a call has not been waited for yet. */
  get inFlight(): boolean {
    return this.beating !== undefined;
  }

  /** `run`, with a heartbeat asked for beside it while it waits (`beat`). */
  run<T>(run: () => Promise<T>): Promise<T> {
    const beat = this.opts.beat;
    if (!beat) return run();
    const tracked = () => {
      const beating = beat().finally(() => {
        if (this.beating === beating) this.beating = undefined;
      });
      this.beating = beating;
      return beating;
    };
    return runBeside(this.clock, run, tracked, BEAT_BESIDE_CALL_MS);
  }

  /**
   * Resolves once the last beat asked for beside a poll ended (it only ever waits for a record
   * write the queue holds anyway: nothing else of the record could land before it).
   */
  async ended(): Promise<void> {
    const beating = this.beating;
    this.beating = undefined;
    await beating?.catch(() => undefined);
  }
}
