/**
 * After a deploy ended PROMOTE_UNCONFIRMED (exit 4: every step passed, but the alias was not
 * seen on the new version alone, so the record is not `promoted`), what `lshift status`, `lshift
 * check` and `deploy --resume` say. Before, status and check said the runner was still driving
 * it (its heartbeat was recent) or that someone moved the alias by hand, and resume said
 * "someone else moved it". Now each says the promote could not be confirmed, and both fixes.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import type { AliasState } from '../../src/engine/alias-step.js';
import { runCheck } from '../../src/engine/check.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { createNativeTrafficDriver } from '../../src/engine/native-traffic-driver.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import { rollbackDeployment } from '../../src/engine/rollback.js';
import { getStatus } from '../../src/engine/status.js';
import type { TrafficDriver } from '../../src/ports/traffic-driver.js';
import { ALARM, ALIAS, createWorld, FN, linear, request, resumeRequest, type World } from './world.js';

/** As CodeDeploy can leave it: the new version primary, the old one still at 30%. */
const REVERSED: AliasState = { functionVersion: '2', additionalWeights: { '1': 0.3 } };
/** As the deploy's own 100% write could have failed to land: its last step, 50%. */
const AT_LAST_STEP: AliasState = { functionVersion: '1', additionalWeights: { '2': 0.5 } };

/** The native driver, but right after its 100% write the alias is found at `end`. */
function driverEndingAt(w: World, end: AliasState): TrafficDriver {
  const native = createNativeTrafficDriver(w.lambda);
  return {
    name: 'native',
    setWeight: async (cursor, percent, opts) => {
      const before = { ...cursor.aliasState };
      await native.setWeight(cursor, percent, opts);
      if (percent !== 100) return;
      cursor.aliasState = before;
      w.lambda.moveAlias(FN, ALIAS, end);
    },
    observe: (cursor) => native.observe(cursor),
  };
}

async function unconfirmedDeploy(end: AliasState): Promise<World> {
  const w = createWorld();
  const result = await runDeploy({ ...w.deps, traffic: driverEndingAt(w, end) }, request(linear(50, 60)));
  expect(result.cause?.code).toBe('PROMOTE_UNCONFIRMED');
  expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'shifting', endReason: 'promote unconfirmed' });
  return w;
}

const status = (w: World) =>
  getStatus({ ...w.deps, store: w.store }, { functionName: FN, alias: ALIAS, alarms: [ALARM] });
const check = (w: World) =>
  runCheck(
    { ...w.deps, store: w.store },
    { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] },
  );

const FINISH = `\`lshift alias ${FN} ${ALIAS} 2\``;
const UNDO = `\`lshift rollback ${FN} --alias ${ALIAS}\``;

describe('after a deploy whose promote could not be confirmed', () => {
  it('status, 10 s later: STALLED, the promote unconfirmed, both fixes — not "moved by hand"', async () => {
    const w = await unconfirmedDeploy(REVERSED);
    await w.clock.sleep(10_000);

    const seen = await status(w);
    const text = renderStatus(seen);

    expect(seen.record?.promoteUnconfirmed).toBe(true);
    expect(seen.record?.movedAway).toBeUndefined();
    expect(text).toContain(
      'STALLED: every step of deployment d-abc123 passed, but its promote could not be confirmed',
    );
    expect(text).toContain('nobody drives it');
    expect(text).toContain(FINISH);
    expect(text).toContain(UNDO);
    expect(text).not.toContain('by hand');
  });

  it('check, 10 s later: not "driven by" its runner — stalled (exit 4 data) with both fixes', async () => {
    const w = await unconfirmedDeploy(REVERSED);
    await w.clock.sleep(10_000);

    const [row] = (await check(w)).results;

    expect(row).toMatchObject({ action: 'stalled', stalled: true });
    expect(row?.reason).toContain('its promote could not be confirmed');
    expect(row?.reason).toContain(FINISH);
    expect(row?.reason).toContain(UNDO);
    expect(row?.reason).not.toMatch(/driven by|by hand/);
  });

  it('check with its alarm firing rolls it back at once (nobody watches it), the record closed', async () => {
    const w = await unconfirmedDeploy(AT_LAST_STEP);
    w.metrics.setAlarm(ALARM, 'ALARM', { reason: 'errors over 3' });
    await w.clock.sleep(10_000);

    const [row] = (await check(w)).results;

    expect(row?.action).toBe('rolled_back');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    const record = w.store.peek(FN, ALIAS);
    expect(record?.phase).toBe('rolled-back');
    expect(record?.endReason).toBeUndefined();
  });

  it('deploy --resume, alias split the other way round: refused (exit 4) with the truth and both fixes', async () => {
    const w = await unconfirmedDeploy(REVERSED);
    await w.clock.sleep(10_000);

    const refusal = await resumeDeploy(w.deps, resumeRequest()).catch((e: unknown) => e);

    expect(refusal).toMatchObject({ code: 'ALIAS_MISMATCH', exitCode: 4 });
    const { message, hint } = refusal as { message: string; hint: string };
    expect(message).toContain('its promote could not be confirmed');
    expect(message).not.toContain('someone else moved it');
    expect(hint).toContain(FINISH);
    expect(hint).toContain(UNDO);
  });

  it('deploy --resume, alias at its last step: tries the promote again at once (no wait for a stale heartbeat)', async () => {
    const w = await unconfirmedDeploy(AT_LAST_STEP);
    await w.clock.sleep(10_000);

    const result = await resumeDeploy(w.deps, resumeRequest());

    expect(result.status).toBe('promoted');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '2', additionalWeights: {} });
    const record = w.store.peek(FN, ALIAS);
    expect(record?.phase).toBe('promoted');
    expect(record?.endReason).toBeUndefined();
  });

  it('lshift rollback closes it rolled back, the end reason gone', async () => {
    const w = await unconfirmedDeploy(AT_LAST_STEP);

    const result = await rollbackDeployment(w.deps, {
      functionName: FN,
      alias: ALIAS,
      reason: 'manual rollback',
    });

    expect(result.status).toBe('rolled_back');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back' });
    expect(w.store.peek(FN, ALIAS)?.endReason).toBeUndefined();
  });
});
