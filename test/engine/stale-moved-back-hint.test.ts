/**
 * A deploy refused over a dead deployment whose alias is all back on its stable version although
 * its record says traffic had moved (a rollback whose record writes never landed: a release killed
 * while the sandbox, or AWS, stalled; or a person's `aws lambda update-alias`). Its refusal
 * (DEPLOYMENT_STALE) offered "Continue it with `lshift deploy … --resume`" first — a resume that
 * refuses it (ALIAS_MISMATCH: "someone moved it back, so lshift will not resume and undo that"),
 * while `lshift status` offers the rollback that closes it (found by h1's hostile pass, session 71).
 * It now offers that rollback, which moves no traffic and closes the record.
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { runPreflight } from '../../src/engine/preflight.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import { rollbackDeployment } from '../../src/engine/rollback.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN, resumeRequest, type World } from './world.js';

type Refusal = { code: string; exitCode: number; message: string; hint?: string };

const refused = (run: Promise<unknown>) =>
  run.then(
    () => undefined,
    (e: unknown) => e as Refusal,
  );

/** A dead `shifting` record at 20% whose alias is all on its stable version 1. */
function movedBack(over: Partial<DeploymentRecord> = {}): World {
  const w = createWorld();
  w.lambda.addVersion(FN);
  w.store.seed(FN, ALIAS, deadRecord(w, over));
  w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
  return w;
}

const deploy = (w: World, releaseId?: string) =>
  refused(
    runPreflight(w.deps, {
      functionName: FN,
      alias: ALIAS,
      targetVersion: '3',
      alarms: [ALARM],
      ...(releaseId ? { draftRecord: { releaseId } as never } : {}),
    }),
  );

describe('a new deploy over a dead deployment whose alias is back on its stable version', () => {
  it('alone: offers the rollback that closes it (and --supersede), never the resume that refuses it', async () => {
    const w = movedBack();
    const error = await deploy(w);
    expect(error).toMatchObject({ code: 'DEPLOYMENT_STALE', exitCode: 5 });
    expect(error?.hint).not.toContain('Continue it with');
    expect(error?.hint).not.toMatch(/lshift deploy [^`]*--resume/);
    expect(error?.hint).toBe(
      'All traffic of alias live is back on its stable version 1, though deployment d-dead01 recorded 20% on version 2: someone put it back (by hand, or a rollback that could not record it), and `deploy --resume` will not undo that. Close it with `lshift rollback demo --alias live` (it moves nothing), or roll it back and deploy this version in one go with `--supersede`.',
    );
    // The resume it no longer offers does refuse it…
    expect((await refused(resumeDeploy(w.deps, resumeRequest())))?.code).toBe('ALIAS_MISMATCH');
    // …and the rollback it offers closes it, all traffic staying on version 1.
    const result = await rollbackDeployment(w.deps, { functionName: FN, alias: ALIAS, reason: 'manual' });
    expect(result.status).toBe('nothing_to_deploy');
    for (const write of w.lambda.aliasWrites())
      expect(write).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect((await w.store.read(FN, ALIAS))?.phase).toBe('rolled-back');
  });

  it("a function of a release: offers its release's rollback", async () => {
    const w = movedBack({ releaseId: 'r-dead01' });
    const error = await deploy(w, 'r-this01');
    expect(error?.code).toBe('DEPLOYMENT_STALE');
    expect(error?.hint).not.toMatch(/lshift deploy [^`]*--resume|--supersede/);
    expect(error?.hint).toContain(
      "Close it with its release's `lshift rollback --release r-dead01` (naming no function, it finds each function of the release at its own alias by its record; it moves nothing here).",
    );
  });

  it('still offers the resume when the alias is where its record says', async () => {
    const w = movedBack();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.2 } });
    const error = await deploy(w);
    expect(error?.hint).toContain('Continue it with `lshift deploy demo --alias live --resume`');
  });
});
