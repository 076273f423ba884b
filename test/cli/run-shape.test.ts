import { describe, expect, it } from 'vitest';
import { runShapeOf } from '../../src/cli/deploy-warnings.js';
import type { HookSpec } from '../../src/domain/hook-spec.js';
import { planShift } from '../../src/domain/plan.js';
import { parseStrategy } from '../../src/domain/strategy.js';

const cmd = (timeoutSeconds?: number): HookSpec => ({
  kind: 'cmd',
  raw: 'cmd:true',
  command: 'true',
  timeoutSeconds,
});

describe('runShapeOf (how long a deployment can run, for the credentials check)', () => {
  it('counts each hook for its own timeout or --hook-timeout, and step hooks at every step', () => {
    const plan = planShift(parseStrategy('Linear10PercentEvery1Minute')); // 10 steps
    const shape = runShapeOf({
      plan,
      bakeSeconds: 120,
      hookTimeoutSeconds: 300,
      hooks: { pre: [cmd(900)], step: [cmd(10)], post: [cmd()], rollback: [cmd(60)] },
    });
    expect(shape).toEqual({ plan, bakeSeconds: 120, hookCount: 13, hookSeconds: 900 + 10 * 10 + 300 + 60 });
  });
});
