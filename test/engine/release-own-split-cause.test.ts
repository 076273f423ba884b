/**
 * A release that met a person's split of one function (fb) rolls its other functions back and
 * closes fb `rolled-back (weights changed by hand)`, left split (release-split-member-close.test.ts).
 * fb's resume is refused with "`lshift status fb` says why it was rolled back" — but no record kept
 * why (no `y=` on fb, nor on fa and fc), and status said nothing of it (session 68's LOW). Each
 * record now keeps it (`y=ALIAS_CHANGED`), and status says it.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import { getStatus } from '../../src/engine/status.js';
import { ALIAS, createFleetWorld, createWorld, FN, linear, request, resumeRequest } from './world.js';

const SPLIT = { functionVersion: '1', additionalWeights: { '2': 0.37 } };
const FNS = ['fa', 'fb', 'fc'];
const WHY =
  'someone else (a hook, or a person) moved the alias of a function of its release, and the release rolled back for it';

async function releaseMeetingSplit() {
  const w = createFleetWorld(FNS, { auto: false });
  w.lambda.moveAliasAt(w.start + 30_000, 'fb', ALIAS, SPLIT);
  const rel: ReleaseRequest = {
    releaseId: 'r-split2',
    members: FNS.map((fn, i) =>
      request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...linear(25, 60) }),
    ),
  };
  let ended = false;
  const running = runRelease(w.deps, rel).finally(() => {
    ended = true;
  });
  while (!ended) await w.clock.advance(1000);
  await running;
  return w;
}

describe('a release that rolled back for a function’s own split: why, in every record and in status', () => {
  it('fb (left split) and its mates keep y=ALIAS_CHANGED; status says it where the resume hint sends', async () => {
    const w = await releaseMeetingSplit();
    expect(w.store.peek('fb', ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'weights changed by hand',
      cause: { code: 'ALIAS_CHANGED' },
    });
    for (const fn of ['fa', 'fc']) expect(w.store.peek(fn, ALIAS)?.cause).toEqual({ code: 'ALIAS_CHANGED' });

    const refused = await resumeDeploy(
      w.deps,
      resumeRequest({ functionName: 'fb', alarms: ['fb-errors'] }),
    ).then(
      () => undefined,
      (e: { hint?: string }) => e,
    );
    expect(refused?.hint).toContain('`lshift status fb --alias live` says why it was rolled back');
    const fb = renderStatus(await getStatus(w.deps, { functionName: 'fb', alias: ALIAS, alarms: [] }));
    expect(fb).toContain(
      `lshift decided to roll it back with its release (in this function or another): ${WHY}`,
    );
    const fa = renderStatus(await getStatus(w.deps, { functionName: 'fa', alias: ALIAS, alarms: [] }));
    expect(fa).toContain(`rolled back by lshift with its release (in this function or another): ${WHY}`);
  });

  it('fb’s routing line says its split was left and nobody drives it, as its STALLED line below does', async () => {
    const w = await releaseMeetingSplit();
    const fb = renderStatus(await getStatus(w.deps, { functionName: 'fb', alias: ALIAS, alarms: [] }));
    expect(fb).toContain('STALLED');
    expect(fb).toContain('(split by hand, left by deployment d-1: nobody drives it)');
    expect(fb).not.toContain('no lshift shift is in progress');
  });

  it('a single deploy split mid-shift keeps no cause: paused, resumable, as before', async () => {
    const w = createWorld();
    w.lambda.moveAliasAt(w.start + 65_000, FN, ALIAS, SPLIT);
    await runDeploy(w.deps, request(linear(10, 600)));
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'paused', endReason: 'weights changed by hand' });
    expect(w.store.peek(FN, ALIAS)?.cause).toBeUndefined();
  });
});
