/**
 * What `runDeploy` needs (ports only) and what it is asked to do. The CLI builds both.
 */
import type { AnalysisConfig } from '../domain/analysis/config.js';
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { Plan } from '../domain/plan.js';
import { DEFAULT_STALE_AFTER_SECONDS, HEARTBEAT_SPACING_SECONDS } from '../domain/poll-interval.js';
import type { Strategy } from '../domain/strategy.js';
import type { Clock } from '../ports/clock.js';
import type { CodeDeployPort } from '../ports/codedeploy.js';
import type { EventSink } from '../ports/event-sink.js';
import type { HookRunner, HookSpec } from '../ports/hooks.js';
import type { LambdaPort } from '../ports/lambda.js';
import type { LocalProcesses } from '../ports/local-processes.js';
import type { MetricsPort } from '../ports/metrics.js';
import type { StateStore } from '../ports/state-store.js';
import type { TrafficDriver } from '../ports/traffic-driver.js';
import type { SplitAlias } from './codedeploy-split-driver.js';
import type { HealthGate } from './health-gate.js';

export interface DeployDeps {
  lambda: LambdaPort;
  metrics: MetricsPort;
  clock: Clock;
  events: EventSink;
  hooks?: HookRunner;
  store?: StateStore;
  /** Extra gates polled after the alarm gate, e.g. the canary analysis gate. */
  gates?: HealthGate[];
  /** Moves traffic; the composition root chooses it (default: native alias weights over `lambda`). */
  traffic?: TrafficDriver;
  /**
   * The driver for a deployment already on the alias, by its record's engine (`--supersede`
   * stops a running CodeDeploy deployment with auto-rollback). Default: `traffic`.
   */
  trafficFor?: (record?: DeploymentRecord) => TrafficDriver;
  /**
   * This machine's processes (`--supersede` claims the old record as a person's `lshift
   * rollback` does): a claim of the same `user@host` whose pid still runs is waited for.
   */
  processes?: LocalProcesses;
  /**
   * Reads a kept move's CodeDeploy deployment for a refusal's hint (kept-move-hint.ts), and for a
   * resume's refusal whether it ended over a split another deployment on its group drives
   * (resume-codedeploy.ts).
   */
  deployments?: Pick<CodeDeployPort, 'getDeployment' | 'listActiveDeployments'>;
  /**
   * The running AWS CodeDeploy deployment on the function's group that drives a split alias
   * (codedeploy-split-driver.ts), described, or undefined: preflight's refusal of a split then
   * leaves it to that deployment (preflight-split.ts).
   */
  codeDeploySplitDriver?: (split: SplitAlias) => Promise<string | undefined>;
}

export interface DeployHooks {
  pre?: HookSpec[];
  step?: HookSpec[];
  post?: HookSpec[];
  rollback?: HookSpec[];
}

export interface DeployRequest {
  functionName: string;
  alias: string;
  targetVersion: string;
  strategy: Strategy;
  plan: Plan;
  alarms: string[];
  pollIntervalSeconds: number;
  /** Consecutive polls with an `error` verdict that trigger a rollback (default 3). */
  healthErrorLimit?: number;
  ignoreInitialAlarms?: boolean;
  /** Keep shifting when health is unreadable (reported, never treated as healthy). */
  ignoreHealthErrors?: boolean;
  /** Seconds to keep watching after 100% (0 or absent: no bake). */
  bakeSeconds?: number;
  onInconclusive?: 'continue' | 'fail';
  hooks?: DeployHooks;
  /**
   * Hooks the traffic engine runs itself, not the release program (`--engine codedeploy`: its
   * AppSpec's BeforeAllowTraffic/AfterAllowTraffic): checked before any write all the same.
   */
  engineHooks?: DeployHooks;
  /** Default timeout of a hook without its own (default 600 s). */
  hookTimeoutSeconds?: number;
  /**
   * A release's own hooks (run once for all its functions, not by this request's program): part
   * of each function's guards (`gd=`, resume-guards.ts), so a release resume without them differs.
   */
  releaseHooks?: DeployHooks;
  /** A release's functions, all of them, for the commands lshift prints (a resume takes them all). */
  releaseFunctions?: readonly string[];
  /** Their aliases, in the same order: one `--alias` flag in a printed command only when they share it. */
  releaseAliases?: readonly string[];
  /**
   * Whether the canary analysis compares the new version with the stable one (false:
   * `--no-analysis`; default true). The CLI builds that gate; the record's guards keep this.
   */
  analysis?: boolean;
  /**
   * The absolute gates and the analysis settings the CLI built the gates from: only their
   * fingerprint is used here (the record's `jd=`, judging-fingerprint.ts), so a resume without
   * the first run's `--max-error-rate` is refused like one without its `--alarm`.
   */
  judging?: AnalysisConfig;
  /**
   * `deploy --resume --guards-changed`: continue although this run's alarms, hooks, bake or
   * analysis differ from those the record says the first run had (warned, then recorded).
   */
  guardsChanged?: boolean;
  deploymentId: string;
  owner: string;
  signal?: AbortSignal;
  /** What Ctrl-C/SIGTERM does mid-shift (default `rollback`). */
  onInterrupt?: 'rollback' | 'leave';
  /** A deployment record whose heartbeat is younger than this holds the alias (default 120 s). */
  staleAfterSeconds?: number;
  /**
   * Another deployment holds the alias (live, stale, paused or a failed rollback), or the alias
   * is split without a record: roll that back first (all traffic to its stable version, its
   * record closed as rolled-back), then deploy. Without it, preflight refuses (exit 5).
   */
  supersede?: boolean;
  /**
   * Put temporary provisioned concurrency on the new version and wait until it is READY before
   * the first weight write (warm.ts, docs/lambda-features.md#provisioned-concurrency).
   */
  warm?: boolean;
}

