import { describe, expect, it } from 'vitest';
import { resumeDeploy } from '../../src/engine/resume.js';
import { createWorld, deadRecord, leaveDeployment, resumeRequest } from './world.js';

/**
 * A release fa fb fc was killed (kill -9); someone rolled fb back alone (`lshift rollback fb`, which
 * does not drag the others along), then ran `lshift deploy fa fb fc --resume`. fb's refusal said
 * "there is nothing to resume … start a new deployment without --resume": a new deployment of the
 * three is refused (fa and fc still hold their aliases, stale), one of fb alone would run beside a
 * release nobody drives. For a function of a release it now says how to go on: leave it out of the
 * resume, or roll the release's other functions back too.
 */
describe('deploy --resume naming a function of the release whose record is closed', () => {
  it('rolled back alone: the hint leaves it out of the resume, or rolls the others back', async () => {
    const w = createWorld();
    leaveDeployment(
      w,
      deadRecord(w, { phase: 'rolled-back', releaseId: 'r-clos01', endedAt: w.start - 1000 }),
      0,
    );
    const error = await resumeDeploy(w.deps, resumeRequest()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'NOTHING_TO_RESUME',
      exitCode: 2,
      message:
        'Deployment d-dead01 of demo alias live is rolled-back: there is nothing to resume (it is a function of release r-clos01).',
      hint: 'Leave demo out: resume the release’s other functions with `lshift deploy <its other functions> --resume` (the first run’s flags), or roll them back too with `lshift rollback --release r-clos01` (naming no function, it finds each function of the release at its own alias by its record); `lshift status demo <its other functions>` shows where each is.',
    });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
  });

  it('names the others when the command named them (not a placeholder)', async () => {
    const w = createWorld();
    leaveDeployment(
      w,
      deadRecord(w, { phase: 'rolled-back', releaseId: 'r-clos01', endedAt: w.start - 1000 }),
      0,
    );
    const error = await resumeDeploy(w.deps, resumeRequest({ releaseFunctions: ['fa', 'demo', 'fc'] })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as { hint: string }).hint).toBe(
      'Leave demo out: resume the release’s other functions with `lshift deploy fa fc --resume` (the first run’s flags), or roll them back too with `lshift rollback --release r-clos01 fa fc`; `lshift status demo fa fc` shows where each is.',
    );
  });
});
