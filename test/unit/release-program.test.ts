import { describe, expect, it } from 'vitest';
import { parseHookSpec } from '../../src/domain/hook-spec.js';
import {
  describeReleaseStep,
  planRelease,
  programSeconds,
  resumeIndex,
} from '../../src/domain/release-program.js';
import { parseStrategy } from '../../src/domain/strategy.js';

const fn = { functionName: 'orders', alias: 'live' };
const cmd = parseHookSpec('cmd:true', '--pre-hook');

describe('planRelease', () => {
  it('canary with a pre-hook and a bake: hook, weight, hold, promote, bake, done', () => {
    const program = planRelease(
      parseStrategy('canary:10%:5m'),
      { hooks: { pre: [cmd] }, bakeSeconds: 600, settleSeconds: 0 },
      [fn],
    );
    expect(program.steps).toEqual([
      { kind: 'hook', phase: 'pre', specs: [cmd] },
      { kind: 'setWeight', target: fn, percent: 10, planStep: 0 },
      { kind: 'hold', seconds: 300, judge: 'health', planStep: 0 },
      { kind: 'promote', target: fn, planStep: 1 },
      { kind: 'bake', seconds: 600, judge: 'health' },
      { kind: 'done' },
    ]);
    expect(programSeconds(program)).toBe(900);
  });

  it('all-at-once without options is a promote and done', () => {
    expect(planRelease(parseStrategy('all-at-once'), {}, [fn]).steps.map((s) => s.kind)).toEqual([
      'promote',
      'done',
    ]);
  });

  it('step hooks run before every increase after the first, post hooks after the bake', () => {
    const kinds = planRelease(
      parseStrategy('linear:50%:1m'),
      { hooks: { step: [cmd], post: [cmd] }, bakeSeconds: 60, settleSeconds: 0 },
      [fn],
    ).steps.map((s) => (s.kind === 'hook' ? `hook:${s.phase}` : s.kind));
    expect(kinds).toEqual(['setWeight', 'hold', 'hook:step', 'promote', 'bake', 'hook:post', 'done']);
  });

  it('Linear10PercentEvery1Minute: nine weights held a minute each, then promote (9 min)', () => {
    const program = planRelease(parseStrategy('Linear10PercentEvery1Minute'), {}, [fn]);
    const weights = program.steps.flatMap((s) => (s.kind === 'setWeight' ? [s.percent] : []));
    expect(weights).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(programSeconds(program)).toBe(540);
    expect(program.steps.at(-2)).toEqual({ kind: 'promote', target: fn, planStep: 9 });
  });

  it('a driver on its own schedule (CodeDeploy) settles after the promote: it cannot keep the last weight', () => {
    const kinds = planRelease(
      parseStrategy('linear:50%:1m'),
      { settleSeconds: 180, settleAfterPromote: true },
      [fn],
    ).steps.map((s) => (s.kind === 'settle' ? `settle:${s.before}` : s.kind));
    expect(kinds).toEqual(['setWeight', 'hold', 'promote', 'settle:done', 'done']);
  });

  it('a settle wait comes before the promote and before done after a bake', () => {
    const kinds = planRelease(parseStrategy('canary:10%:5m'), { settleSeconds: 180, bakeSeconds: 60 }, [
      fn,
    ]).steps.map((s) => (s.kind === 'settle' ? `settle:${s.before}` : s.kind));
    expect(kinds).toEqual(['setWeight', 'hold', 'settle:promote', 'promote', 'bake', 'settle:done', 'done']);
  });

  it('several targets move in lockstep: one weight step per target, one hold per level', () => {
    const other = { functionName: 'billing', alias: 'live' };
    const steps = planRelease(parseStrategy('canary:10%:5m'), { settleSeconds: 0 }, [fn, other]).steps;
    expect(steps.map((s) => s.kind)).toEqual([
      'setWeight',
      'setWeight',
      'hold',
      'promote',
      'promote',
      'done',
    ]);
    expect(steps[1]).toMatchObject({ target: other, percent: 10 });
  });

  it('--stagger: each target walks the whole plan in turn, its holds and settle naming it', () => {
    const other = { functionName: 'billing', alias: 'live' };
    const steps = planRelease(parseStrategy('canary:10%:5m'), { settleSeconds: 60, stagger: true }, [
      fn,
      other,
    ]).steps;
    expect(
      steps.map((s) => `${s.kind}${'target' in s && s.target ? `:${s.target.functionName}` : ''}`),
    ).toEqual([
      'setWeight:orders',
      'hold:orders',
      'settle:orders',
      'promote:orders',
      'setWeight:billing',
      'hold:billing',
      'settle:billing',
      'promote:billing',
      'done',
    ]);
  });

  it("release hooks run once; a target's own hooks run for it alone, after the release's", () => {
    const other = { functionName: 'billing', alias: 'live' };
    const own = parseHookSpec('cmd:./smoke billing', '--post-hook');
    const steps = planRelease(
      parseStrategy('all-at-once'),
      { hooks: { post: [cmd] }, targetHooks: { 'billing:live': { post: [own] } } },
      [fn, other],
    ).steps;
    expect(steps.map((s) => s.kind)).toEqual(['promote', 'promote', 'hook', 'hook', 'done']);
    expect(steps[2]).not.toHaveProperty('target');
    expect(steps[3]).toMatchObject({ phase: 'post', target: other });
    expect(describeReleaseStep(steps[3]!)).toBe('post-traffic hooks (billing:live): cmd:./smoke billing');
  });

  it('describes each step in one line, hook secrets redacted', () => {
    const hook = parseHookSpec('https://ci.example.com/h?token=s3cret', '--post-hook');
    const program = planRelease(
      parseStrategy('canary:10%:5m'),
      { hooks: { post: [hook] }, bakeSeconds: 60 },
      [fn],
    );
    const lines = program.steps.map(describeReleaseStep);
    expect(lines).toContain('set orders:live to 10% on the new version');
    expect(lines).toContain('hold 5m, judged by health');
    expect(lines.join('\n')).not.toContain('s3cret');
  });
});

