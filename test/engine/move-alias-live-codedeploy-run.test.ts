/**
 * `lshift alias` while lshift's own deploy run of a CodeDeploy deployment still lives: CodeDeploy
 * ended it Succeeded, and the run is in its bake and settle before it closes its record. The move
 * goes ahead (nothing of CodeDeploy's moves the alias: move-alias-codedeploy-ended.ts); the
 * question is whose close the record ends with (session 67's note: could the run's closing write
 * land over the "moved by hand" close?).
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { moveAlias } from '../../src/engine/move-alias.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALIAS, canary, FN, request } from './world.js';

function world() {
  const w = codeDeployWorld('Canary10Percent5Minutes');
  w.lambda.addVersion(FN);
  const c = canary(10, 300);
  const req = request({ ...c, plan: { ...c.plan, settleSeconds: 120 }, bakeSeconds: 120 });
  const move = () =>
    moveAlias(
      { lambda: w.lambda, store: w.store, clock: w.clock, codedeploy: w.codedeploy },
      { functionName: FN, alias: ALIAS, version: '3' },
    );
  return { w, req, move };
}

describe('lshift alias while the deploy run of a Succeeded CodeDeploy deployment still lives', () => {
  it.each([302_000, 330_000, 400_000])(
    'moved at %i ms (bake, settle): the run yields, the record ends moved by hand',
    async (at) => {
      const { w, req, move } = world();
      let moved: unknown;
      w.clock.at(w.start + at, () => {
        move().then(
          (m) => (moved = m),
          (e: unknown) => (moved = e),
        );
      });
      const result = await runDeploy(w.deps, req);

      expect(moved).toMatchObject({ changed: true, endedCodeDeploy: { status: 'Succeeded' } });
      expect(result.status).toBe('conflict');
      expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '3', additionalWeights: {} });
      expect(w.store.peek(FN, ALIAS)).toMatchObject({
        phase: 'rolled-back',
        endReason: 'moved by hand to version 3',
      });
    },
  );

  it('moved between the run’s last read and its closing write: the promoted close lands over the hand close, and the run’s read-back then closes it moved by hand', async () => {
    const { w, req, move } = world();
    const write = w.store.write.bind(w.store);
    let moved: unknown;
    const landed: string[] = [];
    w.store.write = async (fn: string, alias: string, record: DeploymentRecord, opts?: never) => {
      // The move and its close land while the run's promoted write is on its way.
      if (record.phase === 'promoted' && moved === undefined) moved = await move().catch((e: unknown) => e);
      await write(fn, alias, record, opts);
      const now = w.store.peek(FN, ALIAS);
      landed.push(`${now?.phase}${now?.endReason ? ` (${now.endReason})` : ''}`);
    };
    const result = await runDeploy(w.deps, req);

    expect(moved).toMatchObject({ changed: true, endedCodeDeploy: { status: 'Succeeded' } });
    expect(landed.slice(-3)).toEqual([
      'rolled-back (moved by hand to version 3)',
      'promoted',
      'rolled-back (moved by hand to version 3)',
    ]);
    expect(result.status).toBe('conflict');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '3', additionalWeights: {} });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'moved by hand to version 3',
    });
  });
});
