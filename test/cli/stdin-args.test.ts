import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { RUN_JS } from '../helpers/run-cli.js';

/**
 * A missing argument is a usage error, never read from a piped stdin: inside
 * `while read line; do lshift rollback $FN; done < list` with FN unset, oclif took the next line
 * of the list as the function and rolled it back.
 */
describe('arguments never come from stdin', () => {
  const env = {
    ...process.env,
    CI: 'true',
    NO_COLOR: '1',
    AWS_REGION: '',
    AWS_DEFAULT_REGION: '',
    LSHIFT_SANDBOX: undefined,
  };

  for (const command of ['rollback', 'status', 'deploy', 'plan']) {
    it(`lshift ${command} with a function name on stdin and none on the command line`, () => {
      const run = spawnSync(process.execPath, [RUN_JS, command, '--json'], {
        input: command === 'plan' ? 'canary:10%:5m\n' : 'orders\n',
        env,
        encoding: 'utf8',
      });
      expect(run.stdout).not.toContain('orders');
      expect(run.stdout).not.toContain('canary:10%:5m');
      expect(JSON.parse(run.stdout).exitCode, run.stdout).toBe(2);
    });
  }
});
