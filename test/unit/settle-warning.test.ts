/**
 * The words of a `--settle` that does nothing (src/cli/settle-warning.ts). All traffic at once
 * with no `--bake` has no step below 100% to settle behind: "add a --max-* limit to have one" was
 * false there (found by a hostile pass, session 59).
 */
import { describe, expect, it } from 'vitest';
import { describeIgnoredSettle } from '../../src/cli/settle-warning.js';

const ignored = (nothingToSettle: boolean) => ({
  seconds: 600,
  settleSource: '--settle',
  analysisSource: '--no-analysis',
  nothingToSettle,
});

describe('describeIgnoredSettle', () => {
  it('nothing given: nothing said', () => {
    expect(describeIgnoredSettle(undefined)).toBeUndefined();
  });

  it('steps below 100%: a --max-* limit would give it a settle wait', () => {
    const said = describeIgnoredSettle(ignored(false));
    expect(said).toContain('--settle 10m does nothing with --no-analysis and no --max-* limit');
    expect(said).toContain('(drop the settle, or add a --max-* limit to have one)');
  });

  it('all at once, no bake: no limit would, so only the drop is offered', () => {
    const said = describeIgnoredSettle(ignored(true));
    expect(said).toContain('--settle 10m does nothing with --no-analysis');
    expect(said).not.toContain('add a --max-* limit');
    expect(said).toContain('all traffic moves at once and there is no --bake');
  });
});
