/**
 * A person's `lshift rollback` claims the record first, then writes the alias: the runner's
 * heartbeat finds the claim while the alias is still split. It follows that rollback (reads only)
 * and ends rolled back by them (exit 3) once the alias is all on the stable version — not a
 * conflict (exit 5) that a pipeline would retry, redeploying what was just rolled back.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { FOLLOW_ROLLBACK_MS } from '../../src/engine/settle-result.js';
import { keepClaimBeating } from './claim-beat.js';
import { ALIAS, canary, createWorld, FN, request, type World } from './world.js';

const OPERATOR = 'rollback:ops@desk:3';

/** The operator's claim at `claimAt` ms, alias untouched (still split at 10%). */
function claimAt(w: World, at: number): void {
  w.clock.after(at, () => {
    w.store.seed(FN, ALIAS, {
      ...w.store.peek(FN, ALIAS)!,
      phase: 'rolling-back',
      owner: OPERATOR,
      heartbeatAt: w.clock.now(),
    });
  });
}

/** The operator's rollback ends at `at` ms: alias all on version 1, then their record closed. */
function rolledBackAt(w: World, at: number, phase: 'rolled-back' | 'failed' = 'rolled-back'): void {
  w.clock.after(at, () => {
    if (phase === 'rolled-back')
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
    w.store.seed(FN, ALIAS, { ...w.store.peek(FN, ALIAS)!, phase, endedAt: w.clock.now() });
  });
}

async function run(w: World, ms: number) {
  const done = runDeploy(w.deps, request(canary(10, 3600)));
  await w.clock.advance(0);
  await w.clock.advance(ms);
  return done;
}

