import { describe, expect, it } from 'vitest';
import { judgeLostOutput } from '../../src/cli/lost-output.js';

describe('judgeLostOutput', () => {
  it.each([
    ['stdout fine', undefined, 0, ['plan', 'all-at-once'], false, undefined],
    ['a reader that went away (| head)', 'EPIPE', 0, ['plan', 'all-at-once'], false, undefined],
    ['a terminal that hung up (SIGHUP)', 'EIO', 0, ['status', 'demo'], true, undefined],
    // …and says its output is lost: under --json its error report went there, and nothing was said.
    ['a command that failed keeps its code', 'ENOSPC', 2, ['plan', 'nonsense', '--json'], false, 2],
    ['a deploy that rolled back keeps 3', 'ENOSPC', 3, ['deploy', 'demo', '--json'], false, 3],
    // Without --json too: a report of a rollback (or of a stalled deployment) went to stdout, and
    // only something written there fails. A check that rolled back said nothing of losing it.
    ['a check that rolled back keeps 3', 'ENOSPC', 3, ['check', '--alarm', 'x'], false, 3],
    ['a check whose rollback failed keeps 4', 'ENOSPC', 4, ['check', 'demo'], false, 4],
    ['a deploy that rolled back keeps 3, in text too', 'ENOSPC', 3, ['deploy', 'demo'], false, 3],
    ['a status that needs an operator keeps 4', 'ENOSPC', 4, ['status', 'demo'], false, 4],
    ['a healthy check to a full disk (it moved no traffic)', 'ENOSPC', 0, ['check'], false, 1],
    ['plan to a full disk', 'ENOSPC', 0, ['plan', 'all-at-once', '--json'], false, 1],
    ['status to a full disk', 'ENOSPC', 0, ['status', 'demo'], false, 1],
    ['--help of a deploy to a full disk', 'ENOSPC', 0, ['deploy', '--help'], false, 1],
    ['a deploy that promoted keeps 0 (it did change the alias)', 'ENOSPC', 0, ['deploy', 'demo'], false, 0],
    // deploy's own --version (a published version) is not the root `lshift --version`.
    [
      'a deploy --version 3 that promoted keeps 0',
      'ENOSPC',
      0,
      ['deploy', 'demo', '--version', '3'],
      false,
      0,
    ],
    ['a deploy --version=3 that promoted keeps 0', 'ENOSPC', 0, ['deploy', 'demo', '--version=3'], false, 0],
    ['lshift --version to a full disk', 'ENOSPC', 0, ['--version'], false, 1],
    ['a file system error on a file', 'EIO', 0, ['iam-policy', 'demo'], false, 1],
  ] as const)('%s', (_, failure, code, argv, hungUp, expected) => {
    const lost = judgeLostOutput(failure, code, argv, hungUp);
    expect(lost?.exitCode).toBe(expected);
    if (expected === 1)
      expect(lost?.text).toMatch(/^Error \[OUTPUT_LOST\]: could not write to standard output/);
    if (expected !== undefined && expected !== 1)
      expect(lost?.text).toMatch(
        new RegExp(`^Warning \\[OUTPUT_LOST\\]: .*the exit code \\(${expected}\\) still tells`),
      );
  });

  it('names a full device in words', () => {
    expect(judgeLostOutput('ENOSPC', 0, ['plan', 'x'])?.text).toContain('(ENOSPC: no space left on device)');
  });
});
