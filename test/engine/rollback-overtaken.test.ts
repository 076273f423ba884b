/**
 * A rollback whose runner died (`rolling-back`, stale) and whose alias someone then moved further
 * towards the new version than the crashed run could have left it — a person promoting by hand
 * after the crash. `deploy --resume` finished the rollback over the move ("ROLLBACK from 100%"),
 * `lshift check` would have too, and `lshift status` said "the next check finishes it", exit 0
 * (found by a hostile pass, session 66, F2). Now the resume refuses (exit 5, nothing written), the
 * check leaves it STALLED (exit 4; labelled ERROR until session 67), and status says why,
 * offering `lshift rollback`.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import { runCheck } from '../../src/engine/check.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import { getStatus } from '../../src/engine/status.js';
import {
  ALARM,
  ALIAS,
  createWorld,
  deadRecord,
  FN,
  leaveDeployment,
  resumeRequest,
  type World,
} from './world.js';

/** Aborted at 30% (step 3 of linear:10%:1m), its rollback's runner killed; the alias at `percent` now. */
function stoppedRollback(percent: number): World {
  const w = createWorld();
  leaveDeployment(w, deadRecord(w, { phase: 'rolling-back', stepIndex: 2, percent: 30 }), percent);
  return w;
}

async function judge(w: World) {
  const writes = w.lambda.aliasWrites().length;
  const resume = await resumeDeploy(w.deps, resumeRequest()).then(
    (result) => ({ result }),
    (error: { code?: string; exitCode?: number; message: string; hint?: string }) => ({ error }),
  );
  const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
  const report = await runCheck(
    { ...w.deps, store: w.store, owner: 'check:cron@host:1' },
    { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] },
  );
  return { resume, status, report, written: w.lambda.aliasWrites().length - writes };
}

describe('an unfinished rollback whose alias someone moved past since', () => {
  it('all traffic put on the new version by hand: resume refused (exit 5), check STALLED, status says so; nothing written', async () => {
    const w = stoppedRollback(100);
    const { resume, status, report, written } = await judge(w);

    expect('error' in resume && resume.error.code).toBe('ALIAS_MISMATCH');
    if ('error' in resume) {
      expect(resume.error.exitCode).toBe(5);
      expect(resume.error.message).toContain('was rolling back when its runner stopped');
      expect(resume.error.message).toContain('it routes version 2 (100%)');
      expect(resume.error.message).toContain('lshift will not finish the rollback over that move');
      expect(resume.error.hint).toContain('`lshift rollback demo --alias live`');
    }
    const text = renderStatus(status);
    expect(text).toContain(
      'STALLED: the rollback ci@runner:7 started has stopped, and the alias was moved since',
    );
    expect(text).toContain('`lshift rollback demo --alias live`');
    expect(text).not.toContain('finishes it');
    expect(status.record?.stalled).toBe(true);
    expect(needsOperator(status)).toBe(true);

    expect(report.results[0]).toMatchObject({ action: 'stalled', stalled: true });
    expect(report.results[0]?.reason).toContain('the check does not write over that move');
    expect(exitCodeForCheck(report)).toBe(4);
    expect(written).toBe(0);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '2', additionalWeights: {} });
  });

  it('a split beyond the next step (70%): the same, exit 4 (ALIAS_MISMATCH of a split alias)', async () => {
    const w = stoppedRollback(70);
    const { resume, report, written } = await judge(w);
    expect('error' in resume && resume.error.code).toBe('ALIAS_MISMATCH');
    expect('error' in resume && resume.error.exitCode).toBe(4);
    expect(report.results[0]).toMatchObject({ action: 'stalled', stalled: true });
    expect(written).toBe(0);
  });

  it.each([
    ['at the recorded weight (30%)', 30],
    ['one step ahead of the record (40%: the weight write landed, the record write did not)', 40],
  ])('%s: the rollback is still finished, as before', async (_name, percent) => {
    const w = stoppedRollback(percent);
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(status.record?.rollbackOvertaken).toBeUndefined();
    expect(renderStatus(status)).toContain('finishes it');
    const { resume } = await judge(w);
    expect('result' in resume && resume.result.status).toBe('rolled_back');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});