describe('runDeploy: a person’s rollback claim found at a heartbeat while the alias is still split', () => {
  it('follows it and ends rolled back by them once the alias is back on the stable version', async () => {
    const w = createWorld({ auto: false });
    claimAt(w, 100_000);
    rolledBackAt(w, 170_000);
    const result = await run(w, 300_000);
    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.cause).toMatchObject({ code: 'ROLLED_BACK_BY_OTHER', data: { owner: OPERATOR } });
    expect(describeReason(result)).toMatch(
      /^rolled back by rollback:ops@desk:3 at step 1 \(10%\), while this lshift still ran it/,
    );
    const said = w.sink.ofType('log').map((e) => e.message);
    // A claim that does not say where it goes (no `rt=`: an older lshift's) is followed until its
    // rollback ends, not until a version it may not be sending the traffic to.
    expect(said).toContainEqual(
      `${OPERATOR} is rolling deployment d-abc123 back; following it until its rollback ends (at most 3m; up to 3m more if its heartbeat stops)`,
    );
    // It only read: one weight write of its own (10%), none after the claim; their record stands.
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(1);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: OPERATOR });
    expect(w.clock.pendingSleeps).toBe(0);
  });

  it('the claim’s rollback lands right after the runner saw the alias split: rolled back by them, not a conflict', async () => {
    // Found at a terminal (deploy --supersede beside a live runner): the runner read the alias
    // still split, the rollback then wrote it and closed the record before the runner read the
    // record again — and a record already `rolled-back` was not followed: exit 5.
    const w = createWorld({ auto: false });
    claimAt(w, 100_000);
    const read = w.lambda.getAlias.bind(w.lambda);
    let landed = false;
    w.lambda.getAlias = async (fn, alias) => {
      const seen = await read(fn, alias);
      if (!landed && w.store.peek(FN, ALIAS)?.owner === OPERATOR) {
        landed = true;
        w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
        w.store.seed(FN, ALIAS, {
          ...w.store.peek(FN, ALIAS)!,
          phase: 'rolled-back',
          endedAt: w.clock.now(),
        });
      }
      return seen;
    };
    const result = await run(w, 300_000);
    expect(landed).toBe(true);
    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'ROLLED_BACK_BY_OTHER', data: { owner: OPERATOR } });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(1);
  });

  it('its record unreadable for a while during the follow (a stalled endpoint): read again, then rolled back by them (exit 3), not taken over (exit 5)', async () => {
    // Seen on the sandbox (session 71): stalled right after a person's claim, the runner's record
    // read timed out, the follow ended "taken over" (exit 5, which a pipeline retries), and the
    // person's rollback then put all traffic back.
    const w = createWorld({ auto: false });
    claimAt(w, 100_000);
    const emit = w.sink.emit.bind(w.sink);
    w.sink.emit = (event) => {
      emit(event);
      if (event.type === 'log' && event.message.includes('following it until'))
        w.store.failReads(new Error('NETWORK_ERROR: the endpoint did not answer in time'), 4);
    };
    let failed = 0;
    const read = w.store.read.bind(w.store);
    w.store.read = async (fn, alias) => {
      try {
        return await read(fn, alias);
      } catch (error) {
        failed++;
        throw error;
      }
    };
    rolledBackAt(w, 170_000);
    const result = await run(w, 300_000);
    expect(result.status).toBe('rolled_back');
    expect(failed).toBe(4);
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.cause).toMatchObject({ code: 'ROLLED_BACK_BY_OTHER', data: { owner: OPERATOR } });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(1);
  });

  it('a claim that ends failed (the alias still split) is unsafe, exit 4: nobody drives that split', async () => {
    // Was a conflict (exit 5, "someone else holds it") until session 68: the claimer had exited
    // failed, and DESIGN.md §6 lets only exit 4 leave an alias split (taken-over-split-left.test.ts).
    const w = createWorld({ auto: false });
    claimAt(w, 100_000);
    rolledBackAt(w, 170_000, 'failed');
    const result = await run(w, 300_000);
    expect(result.status).toBe('unsafe');
    expect(result.cause).toMatchObject({ code: 'TAKEN_OVER', data: { splitLeft: 'failed' } });
  });

  it('a claim whose rollback gave up and put the record back as it was (the alias still split): handed back to nobody, unsafe, exit 4', async () => {
    const w = createWorld({ auto: false });
    let before: ReturnType<typeof w.store.peek>;
    w.clock.after(99_999, () => {
      before = w.store.peek(FN, ALIAS);
    });
    claimAt(w, 100_000);
    // `lshift rollback`, a check, `deploy --supersede`: a failed rollback puts back the record it claimed (releaseClaim).
    w.clock.after(170_000, () => w.store.seed(FN, ALIAS, before!));
    const result = await run(w, 300_000);
    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.cause).toMatchObject({
      code: 'ROLLBACK_ABANDONED',
      data: { owner: OPERATOR, handedBack: true },
    });
    expect(result.rollbackCommand).toBe('lshift rollback demo --alias live');
    expect(describeReason(result)).toMatch(
      /^the rollback by rollback:ops@desk:3 that claimed this deployment at step 1 \(10%\) gave up without putting alias live back and handed the deployment record back to this lshift, which no longer drives it: alias live is left at version 1 \(90%\) \+ version 2 \(10%\), and nobody is rolling it back/,
    );
    // It wrote nothing after the claim: the record is as the claimer put it back, for a check to take over.
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(1);
    expect(w.store.peek(FN, ALIAS)).toEqual(before);
  });

  it('handed back after the runner moved the alias elsewhere by hand (not its version): still a conflict, exit 5', async () => {
    const w = createWorld({ auto: false });
    let before: ReturnType<typeof w.store.peek>;
    w.clock.after(99_999, () => {
      before = w.store.peek(FN, ALIAS);
    });
    claimAt(w, 100_000);
    w.clock.after(170_000, () => {
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '3', additionalWeights: {} });
      w.store.seed(FN, ALIAS, before!);
    });
    const result = await run(w, 300_000);
    expect(result.status).toBe('conflict');
    expect(result.cause?.code).toBe('TAKEN_OVER');
  });

  it('stops following after FOLLOW_ROLLBACK_MS when a live claim never ends: left to it, a conflict, exit 5', async () => {
    const w = createWorld({ auto: false });
    claimAt(w, 100_000);
    w.clock.after(100_000, () => keepClaimBeating(w, FN, ALIAS, OPERATOR));
    const result = await run(w, 130_000 + FOLLOW_ROLLBACK_MS + 60_000);
    expect(result.status).toBe('conflict');
    expect(result.cause?.code).toBe('TAKEN_OVER');
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(1);
  });

  it('follows for 3 minutes of REAL time under a sandbox at 10×: a rollback CLI that took 30 real s (5 simulated minutes) is still followed to its end', async () => {
    // What it follows is another process (starting, its AWS calls: bounded in real time). Counted
    // in simulated time the follow ended after 18 real seconds, a conflict (exit 5).
    const w = createWorld({ auto: false });
    w.clock.speed = 10;
    claimAt(w, 100_000);
    w.clock.after(100_000, () => keepClaimBeating(w, FN, ALIAS, OPERATOR));
    rolledBackAt(w, 130_000 + 5 * 60_000);
    const result = await run(w, 130_000 + 5 * 60_000 + 60_000);
    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'ROLLED_BACK_BY_OTHER', data: { owner: OPERATOR } });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(1);
    // Its line is stamped with the sandbox's clock: "at most 3 minutes" there read as 3 simulated
    // minutes while it followed for 30, and the silent claim's time more went unsaid.
    expect(w.sink.ofType('log').map((e) => e.message)).toContainEqual(
      `${OPERATOR} is rolling deployment d-abc123 back; following it until its rollback ends (at most 3m of real time, not the sandbox's clock; up to 18s more if its heartbeat stops)`,
    );
  });

  it('under a sandbox at 10× it still gives up on a live claim that never ends, after 3 real minutes', async () => {
    const w = createWorld({ auto: false });
    w.clock.speed = 10;
    claimAt(w, 100_000);
    w.clock.after(100_000, () => keepClaimBeating(w, FN, ALIAS, OPERATOR));
    const done = runDeploy(w.deps, request(canary(10, 3600)));
    let ended = false;
    void done.then(() => {
      ended = true;
    });
    await w.clock.advance(0);
    await w.clock.advance(130_000 + 10 * FOLLOW_ROLLBACK_MS - 60_000);
    expect(ended).toBe(false);
    await w.clock.advance(120_000);
    const result = await done;
    expect(result.status).toBe('conflict');
    expect(result.cause?.code).toBe('TAKEN_OVER');
  });

  it('a dead claimer whose clock ran 2 minutes ahead: its heartbeat never moved during the follow, so still unsafe (exit 4)', async () => {
    const w = createWorld({ auto: false });
    w.clock.after(100_000, () => {
      w.store.seed(FN, ALIAS, {
        ...w.store.peek(FN, ALIAS)!,
        phase: 'rolling-back',
        owner: OPERATOR,
        heartbeatAt: w.clock.now() + 120_000,
      });
    });
    const result = await run(w, 130_000 + FOLLOW_ROLLBACK_MS + 60_000);
    expect(result.status).toBe('unsafe');
    expect(result.cause).toMatchObject({ code: 'ROLLBACK_ABANDONED', data: { owner: OPERATOR } });
  });

  it('a claim whose heartbeat stopped too (its rollback killed before the alias write): unsafe, exit 4, with the command that finishes it', async () => {
    const w = createWorld({ auto: false });
    claimAt(w, 100_000);
    const result = await run(w, 130_000 + FOLLOW_ROLLBACK_MS + 60_000);
    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.cause).toMatchObject({ code: 'ROLLBACK_ABANDONED', data: { owner: OPERATOR } });
    expect(result.rollbackCommand).toBe('lshift rollback demo --alias live');
    expect(describeReason(result)).toMatch(
      /^the rollback by rollback:ops@desk:3 that claimed this deployment at step 1 \(10%\) stopped before it put alias live back \(no heartbeat on its claim since .*\): alias live is left at version 1 \(90%\) \+ version 2 \(10%\)/,
    );
    // It only read: the claim is the claimer's, left for `lshift rollback` (or a check) to finish.
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(1);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolling-back', owner: OPERATOR });
  });
});

