/**
 * Synthetic traffic, one simulated minute at a time. Each alias of a function receives a
 * Poisson number of requests (mean: the function's rpm); every request gets a uniform time in
 * the minute and is routed by the alias configuration in effect at that instant, like Lambda's
 * per-request weighted routing. Its version's error rate and lognormal latency decide the rest.
 *
 * A minute is a pure function of (seed, function, alias, minute, history): the same seed and
 * the same API calls at the same simulated times give the same numbers in any read order. The
 * minute is counted from the world's start (streamMinute), not from the epoch: the simulated
 * clock starts at the real time, so an epoch-keyed stream made every run of one seed within the
 * same half hour replay the same requests — one unlucky stretch of a healthy version then failed
 * every test run that crossed it, not the ≤ 1% of runs the analysis allows (docs/sandbox.md#the-traffic-model).
 */
import { createRng, type Rng } from './prng.js';
import { paramsAt, rpmAt, type TrafficParams } from './traffic-params.js';
import type { FunctionData, ResolvedVersionFault, TrafficCell, TrafficEvent } from './types.js';

export type { TrafficCell } from './types.js';

type AliasEvent = Extract<TrafficEvent, { kind: 'alias' }>;

const MINUTE_MS = 60_000;
/** z for the 99th percentile of a standard normal: sigma of a lognormal fitted to p50/p99. */
const Z99 = 2.3263478740408408;

/** Which random stream a world's traffic draws from: its seed and when it started (simulated ms). */
export interface TrafficStream {
  seed: number;
  startedAtMs: number;
}

/** The minute's index from the world's first minute: what keys its random stream. */
export function streamMinute(startedAtMs: number, minuteMs: number): number {
  return Math.floor(minuteMs / MINUTE_MS) - Math.floor(startedAtMs / MINUTE_MS);
}

export function generateMinute(
  stream: TrafficStream,
  fn: FunctionData,
  minuteMs: number,
  faults: ResolvedVersionFault[],
  /** Requests at or after this instant are left out (a partial minute, as CloudWatch first shows it). */
  cutoffMs = minuteMs + MINUTE_MS,
): TrafficCell[] {
  const cells = new Map<string, { cell: TrafficCell; durations: number[] }>();
  // The rate set last within the minute: a function tagged in the minute it was created runs
  // at its tagged rate from that minute on, not at the default.
  const rpm = rpmAt(fn, minuteMs + MINUTE_MS - 1);
  for (const [alias, events] of aliasTimelines(fn.history, minuteMs + MINUTE_MS)) {
    const minute = streamMinute(stream.startedAtMs, minuteMs);
    const rng = createRng(stream.seed, 'traffic', fn.name, alias, minute);
    const requests = rng.poisson(rpm);
    for (let i = 0; i < requests; i++) {
      simulateRequest(rng, fn, alias, events, { minuteMs, cutoffMs }, faults, cells);
    }
  }
  return [...cells.values()].map(({ cell, durations }) => ({
    ...cell,
    durations: Float64Array.from(durations).sort(),
  }));
}

function simulateRequest(
  rng: Rng,
  fn: FunctionData,
  alias: string,
  events: AliasEvent[],
  span: { minuteMs: number; cutoffMs: number },
  faults: ResolvedVersionFault[],
  cells: Map<string, { cell: TrafficCell; durations: number[] }>,
): void {
  // Always draw the same number of values per request so later requests keep their numbers.
  const at = span.minuteMs + rng.next() * MINUTE_MS;
  const uRoute = rng.next();
  const uThrottle = rng.next();
  const uError = rng.next();
  const z = rng.normal();
  if (at >= span.cutoffMs) return;
  const routing = routingAt(events, at);
  if (!routing) return;
  const version = pickVersion(routing, uRoute);
  const params = paramsAt(fn, version, at, faults);
  if (!params) return;
  const key = `${alias}\u0000${version}`;
  let entry = cells.get(key);
  if (!entry) {
    entry = {
      cell: { alias, version, invocations: 0, errors: 0, throttles: 0, durations: new Float64Array() },
      durations: [],
    };
    cells.set(key, entry);
  }
  if (uThrottle < params.throttleRate) {
    entry.cell.throttles++;
    return;
  }
  const { duration, timedOut } = drawDuration(params, z);
  entry.cell.invocations++;
  entry.durations.push(duration);
  if (timedOut || uError < params.errorRate) entry.cell.errors++;
}

/** Lognormal through p50 and p99; a draw past the timeout is a timeout error at the timeout. */
function drawDuration(params: TrafficParams, z: number): { duration: number; timedOut: boolean } {
  const mu = Math.log(params.p50Ms);
  const sigma = Math.log(params.p99Ms / params.p50Ms) / Z99;
  const raw = Math.exp(mu + sigma * z);
  if (raw >= params.timeoutMs) return { duration: params.timeoutMs, timedOut: true };
  return { duration: Math.max(0.01, Math.round(raw * 100) / 100), timedOut: false };
}

/** Primary gets 1 − weight, the additional version `weight` (Lambda routes each request). */
export function pickVersion(
  routing: { version: string; weights: Record<string, number> },
  u: number,
): string {
  let threshold = 0;
  for (const [version, weight] of Object.entries(routing.weights)) {
    threshold += weight;
    if (u < threshold) return version;
  }
  return routing.version;
}

function routingAt(events: AliasEvent[], at: number): AliasEvent | undefined {
  let current: AliasEvent | undefined;
  for (const event of events) {
    if (event.at > at) break;
    current = event;
  }
  return current;
}

/** Alias name → its routing changes up to `untilMs`, for aliases existing before then. */
function aliasTimelines(history: TrafficEvent[], untilMs: number): Map<string, AliasEvent[]> {
  const timelines = new Map<string, AliasEvent[]>();
  for (const event of history) {
    if (event.at >= untilMs) break;
    if (event.kind !== 'alias') continue;
    const list = timelines.get(event.alias) ?? [];
    list.push(event);
    timelines.set(event.alias, list);
  }
  return new Map([...timelines.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
