import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/domain/duration.js';
import { ECHO_MAX_CHARS, echoInput } from '../../src/domain/echo.js';
import { parseHookSpec } from '../../src/domain/hook-spec.js';
import { parseStrategy } from '../../src/domain/strategy.js';

function errorOf(run: () => unknown): Error & { code?: string; hint?: string } {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('echoInput: user input in an error message', () => {
  it('keeps input up to 200 characters as it is', () => {
    const text = 'x'.repeat(ECHO_MAX_CHARS);
    expect(echoInput(text)).toBe(text);
  });

  it('cuts longer input and says how long it was', () => {
    expect(echoInput('y'.repeat(90_000))).toBe(`${'y'.repeat(200)}… (90000 characters)`);
  });

  it('shows control characters (an ESC, a newline) as �, so input cannot drive a terminal or a CI log', () => {
    expect(echoInput('al\u001b[2Jpha\n::stop-commands::x')).toBe('al\uFFFD[2Jpha\uFFFD::stop-commands::x');
  });

  it('never splits a surrogate pair at the cut', () => {
    const text = `${'a'.repeat(199)}😀${'b'.repeat(10)}`;
    expect(echoInput(text)).toBe(`${'a'.repeat(199)}… (${text.length} characters)`);
  });
});

describe('errors echo long input cut short', () => {
  const steps = `steps:${Array.from({ length: 15_000 }, () => '1%@1m').join(',')}`;

  it.each([
    ['a 90 KB step list (STRATEGY_INVALID)', () => parseStrategy(steps), steps.length],
    ['an unknown 5 KB strategy name', () => parseStrategy('z'.repeat(5000)), 5000],
    ['a 5 KB step token', () => parseStrategy(`steps:${'9'.repeat(5000)}x,100%`), 5001],
    ['a 5 KB duration', () => parseDuration(`${'1'.repeat(5000)}q`, '--bake'), 5001],
    ['a 5 KB bare number', () => parseDuration('1'.repeat(5000), '--bake'), 5000],
    ['a 5 KB hook spec', () => parseHookSpec(`arn:aws:lambda:${'x'.repeat(5000)}`, '--pre-hook'), 5015],
  ])('%s', (_name, run, length) => {
    const error = errorOf(run);
    expect(error.message).toContain(`… (${length} characters)`);
    // Each echo is cut to 200 characters; a message may name the strategy, its step and the value.
    expect(error.message.length).toBeLessThan(1000);
    expect((error.hint ?? '').length).toBeLessThan(1500);
  });
});
