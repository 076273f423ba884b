/**
 * deploy's preflight over a holder whose runner is known gone from this machine (its pid no longer
 * runs here, its owner carrying this machine's token: status-stalled.ts isRunnerKnownGone): it is
 * unfinished at once, whatever its heartbeat's age, as `lshift status` says STALLED. It said
 * DEPLOYMENT_IN_PROGRESS "Wait for it" (exit 5) for up to 2 minutes after a kill -9, while status
 * said exit 4 (found by h1's hostile pass, session 71).
 */
import { describe, expect, it } from 'vitest';
import { runPreflight } from '../../src/engine/preflight.js';
import type { LocalProcesses } from '../../src/ports/local-processes.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN } from './world.js';

const running = (...pids: number[]): LocalProcesses => ({ isRunning: (pid) => pids.includes(pid) });
const TOKEN = '3f9a1c2e';

async function preflightOver(opts: {
  holder: string;
  processes: LocalProcesses;
  weights: Record<string, number>;
  functionVersion?: string;
  owner?: string;
}) {
  const w = createWorld();
  // Killed 20 s ago: its heartbeat is fresh.
  w.store.seed(FN, ALIAS, deadRecord(w, { owner: opts.holder, heartbeatAt: w.start - 20_000 }));
  w.lambda.moveAlias(FN, ALIAS, {
    functionVersion: opts.functionVersion ?? '1',
    additionalWeights: opts.weights,
  });
  return runPreflight(
    { ...w.deps, processes: opts.processes },
    {
      functionName: FN,
      alias: ALIAS,
      targetVersion: '3',
      alarms: [ALARM],
      owner: opts.owner ?? `me@host:2/${TOKEN}`,
    },
  ).then(
    () => undefined,
    (e: unknown) => e as { code: string; exitCode: number; message: string; hint: string },
  );
}

describe('deploy preflight: a holder whose runner is known gone from this machine', () => {
  it('over a split: DEPLOYMENT_STALE, exit 4, naming its process, with the ways out', async () => {
    const error = await preflightOver({
      holder: `me@host:41/${TOKEN}`,
      processes: running(2),
      weights: { '2': 0.2 },
    });
    expect(error).toMatchObject({ code: 'DEPLOYMENT_STALE', exitCode: 4 });
    expect(error?.message).toMatch(
      /^Deployment d-dead01 by me@host:41\/3f9a1c2e of demo alias live was left unfinished: its process 41 no longer runs on this machine \(shifting at 20%, version 1 → 2.*\)\. Nobody drives that split; it needs a human\.$/,
    );
    expect(error?.hint).toContain('lshift deploy demo --alias live --resume');
    expect(error?.hint).toContain('lshift rollback demo --alias live');
    expect(error?.hint).not.toContain('Wait for it');
  });

  it('all on one version: DEPLOYMENT_STALE, exit 5', async () => {
    const error = await preflightOver({
      holder: `me@host:41/${TOKEN}`,
      processes: running(2),
      weights: {},
    });
    expect(error).toMatchObject({ code: 'DEPLOYMENT_STALE', exitCode: 5 });
    expect(error?.message).toContain('its process 41 no longer runs on this machine');
  });

  it.each([
    ['its pid still runs here', `me@host:41/${TOKEN}`, running(2, 41), undefined],
    [
      'no machine token (another container with this hostname may run it)',
      'me@host:41',
      running(2),
      'me@host:2',
    ],
    ['another machine', `me@other:41/${TOKEN}`, running(2), undefined],
  ])('still in progress (fresh heartbeat) when %s', async (_what, holder, processes, owner) => {
    const error = await preflightOver({ holder, processes, weights: { '2': 0.2 }, owner });
    expect(error).toMatchObject({ code: 'DEPLOYMENT_IN_PROGRESS', exitCode: 5 });
    expect(error?.hint).toContain('Wait for it');
  });
});
