import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../src/cli/renderers/describe-event.js';
import type { Verdict } from '../../src/domain/verdict.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { HealthGate } from '../../src/engine/health-gate.js';
import { allAtOnce, canary, createWorld, request } from './world.js';

/**
 * A hold no gate judged was said "healthy": AllAtOnce with `--bake 5m`, no alarm, 5 requests a
 * minute (every analysis gate inconclusive) printed `bake: completed, healthy` and the step
 * summary `✅ healthy` (found by a hostile pass, session 61). "Could not judge" is not "passed".
 */
function gateSaying(outcome: Verdict['outcome']): HealthGate {
  return {
    name: 'error-rate-increase',
    evaluate: async (win) => [
      { outcome, gate: 'error-rate-increase', summary: `says ${outcome}`, at: win.now },
    ],
  };
}

describe('a hold no gate judged is not said healthy', () => {
  it('a bake with no alarm and the analysis inconclusive: bake.completed unjudged, "not judged"', async () => {
    const w = createWorld();
    const result = await runDeploy(
      { ...w.deps, gates: [gateSaying('inconclusive')] },
      request({ ...allAtOnce(), bakeSeconds: 120, alarms: [] }),
    );
    expect(result.status).toBe('promoted');
    const [completed] = w.sink.ofType('bake.completed');
    expect(completed?.unjudged).toBe(true);
    expect(describeEvent(completed!)).toBe(
      'bake: completed, not judged: no alarm watched and the canary analysis inconclusive',
    );
  });

  it('a step with no alarm and the analysis inconclusive: step.completed unjudged, "not judged"', async () => {
    const w = createWorld();
    await runDeploy(
      { ...w.deps, gates: [gateSaying('inconclusive')] },
      request({ ...canary(10, 60), alarms: [] }),
    );
    const [completed] = w.sink.ofType('step.completed');
    expect(completed?.unjudged).toBe(true);
    expect(describeEvent(completed!)).toBe(
      'step 1: 10% held, not judged: no alarm watched and the canary analysis inconclusive',
    );
  });

  it.each([
    ['an alarm watched', [gateSaying('inconclusive')], ['demo-errors']],
    ['the analysis passed', [gateSaying('pass')], []],
  ])('%s: healthy, as before', async (_, gates, alarms) => {
    const w = createWorld();
    await runDeploy({ ...w.deps, gates }, request({ ...allAtOnce(), bakeSeconds: 120, alarms }));
    const [completed] = w.sink.ofType('bake.completed');
    expect(completed?.unjudged).toBeUndefined();
    expect(describeEvent(completed!)).toBe('bake: completed, healthy');
  });
});
