import { describe, expect, it } from 'vitest';
import { echoArguments } from '../../src/cli/format-error.js';

// `lshift history fa "$FN"` with FN unset: oclif said "Unexpected argument:" and named nothing,
// since the argument it did not expect is empty. The message now says an empty one was given.
describe('echoArguments: an empty argument oclif did not expect', () => {
  const report = (message: string) => ({
    status: 'error' as const,
    code: 'USAGE' as const,
    message,
    hint: 'h',
    exitCode: 2,
  });

  it.each([
    ['Unexpected argument:', ['fa', '']],
    ['Unexpected arguments: , fa', ['', 'fa', '']],
  ])('%s', (message, argv) => {
    expect(echoArguments(report(message), argv).message).toBe(
      `${message} (one of them is an empty argument, '': an unset shell variable?)`,
    );
  });

  it('leaves other messages alone', () => {
    expect(echoArguments(report('Unexpected argument: fb'), ['fa', 'fb']).message).toBe(
      'Unexpected argument: fb',
    );
    expect(echoArguments(report('Missing 1 required arg'), ['']).message).toBe('Missing 1 required arg');
  });
});
