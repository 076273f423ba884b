/**
 * kill -9 of the built CLI at a chosen point of a deploy, against an in-process sandbox, and
 * the truth afterwards read straight from the sandbox's own state.
 */
import { spawn } from 'node:child_process';
import { decodeRecord } from '../../src/domain/deployment-record.js';
import type { EngineEvent } from '../../src/domain/events.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { own } from '../../src/sandbox/own.js';
import { RUN_JS } from '../helpers/run-cli.js';
import { waitUntil } from '../helpers/wait-until.js';
import { type AliasTruth, aliasTruth, type SandboxEnv } from './sandbox-env.js';

export type { AliasTruth };

export interface CrashPoint {
  name: string;
  preset: 'healthy' | 'bad';
  args: string[];
  /** What the alias must look like right after the kill, to prove the crash hit where it says. */
  expect: 'stable' | 'split' | 'target' | 'any';
  /**
   * The crash point, as an event the sandbox sees: right after the request for which this is
   * true was applied, the sandbox holds every later request, and the CLI is killed as soon as it
   * waits on one. So the kill lands exactly there however slow the machine is (a kill sent on a
   * stdout event could land after the CLI had already made its next write).
   */
  holdAfter: (operation: string, sb: Sandbox) => boolean;
}

/**
 * --no-analysis: the crash points are reached by the healthy version's shift; a chance verdict of
 * the judge on equal versions (≤ 1% of deployments, docs/analysis.md) would roll back before
 * them. The bad version is caught by its alarm.
 */
const DEPLOY = ['deploy', 'demo', '--alarm', 'demo-errors', '--no-analysis', '--progress', 'ndjson'];

/**
 * The flags of the crashed deploy that its resume must pass again (the guards: alarms, hooks,
 * bake, analysis); a resume with other guards is refused (RESUME_GUARDS_DIFFER).
 */
export function guardFlagsOf(point: CrashPoint): string[] {
  const alarmAndAnalysis = DEPLOY.slice(2, 5);
  const bake = point.args.indexOf('--bake');
  return [...alarmAndAnalysis, ...(bake < 0 ? [] : point.args.slice(bake, bake + 2))];
}

/** The deployment record as the sandbox holds it now. */
function recordIn(sb: Sandbox): ReturnType<typeof decodeRecord> | undefined {
  const tag = own(sb.data.functions, 'demo')?.tags['lshift:live'];
  return tag ? decodeRecord(tag) : undefined;
}

const recordWritten =
  (phase: string, stepIndex?: number) =>
  (operation: string, sb: Sandbox): boolean => {
    if (operation !== 'TagResource') return false;
    const record = recordIn(sb);
    return record?.phase === phase && (stepIndex === undefined || record.stepIndex === stepIndex);
  };

export const CRASH_POINTS: CrashPoint[] = [
  {
    name: 'after publish',
    preset: 'healthy',
    args: ['--strategy', 'linear:25%:1m'],
    expect: 'stable',
    holdAfter: (operation) => operation === 'PublishVersion',
  },
  {
    name: 'after the record was first written',
    preset: 'healthy',
    args: ['--strategy', 'linear:25%:1m'],
    expect: 'stable',
    holdAfter: recordWritten('started'),
  },
  ...[0, 1, 2].map((index) => ({
    name: `right after weight write ${index + 1}`,
    preset: 'healthy' as const,
    args: ['--strategy', 'linear:25%:1m'],
    expect: 'split' as const,
    holdAfter: recordWritten('shifting', index),
  })),
  {
    name: 'during the bake',
    preset: 'healthy',
    args: ['--strategy', 'linear:50%:1m', '--bake', '10m'],
    expect: 'target',
    holdAfter: recordWritten('baking'),
  },
  {
    name: 'during a rollback',
    preset: 'bad',
    args: ['--strategy', 'canary:10%:10m'],
    expect: 'any',
    holdAfter: recordWritten('rolling-back'),
  },
];

/**
 * Runs a deploy and SIGKILLs it at the crash point; afterwards the requests it left waiting are
 * dropped unapplied and the sandbox serves normally. Resolves with the events seen before the kill.
 */
export function deployAndKill(
  env: SandboxEnv,
  point: CrashPoint,
): Promise<{ killed: boolean; events: EngineEvent[] }> {
  const gate = env.handle.state.gate;
  gate.holdAfter(point.holdAfter);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUN_JS, ...DEPLOY, ...point.args], {
      env: { ...process.env, CI: 'true', LSHIFT_SANDBOX: env.handle.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const events: EngineEvent[] = [];
    let buffer = '';
    let killed = false;
    let exited = false;
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) if (line.trim() && !killed) events.push(JSON.parse(line) as EngineEvent);
    });
    void gate.whenHolding().then(() => {
      if (exited) return;
      killed = true;
      child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', () => {
      exited = true;
      gate.release({ drop: true });
      resolve({ killed, events });
    });
  });
}

/** The alias and the record as the sandbox holds them (not as lshift reports them). */
export function readTruth(env: SandboxEnv): AliasTruth {
  return aliasTruth(env.handle);
}

export function isSplit(truth: AliasTruth): boolean {
  return Object.values(truth.weights).some((w) => w > 0);
}

/**
 * Waits until the record's heartbeat is older than the staleness limit on the sandbox clock
 * (simulated time only moves forward, so this ends; the hang guard is only a backstop).
 */
export function waitUntilStale(env: SandboxEnv, staleAfterMs = 120_000): Promise<void> {
  const stale = () => {
    const record = readTruth(env).record;
    return !record || env.handle.state.simNow() - record.heartbeatAt > staleAfterMs + 1000;
  };
  return waitUntil(stale, 'the record stale on the sandbox clock');
}

/** Asserts the alias right after the kill is where the crash point says it should be. */
export function describeShape(truth: AliasTruth): 'stable' | 'split' | 'target' {
  if (isSplit(truth)) return 'split';
  return truth.functionVersion === '1' ? 'stable' : 'target';
}
