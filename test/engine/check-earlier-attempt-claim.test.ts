/**
 * Every `lshift check` of one GitHub workflow run had one owner (`gha:<repo>/<run id>`): a re-run
 * of a check killed mid-rollback (GitHub's cancel, a runner lost) found its claim, read it as a
 * live rival's — `skipped — another check is acting`, exit 0 — and left the alias split with
 * nobody acting until --stale-after plus a minute. A check's owner now names its job attempt
 * (`gha:<repo>/<run id>/<attempt>/<job>`, cli/owner.ts): a claim of an earlier attempt of the
 * same run is finished at once, since GitHub re-runs only a completed run. A claim of another
 * run is still left to the stale limit, and its line says when a check takes it over.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { ExitCode } from '../../src/domain/errors.js';
import { runCheck } from '../../src/engine/check.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN, leaveDeployment, type World } from './world.js';

const request = { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] };
const OWN = 'check:gha:my-org/orders/9170337/2/check';

/** A check claim left 20 s ago by `claimer`; the alarm is OK (the claim is what decides). */
function claimedWorld(claimer: string): World {
  const w = createWorld();
  leaveDeployment(w, deadRecord(w, { phase: 'rolling-back', owner: claimer, heartbeatAt: w.start - 20_000 }));
  return w;
}

describe('a check re-run in GitHub Actions that finds its killed attempt’s claim', () => {
  it('finishes the rollback at once (exit 3), saying that attempt has ended', async () => {
    const w = claimedWorld('check:gha:my-org/orders/9170337/1/check');
    const startedAt = w.clock.now();
    const report = await runCheck({ ...w.deps, store: w.store, owner: OWN }, request);

    const [r] = report.results;
    expect(r, JSON.stringify(r)).toMatchObject({ action: 'rolled_back' });
    expect(r?.reason).toContain(
      'that check:gha:my-org/orders/9170337/1/check started (its GitHub job attempt 1 has ended (this check runs attempt 2 of run 9170337))',
    );
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: OWN });
    expect(exitCodeForCheck(report)).toBe(ExitCode.RolledBack);
    // No --stale-after watch of a claim nobody writes any more.
    expect(w.clock.now() - startedAt).toBeLessThan(60_000);
  });

  it.each([
    ['the same attempt (another job of this run)', 'check:gha:my-org/orders/9170337/2/verify'],
    ['a later attempt', 'check:gha:my-org/orders/9170337/3/check'],
    ['another run (the previous scheduled check)', 'check:gha:my-org/orders/9170300/1/check'],
    ['another repository', 'check:gha:my-org/billing/9170337/1/check'],
    ['an owner of the older shape (no attempt)', 'check:gha:my-org/orders/9170337'],
  ])('leaves it to the stale limit when it is %s, saying when it is taken over', async (_what, claimer) => {
    const w = claimedWorld(claimer);
    const report = await runCheck({ ...w.deps, store: w.store, owner: OWN }, request);

    expect(report.results[0]).toMatchObject({ action: 'skipped' });
    expect(report.results[0]?.reason).toContain(
      `another check is acting: ${claimer} is rolling it back (heartbeat 20s ago; if it has stopped, a check finishes it once that is over 3m)`,
    );
    expect(w.lambda.aliasWrites()).toHaveLength(0);
  });
});
