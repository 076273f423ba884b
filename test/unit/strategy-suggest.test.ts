import { describe, expect, it } from 'vitest';
import { parseTypedStrategy } from '../../src/cli/strategy-arg.js';
import { UsageError } from '../../src/domain/errors.js';
import { parseStrategy } from '../../src/domain/strategy.js';

function messageOf(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('STRATEGY_INVALID');
    return (error as UsageError).message;
  }
  throw new Error('the strategy was accepted');
}

// A typed strategy close to a known name is answered with that name (the edit distance of
// src/cli/suggest.ts), in the form it was typed in.
const NEAR_MISSES: { typed: string; suggested: string }[] = [
  { typed: 'Linear10PercentEvry1Minute', suggested: 'Linear10PercentEvery1Minute' },
  { typed: 'linear10percentevery1minte', suggested: 'Linear10PercentEvery1Minute' },
  { typed: 'Canary10Percent5Minuts', suggested: 'Canary10Percent5Minutes' },
  { typed: 'AllAtOnse', suggested: 'AllAtOnce' },
  { typed: 'all-at-onse', suggested: 'all-at-once' },
  {
    typed: 'CodeDeployDefault.LambdaLinear10PercentEvry3Minutes',
    suggested: 'CodeDeployDefault.LambdaLinear10PercentEvery3Minutes',
  },
  { typed: 'canry:10%:5m', suggested: 'canary:10%:5m' },
  { typed: 'Liner:10%:1m', suggested: 'linear:10%:1m' },
  { typed: 'step:1%@5m,100%', suggested: 'steps:1%@5m,100%' },
];

describe('a mistyped strategy name gets a "did you mean"', () => {
  it.each(NEAR_MISSES)('$typed → $suggested', ({ typed, suggested }) => {
    expect(messageOf(() => parseTypedStrategy(typed))).toContain(`did you mean \`${suggested}\`?`);
    // What it suggests is itself accepted.
    expect(() => parseTypedStrategy(suggested)).not.toThrow();
  });

  it.each(['blue-green', 'rolling:10%', 'frobnicate', ':10%:5m'])(
    'nothing close to `%s`: no suggestion',
    (typed) => {
      expect(messageOf(() => parseTypedStrategy(typed))).not.toContain('did you mean');
    },
  );

  it('every accepted spelling is still accepted with the suggester in (all-at-once is 2 edits from AllAtOnce)', () => {
    for (const text of ['all-at-once', 'AllAtOnce', 'canary:10%:5m', 'linear:10%:1m', 'steps:1%@5m,100%']) {
      expect(() => parseTypedStrategy(text)).not.toThrow();
    }
  });

  it('the domain alone, without a suggester, gives the list but no guess', () => {
    expect(messageOf(() => parseStrategy('Linear10PercentEvry1Minute'))).not.toContain('did you mean');
  });
});
