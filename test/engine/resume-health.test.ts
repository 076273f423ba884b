/**
 * A resumed deployment reads health before it raises any weight above what its alias carries now
 * (src/engine/resume-health.ts). Found by a hostile pass: a lockstep release killed between two
 * levels (alpha's write to 75% landed, beta's and gamma's did not) was resumed after beta's alarm
 * had gone to ALARM while nobody watched; the resume wrote beta 75% at once, and the first health
 * read came with the next hold's poll.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import type { Verdict } from '../../src/domain/verdict.js';
import type { HealthGate } from '../../src/engine/health-gate.js';
import { resumeRelease } from '../../src/engine/release-resume.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import {
  ALARM,
  ALIAS,
  createFleetWorld,
  createWorld,
  deadRecord,
  leaveDeployment,
  resumeRequest,
  type World,
} from './world.js';

const FNS = ['alpha', 'beta', 'gamma'];
/** A resume takes a record over once it saw it unchanged this long (resume-runner-gone.ts). */
const RUNNER_GONE_MS = 120_000;

/** Each alias write as [function, percent on version 2]. */
function writes(w: World): [string, number][] {
  return w.lambda.callsOf('updateAlias').map((c) => {
    const [fn, , write] = c.args as [
      string,
      string,
      { functionVersion: string; additionalWeights: Record<string, number> },
    ];
    const percent =
      write.functionVersion === '2' ? 100 : Math.round((write.additionalWeights['2'] ?? 0) * 100);
    return [fn, percent];
  });
}

/**
 * A lockstep release at linear 25%/60 s killed in its 75% level: alpha's write landed (its record
 * says step 3), beta's and gamma's were cut off (their records and aliases at step 2, 50%).
 */
function killedBetweenLevels(): World {
  const w = createFleetWorld(FNS);
  FNS.forEach((fn, i) => {
    const percent = fn === 'alpha' ? 75 : 50;
    w.store.seed(
      fn,
      ALIAS,
      deadRecord(w, {
        id: `d-dead0${i}`,
        strategy: 'linear:25%:60s',
        stepIndex: percent / 25 - 1,
        percent,
        releaseId: 'r-lag001',
      }),
    );
    w.lambda.moveAlias(fn, ALIAS, { functionVersion: '1', additionalWeights: { '2': percent / 100 } });
  });
  return w;
}

const memberOf = (fn: string) => resumeRequest({ functionName: fn, alarms: [`${fn}-errors`] });
const members = () => FNS.map(memberOf);

