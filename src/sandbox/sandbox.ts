/**
 * The sandbox core: the persisted world (SandboxData), the simulated clock, seeded id and
 * fault streams, and resolved scenario faults. Protocol handlers and tests work on this object;
 * it never touches the network or the disk.
 */
import { ControlPlaneRate } from './control-plane-rate.js';
import { createRng, idAt, uniformAt } from './prng.js';
import { RequestGate } from './request-gate.js';
import { addResolvedFaults, type ResolvedFaults, resolveFaults } from './resolved-faults.js';
import type { MetricDelaySetting, SandboxScenario, ScenarioFault } from './scenario.js';
import { streamMinute } from './traffic.js';
import { TrafficCache } from './traffic-cache.js';
import type { ClockInfo, SandboxData } from './types.js';

export const DEFAULT_SEED = 1;
/**
 * Lambda datapoints usually appear 1–3 minutes after their minute ends (AWS: "metrics can take
 * several minutes"), and may first appear partial:
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics.html
 */
export const DEFAULT_METRIC_DELAY_MINUTES: MetricDelaySetting = [1, 3];
const MINUTE_MS = 60_000;
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT_ID = '123456789012';

export interface SandboxCoreOptions {
  seed?: number;
  speed?: number;
  metricDelayMinutes?: MetricDelaySetting;
  /** Real time source (epoch ms). Date.now by default; tests inject their own. */
  now?: () => number;
  scenario?: SandboxScenario;
  region?: string;
  /** A previously saved world to continue (state file). */
  restored?: SandboxData;
  /** Lambda control-plane requests per real second (default 15), or `off` (./control-plane-rate.ts). */
  lambdaRate?: number | 'off';
}

export class Sandbox {
  data: SandboxData;
  readonly metricDelayMinutes: MetricDelaySetting;
  readonly faults: ResolvedFaults;
  readonly traffic = new TrafficCache();
  /** How many requests each API operation received (GET /__lshift/operations): tests prove a dry run writes nothing. */
  readonly operationCounts = new Map<string, number>();
  /** Holds requests on an event (tests, `POST /__lshift/hold`). */
  readonly gate = new RequestGate<Sandbox>();
  /** Lambda's control-plane rate limit (GET/POST /__lshift/rate). */
  readonly lambdaRate: ControlPlaneRate;
  private readonly realNow: () => number;
  private dirty = false;
  private pinnedNow: number | undefined;

  constructor(opts: SandboxCoreOptions = {}) {
    this.realNow = opts.now ?? Date.now;
    const scenario = opts.scenario ?? {};
    const seed = opts.seed ?? scenario.seed;
    const speed = opts.speed ?? scenario.speed;
    this.data = opts.restored
      ? continueData(opts.restored, this.realNow(), seed, speed)
      : createData(this.realNow(), seed ?? DEFAULT_SEED, speed ?? 1, opts.region ?? DEFAULT_REGION);
    this.metricDelayMinutes =
      opts.metricDelayMinutes ?? scenario.metricDelayMinutes ?? DEFAULT_METRIC_DELAY_MINUTES;
    this.faults = resolveFaults(scenario, this.data.startedAtMs);
    // Per simulated second: at --speed 60 a deployment's minute lasts a real second, and it may
    // make the calls a real minute allows (the CLI's limiter scales the same way).
    this.lambdaRate = new ControlPlaneRate(() => this.simNow(), opts.lambdaRate);
  }

  /**
   * Adds faults while running (tests, `POST /__lshift/faults`). Unlike a scenario file's, their
   * `at`/`until` durations count from now, and a fault without `at` starts now: a test can make
   * a version go bad at a moment it chose, not at a simulated minute a slow machine may miss.
   */
  addFaults(faults: ScenarioFault[]): void {
    addResolvedFaults(this.faults, faults, this.simNow());
    this.markDirty();
  }

  /** Removes every API fault (the scenario's and those added since, running or yet to start); how many. */
  endApiFaults(): number {
    return this.faults.api.splice(0).length;
  }

  get clock(): ClockInfo {
    return { ...this.data.clock };
  }

  /**
   * Runs `apply` (synchronous) with `simNow()` fixed at one instant. A request replays the minutes
   * due (alarm evaluations, CodeDeploy steps) and then applies its own change: read twice, the
   * clock could cross a minute boundary in between (a pause of 14 real ms is 8 simulated seconds
   * at --speed 600), and the next request replayed that boundary's evaluation *after* the change,
   * stamped earlier: a SetAlarmState ALARM followed in the history by an older OK, so the alarm's
   * StateTransitionedTimestamp came before its own ALARM (a flaky e2e of `lshift check`).
   */
  atOneInstant<T>(apply: () => T): T {
    if (this.pinnedNow !== undefined) return apply();
    this.pinnedNow = this.simNow();
    try {
      return apply();
    } finally {
      this.pinnedNow = undefined;
    }
  }

