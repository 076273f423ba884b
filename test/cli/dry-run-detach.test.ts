/**
 * The `deploy --engine codedeploy --detach --dry-run` line after the hand-over names the
 * `lshift status` that reads the deployment's alias: it said `lshift status fc` of a deploy to
 * fc:prod, which reads fc:live (ALIAS_NOT_FOUND when copied; found by a hostile pass, F5 of
 * session 60).
 */
import { describe, expect, it } from 'vitest';
import { describeAfterHandOver } from '../../src/cli/dry-run-detach.js';
import { planShift } from '../../src/domain/plan.js';
import { parseStrategy } from '../../src/domain/strategy.js';

describe('describeAfterHandOver', () => {
  it('names the alias deployed to in its `lshift status` command', () => {
    const plan = planShift(parseStrategy('Linear10PercentEvery1Minute'));
    const line = describeAfterHandOver(plan, 'fc', 'prod');
    expect(line).toContain('`lshift status fc --alias prod` shows it');
    expect(line).not.toContain('`lshift status fc`');
  });

  it('quotes a name a shell would split', () => {
    const plan = planShift(parseStrategy('Linear10PercentEvery1Minute'));
    expect(describeAfterHandOver(plan, 'fc', 'my alias')).toContain(
      "`lshift status fc --alias 'my alias'` shows it",
    );
  });
});
