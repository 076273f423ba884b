/**
 * kill -9 of the built CLI at a chosen point of a deploy, against an in-process sandbox, and
 * the truth afterwards read straight from the sandbox's own state.
 */
import { spawn } from 'node:child_process';
import { decodeRecord } from '../../src/domain/deployment-record.js';
import type { EngineEvent } from '../../src/domain/events.js';
import { RUN_JS } from '../helpers/run-cli.js';
import type { SandboxEnv } from './sandbox-env.js';

export interface CrashPoint {
  name: string;
  preset: 'healthy' | 'bad';
  args: string[];
  /** What the alias must look like right after the kill, to prove the crash hit where it says. */
  expect: 'stable' | 'split' | 'target' | 'any';
  /** Kill when this returns true for an event (NDJSON on stdout); `seen` holds the events before it. */
  killOn: (event: EngineEvent, seen: EngineEvent[]) => boolean;
}

const DEPLOY = ['deploy', 'demo', '--alarm', 'demo-errors', '--output', 'ndjson'];

export const CRASH_POINTS: CrashPoint[] = [
  {
    name: 'after publish',
    preset: 'healthy',
    args: ['--strategy', 'linear:25%:1m'],
    expect: 'stable',
    killOn: (e) => e.type === 'publish.completed',
  },
  {
    name: 'after the record was first written',
    preset: 'healthy',
    args: ['--strategy', 'linear:25%:1m'],
    expect: 'stable',
    killOn: (e) => e.type === 'record.written' && e.phase === 'started',
  },
  ...[0, 1, 2].map((index) => ({
    name: `right after weight write ${index + 1}`,
    preset: 'healthy' as const,
    args: ['--strategy', 'linear:25%:1m'],
    expect: 'split' as const,
    killOn: (e: EngineEvent, seen: EngineEvent[]) =>
      e.type === 'record.written' && e.phase === 'shifting' && countShiftingWrites(seen) === index,
  })),
  {
    name: 'during the bake',
    preset: 'healthy',
    args: ['--strategy', 'linear:50%:1m', '--bake', '10m'],
    expect: 'target',
    killOn: (e) => e.type === 'bake.started',
  },
  {
    name: 'during a rollback',
    preset: 'bad',
    args: ['--strategy', 'canary:10%:10m'],
    expect: 'any',
    killOn: (e) => e.type === 'rollback.started',
  },
];

function countShiftingWrites(seen: EngineEvent[]): number {
  return seen.filter((e) => e.type === 'record.written' && e.phase === 'shifting').length;
}

/** Runs a deploy and SIGKILLs it at the crash point. Resolves with the events seen before the kill. */
export function deployAndKill(
  env: SandboxEnv,
  point: CrashPoint,
): Promise<{ killed: boolean; events: EngineEvent[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUN_JS, ...DEPLOY, ...point.args], {
      env: { ...process.env, CI: 'true', LSHIFT_SANDBOX: env.handle.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const events: EngineEvent[] = [];
    let buffer = '';
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim() || killed) continue;
        const event = JSON.parse(line) as EngineEvent;
        const fire = point.killOn(event, events);
        events.push(event);
        if (fire) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.on('error', reject);
    child.on('close', () => resolve({ killed, events }));
  });
}

export interface AliasTruth {
  functionVersion: string;
  weights: Record<string, number>;
  record?: ReturnType<typeof decodeRecord>;
}

/** The alias and the record as the sandbox holds them (not as lshift reports them). */
export function readTruth(env: SandboxEnv): AliasTruth {
  const fn = env.handle.state.data.functions.demo;
  if (!fn) throw new Error('demo function missing from the sandbox');
  const alias = fn.aliases.live;
  if (!alias) throw new Error('alias live missing from the sandbox');
  const tag = fn.tags['lshift:live'];
  return {
    functionVersion: alias.functionVersion,
    weights: { ...alias.weights },
    record: tag ? decodeRecord(tag) : undefined,
  };
}

export function isSplit(truth: AliasTruth): boolean {
  return Object.values(truth.weights).some((w) => w > 0);
}

/** Waits (real time) until the record's heartbeat is older than the staleness limit on the sandbox clock. */
export async function waitUntilStale(env: SandboxEnv, staleAfterMs = 120_000): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const record = readTruth(env).record;
    if (!record || env.handle.state.simNow() - record.heartbeatAt > staleAfterMs + 1000) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the record never went stale');
}

/** Asserts the alias right after the kill is where the crash point says it should be. */
export function describeShape(truth: AliasTruth): 'stable' | 'split' | 'target' {
  if (isSplit(truth)) return 'split';
  return truth.functionVersion === '1' ? 'stable' : 'target';
}