  /** Simulated epoch ms now (the request's instant while one is applied: atOneInstant). */
  simNow(): number {
    if (this.pinnedNow !== undefined) return this.pinnedNow;
    const { simOriginMs, realOriginMs, speed } = this.data.clock;
    return Math.floor(simOriginMs + (this.realNow() - realOriginMs) * speed);
  }

  /** A fresh UUID-shaped id (RevisionId) from the seeded id stream. */
  nextId(): string {
    const id = idAt(this.data.seed, this.data.counters.ids);
    this.data.counters.ids++;
    this.markDirty();
    return id;
  }

  /** The next uniform of a call-ordered stream (`api` faults, `invoke` routing). */
  nextUniform(stream: 'api' | 'invoke'): number {
    const value = uniformAt(this.data.seed, stream, this.data.counters[stream]);
    this.data.counters[stream]++;
    this.markDirty();
    return value;
  }

  functionArn(name: string, qualifier?: string): string {
    const base = `arn:aws:lambda:${this.data.region}:${this.data.accountId}:function:${name}`;
    return qualifier === undefined ? base : `${base}:${qualifier}`;
  }

  alarmArn(name: string): string {
    return `arn:aws:cloudwatch:${this.data.region}:${this.data.accountId}:alarm:${name}`;
  }

  /** Extra minutes of delay from `metric-delay` faults for the minute starting at `minuteMs`. */
  private faultDelayMinutes(minuteMs: number): number {
    let minutes = 0;
    for (const fault of this.faults.metricDelays) {
      if (minuteMs >= fault.fromMs && minuteMs < fault.untilMs) minutes += fault.minutes;
    }
    return minutes;
  }

  /**
   * Share of a function's minute visible in CloudWatch at `asOfMs`: 0 before its datapoints
   * appear, 1 once complete. A fixed delay shows the minute whole at once. A range draws each
   * minute's delay from it (seeded, per function and minute) and shows the minute first partial
   * — the requests of its first 40–90% — growing in 10% steps to complete one minute later.
   */
  metricVisibility(functionName: string, minuteMs: number, asOfMs: number): number {
    const setting = this.metricDelayMinutes;
    const extra = this.faultDelayMinutes(minuteMs) * MINUTE_MS;
    const ended = minuteMs + MINUTE_MS + extra;
    if (typeof setting === 'number') return asOfMs >= ended + setting * MINUTE_MS ? 1 : 0;
    const [min, max] = setting;
    const minute = streamMinute(this.data.startedAtMs, minuteMs);
    const rng = createRng(this.data.seed, 'metric-delay', functionName, minute);
    const appears = ended + (min + rng.next() * (max - min)) * MINUTE_MS;
    if (asOfMs < appears) return 0;
    const first = 0.4 + 0.5 * rng.next();
    const grown = first + ((1 - first) * (asOfMs - appears)) / MINUTE_MS;
    return grown >= 1 ? 1 : Math.floor(grown * 10) / 10;
  }

  markDirty(): void {
    this.dirty = true;
  }

  /** True once after any change since the last call (the server saves the state file then). */
  takeDirty(): boolean {
    const was = this.dirty;
    this.dirty = false;
    return was;
  }
}

function createData(realNow: number, seed: number, speed: number, region: string): SandboxData {
  return {
    format: 1,
    seed,
    region,
    accountId: DEFAULT_ACCOUNT_ID,
    clock: { simOriginMs: realNow, realOriginMs: realNow, speed },
    startedAtMs: realNow,
    counters: { ids: 0, api: 0, invoke: 0 },
    functions: {},
    alarms: {},
    customMetrics: {},
  };
}

/**
 * A restored world keeps its timeline: simulated time went on while no process ran, as it would
 * for a long-lived endpoint. A new speed re-anchors the clock at the current simulated time so
 * time never jumps.
 */
function continueData(saved: SandboxData, realNow: number, seed?: number, speed?: number): SandboxData {
  const data: SandboxData = structuredClone(saved);
  if (seed !== undefined) data.seed = seed;
  if (speed !== undefined && speed !== data.clock.speed) {
    const { simOriginMs, realOriginMs, speed: oldSpeed } = data.clock;
    const simNow = Math.floor(simOriginMs + (realNow - realOriginMs) * oldSpeed);
    data.clock = { simOriginMs: simNow, realOriginMs: realNow, speed };
  }
  return data;
}
