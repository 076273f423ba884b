/**
 * What each cause that ends a weight step writes into `steps[].result` (fake clock, fakes):
 * `failed` only for this run's own health or write, `interrupted` only for a signal, `stopped` for
 * anything outside the step — an operator's abort or rollback, another lshift run, someone else's
 * alias write, another function of the release. Before, all of these but the signal read
 * `failed` (a release's function stopped by another's failure: `interrupted`).
 * linear:10%:1m, polls every 10 s: step 2 (20%) holds from 60 s to 120 s; every cause lands at 95 s.
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import type { ErrorCode } from '../../src/domain/error-codes.js';
import { OperationError } from '../../src/domain/errors.js';
import type { DeployStatus, StepResult } from '../../src/domain/events.js';
import { HandedToCodeDeploy } from '../../src/domain/hand-off.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { runRelease } from '../../src/engine/release.js';
import { stepResultOfWriteError, unheldStepResult } from '../../src/engine/step-result.js';
import { ALARM, ALIAS, createFleetWorld, createWorld, FN, linear, request, type World } from './world.js';

const AT_95S = 95_000;
const ROLLER = 'rollback:ops@desk:3';

function seedRecordAt(w: World, change: (record: DeploymentRecord) => DeploymentRecord): void {
  w.clock.at(w.start + AT_95S, () => {
    const record = w.store.peek(FN, ALIAS);
    if (!record) throw new Error('no record yet at 95 s');
    w.store.seed(FN, ALIAS, change(record));
  });
}

/** The function and its tags (the record) go at `at`: every later write to either fails. */
function deleteFunctionAt(w: World, at: number): void {
  let gone = false;
  const write = w.store.write.bind(w.store);
  w.store.write = async (functionName: string, alias: string, record: DeploymentRecord) => {
    if (gone && functionName === FN)
      throw new OperationError(
        'FUNCTION_NOT_FOUND',
        `Function ${FN} does not exist (lambda:TagResource).`,
        {},
      );
    return write(functionName, alias, record);
  };
  w.clock.at(at, () => {
    gone = true;
    w.lambda.deleteFunction(FN);
  });
}

interface Case {
  cause: string;
  /** Sets the cause up in the world; returns the deploy's signal when the cause is one. */
  arrange: (w: World) => AbortSignal | undefined;
  status: DeployStatus;
  /** The last step's percent and how it ended. */
  percent: number;
  result: StepResult;
}

const CASES: Case[] = [
  {
    cause: 'its own alarm fires',
    arrange: (w) => {
      w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + AT_95S, reason: 'errors over 3' });
      return undefined;
    },
    status: 'rolled_back',
    percent: 20,
    result: 'failed',
  },
  {
    cause: 'its own weight write fails (not someone else’s change)',
    arrange: (w) => {
      w.lambda.fail({ op: 'updateAlias', nth: 3 });
      return undefined;
    },
    status: 'rolled_back',
    percent: 30,
    result: 'failed',
  },
  {
    cause: 'a signal (Ctrl-C)',
    arrange: (w) => {
      const controller = new AbortController();
      w.clock.at(w.start + AT_95S, () => controller.abort(new Error('interrupted by SIGINT')));
      return controller.signal;
    },
    status: 'rolled_back',
    percent: 20,
    result: 'interrupted',
  },
  {
    // `deploy --detach` aborts the run's signal with this reason once CodeDeploy has the shift.
    cause: 'a hand-off to CodeDeploy (--detach)',
    arrange: (w) => {
      const controller = new AbortController();
      w.clock.at(w.start + AT_95S, () => controller.abort(new HandedToCodeDeploy()));
      return controller.signal;
    },
    status: 'rolled_back',
    percent: 20,
    result: 'detached',
  },
  {
    cause: 'an operator’s lshift abort',
    arrange: (w) => {
      seedRecordAt(w, (r) => ({
        ...r,
        command: { verb: 'abort', nonce: 'n1', state: 'sent', by: 'ann@laptop:9' },
      }));
      return undefined;
    },
    status: 'rolled_back',
    percent: 20,
    result: 'stopped',
  },
  {
    cause: 'an operator’s lshift rollback claims the record and rolls the alias back',
    arrange: (w) => {
      seedRecordAt(w, (r) => ({ ...r, phase: 'rolling-back', owner: ROLLER, heartbeatAt: w.clock.now() }));
      w.clock.at(w.start + AT_95S + 1_000, () => {
        w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
        const claim = w.store.peek(FN, ALIAS)!;
        const at = w.clock.now();
        w.store.seed(FN, ALIAS, { ...claim, phase: 'rolled-back', percent: 0, endedAt: at, heartbeatAt: at });
      });
      return undefined;
    },
    status: 'rolled_back',
    percent: 20,
    result: 'stopped',
  },
  {
    cause: 'another lshift run takes the deployment over (its record, then its alias write)',
    arrange: (w) => {
      seedRecordAt(w, (r) => ({ ...r, id: 'd-new001', owner: 'ci@runner:7', heartbeatAt: w.clock.now() }));
      // Its first write: the same weights under a new RevisionId, so the alias is no longer ours.
      w.lambda.moveAliasAt(w.start + AT_95S, FN, ALIAS, {
        functionVersion: '1',
        additionalWeights: { '2': 0.2 },
      });
      return undefined;
    },
    status: 'conflict',
    percent: 20,
    result: 'stopped',
  },
  {
    cause: 'someone else moves the alias (a 412 at the next weight write)',
    arrange: (w) => {
      w.lambda.moveAliasAt(w.start + AT_95S, FN, ALIAS, {
        functionVersion: '1',
        additionalWeights: { '2': 0.5 },
      });
      return undefined;
    },
    // A split left with nobody driving it: unsafe, exit 4 (DESIGN.md §6), was a conflict.
    status: 'unsafe',
    percent: 30,
    result: 'stopped',
  },
  {
    cause: 'the function is deleted (its next weight write finds it gone)',
    arrange: (w) => {
      deleteFunctionAt(w, w.start + AT_95S);
      return undefined;
    },
    status: 'failed',
    percent: 30,
    result: 'stopped',
  },
];