export const DEFAULT_HEALTH_ERROR_LIMIT = 3;
export const DEFAULT_HOOK_TIMEOUT_SECONDS = 600;
/** A release's weight writes (and preflights, rollbacks) in flight at once, unless the request says. */
export const DEFAULT_RELEASE_CONCURRENCY = 8;
export { DEFAULT_STALE_AFTER_SECONDS };
/** Heartbeats are written at most this often (and at most once per poll). */
export const HEARTBEAT_INTERVAL_MS = HEARTBEAT_SPACING_SECONDS * 1000;
/** A function of a release heartbeats at most this often: its step writes keep the record fresh. */
export const RELEASE_HEARTBEAT_INTERVAL_MS = 60_000;
/**
 * The longest one AWS call may take: 3 × the 15 s LSHIFT_AWS_TIMEOUT maximum + 1 s
 * (src/aws/time-bounds.ts). A heartbeat whose own read or write hangs lands this much later.
 */
export const LONGEST_CALL_MS = 46_000;
/** Left below the stale limit for a heartbeat's other call and its wait in the request queue. */
const BEAT_MARGIN_MS = 14_000;

/**
 * The heartbeat of a function of a release (issue 13): about every 60 s, not 30 s — each
 * heartbeat is a ListTags and a TagResource, and 100 functions heartbeating every 30 s spend 6.7
 * of Lambda's 15 requests a second. It is written at the first poll once due, so the interval is
 * a whole number of polls apart (the most that fits in 60 s, at least one): a heartbeat that then
 * hangs in its own read or write until LONGEST_CALL_MS still lands a margin below the stale limit
 * (60 + 46 = 106 s < 120 s). It used to be up to 60 s however the polls fell: at --interval 44 two
 * polls (88 s) apart, and 134 s with a hung call. Half a poll below that many polls, so a poll
 * whose reads were slower than the next one's does not put the heartbeat off by a whole poll;
 * never under a single deploy's 30 s. At --interval 31–60 it beats at every poll (200 requests per
 * interval for 100 functions: 6.5 a second at most), else every 42–60 s (docs/releases.md).
 */
export function releaseHeartbeatMs(pollIntervalSeconds: number, staleAfterSeconds?: number): number {
  const staleMs = (staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS) * 1000;
  const spacingMs = Math.min(RELEASE_HEARTBEAT_INTERVAL_MS, staleMs - LONGEST_CALL_MS - BEAT_MARGIN_MS);
  const pollMs = pollIntervalSeconds * 1000;
  const polls = Math.max(1, Math.floor(spacingMs / pollMs));
  return Math.max(HEARTBEAT_INTERVAL_MS, polls * pollMs - pollMs / 2);
}

/**
 * What a deployment's records hold besides its request: the release it is part of (`rl=`, and
 * `sg=1` with --stagger) and the CodeDeploy engine (`en=cd cd=d-…`). The record-size checks
 * before any write need it as much as the writes do.
 */
export interface RecordScope {
  releaseId?: string;
  stagger?: boolean;
  /** Every function of the release (`rz=`, `rf=`: written when they fit, never checked for size). */
  releaseFunctions?: readonly string[];
  codeDeploy?: boolean;
}
