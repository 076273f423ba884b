/**
 * `lshift status` beside a runner that still beats (h3's pass, session 67, F3–F5): during a pre- or
 * post-traffic hook no hold runs — the runner reads the alias when the hook ends, and what it does
 * depends on the hook's verdict (it promised exit 5 "within 30 s while it holds a step"; a failed
 * post-hook rolled back, exit 3); a split it meets is exit 4, not 5 (settle.ts); and a weight lshift
 * never writes (37% under a 40% record) offered `deploy --resume` over the live runner, which the
 * whole-move case no longer does. Only `lshift status` again is offered while it beats.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import { getStatus } from '../../src/engine/status.js';
import type { RoutingState } from '../../src/ports/traffic-driver.js';
import { ALIAS, createWorld, FN, resumeRequest } from '../engine/world.js';

type World = ReturnType<typeof createWorld>;

const running = (w: World, over: Partial<DeploymentRecord> = {}): DeploymentRecord => ({
  id: 'd-run002',
  stableVersion: '1',
  targetVersion: '2',
  strategy: 'linear:10%:1m',
  stepIndex: 3,
  percent: 40,
  phase: 'shifting',
  startedAt: w.start - 900_000,
  owner: 'ci@runner:1',
  heartbeatAt: w.start - 25_000,
  history: [],
  ...over,
});

async function textOf(w: World, record: DeploymentRecord, alias: RoutingState) {
  w.lambda.addVersion(FN);
  w.lambda.moveAlias(FN, ALIAS, alias);
  w.store.seed(FN, ALIAS, record);
  return renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
}

describe('status beside a runner that still beats', () => {
  it('during its post-traffic hook: no hold runs; what it does depends on the hook', async () => {
    const w = createWorld();
    const record = running(w, { phase: 'post-hook', stepIndex: 9, percent: 100, strategy: 'linear:10%:1m' });
    const text = await textOf(w, record, { functionVersion: '1', additionalWeights: {} });
    expect(text).toContain(
      'no hold runs while its post-traffic hook runs: its runner reads the alias when the hook ends (at the latest at its --hook-timeout)',
    );
    expect(text).toContain(
      'the hook failed, it rolls back, and its rollback meets the move — all on version 1 already, it ends rolled back (exit 3)',
    );
    expect(text).not.toContain('within 30 s while it holds a step');
    expect(text).not.toContain('--resume');
  });

  it('a split it meets: exit 4 (nobody drives that split), not 5', async () => {
    const w = createWorld();
    const text = await textOf(w, running(w), { functionVersion: '3', additionalWeights: { '2': 0.4 } });
    expect(text).toContain('and exits 4: nobody drives that split, and its output gives the rollback');
    expect(text).not.toContain('exits 5');
  });

  it('a weight lshift never writes (37% under its 40%): the runner meets it; no resume offered', async () => {
    const w = createWorld();
    const text = await textOf(w, running(w), { functionVersion: '1', additionalWeights: { '2': 0.37 } });
    expect(text).toContain('a weight no step of its plan (linear:10%:1m) has: lshift never writes one');
    expect(text).toContain('this deployment may still run (its runner beat 25s ago;');
    expect(text).toContain('its runner meets the move at its next read of the alias');
    expect(text).toContain('`lshift status demo --alias live` again shows how it ended');
    expect(text).not.toContain('--resume');
  });

  it('the same with its heartbeat stale: the resume is offered, as before', async () => {
    const w = createWorld();
    const text = await textOf(w, running(w, { heartbeatAt: w.start - 600_000 }), {
      functionVersion: '1',
      additionalWeights: { '2': 0.37 },
    });
    expect(text).toContain('`deploy --resume` writes 40% again');
  });
});

describe('deploy --resume refused for a move by hand beside a runner that still beats', () => {
  async function refusal(w: World, heartbeatAgo: number) {
    w.lambda.addVersion(FN);
    // 60% where its record says 40%: more than the one step a crash leaves it ahead.
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.6 } });
    w.store.seed(FN, ALIAS, running(w, { heartbeatAt: w.clock.now() - heartbeatAgo }));
    return resumeDeploy(w.deps, resumeRequest()).then(
      () => undefined,
      (error: { code?: string; hint?: string }) => error,
    );
  }

  it('ALIAS_AHEAD_OF_RECORD offers only `lshift status` again, not a rollback over the live runner', async () => {
    const error = await refusal(createWorld(), 25_000);
    expect(error?.code).toBe('ALIAS_AHEAD_OF_RECORD');
    expect(error?.hint).toContain('Its runner beat 25s ago and may still run: it meets that move');
    expect(error?.hint).toContain('`lshift status demo --alias live` again shows how it ended');
    expect(error?.hint).not.toContain('lshift rollback');
  });

  it('its heartbeat stale: the rollback --to is offered, as before', async () => {
    const error = await refusal(createWorld(), 600_000);
    expect(error?.code).toBe('ALIAS_AHEAD_OF_RECORD');
    expect(error?.hint).toContain('`lshift rollback demo --alias live --to 1`');
  });
});
