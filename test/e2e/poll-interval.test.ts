import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

/**
 * `--interval` not shorter than a hold: said before the first write. A mistyped alarm makes the
 * deploy stop at its checks (exit 2, nothing written), so the warning is seen to come first.
 */
describe('lshift deploy --interval longer than a hold (built CLI, in-process sandbox)', () => {
  const args = ['--sandbox', '--interval', '1m', '--strategy', 'canary:10%:45s', '--alarm', 'nosuch'];
  const warning = 'warning: the poll interval (--interval 1m) is not shorter than the shortest hold (45s)';

  it.each([[['demo']], [['demo', 'demo2']]])('%j: warns before the checks that refuse it', async (fns) => {
    const run = await runCli(['deploy', ...fns, ...args]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(warning);
    expect(run.stderr.indexOf(warning)).toBeLessThan(run.stderr.indexOf('ALARM_NOT_FOUND'));
  });

  it('says nothing when every hold sees polls', async () => {
    const run = await runCli(['deploy', 'demo', ...args.slice(0, 2), '10s', ...args.slice(3)]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).not.toContain('poll interval');
  });
});
