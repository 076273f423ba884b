import { describe, expect, it } from 'vitest';
import { longestRunOf } from '../../src/cli/deploy-warnings.js';
import type { HookSpec } from '../../src/domain/hook-spec.js';
import { planShift } from '../../src/domain/plan.js';
import { parseStrategy } from '../../src/domain/strategy.js';

const cmd = (timeoutSeconds?: number): HookSpec => ({
  kind: 'cmd',
  raw: 'cmd:true',
  command: 'true',
  timeoutSeconds,
});
type Hooks = Record<'pre' | 'step' | 'post' | 'rollback', HookSpec[]>;
const none: Hooks = { pre: [], step: [], post: [], rollback: [] };
const member = (functionName: string, o: { strategy?: string; bake?: number; hooks?: Hooks } = {}) => ({
  functionName,
  options: {
    alias: 'live',
    plan: planShift(parseStrategy(o.strategy ?? 'Canary10Percent5Minutes')),
    bakeSeconds: o.bake ?? 0,
    hookTimeoutSeconds: 300,
    hooks: o.hooks ?? none,
  },
});

describe('longestRunOf (how long a deployment can run, for the credentials check)', () => {
  it('counts each hook for its own timeout or --hook-timeout, step hooks before each weight increase', () => {
    const hooks = { pre: [cmd(900)], step: [cmd(10)], post: [cmd()], rollback: [cmd(60)] };
    // 10 steps: 9 step-hook runs (before 20%, 30% … 100%).
    const run = longestRunOf([member('a', { strategy: 'Linear10PercentEvery1Minute', bake: 120, hooks })]);
    expect(run.parts).toEqual([
      'shift 9m',
      'settle up to 12m',
      'bake 2m',
      '12 hooks up to 22m 30s',
      'a rollback 5m',
    ]);
    expect(run.seconds).toBe(540 + 720 + 120 + (900 + 9 * 10 + 300 + 60) + 300);
  });

  it('counts the settle wait after a bake too', () => {
    expect(longestRunOf([member('a', { bake: 600 })]).parts).toEqual([
      'shift 5m',
      'settle up to 12m',
      'bake 10m',
      'a rollback 5m',
    ]);
  });

  it("counts a release's own hooks", () => {
    const run = longestRunOf([member('a'), member('b')], {
      hooks: { pre: [cmd(5400)], step: [], post: [] },
    });
    expect(run.parts).toEqual(['shift 5m', 'settle up to 6m', '1 hook up to 1h 30m', 'a rollback 5m']);
  });

  it('takes the longest of a lockstep release and adds up a staggered one, bake once', () => {
    const three = ['a', 'b', 'c'].map((name) => member(name, { bake: 1800 }));
    expect(longestRunOf(three).seconds).toBe(300 + 360 + 1800 + 360 + 300);
    expect(longestRunOf(three, { stagger: true }).parts).toEqual([
      'shift 15m',
      'settle up to 24m',
      'bake 30m',
      'a rollback 5m',
    ]);
  });

  it("counts a staggered release's step hooks once per function", () => {
    const run = longestRunOf([member('a'), member('b')], {
      hooks: { pre: [], step: [cmd(60)], post: [] },
      stagger: true,
    });
    expect(run.parts).toContain('2 hooks up to 2m');
  });
});
