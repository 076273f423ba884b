/**
 * A rollback that meets its alias moved by hand (between its read and its write) leaves the alias
 * where the person put it (exit 5) — and closes its record as moved by hand. Found by a hostile
 * pass: the record stayed `rolling-back`, `lshift status` said "its runner died while rolling the
 * release back", and the next `lshift check` put the stable version back over the person's move
 * (17 → 5). A single deploy and a release alike; a close that does not land is exit 4.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import { exitCodeForCheck, exitCodeForStatus } from '../../src/cli/exit-codes.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { OperationError } from '../../src/domain/errors.js';
import type { DeployResult } from '../../src/domain/events.js';
import { causeOf } from '../../src/domain/outcome.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { checkReleases } from '../../src/engine/check-release.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import type { AliasWrite } from '../../src/ports/lambda.js';
import { ALARM, ALIAS, createFleetWorld, createWorld, FN, linear, request, type World } from './world.js';

type Routing = { functionVersion: string; additionalWeights: Record<string, number> };

/** The person's move: all traffic on the new version (promoted by hand), or on a third version. */
const ON_TARGET = { functionVersion: '2', additionalWeights: {} };
const ELSEWHERE = { functionVersion: '3', additionalWeights: {} };
const MOVES = [
  ['all on the new version 2', ON_TARGET, { phase: 'promoted', endReason: 'moved by hand' }],
  ['on version 3', ELSEWHERE, { phase: 'rolled-back', endReason: 'moved by hand to version 3' }],
] as const;

const isRollbackWrite = (fn: string) => (args: unknown[]) =>
  args[0] === fn &&
  (args[2] as AliasWrite).functionVersion === '1' &&
  Object.keys((args[2] as AliasWrite).additionalWeights).length === 0;

/** A person moves `fn`'s alias just before the rollback's write reaches Lambda. */
function moveByHandAtRollback(w: World, fn: string, to: Routing = ELSEWHERE): void {
  let moved = false;
  w.lambda.onCall = (call) => {
    if (!moved && call.op === 'updateAlias' && isRollbackWrite(fn)(call.args)) {
      moved = true;
      w.lambda.moveAlias(fn, ALIAS, to);
    }
  };
}

async function checkLater(w: World, functionNames: string[]) {
  await w.clock.advance(10 * 60_000);
  const deps: CheckDeps = { ...w.deps, store: w.store, owner: 'check:cron@host:1' };
  const req = {
    functionNames,
    alias: ALIAS,
    windowSeconds: 3600,
    alarms: functionNames.length > 1 ? ['{function}-errors'] : [ALARM],
  };
  return checkReleases(deps, await runCheck(deps, req));
}

const writesAfter = (w: World, at: number) => w.lambda.callsOf('updateAlias').filter((c) => c.at > at);

describe('a single deploy whose rollback meets its alias moved by hand', () => {
  it.each(MOVES)(
    'moved %s: left there (exit 5), its record closed moved by hand, and a later check leaves it',
    async (_, to, closed) => {
      const w = createWorld();
      w.lambda.addVersion(FN);
      w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 85_000 });
      moveByHandAtRollback(w, FN, to);
      const result = await runDeploy(w.deps, request(linear(10, 60)));

      expect(result.status).toBe('conflict');
      expect(exitCodeForStatus(result.status)).toBe(5);
      // Its first write refused: "before lshift's rollback wrote it" (session 68; was "during the rollback").
      expect(describeReason(result)).toContain("changed by someone else before lshift's rollback wrote it");
      expect(w.store.peek(FN, ALIAS)).toMatchObject(closed);

      // The alarm is fine again by the time the check runs (the person fixed it).
      w.metrics.setAlarm(ALARM, 'OK');
      const ended = w.clock.now();
      const report = await checkLater(w, [FN]);
      expect(writesAfter(w, ended)).toEqual([]);
      expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject(to);
      expect(report.results.map((r) => r.action)).not.toContain('rolled_back');
      expect(exitCodeForCheck(report)).toBe(0);
    },
  );

  it('its close not landing leaves the record rolling-back: exit 4, saying a check would undo the move', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 85_000 });
    moveByHandAtRollback(w, FN);
    const write = w.store.write.bind(w.store);
    w.store.write = async (fn: string, alias: string, record: DeploymentRecord) => {
      if (record.endReason?.startsWith('moved by hand'))
        throw new OperationError('THROTTLED', 'Rate exceeded (lambda:TagResource).', {});
      return write(fn, alias, record);
    };
    const result = await runDeploy(w.deps, request(linear(10, 60)));

    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject(ELSEWHERE);
    expect(w.store.peek(FN, ALIAS)?.phase).toBe('rolling-back');
    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(describeReason(result)).toContain(
      'Its deployment record could not be closed as moved by hand and still says what lshift last wrote of it: once its heartbeat is over 2m old, a `lshift check` would take it for a deployment nobody drives and put version 1 back over that move. To keep the move, record it with `lshift alias demo live 3` once its heartbeat is over 2m old; to roll back instead, `lshift rollback demo --alias live`',
    );
  });

  // A split by hand was told "record it with `lshift alias demo live <version>`", which clears the
  // routing: copied, it undid the split it said it kept (found by a hostile pass, session 61).
  it('a split by hand whose close did not land: no lshift alias offered to keep it', () => {
    const result: DeployResult = {
      status: 'unsafe',
      functionName: FN,
      alias: ALIAS,
      fromVersion: '1',
      toVersion: '2',
      steps: [],
      verdicts: [],
      aliasState: { functionVersion: '1', additionalWeights: { '2': 0.35 } },
      cause: causeOf('ROLLBACK_CONFLICT', {
        error: 'alias live was changed by someone else during the rollback',
        after: causeOf('GATE_FAILED', { gates: ['alarms'] }, 'alarm'),
        recordOpen: true,
      }),
    };
    const reason = describeReason(result);
    expect(reason).toContain(
      'To keep that split, no lshift command records it: stop the scheduled check for this alias meanwhile, or move the alias to one version and record that with `lshift alias`; to roll back instead, `lshift rollback demo --alias live`',
    );
    expect(reason).not.toContain('`lshift alias demo live');
  });
});

