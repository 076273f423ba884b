/**
 * A deploy runner following a person's `lshift rollback --to 2` claim (2: the deploy's own new
 * version; its claim `rt=2`) says "following it until alias live is all on version 2". That
 * rollback is killed right after its claim; a later `lshift check` (or a plain `lshift rollback`)
 * finishes the stale claim on the STABLE version 1, on purpose (check-classify.ts rollbackTarget).
 * The runner's result said only "rolled back by check:…: all traffic is on version 1" — beside its
 * own promise of version 2 — or, when it saw the claim stop first, "stopped before it put alias
 * live back", for a rollback that was never putting it back (seen on the sandbox, session 71).
 * Where the traffic goes is unchanged; only the words now say it.
 */
import { describe, expect, it } from 'vitest';
import { describeReason, withReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { LocalProcesses } from '../../src/ports/local-processes.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { ALIAS, canary, createWorld, driven, FN, request, type World } from './world.js';

const CHECK = 'check:cron@host-b:2';
const CLAIM_AT_MS = 100_000;

/**
 * The live deploy (canary 10%, 1 h); at 100 s a `lshift rollback --to <to>` of `claimer` claims it
 * and writes nothing more (killed); `checkAtMs` later, when given, a check finishes it on version 1.
 */
async function claimedThenFinished(
  w: World,
  opts: { claimer: string; to: string; checkAfterMs?: number; running?: (pid: number) => boolean },
) {
  const processes: LocalProcesses = { isRunning: opts.running ?? (() => true) };
  w.clock.after(CLAIM_AT_MS, () => {
    const current = w.store.peek(FN, ALIAS)!;
    w.store.seed(FN, ALIAS, {
      ...current,
      phase: 'rolling-back',
      owner: opts.claimer,
      heartbeatAt: w.clock.now(),
      rollbackTo: opts.to,
    });
  });
  const { checkAfterMs } = opts;
  if (checkAfterMs !== undefined)
    w.clock.after(CLAIM_AT_MS + checkAfterMs, () => {
      const claim = w.store.peek(FN, ALIAS)!;
      const { rollbackTo: _to, ...rest } = claim;
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
      const now = w.clock.now();
      w.store.seed(FN, ALIAS, {
        ...rest,
        phase: 'rolled-back',
        owner: CHECK,
        heartbeatAt: now,
        endedAt: now,
      });
    });
  const result = await driven(w, runDeploy({ ...w.deps, processes }, request(canary(10, 3600))));
  expectValidResultOf('deploy', { schemaVersion: 4, ...withReason(result) });
  return result;
}

describe('a runner following `lshift rollback --to <its new version>` whose claim a check finishes on the stable version', () => {
  it('finished by a check: rolled back (exit 3), saying version 1, not the version 2 it followed, and why', async () => {
    const w = createWorld({ auto: false });
    const BOB = 'rollback:bob@desk:77';
    const result = await claimedThenFinished(w, { claimer: BOB, to: '2', checkAfterMs: 30_000 });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.cause).toMatchObject({
      code: 'ROLLED_BACK_BY_OTHER',
      data: { owner: CHECK, claimedTo: '2', claimer: BOB },
    });
    expect(describeReason(result)).toContain(
      `: all traffic is on version 1, its stable version — not on version 2, where the \`lshift rollback demo --alias live --to 2\` of ${BOB} that this lshift followed was sending it: that rollback stopped before it finished, and ${CHECK} finished it on the stable version, as \`lshift check\` and a plain \`lshift rollback\` finish a stopped rollback`,
    );
  });

  it('a plain `lshift rollback` (to the stable version) finished by a check: the words as before', async () => {
    const w = createWorld({ auto: false });
    const BOB = 'rollback:bob@desk:77';
    const result = await claimedThenFinished(w, { claimer: BOB, to: '1', checkAfterMs: 30_000 });
    expect(result.status).toBe('rolled_back');
    expect(result.cause).toEqual({ code: 'ROLLED_BACK_BY_OTHER', data: { owner: CHECK } });
    expect(describeReason(result)).not.toContain('not on version');
  });

  it('its claimer seen gone first: exit 4, saying that rollback was sending traffic to version 2 and the fix puts it on 1', async () => {
    const w = createWorld({ auto: false });
    // Same user@host as the runner (`tester@host:1`): its pid can be asked about, and it is gone.
    const KILLED = 'rollback:tester@host:3';
    const result = await claimedThenFinished(w, { claimer: KILLED, to: '2', running: (pid) => pid !== 3 });
    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.cause).toMatchObject({
      code: 'ROLLBACK_ABANDONED',
      data: { owner: KILLED, claimedTo: '2' },
    });
    const reason = describeReason(result);
    expect(reason).not.toContain('stopped before it put alias live back');
    expect(reason).toContain(
      `the \`lshift rollback demo --alias live --to 2\` of ${KILLED} that claimed this deployment at step 1 (10%) stopped before it put all traffic on version 2 (no heartbeat on its claim since `,
    );
    expect(reason).toContain(
      '; `lshift rollback demo --alias live` finishes it on the stable version 1, not on version 2 (`lshift rollback demo --alias live --to 2` again sends it there)',
    );
  });
});
