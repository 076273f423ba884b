/**
 * A release writes each function's record behind its alias write (traffic-steps.ts), so a crash
 * may leave the record one step behind its alias — which `deploy --resume` accepts — never more.
 * With record writes slower than a hold (a slow store; the sandbox at 600×, where a 1-minute hold
 * is 100 ms), the next level's alias write used to go ahead anyway: the alias reached 75% with the
 * record at 25%, and the resume refused it (alias-matches-record: "someone else moved it").
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { runRelease } from '../../src/engine/release.js';
import type { AliasWrite } from '../../src/ports/lambda.js';
import { ALIAS, createFleetWorld, driven, linear, request } from './world.js';

const FNS = ['fa', 'fb'];

describe('a release whose record writes are slower than its holds', () => {
  it('never writes an alias more than one step ahead of its record', async () => {
    const w = createFleetWorld(FNS, { auto: false });
    const write = w.store.write.bind(w.store);
    // Each record write takes 90 s of clock time; each hold is 60 s.
    w.store.write = async (functionName: string, alias: string, record: DeploymentRecord) => {
      await w.clock.sleep(90_000);
      return write(functionName, alias, record);
    };
    const ahead: string[] = [];
    w.lambda.onCall = (call) => {
      if (call.op !== 'updateAlias') return;
      const [fn, , write] = call.args as [string, string, AliasWrite];
      const aliasPercent =
        write.functionVersion === '2' ? 100 : Math.round((write.additionalWeights['2'] ?? 0) * 100);
      const recorded = w.store.peek(fn, ALIAS)?.percent ?? 0;
      if (aliasPercent - recorded > 25) ahead.push(`${fn}: alias ${aliasPercent}% over record ${recorded}%`);
    };
    const result = await driven(
      w,
      runRelease(w.deps, {
        releaseId: 'r-lag01',
        members: FNS.map((fn, i) =>
          request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...linear(25, 60) }),
        ),
      }),
    );
    expect(result.status).toBe('promoted');
    expect(ahead).toEqual([]);
  });
});
