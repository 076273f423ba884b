/**
 * A person's `lshift rollback --to 2` (2: the deployment's own new version; its claim `rt=2`)
 * killed right after its claim. `lshift check` finishes that stale claim on the STABLE version 1,
 * on purpose (check-classify.ts rollbackTarget: the judged version, not one a stopped process
 * chose). Its line said "finishing the rollback of deployment … that rollback:… started", as if it
 * carried that rollback's own aim out; the runner that claim stopped had said "following it until
 * alias live is all on version 2" (sandbox, session 71). It now says where, and not where.
 */
import { describe, expect, it } from 'vitest';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import type { LocalProcesses } from '../../src/ports/local-processes.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN, leaveDeployment, type World } from './world.js';

const request = { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] };
const CLAIMER = 'rollback:cron@host-a:41';

function claimedWorld(rollbackTo: string | undefined): World {
  const w = createWorld();
  const record = deadRecord(w, { phase: 'rolling-back', owner: CLAIMER, heartbeatAt: w.start - 20_000 });
  leaveDeployment(w, rollbackTo === undefined ? record : { ...record, rollbackTo });
  return w;
}

const checkDeps = (w: World, processes: LocalProcesses): CheckDeps => ({
  ...w.deps,
  store: w.store,
  owner: 'check:cron@host-a:97',
  processes,
});

describe('lshift check finishing a killed `lshift rollback --to <the new version>`', () => {
  it('says it finishes it on the stable version 1, not on version 2; the traffic goes to 1 as before', async () => {
    const w = claimedWorld('2');
    const report = await runCheck(checkDeps(w, { isRunning: (pid) => pid === 97 }), request);
    const [r] = report.results;
    expect(r, JSON.stringify(r)).toMatchObject({ action: 'rolled_back' });
    expect(r?.reason).toContain(
      `finishing the rollback of deployment d-dead01 that ${CLAIMER} started (its process 41 no longer runs on this machine) on its stable version 1, not on version 2, where \`lshift rollback --to 2\` was sending it`,
    );
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it.each([
    ['`rt=` the stable version (a plain `lshift rollback`)', '1'],
    ['no `rt=` (an older lshift)', undefined],
  ])('%s: the words as before', async (_what, to) => {
    const w = claimedWorld(to);
    const report = await runCheck(checkDeps(w, { isRunning: (pid) => pid === 97 }), request);
    expect(report.results[0]?.reason).toContain(
      '(its process 41 no longer runs on this machine): all traffic',
    );
    expect(report.results[0]?.reason).not.toContain('not on version');
  });
});
