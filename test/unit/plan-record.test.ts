import { describe, expect, it } from 'vitest';
import { ECHO_MAX_CHARS } from '../../src/domain/echo.js';
import { parseHookSpec } from '../../src/domain/hook-spec.js';
import { planShift } from '../../src/domain/plan.js';
import { checkPlanRecord, type PlanRecordInput } from '../../src/domain/plan-record.js';
import { parseStrategy } from '../../src/domain/strategy.js';

const steps = (n: number) => `steps:${Array.from({ length: n }, (_, i) => `${i + 1.5}%@1m`).join(',')},100%`;
const input = (strategy: string, more: Partial<PlanRecordInput> = {}): PlanRecordInput => ({
  plan: planShift(parseStrategy(strategy)),
  hooks: [],
  bakeSeconds: 0,
  ...more,
});
const refusal = (i: PlanRecordInput) => {
  try {
    checkPlanRecord(i);
  } catch (error) {
    return error as Error & { code: string; hint?: string };
  }
  return undefined;
};

describe('checkPlanRecord: what `lshift plan` says of a record deploy could not write', () => {
  it('says nothing of a usual strategy', () => {
    for (const s of ['canary:10%:5m', 'linear:0.1%:1m', 'all-at-once', 'steps:1%@2m,10%@5m,50%@10m,100%']) {
      expect(checkPlanRecord(input(s)), s).toBeUndefined();
    }
  });

  it('refuses what no deploy could record, with deploy’s error (RECORD_TOO_LARGE) and the strategy cut to 200 characters', () => {
    const error = refusal(input(steps(60)));
    expect(error?.code).toBe('RECORD_TOO_LARGE');
    expect(error?.message).toMatch(
      /^`lshift deploy` would refuse this plan: The deployment record for strategy `/,
    );
    expect(error?.message).toContain('… (541 characters)`');
    expect(error?.message.length).toBeLessThan(ECHO_MAX_CHARS + 200);
    expect(error?.hint).toContain('fewer or shorter steps');
  });

  it('refuses exactly from the step count at which the smallest record stops fitting, and warns before', () => {
    const results = Array.from({ length: 25 }, (_, n) => {
      const error = refusal(input(steps(n + 1)));
      return error ? 'refused' : checkPlanRecord(input(steps(n + 1))) ? 'warned' : 'fine';
    });
    const firstWarned = results.indexOf('warned');
    const firstRefused = results.indexOf('refused');
    expect(firstWarned).toBeGreaterThan(0);
    expect(firstRefused).toBeGreaterThan(firstWarned);
    expect(results.slice(0, firstWarned).every((r) => r === 'fine')).toBe(true);
    expect(results.slice(firstWarned, firstRefused).every((r) => r === 'warned')).toBe(true);
    expect(results.slice(firstRefused).every((r) => r === 'refused')).toBe(true);
    // The last warned one fits a real record with stable version 1 and no alarm: deploy accepts it.
    const warning = checkPlanRecord(input(steps(firstRefused)));
    expect(warning).toMatch(
      /^`lshift deploy` may refuse this plan \(RECORD_TOO_LARGE, before anything is written\): its deployment record needs (\d+) of the 256 characters/,
    );
  });

  it('refuses the 11-step list deploy refuses before its publish: the new version counted as 99 (plan counted 2, one character short)', () => {
    // Measured on the sandbox: `lshift deploy demo` (version 1, no alarm) refused it "needs 257"
    // while plan said "needs 256 of the 256" and exited 0; its 10-step list deploys.
    const error = refusal(input(steps(11)));
    expect(error?.code).toBe('RECORD_TOO_LARGE');
    expect(error?.message).toContain('needs 257 characters');
    expect(refusal(input(steps(10)))).toBeUndefined();
    expect(checkPlanRecord(input(steps(10)))).toContain('needs 248 of the 256 characters');
  });

  it('counts what the plan adds: hooks and bake (the guard fingerprint), a release’s rl= and sg=1', () => {
    // The longest step list that fits alone is refused in a staggered release (rl= and sg=1).
    let n = 1;
    while (!refusal(input(steps(n + 1)))) n++;
    expect(refusal(input(steps(n)))).toBeUndefined();
    expect(refusal(input(steps(n), { release: { stagger: true } }))?.message).toContain(
      "the release's own fields",
    );
    const hooks = [{ pre: [parseHookSpec('cmd:./smoke.sh', '--pre-hook')] }];
    const needs = (i: PlanRecordInput) =>
      Number(/needs (\d+) characters/.exec(refusal(i)?.message ?? '')?.[1]);
    const guarded = needs(input(steps(n + 1), { hooks, bakeSeconds: 3600 }));
    expect(guarded).toBeGreaterThan(needs(input(steps(n + 1))));
  });
});