describe('resumeIndex', () => {
  const hooks = { pre: [cmd], step: [cmd], post: [cmd] };
  const program = planRelease(parseStrategy('linear:50%:1m'), { hooks, bakeSeconds: 60, settleSeconds: 0 }, [
    fn,
  ]);
  // 0 hook:pre, 1 setWeight 50, 2 hold, 3 hook:step, 4 promote, 5 bake, 6 hook:post, 7 done

  it.each([
    [{ kind: 'shift', fromStep: 0, preHooks: true } as const, 0],
    [{ kind: 'shift', fromStep: 0, preHooks: false } as const, 1],
    [{ kind: 'shift', fromStep: 1, preHooks: false } as const, 4],
    [{ kind: 'bake' } as const, 5],
    [{ kind: 'post' } as const, 6],
  ])('%j → step %i', (from, index) => {
    expect(resumeIndex(program, from)).toBe(index);
  });

  it('without a bake or post hooks: after the promote is done', () => {
    const bare = planRelease(parseStrategy('canary:10%:5m'), { settleSeconds: 0 }, [fn]);
    expect(resumeIndex(bare, { kind: 'bake' })).toBe(3);
    expect(resumeIndex(bare, { kind: 'post' })).toBe(3);
    expect(bare.steps[3]).toEqual({ kind: 'done' });
  });
});

describe('the settle wait in the program', () => {
  it('is on by default before the promote and after a bake (the plan’s default settle)', () => {
    const program = planRelease(parseStrategy('canary:10%:5m'), { bakeSeconds: 60 }, [fn]);
    expect(program.steps.filter((s) => s.kind === 'settle')).toEqual([
      // before the promote it also holds 2 more minutes at 10%; the bake is already at 100%
      { kind: 'settle', maxSeconds: program.plan.settleSeconds, before: 'promote', extraMinutes: 2 },
      { kind: 'settle', maxSeconds: program.plan.settleSeconds, before: 'done' },
    ]);
    expect(program.plan.settleSeconds).toBeGreaterThan(0);
    expect(describeReleaseStep(program.steps.find((s) => s.kind === 'settle')!)).toBe(
      'settle: hold 2 more minutes and wait for late metrics, at most 6m',
    );
  });

  it('all-at-once: no settle before the promote (nothing precedes it), but one at the end of a bake', () => {
    const kinds = (options: Parameters<typeof planRelease>[1]) =>
      planRelease(parseStrategy('all-at-once'), options, [fn]).steps.map((s) =>
        s.kind === 'settle' ? `settle:${s.before}:${s.maxSeconds}` : s.kind,
      );
    // The bake is all that judges an all-at-once shift: its last minutes must be awaited too.
    expect(kinds({ bakeSeconds: 600 })).toEqual(['promote', 'bake', 'settle:done:360', 'done']);
    expect(kinds({ bakeSeconds: 600, settleSeconds: 3600 })).toEqual([
      'promote',
      'bake',
      'settle:done:3600',
      'done',
    ]);
    expect(kinds({ bakeSeconds: 600, settleSeconds: 0 })).toEqual(['promote', 'bake', 'done']);
    expect(kinds({})).toEqual(['promote', 'done']);
    // CodeDeploy's all-at-once without a bake: no step before 100% whose metrics to await.
    expect(kinds({ settleAfterPromote: true })).toEqual(['promote', 'done']);
  });

  it('a promote resumed is settled first, without running its step hooks again', () => {
    const program = planRelease(
      parseStrategy('linear:50%:1m'),
      { hooks: { step: [cmd] }, settleSeconds: 60 },
      [fn],
    );
    // 0 setWeight, 1 hold, 2 hook:step, 3 settle, 4 promote, 5 done
    expect(resumeIndex(program, { kind: 'shift', fromStep: 1, preHooks: false })).toBe(3);
  });
});
