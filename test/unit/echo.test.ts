import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/domain/duration.js';
import { ECHO_MAX_CHARS, echoInput, echoPath, echoPathsIn } from '../../src/domain/echo.js';
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

describe('echoPath: a path cut in the middle (its start says where, its end which file)', () => {
  it('keeps a short path whole, made printable', () => {
    expect(echoPath('/tmp/s.json')).toBe('/tmp/s.json');
    expect(echoPath('/tmp/\u001b[2J.json')).toBe('/tmp/\uFFFD[2J.json');
  });

  it('cuts a 10 KB path to its start, its end and its size', () => {
    const path = `/tmp/${'a'.repeat(10_000)}/state.json`;
    const shown = echoPath(path);
    expect(shown).toBe(`/tmp/${'a'.repeat(95)}…${'a'.repeat(89)}/state.json (10016 characters)`);
  });

  it('never splits an emoji at either cut', () => {
    const shown = echoPath('🚨'.repeat(300));
    expect(shown).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  it('echoPathsIn cuts every occurrence of each path in a message', () => {
    const path = `/x/${'b'.repeat(5000)}`;
    const text = echoPathsIn(`file ${path} cannot be read: E, stat '${path}'`, path);
    expect(text.length).toBeLessThan(600);
    expect(text.split('(5003 characters)')).toHaveLength(3);
  });
});
