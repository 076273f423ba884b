/**
 * A check whose rollback fails with the alias still split (exit 4) says where the alias is and
 * the command that ends it, as DESIGN.md §6 asks of every exit 4 and as the check already said
 * when its rollback threw. Found by a hostile pass: with UpdateAlias unanswered the line was only
 * `ROLLBACK_FAILED demo:live — …: unsafe: NETWORK_ERROR: … did not answer lambda:UpdateAlias …`.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { ExitCode } from '../../src/domain/errors.js';
import { runCheck } from '../../src/engine/check.js';
import { throttled } from '../helpers/fake-lambda.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN, leaveDeployment } from './world.js';

const request = { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] };

describe('a check whose rollback fails with the alias split', () => {
  it('rollback_failed (exit 4), naming the alias as last seen and the command that ends it', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w));
    w.metrics.setAlarm(ALARM, 'ALARM', { reason: 'errors over 3' });
    w.lambda.fail({ op: 'updateAlias', times: Number.POSITIVE_INFINITY, error: throttled() });
    const report = await runCheck({ ...w.deps, store: w.store, owner: 'check:cron@host-a:1' }, request);

    const [r] = report.results;
    expect(r, JSON.stringify(r)).toMatchObject({ action: 'rollback_failed' });
    expect(r?.reason).toContain('alias live as last seen: version 1 (80%) + version 2 (20%)');
    expect(r?.reason).toContain('fix: `lshift rollback demo --alias live`');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: { '2': 0.2 },
    });
    expect(exitCodeForCheck(report)).toBe(ExitCode.Unsafe);
  });
});
