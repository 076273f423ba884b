/**
 * `lshift rollback demo --to 2` (2: the deployment's own new version) while its runner is rolling
 * it back (its own `rolling-back` mark: a health gate failed). Seen on the sandbox (h1, session
 * 70): the rollback put all traffic on version 2 — the version whose alarm had just fired — and
 * closed the record `rolled-back (rolled back to version 2)`, said nothing of version 2 being the
 * deployment's own new version, and `lshift check` skipped it ("rolled back …; nothing to watch",
 * exit 0) with the alarm still in ALARM. It is the same move as `--to 2` beside a deploy still
 * shifting (rollback-to-new-beside-live.test.ts), and so is one over a deployment whose rollback
 * failed (alias left split): closed promoted (moved by hand), `rt=2`, so a
 * check watches it as a promotion and the command's words say what it did.
 */
import { describe, expect, it } from 'vitest';
import { withReason } from '../../src/cli/describe-outcome.js';
import { describeClaimedRollback } from '../../src/cli/describe-rollback.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { ALIAS, createWorld, deadRecord, driven, FN, leaveDeployment } from './world.js';

describe("`lshift rollback --to <its new version>` over its runner's own rollback", () => {
  // rolling-back: the runner (alive, beating) marked it at 10%, its alias write not yet landed;
  // failed: its rollback failed, the alias left split at 10%.
  it.each(['rolling-back', 'failed'] as const)(
    '%s: closed promoted (moved by hand), rt=2, and said so: not rolled back to version 2',
    async (phase) => {
      const w = createWorld({ auto: false });
      leaveDeployment(
        w,
        deadRecord(w, { phase, percent: 10, owner: 'ci@runner:7', heartbeatAt: w.clock.now() }),
      );
      const own = await driven(
        w,
        rollbackClaimed(
          { ...w.deps, store: w.store, owner: 'rollback:ops@desk:3' },
          { functionName: FN, alias: ALIAS, reason: 'manual rollback', to: '2' },
        ),
      );
      expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '2', additionalWeights: {} });
      expect(w.store.peek(FN, ALIAS)).toMatchObject({
        phase: 'promoted',
        endReason: 'moved by hand',
        rollbackTo: '2',
      });
      expect(own.cause).toMatchObject({ code: 'ROLLBACK_REQUESTED', data: { promoted: 'd-dead01' } });
      expect(describeClaimedRollback(withReason(own))).toContain(
        "Version 2 is deployment d-dead01's own new version",
      );
    },
  );
});
