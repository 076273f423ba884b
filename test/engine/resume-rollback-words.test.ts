/**
 * `deploy --resume` finishing a crashed run's rollback whose write had landed (the alias back on
 * the stable version, the record still `rolling-back` at 10%): traffic had moved. Judged from the
 * alias alone it said "no traffic had moved to the new version" and "Not started … unchanged …
 * no traffic was moved" of a canary that had run at 10% for minutes (found by a hostile pass).
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { describeEvent } from '../../src/cli/renderers/describe-event.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import { ALIAS, createWorld, deadRecord, FN, leaveDeployment, resumeRequest } from './world.js';

describe('deploy --resume of a rollback whose write landed before the crash', () => {
  it('says traffic had moved: not "no traffic had moved", not "Not started … unchanged"', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { phase: 'rolling-back', percent: 10, stepIndex: 0 }), 0);
    const result = await resumeDeploy(w.deps, resumeRequest());

    expect(result.status).toBe('rolled_back');
    expect(result.trafficMoved).toBe(true);
    expect(describeReason(result)).not.toContain('no traffic was moved');
    const [started] = w.sink.ofType('rollback.started');
    expect(started?.trafficMoved).toBe(true);
    expect(describeEvent(started!)).not.toContain('no traffic had moved');
    expect(describeEvent(started!)).toContain(
      'ROLLBACK to version 1 (all traffic was already on it; version 2 had 10% when its record was last written)',
    );
    // Already back: nothing written again.
    expect(w.lambda.aliasWrites()).toEqual([]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', percent: 0 });
  });
});
