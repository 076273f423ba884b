/**
 * A release writes each function's record behind its alias write (traffic-steps.ts), so a crash
 * may leave the record one step behind its alias — which `deploy --resume` accepts — never more.
 * With record writes slower than a hold (a slow store; the sandbox at 600×, where a 1-minute hold
 * is 100 ms), the next level's alias write used to go ahead anyway: the alias reached 75% with the
 * record at 25%, and the resume refused it (alias-matches-record: "someone else moved it").
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { OperationError } from '../../src/domain/errors.js';
import { runRelease } from '../../src/engine/release.js';
import type { AliasWrite } from '../../src/ports/lambda.js';
import { ALIAS, createFleetWorld, driven, linear, request, type World } from './world.js';

const FNS = ['fa', 'fb'];

/** `fn`'s record writes fail (TagResource throttled) from `fromMs` after the start on. */
function failRecordWritesOf(w: World, fn: string, fromMs: number): void {
  const write = w.store.write.bind(w.store);
  w.store.write = async (functionName: string, alias: string, record: DeploymentRecord) => {
    if (functionName === fn && w.clock.now() - w.start >= fromMs)
      throw new OperationError('THROTTLED', 'tag write throttled');
    return write(functionName, alias, record);
  };
}

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

  it('holds the level while one function’s record cannot be written, and rolls every function back after the stale limit', async () => {
    const w = createFleetWorld(FNS);
    // fb's record writes fail from 10 s on (TagResource refused for that function).
    failRecordWritesOf(w, 'fb', 10_000);
    const result = await runRelease(w.deps, {
      releaseId: 'r-lag02',
      members: FNS.map((fn, i) =>
        request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...linear(25, 60) }),
      ),
    });
    expect(result.status).toBe('rolled_back');
    // Neither function went past the first level's 25%.
    const forward = w.lambda
      .aliasWrites()
      .filter((x) => x.functionVersion === '2' || x.additionalWeights['2']);
    expect(forward.map((x) => x.additionalWeights['2'])).toEqual([0.25, 0.25]);
    for (const fn of FNS)
      expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(
      w.sink.logs('warn').some((m) => m.includes('of fb alias live as the hold at 25% was to end')),
    ).toBe(true);
  });

  it('rolls every function back at the stale limit during a level’s hold, not at its end', async () => {
    const w = createFleetWorld(FNS);
    // fb's record writes fail from 10 s on; the level holds 25% for 10 minutes.
    failRecordWritesOf(w, 'fb', 10_000);
    const result = await runRelease(w.deps, {
      releaseId: 'r-lag03',
      members: FNS.map((fn, i) =>
        request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...linear(25, 600) }),
      ),
    });
    expect(result.status).toBe('rolled_back');
    expect(result.failed).toMatchObject({ functionName: 'fb' });
    for (const fn of result.functions) expect(fn.cause).toMatchObject({ code: 'RECORD_UNWRITTEN' });
    const back = w.lambda
      .callsOf('updateAlias')
      .filter((c) => (c.args[2] as AliasWrite).functionVersion === '1');
    const rolledBackAt = back.filter((c) => !(c.args[2] as AliasWrite).additionalWeights['2']);
    expect(rolledBackAt).toHaveLength(2);
    // fb's last write landed before 10 s: back within the 2-minute limit and a poll (10 s) of it.
    for (const c of rolledBackAt) expect(c.at - w.start).toBeLessThanOrEqual(140_000);
    for (const fn of FNS)
      expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('rolls back a --stagger release when a function that already moved cannot write its record while another holds', async () => {
    const w = createFleetWorld(FNS);
    // fa holds 50% (0–600 s), then 100% while fb walks from 600 s; fa's writes fail from 700 s.
    failRecordWritesOf(w, 'fa', 700_000);
    const result = await runRelease(w.deps, {
      releaseId: 'r-lag04',
      stagger: true,
      members: FNS.map((fn, i) =>
        request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...linear(50, 600) }),
      ),
    });
    expect(result.status).toBe('rolled_back');
    expect(result.failed).toMatchObject({ functionName: 'fa' });
    const faLanded = w.store.writes
      .filter((x) => x.functionName === 'fa')
      .map((x) => x.record.heartbeatAt - w.start)
      .filter((at) => at < 700_000);
    const back = w.lambda
      .callsOf('updateAlias')
      .filter((c) => c.args[0] === 'fa' && (c.args[2] as AliasWrite).functionVersion === '1')
      .filter((c) => !(c.args[2] as AliasWrite).additionalWeights['2']);
    expect(back).toHaveLength(1);
    // Within the 2-minute limit and a poll of fa's last write that landed, not at fb's hold's end (1200 s).
    expect(back[0]!.at - w.start - Math.max(...faLanded)).toBeLessThanOrEqual(130_000);
    for (const fn of FNS)
      expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});
