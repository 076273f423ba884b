/**
 * A deployment nobody drives (its runner died mid-shift, the alias split) whose alarms cannot be
 * judged — one does not exist (a typo in the cron line, an alarm deleted), or DescribeAlarms
 * fails. The check rightly leaves it (health unknown) and exits 4 (a human must look), but its
 * line said only "health unknown, not rolled back": not that the alias is split with nobody
 * driving it, nor what to run. It now says both, as the stalled line with OK alarms does.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { ExitCode } from '../../src/domain/errors.js';
import { runCheck } from '../../src/engine/check.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN, leaveDeployment } from './world.js';

const request = (alarms: string[]) => ({ functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms });

describe('a stalled deployment whose alarms cannot be judged', () => {
  it.each([
    ['an alarm that does not exist', [`${ALARM}-typo`], 'alarm demo-errors-typo does not exist'],
    ['DescribeAlarms failing', [ALARM], 'could not read alarms'],
  ])(
    '%s: error, exit 4, says the alias is left split with nobody driving it and the fix',
    async (_what, alarms, said) => {
      const w = createWorld();
      leaveDeployment(w, deadRecord(w));
      if (alarms[0] === ALARM) w.metrics.fail({ op: 'describeAlarms', times: Number.POSITIVE_INFINITY });
      const report = await runCheck(
        { ...w.deps, store: w.store, owner: 'check:cron@host-a:1' },
        request(alarms),
      );

      const [r] = report.results;
      expect(r).toMatchObject({ action: 'error', stalled: true });
      expect(r?.reason).toContain(said);
      expect(r?.reason).toContain('health unknown, not rolled back');
      expect(r?.reason).toContain('deployment d-dead01 (shifting at 20%) has no live owner');
      expect(r?.reason).toContain('undo it with `lshift rollback demo --alias live`');
      expect(w.lambda.aliasWrites()).toHaveLength(0);
      expect(exitCodeForCheck(report)).toBe(ExitCode.Unsafe);
    },
  );
});