describe('steps[].result: what ended the step', () => {
  it.each(CASES)('$cause → $result ($status)', async (c) => {
    const w = createWorld();
    const signal = c.arrange(w);
    const result = await runDeploy(w.deps, request({ ...linear(10, 60), ...(signal ? { signal } : {}) }));
    expect(result.status, JSON.stringify(result.cause)).toBe(c.status);
    expect(result.steps.at(-1)).toMatchObject({ percent: c.percent, result: c.result });
    // The steps before it held: only the last one ended early.
    expect(result.steps.slice(0, -1).map((s) => s.result)).toEqual(
      result.steps.slice(0, -1).map(() => 'completed'),
    );
  });
});

describe('steps[].result in a release of several functions', () => {
  const FNS = ['alpha', 'beta', 'gamma'];

  it('the function whose alarm fired failed; the others, stopped for it, read stopped, not interrupted', async () => {
    const w = createFleetWorld(FNS);
    w.metrics.setAlarm('beta-errors', 'ALARM', { at: w.start + AT_95S, reason: 'errors over 3' });
    const result = await runRelease(w.deps, {
      releaseId: 'r-abc123',
      members: FNS.map((fn, i) =>
        request({
          functionName: fn,
          alarms: [`${fn}-errors`],
          deploymentId: `d-abc12${i}`,
          ...linear(25, 60),
        }),
      ),
    });
    expect(result.status).toBe('rolled_back');
    const lastOf = (fn: string) => result.functions.find((f) => f.functionName === fn)?.steps.at(-1);
    expect(lastOf('beta')).toMatchObject({ percent: 50, result: 'failed' });
    expect(lastOf('alpha')).toMatchObject({ percent: 50, result: 'stopped' });
    expect(lastOf('gamma')).toMatchObject({ percent: 50, result: 'stopped' });
  });

  it('a signal stops every function: all interrupted', async () => {
    const w = createFleetWorld(FNS);
    const controller = new AbortController();
    w.clock.at(w.start + AT_95S, () => controller.abort(new Error('interrupted by SIGTERM')));
    const result = await runRelease(w.deps, {
      releaseId: 'r-abc123',
      signal: controller.signal,
      members: FNS.map((fn, i) =>
        request({
          functionName: fn,
          alarms: [`${fn}-errors`],
          deploymentId: `d-abc12${i}`,
          signal: controller.signal,
          ...linear(25, 60),
        }),
      ),
    });
    expect(result.status).toBe('rolled_back');
    for (const f of result.functions)
      expect(f.steps.at(-1)).toMatchObject({ percent: 50, result: 'interrupted' });
  });
});

describe('stepResultOfWriteError: a weight write that threw', () => {
  const error = (code: ErrorCode) => new OperationError(code, `${code} happened`, {});
  it.each([
    ['ALIAS_CHANGED', false, 'stopped'],
    ['CODEDEPLOY_GROUP_BUSY', false, 'stopped'],
    ['FUNCTION_NOT_FOUND', false, 'stopped'],
    ['ALIAS_NOT_FOUND', false, 'stopped'],
    ['THROTTLED', false, 'failed'],
    ['CODEDEPLOY_DEPLOYMENT_FAILED', false, 'failed'],
    // A CodeDeploy follow ended by this run's own Ctrl-C: before, it read failed.
    ['INTERRUPTED', true, 'interrupted'],
    // Not this run's signal: the follow failed.
    ['INTERRUPTED', false, 'failed'],
  ] as const)('%s (signal aborted: %s) → %s', (code, byRequest, expected) => {
    expect(stepResultOfWriteError(error(code), byRequest)).toBe(expected);
  });

  it('a CodeDeploy deployment someone stopped (MANUAL_STOP) is stopped; CodeDeploy’s own failure stays failed', () => {
    const ended = (outside: boolean) =>
      new OperationError('CODEDEPLOY_DEPLOYMENT_FAILED', 'CodeDeploy deployment d-1 Stopped', {
        context: outside ? { stoppedFromOutside: true } : {},
      });
    expect(stepResultOfWriteError(ended(true), false)).toBe('stopped');
    expect(stepResultOfWriteError(ended(false), false)).toBe('failed');
  });

  it('an error that is not lshift’s own is this run’s failure', () => {
    expect(stepResultOfWriteError(new Error('socket hang up'), false)).toBe('failed');
  });
});

describe('unheldStepResult: a step whose write landed but whose hold never began', () => {
  it.each([
    ['done', true, false, undefined],
    ['failed', true, false, 'failed'],
    // Another function of the release failed.
    ['failed', false, false, 'stopped'],
    ['conflict', true, false, 'stopped'],
    ['conflict', false, false, 'stopped'],
    ['interrupted', true, true, 'interrupted'],
    ['interrupted', false, true, 'interrupted'],
    // The release's verdict, not a signal, ended the watch.
    ['interrupted', false, false, 'stopped'],
  ] as const)('%s (own: %s, signal: %s) → %s', (kind, own, byRequest, expected) => {
    expect(unheldStepResult(kind, own, byRequest)).toBe(expected);
  });
});
