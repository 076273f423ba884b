import { describe, expect, it } from 'vitest';
import { ECHO_MAX_CHARS } from '../../src/domain/echo.js';
import { runCli } from '../helpers/run-cli.js';

/**
 * Input repeated in an error is cut to 200 characters and its size (docs/exit-codes.md, echo.ts):
 * the errors below quoted it whole (a 541-character --strategy made a 655-character line).
 */
describe('errors quote long input cut to 200 characters', () => {
  const strategy = `steps:${Array.from({ length: 60 }, (_, i) => `${i + 1.5}%@1m`).join(',')},100%`;
  const longest = (text: string) => Math.max(...text.split('\n').map((line) => line.length));
  // Fixed words of the message and of its timestamped progress line, around one cut quote.
  const BOUND = ECHO_MAX_CHARS + 260;

  it('deploy: RECORD_TOO_LARGE quotes the strategy cut (in the error and in the preflight line)', async () => {
    expect(strategy).toHaveLength(541);
    const run = await runCli(['deploy', 'demo', '--sandbox', '--speed', '600', '--strategy', strategy]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(
      'Error [RECORD_TOO_LARGE]: The deployment record for strategy `steps:1.5%@1m,',
    );
    expect(run.stderr).toContain('… (541 characters)`');
    expect(longest(run.stderr)).toBeLessThan(BOUND);
  });

  it('--endpoint-url that is not an http(s) URL', async () => {
    const url = `ftp://${'x'.repeat(600)}`;
    const run = await runCli(['status', 'demo', '--endpoint-url', url, '--json'], {
      env: { LSHIFT_SANDBOX: undefined, AWS_REGION: 'us-east-1' },
    });
    expect(run.code, run.stderr).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error.code).toBe('INVALID_FLAG');
    expect(error.message).toContain('… (606 characters)`');
    expect(error.message.length).toBeLessThan(BOUND);
  });

  it('plan: the words of a second argument, and a strategy after --function', async () => {
    const word = 'y'.repeat(600);
    const two = await runCli(['plan', 'canary:10%:5m', word, '--json']);
    expect(two.code, two.stderr).toBe(2);
    const error = JSON.parse(two.stdout);
    expect(error.message).toContain('… (600 characters).');
    expect(error.message.length).toBeLessThan(BOUND);
    expect(error.hint.length).toBeLessThan(BOUND);
    const after = await runCli(['plan', '--function', 'f', `linear:${word}`, '--json']);
    expect(after.code, after.stderr).toBe(2);
    const stray = JSON.parse(after.stdout);
    expect(stray.message).toContain('came right after `--function f`');
    expect(stray.message).not.toContain(word.slice(0, 201));
    expect(stray.hint).not.toContain(word.slice(0, 201));
  });
});