describe('a lockstep release resumed with a function a level behind', () => {
  it("beta's alarm in ALARM since the crash: rolled back from where each alias is, nothing raised", async () => {
    const w = killedBetweenLevels();
    w.metrics.setAlarm('beta-errors', 'ALARM', { at: w.clock.now(), reason: 'errors over 14' });
    const result = await resumeRelease(w.deps, { members: members() });

    expect(result.status).toBe('rolled_back');
    // No weight above the alias's: the only writes put each function back on version 1.
    expect(writes(w).filter(([, percent]) => percent > 0)).toEqual([]);
    expect(
      writes(w)
        .map(([fn]) => fn)
        .sort(),
    ).toEqual(FNS);
    const beta = result.functions.find((f) => f.functionName === 'beta');
    expect(beta?.status).toBe('rolled_back');
    expect(describeReason(beta!)).toMatch(/^rolled back at step 2 \(50%\): alarm beta-errors is ALARM/);
    expect(beta?.cause).toMatchObject({ code: 'GATE_FAILED' });
    expect(describeReason(result.functions.find((f) => f.functionName === 'alpha')!)).toMatch(
      /at step 3 \(75%\): function beta failed: alarm beta-errors is ALARM/,
    );
    for (const fn of FNS) expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1' });
  });

  it('healthy: every function is read before the 75% writes, and the lines say what is written', async () => {
    const w = killedBetweenLevels();
    const result = await resumeRelease(w.deps, { members: members() });

    expect(result.status).toBe('promoted');
    expect(writes(w).slice(0, 3)).toEqual([
      ['alpha', 75],
      ['beta', 75],
      ['gamma', 75],
    ]);
    const firstWrite = w.lambda.callsOf('updateAlias')[0]!.at;
    const readBefore = w.metrics.callsOf('describeAlarms').filter((c) => c.at <= firstWrite);
    const named = readBefore.flatMap((c) => c.args[0] as string[]);
    expect(new Set(named)).toEqual(new Set(FNS.map((fn) => `${fn}-errors`)));
    const lines = w.sink.logs('info').filter((l) => l.startsWith('resuming deployment'));
    expect(lines).toEqual([
      expect.stringMatching(
        / at step 3 \(75%\); step 3 \(75%\) is written again and held for its full time$/,
      ),
      expect.stringMatching(
        / at step 2 \(50%\); the release goes on at step 3 \(75%\), the furthest step any of its functions reached: its health is read first, then that step is written and held for its full time$/,
      ),
      expect.stringMatching(/ at step 2 \(50%\); the release goes on at step 3 \(75%\)/),
    ]);
  });

  it("beta's alarms unreadable: read again a poll apart, and at the error limit rolled back, nothing raised", async () => {
    const w = killedBetweenLevels();
    // From after preflight's reads, while the resume watches for the runner to be gone.
    w.clock.at(w.start + RUNNER_GONE_MS / 2, () =>
      w.metrics.fail({ op: 'describeAlarms', times: Number.POSITIVE_INFINITY }),
    );
    const result = await resumeRelease(w.deps, { members: members() });

    expect(result.status).toBe('rolled_back');
    expect(writes(w).filter(([, percent]) => percent > 0)).toEqual([]);
    expect(result.functions.map((f) => f.cause?.code)).toContain('HEALTH_UNREADABLE');
    // Three polls a poll interval apart, the third at the limit: unknown is never "healthy".
    const named = (e: object) => (e as { target?: { functionName: string } }).target?.functionName;
    const beta = w.sink.ofType('health.error').filter((e) => named(e) === 'beta');
    expect(beta.map((e) => e.consecutive)).toEqual([1, 2, 3]);
  });

  it('unreadable once, then read: it goes on, after the read', async () => {
    const w = killedBetweenLevels();
    w.clock.at(w.start + RUNNER_GONE_MS / 2, () => w.metrics.fail({ op: 'describeAlarms', times: 1 }));
    const result = await resumeRelease(w.deps, { members: members() });

    expect(result.status).toBe('promoted');
    const firstWrite = w.lambda.callsOf('updateAlias')[0]!.at;
    const afterTakeover = w.metrics
      .callsOf('describeAlarms')
      .filter((c) => c.at > w.start + RUNNER_GONE_MS / 2 && c.at <= firstWrite);
    // One function's first read failed; it was read again a poll interval later, before the write.
    expect(afterTakeover.filter((c) => c.error)).toHaveLength(1);
    const answered = afterTakeover.filter((c) => !c.error).flatMap((c) => c.args[0] as string[]);
    expect(new Set(answered)).toEqual(new Set(FNS.map((fn) => `${fn}-errors`)));
    expect(firstWrite - afterTakeover.find((c) => c.error)!.at).toBeGreaterThanOrEqual(10_000);
  });

  it("a gate that fails at beta's split weight (no alarm) rolls it back before the 75% write", async () => {
    const w = killedBetweenLevels();
    const failing: HealthGate = {
      name: 'error-rate-increase',
      evaluate: async (window): Promise<Verdict[]> => [
        window.functionName === 'beta'
          ? {
              outcome: 'fail',
              gate: 'error-rate-increase',
              summary: 'version 2 error rate 30%',
              at: window.now,
            }
          : { outcome: 'pass', gate: 'error-rate-increase', summary: 'ok', at: window.now },
      ],
    };
    const deps = { ...w.deps, gatesFor: () => [failing] };
    const result = await resumeRelease(deps, {
      members: FNS.map((fn) => resumeRequest({ functionName: fn, alarms: [] })),
    });

    expect(result.status).toBe('rolled_back');
    expect(writes(w).filter(([, percent]) => percent > 0)).toEqual([]);
    expect(describeReason(result.functions.find((f) => f.functionName === 'beta')!)).toMatch(
      /^rolled back at step 2 \(50%\): error-rate-increase: version 2 error rate 30%/,
    );
  });
});

describe('a single deployment resumed', () => {
  it('before any traffic moved: an alarm that fired after preflight stops it before its first weight', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { phase: 'started', stepIndex: 0, percent: 0 }));
    // Preflight reads it OK; it fires while the resume watches for the runner to be gone.
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + RUNNER_GONE_MS / 2, reason: 'errors' });
    const result = await resumeDeploy(w.deps, resumeRequest());

    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'GATE_FAILED' });
    expect(w.lambda.aliasWrites()).toEqual([]);
    expect(w.sink.logs('info').find((l) => l.startsWith('resuming deployment'))).toMatch(
      /before any traffic moved; its health is read first, then step 1 \(10%\) is written and held for its full time$/,
    );
  });

  it('at a weight set by hand between two steps: read before the step above it is written', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w), 15);
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start, reason: 'errors' });
    const result = await resumeDeploy(w.deps, resumeRequest());

    expect(result.status).toBe('rolled_back');
    expect(w.lambda.aliasWrites().map((a) => a.functionVersion)).toEqual(['1']);
    expect(w.lambda.aliasWrites()[0]?.additionalWeights).toEqual({});
  });

  it('at its recorded step: that weight is written again first, nothing read before it', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w));
    const result = await resumeDeploy(w.deps, resumeRequest());

    expect(result.status).toBe('promoted');
    const firstWrite = w.lambda.callsOf('updateAlias')[0]!.at;
    // Preflight's read only (it checks the alarms exist), before the takeover.
    expect(w.metrics.callsOf('describeAlarms').filter((c) => c.at > w.start && c.at <= firstWrite)).toEqual(
      [],
    );
    expect(w.sink.logs('info').find((l) => l.startsWith('resuming deployment'))).toMatch(
      / at step 2 \(20%\); step 2 \(20%\) is written again and held for its full time$/,
    );
  });
});
