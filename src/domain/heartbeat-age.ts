/**
 * One rule for every one-shot reading of a deployment record's heartbeat (`heartbeatAt`, epoch ms
 * from the WRITER's clock) against this machine's clock: `status`, `check`, `rollback`'s claim,
 * `deploy --resume | --supersede`'s preflight, and a runner following a rollback claim all ask it,
 * so they never disagree on one record.
 *
 * A heartbeat a little ahead of this clock is a writer whose clock runs ahead: fresh. One more
 * than RECORD_CLOCK_SKEW_MS ahead is `future`: no lshift could have written it and still be
 * writing, because AWS refuses a request signed more than 5 minutes off its own clock
 * (SigV4 RequestTimeTooSkewed,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/signing-elements.html). It is an edited tag,
 * or a clock that was wrong and cannot sign at all — so it is NOT evidence of a live claimer. Taken
 * as fresh it would look alive for as long as it is ahead (a rollback waited for it and gave up);
 * taken as stale, an edited tag would decide who rolls back where. So a record carrying one
 * does not add up (record-validation.ts): every command refuses to act on it (RECORD_INVALID)
 * and nobody waits for it (docs/architecture.md, "A heartbeat from the future").
 */
import { formatDuration } from './duration.js';

/**
 * How far in the future a time may be (the writer's clock running ahead). AWS itself refuses
 * requests signed more than 5 minutes off (SigV4, RequestTimeTooSkewed), so a writer cannot be
 * further ahead than this and still have written the tag.
 */
export const RECORD_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** `fresh`: a writer may be alive; `stale`: it stopped writing; `future`: beyond the skew limit. */
export type HeartbeatAge = 'fresh' | 'stale' | 'future';

/**
 * The heartbeat read at `now`: `future` when more than `skewMs` ahead, `stale` once its age
 * reaches `staleMs` plus `marginMs` (room for this clock being ahead of the writer's), else
 * `fresh` — a heartbeat up to `skewMs` ahead included (the writer is at least that recent).
 */
export function judgeHeartbeatAge(
  heartbeatAt: number,
  now: number,
  staleMs: number,
  marginMs = 0,
  skewMs = RECORD_CLOCK_SKEW_MS,
): HeartbeatAge {
  if (heartbeatAt - now > skewMs) return 'future';
  return now - heartbeatAt >= staleMs + marginMs ? 'stale' : 'fresh';
}

/** `4d 4h ahead of this machine's clock`: how far a time from the future is ahead. */
export function describeAhead(at: number, now: number): string {
  return `${formatDuration(Math.max(0, Math.round((at - now) / 1000)))} ${AHEAD_OF_CLOCK}`;
}

/** How describeAhead ends: a problem saying it may be this machine's clock, not the record. */
export const AHEAD_OF_CLOCK = "ahead of this machine's clock";

/** The same when the run's clock follows a sandbox's (Clock.followsSandbox): what it was compared with. */
export const AHEAD_OF_SANDBOX_CLOCK = "ahead of the sandbox's clock";

/** The clock a heartbeat was read on: this machine's, or the sandbox's that the run follows. */
export function clockWords(sandboxClock: boolean | undefined): string {
  return sandboxClock ? "the sandbox's clock" : "this machine's clock";
}

/**
 * `has had no heartbeat for 300 s`, or for one from beyond the skew limit `has a heartbeat 4d 4h
 * ahead of this machine's clock (…: no sign of a live runner)`: why an operator command found no
 * runner to read it — the words of `lshift abort` and of `lshift abort --release` alike.
 */
export function describeHeartbeatSilence(heartbeatAt: number, now: number): string {
  if (judgeHeartbeatAge(heartbeatAt, now, Number.POSITIVE_INFINITY) === 'future')
    return `has a heartbeat ${describeAhead(heartbeatAt, now)} (more than the 5 minutes two clocks may differ by: no sign of a live runner)`;
  return `has had no heartbeat for ${Math.round((now - heartbeatAt) / 1000)} s`;
}

/** `no heartbeat for 300 s` or `heartbeat 4d 4h ahead of this machine's clock`: one of many in a list. */
export function describeHeartbeatBrief(heartbeatAt: number, now: number): string {
  if (judgeHeartbeatAge(heartbeatAt, now, Number.POSITIVE_INFINITY) === 'future')
    return `heartbeat ${describeAhead(heartbeatAt, now)}`;
  return `no heartbeat for ${Math.round((now - heartbeatAt) / 1000)} s`;
}
