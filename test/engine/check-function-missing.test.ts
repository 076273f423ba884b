/**
 * `lshift check orders` where orders was deleted (with its record) or is misspelled: an error
 * (exit 1, unknown health is never healthy), but it read "could not read the deployment record:
 * FUNCTION_NOT_FOUND …", as if a permission or the network were the problem. It now says the
 * function does not exist and what to look at, as a missing alias does.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { ExitCode } from '../../src/domain/errors.js';
import { runCheck } from '../../src/engine/check.js';
import { ALARM, ALIAS, createWorld } from './world.js';

describe('a check of a named function that does not exist', () => {
  it('error (exit 1) saying the function does not exist and what to check', async () => {
    const w = createWorld();
    const report = await runCheck(
      { ...w.deps, store: w.store, owner: 'check:cron@host-a:1' },
      { functionNames: ['ordres'], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] },
    );

    expect(report.results).toHaveLength(1);
    expect(report.results[0]).toMatchObject({ functionName: 'ordres', action: 'error' });
    expect(report.results[0]?.reason).toBe(
      'function ordres does not exist in this account and region: nothing to check (is its name spelled right, or was it deleted? then drop it from the check’s arguments or the config file’s `functions`)',
    );
    expect(exitCodeForCheck(report)).toBe(ExitCode.Failed);
  });
});