describe("a release whose rollback meets one function's alias moved by hand", () => {
  const FNS = ['fa', 'fb', 'fc'];

  async function release(w: World) {
    w.metrics.setAlarm('fc-errors', 'ALARM', { at: w.start + 85_000, reason: 'errors over 3' });
    const rel: ReleaseRequest = {
      releaseId: 'r-moved01',
      members: FNS.map((fn, i) =>
        request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...linear(25, 180) }),
      ),
    };
    return withReleaseReason(await runRelease(w.deps, rel));
  }

  it.each(MOVES)(
    'fb moved %s: left there, its record closed moved by hand; the others are back; a check leaves fb alone',
    async (_, to, closed) => {
      const w = createFleetWorld(FNS);
      w.lambda.addVersion('fb');
      moveByHandAtRollback(w, 'fb', to);
      const result = await release(w);

      expect(result.status).toBe('conflict');
      expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject(to);
      expect(w.store.peek('fb', ALIAS)).toMatchObject(closed);
      // The release's reason says it, and where the others are (it said only fc's alarm).
      expect(result.reason).toBe(
        `function fc failed: rolled back at step 1 (25%): alarm fc-errors is ALARM: errors over 3; before the release's rollback wrote it, alias live of fb was moved by someone else: it routes version ${to.functionVersion} (100%); lshift did not overwrite it and left fb to whoever moved it (\`lshift status fb\` shows where its alias is); its deployment record is closed as moved by hand, so a check does not take it for an unfinished rollback; fa and fc are back on their stable versions`,
      );
      for (const fn of ['fa', 'fc']) {
        expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
        expect(w.store.peek(fn, ALIAS)?.phase).toBe('rolled-back');
      }

      w.metrics.setAlarm('fc-errors', 'OK');
      const ended = w.clock.now();
      const report = await checkLater(w, FNS);
      expect(writesAfter(w, ended)).toEqual([]);
      expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject(to);
      expect(report.results.find((r) => r.functionName === 'fb')?.action).not.toBe('rolled_back');
    },
  );

  // DESIGN.md §6: no exit but 4 leaves an alias split. A person's split of fb during the
  // release's rollback was a conflict (exit 5) until session 67.
  it('fb split by hand during the rollback: left split, fb and the release unsafe (exit 4)', async () => {
    const w = createFleetWorld(FNS);
    const split = { functionVersion: '1', additionalWeights: { '2': 0.35 } };
    moveByHandAtRollback(w, 'fb', split);
    const result = await release(w);

    expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject(split);
    expect(result.functions.find((f) => f.functionName === 'fb')?.status).toBe('unsafe');
    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    // Not "the rollback of fb:live … FAILED": no rollback failed, someone split it.
    expect(result.reason).not.toContain('FAILED');
    expect(result.reason).toContain(
      "before the release's rollback wrote it, alias live of fb was split by someone else: it routes version 1 (65%) + version 2 (35%); lshift did not overwrite it and nobody drives that split: `lshift rollback fb --alias live` puts all traffic on version 1 over it; its deployment record is closed as moved by hand",
    );
    expect(w.store.peek('fb', ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'weights changed by hand',
    });
  });
});
