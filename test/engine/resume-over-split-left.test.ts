/**
 * `deploy --resume` and `deploy` over a record whose split was left, said as `lshift status` says
 * it (session 68's LOW: their words had not been reviewed against status).
 * - Closed over a split of versions it does not place (split-left-closed.ts; status: STALLED,
 *   `lshift rollback --to <stable>`): the resume said "is rolled-back: there is nothing to resume …
 *   start a new deployment without --resume", which preflight then refuses over that split.
 * - An unfinished rollback (`rolling-back` whose runner died, or `failed`) whose alias someone moved
 *   past since (rollback-overtaken.ts; status: neither `deploy --resume` nor `lshift check` writes
 *   over it, `lshift rollback` anyway): a new deploy's refusal offered "Continue it with `lshift
 *   deploy … --resume` (which finishes its rollback)" first — a resume that refuses it.
 * - That `failed` record's resume refusal said "was rolling back when its runner stopped" of a
 *   rollback that failed (status: ROLLBACK FAILED).
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { runPreflight } from '../../src/engine/preflight.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import { rollbackDeployment } from '../../src/engine/rollback.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { getStatus } from '../../src/engine/status.js';
import type { RoutingState } from '../../src/ports/traffic-driver.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN, resumeRequest, type World } from './world.js';

type Refusal = { code: string; exitCode: number; message: string; hint?: string };

function left(over: Partial<DeploymentRecord>, alias: RoutingState): World {
  const w = createWorld();
  w.lambda.addVersion(FN);
  w.store.seed(FN, ALIAS, deadRecord(w, over));
  w.lambda.moveAlias(FN, ALIAS, alias);
  return w;
}

const refused = (run: Promise<unknown>) =>
  run.then(
    () => undefined,
    (e: unknown) => e as Refusal,
  );
const resume = (w: World) => refused(resumeDeploy(w.deps, resumeRequest()));
const deploy = (w: World) =>
  refused(runPreflight(w.deps, { functionName: FN, alias: ALIAS, targetVersion: '3', alarms: [ALARM] }));
const status = async (w: World) =>
  renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));

describe('deploy --resume over a record closed over a split it left', () => {
  it('says STALLED and the rollback status offers, not "start a new deployment"', async () => {
    const w = left(
      {
        phase: 'rolled-back',
        endedAt: Date.UTC(2026, 0, 1),
        endReason: 'moved by hand to a split: 70% on 3, 30% on 1',
      },
      { functionVersion: '3', additionalWeights: { '1': 0.3 } },
    );
    expect(await status(w)).toContain('`lshift rollback demo --alias live --to 1`');
    const writes = w.lambda.aliasWrites().length;
    const error = await resume(w);
    // Exit 4 since session 70: refused over a split nobody drives, as an overtaken rollback's is.
    expect(error).toMatchObject({ code: 'NOTHING_TO_RESUME', exitCode: 4 });
    expect(error?.message).toBe(
      'Deployment d-dead01 of demo alias live is closed (rolled-back: moved by hand to a split: 70% on 3, 30% on 1): it met its alias split by someone else and left it: it routes version 3 (70%) + version 1 (30%); nothing drives that split, and lshift leaves it as it is — `lshift status demo --alias live` calls it STALLED. There is nothing to resume; nothing was written.',
    );
    expect(error?.hint).toContain(
      'To put all traffic back on version 1: `lshift rollback demo --alias live --to 1`',
    );
    expect(error?.hint).not.toContain('start a new deployment');
    expect(w.lambda.aliasWrites().length).toBe(writes);
  });
});

describe('an unfinished rollback someone moved past since', () => {
  const MOVED: RoutingState = { functionVersion: '1', additionalWeights: { '2': 0.37 } };

  it.each(['rolling-back', 'failed'] as const)(
    '%s: a new deploy offers the rollback, never the resume that refuses it',
    async (phase) => {
      const ended = phase === 'failed' ? { endedAt: Date.UTC(2026, 0, 1) } : {};
      const w = left({ phase, ...ended }, MOVED);
      expect(await status(w)).toContain('`lshift rollback demo --alias live`');
      const error = await deploy(w);
      // Exit 4 since session 71: nobody drives that split (status: exit 4 too), not "someone holds it".
      expect(error?.exitCode).toBe(4);
      expect(error?.message).toMatch(/Nobody drives that split; it needs a human\.$/);
      expect(error?.hint).not.toContain('Continue it with');
      expect(error?.hint).not.toMatch(/lshift deploy [^`]*--resume/);
      expect(error?.hint).toContain(
        'neither `deploy --resume` nor `lshift check` writes over that move (as `lshift status demo --alias live` says). To put all traffic back on version 1 anyway: `lshift rollback demo --alias live`',
      );
      // The resume it no longer offers does refuse it.
      expect((await resume(w))?.code).toBe('ALIAS_MISMATCH');
    },
  );

  it('failed: the resume says its rollback failed, not that its runner stopped', async () => {
    const w = left({ phase: 'failed', endedAt: Date.UTC(2026, 0, 1) }, MOVED);
    const error = await resume(w);
    expect(error?.message).toContain(
      'Deployment d-dead01 of demo alias live could not roll back, and the alias was moved',
    );
    expect(error?.message).not.toContain('when its runner stopped');
  });
});

describe('a failed rollback whose alias someone moved onto a split of versions it never wrote', () => {
  it('a new deploy, the resume and status offer the `--to` rollback (a plain one refuses it), not "a shift is in progress"', async () => {
    const w = left(
      { phase: 'failed', endedAt: Date.UTC(2026, 0, 1) },
      { functionVersion: '3', additionalWeights: { '1': 0.3 } },
    );
    const error = await deploy(w);
    expect(error).toMatchObject({ code: 'SHIFT_IN_PROGRESS', exitCode: 5 });
    expect(error?.message).toContain(
      'someone moved it onto versions deployment d-dead01 (failed) never wrote; no lshift deployment drives that split',
    );
    expect(error?.hint).toContain(
      'put all traffic back on version 1 with `lshift rollback demo --alias live --to 1`',
    );
    // What the resume offers too.
    expect((await resume(w))?.hint).toContain('`lshift rollback demo --alias live --to 1`');
    // And status, with its label (it offered `lshift alias demo live <version>`, no label).
    const said = await status(w);
    expect(said).toContain(
      'ROLLBACK FAILED, THEN MOVED BY SOMEONE ELSE: its rollback failed, and someone has since split the alias onto versions this deployment never wrote (version 3 (70%) + version 1 (30%)); nothing drives that split',
    );
    expect(said).toContain(
      'to put all traffic back on version 1: `lshift rollback demo --alias live --to 1`',
    );
    expect(said).toContain(
      "(split by someone else after deployment d-dead01's rollback failed: nobody drives it)",
    );
    expect(said).not.toContain('lshift alias demo live <version>');
    // A plain `lshift rollback` refuses that split (it will not guess)…
    const plain = await refused(
      rollbackClaimed(
        { ...w.deps, store: w.store, owner: 'rollback:op@laptop:2' },
        { functionName: FN, alias: ALIAS, reason: 'manual' },
      ),
    );
    expect(plain?.code).toBe('NOTHING_TO_ROLL_BACK');
    // …and the rollback it offers undoes it: all traffic on 1, the record closed.
    await rollbackDeployment(w.deps, { functionName: FN, alias: ALIAS, reason: 'manual', to: '1' });
    expect(w.lambda.aliasWrites().at(-1)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.store.peek(FN, ALIAS)?.phase).toBe('rolled-back');
  });
});
