/**
 * A deployment its runner left `paused` and exited (`--on-interrupt leave` and a signal, or the
 * alias moved by hand mid-shift): `lshift check` calls it STALLED (exit 4); `lshift status` said
 * "paused", no STALLED line, exit 0 beside a split alias nobody drives, its release line "all
 * paused", and `status --watch` refreshed it for ever (found by a hostile pass, session 64). Now
 * STALLED, "nobody drives it", exit 4 while split. An operator's `lshift pause` of a live runner
 * (phase still `shifting`) stays as it was: in progress, exit 0.
 */
import { describe, expect, it } from 'vitest';
import { renderReleaseStatus } from '../../src/cli/renderers/status-release-text.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { isInProgress } from '../../src/cli/status-in-progress.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { getStatus } from '../../src/engine/status.js';
import {
  ALARM,
  ALIAS,
  createWorld,
  deadRecord,
  FN,
  leaveDeployment,
  linear,
  request,
  type World,
} from './world.js';

const readStatus = (w: World) => getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [ALARM] });
const checkDeps = (w: World): CheckDeps => ({ ...w.deps, store: w.store, owner: 'check:cron@host-b:97' });
const checkRequest = { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] };

async function leftPausedAt20(): Promise<World> {
  const w = createWorld();
  const controller = new AbortController();
  w.clock.at(w.start + 95_000, () => controller.abort());
  const result = await runDeploy(
    w.deps,
    request({ ...linear(10, 60), signal: controller.signal, onInterrupt: 'leave' }),
  );
  expect(result.status).toBe('paused');
  return w;
}

describe('status of a deployment left paused by a runner that exited', () => {
  it('split: STALLED, nobody drives it, exit 4, the watch stops — as check says', async () => {
    const w = await leftPausedAt20();
    const status = await readStatus(w);
    expect(status.split).toBe(true);
    const text = renderStatus(status);
    expect(text).toContain('— STALLED: its runner left it paused and exited; nobody drives it\n');
    expect(text).toContain('finish it with `lshift deploy demo --alias live --resume`');
    expect(needsOperator(status)).toBe(true);
    expect(isInProgress(status)).toBe(false);
    expect(status.record).toMatchObject({ phase: 'paused', stalled: true });

    const report = await runCheck(checkDeps(w), checkRequest);
    expect(report.results[0]).toMatchObject({ action: 'stalled', stalled: true });
  });

  it('moved all onto its stable version by hand afterwards: STALLED (check never closes it), exit 0, no endless watch', async () => {
    const w = await leftPausedAt20();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
    const status = await readStatus(w);
    expect(renderStatus(status)).toContain('STALLED: its runner left it paused and exited');
    expect(needsOperator(status)).toBe(false);
    expect(isInProgress(status)).toBe(false);
  });

  it('an operator pause of a live runner (phase still shifting): in progress, exit 0, not STALLED', async () => {
    const w = createWorld();
    const pause = {
      verb: 'pause' as const,
      state: 'done' as const,
      by: 'ann@laptop:9',
      at: w.start - 1000,
      nonce: 'n1',
    };
    leaveDeployment(w, deadRecord(w, { heartbeatAt: w.start - 2000, command: pause }));
    const status = await readStatus(w);
    expect(renderStatus(status)).not.toContain('STALLED');
    expect(needsOperator(status)).toBe(false);
    expect(isInProgress(status)).toBe(true);
    expect(status.record).not.toHaveProperty('stalled');
  });

  it('the release view: STALLED with the ways out, not "all paused"', async () => {
    const w = await leftPausedAt20();
    const record = w.store.peek(FN, ALIAS)!;
    w.store.seed(FN, ALIAS, { ...record, releaseId: 'r-79c4tu' });
    const status = await readStatus(w);
    const text = renderReleaseStatus([status]);
    expect(text).not.toContain('all paused');
    expect(text).toContain(
      'release r-79c4tu: STALLED (demo paused): nobody drives it (its runner left it paused and exited); finish it with `lshift deploy demo --alias live --resume`',
    );
    expect(text).toContain('or undo it with `lshift rollback --release r-79c4tu');
    expect(needsOperator(status)).toBe(true);
  });
});