/**
 * `lshift rollback` whose claim lost to the runner's heartbeat rolls back unclaimed and closes the
 * record under the deployment's own owner; `lshift alias` back to the stable version closes it
 * `moved by hand`, the owner kept too. Found at a terminal: the runner ended "changed
 * underneath" (exit 5), which a pipeline retries, redeploying what was just rolled back.
 */
describe('runDeploy: rolled back by another command under this runner’s own owner', () => {
  /** At `at` ms: the alias all on version 1, then the record closed rolled back, owner kept. */
  function closedUnderOurOwner(w: World, at: number, endReason?: string): void {
    w.clock.after(at, () => {
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
      const current = w.store.peek(FN, ALIAS)!;
      w.store.seed(FN, ALIAS, {
        ...current,
        phase: 'rolled-back',
        percent: 0,
        // Every other writer stamps its own heartbeat (DeploymentRecorder.isOurs).
        heartbeatAt: w.clock.now(),
        endedAt: w.clock.now(),
        ...(endReason ? { endReason } : {}),
      });
    });
  }

  it.each([
    [undefined, '`lshift rollback` from another shell'],
    ['moved by hand', '`lshift alias` (moved by hand)'],
  ])('closed with end reason %s: rolled back by %s, exit 3', async (endReason, by) => {
    const w = createWorld({ auto: false });
    const owner = () => w.store.peek(FN, ALIAS)?.owner;
    let runnerOwner: string | undefined;
    w.clock.after(50_000, () => {
      runnerOwner = owner();
    });
    closedUnderOurOwner(w, 100_000, endReason);
    const result = await run(w, 300_000);
    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.cause).toMatchObject({ code: 'ROLLED_BACK_BY_OTHER', data: { owner: by } });
    expect(describeReason(result)).toMatch(
      new RegExp(
        `^rolled back by ${by.replace(/[()]/g, '\\$&')} at step 1 \\(10%\\), while this lshift still ran it`,
      ),
    );
    // Their record stands, the runner's owner on it as they left it; one weight write of ours.
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: runnerOwner });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(1);
    expect(w.clock.pendingSleeps).toBe(0);
  });

  it('the alias moved elsewhere while the record says rolled back: still a conflict (exit 5)', async () => {
    const w = createWorld({ auto: false });
    w.clock.after(100_000, () => {
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: { '1': 0.5 } });
      const now = w.clock.now();
      w.store.seed(FN, ALIAS, {
        ...w.store.peek(FN, ALIAS)!,
        phase: 'rolled-back',
        heartbeatAt: now,
        endedAt: now,
      });
    });
    const result = await run(w, 300_000);
    expect(result.status).toBe('conflict');
  });
});

describe('runDeploy: following a person’s rollback while the wall clock is stepped', () => {
  it('a step forward of the wall clock does not end the follow early: it still ends rolled back by them', async () => {
    const w = createWorld({ auto: false });
    claimAt(w, 100_000);
    // NTP corrects the runner's clock by more than the whole bound while it follows.
    w.clock.after(140_000, () => w.clock.stepWall(FOLLOW_ROLLBACK_MS + 60_000));
    rolledBackAt(w, 200_000);
    const result = await run(w, 300_000);
    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'ROLLED_BACK_BY_OTHER', data: { owner: OPERATOR } });
  });
});
