import { describe, expect, it } from 'vitest';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import type { DeployResult, EngineEvent } from '../../src/domain/events.js';
import { causeOf, type OutcomeCause } from '../../src/domain/outcome.js';
import { runRelease } from '../../src/engine/release.js';
import { createFleetWorld, linear, request } from '../engine/world.js';

// A release stopped by an operator's abort or by a signal names no function as `failed` (the
// engine's result: release-verdict.ts, withFailed). Its reason must still say what stopped it,
// once, whichever function's result the words are taken from.
const AT_STEP_1 = { kind: 'step', index: 0, percent: 10 } as const;

function member(functionName: string, cause: OutcomeCause): DeployResult {
  return {
    status: 'rolled_back',
    functionName,
    alias: 'live',
    fromVersion: '1',
    toVersion: '2',
    steps: [],
    verdicts: [],
    cause,
    position: AT_STEP_1,
    trafficMoved: true,
  };
}

function release(functions: DeployResult[]) {
  return withReleaseReason({
    releaseId: 'r-k3j9x2',
    status: 'rolled_back',
    mode: 'lockstep',
    functions,
    startedAt: 0,
    endedAt: 1,
  });
}

const ABORT = { by: 'ann@laptop:41', reason: 'bad release' };
/** As the engine words them: the reader's own cause, and the others' (release-verdict.ts, outcomeFor). */
const own = { ...causeOf('OPERATOR_ABORTED', ABORT), detail: 'aborted by ann@laptop:41: bad release' };
const mate = {
  ...causeOf('OPERATOR_ABORTED', ABORT),
  detail: 'the release was aborted by ann@laptop:41: bad release',
};

describe('the reason of a release stopped for every function alike', () => {
  it.each([
    ['the command reader first', [member('fa', own), member('fb', mate), member('fc', mate)]],
    [
      'the abort read on another function (`abort fb`)',
      [member('fa', mate), member('fb', own), member('fc', mate)],
    ],
  ])('an abort, %s: who aborted it, why and where, said once', (_, functions) => {
    expect(release(functions).reason).toBe(
      'the release was aborted at step 1 (10%) by ann@laptop:41: bad release; all 3 functions of release r-k3j9x2 are back on their stable versions',
    );
  });

  // Found by a hostile pass: `deploy fa --supersede` during the release moved fa on to version
  // 22 after the release had rolled it back; the reason said all 3 were on their stable versions.
  it('a function another deployment moved on since: said apart, where it is now', () => {
    const onward = {
      ...member('fa', mate),
      aliasState: { functionVersion: '22', additionalWeights: {} },
    };
    const back = (fn: string) => ({
      ...member(fn, fn === 'fb' ? own : mate),
      aliasState: { functionVersion: '1', additionalWeights: {} },
    });
    expect(release([onward, back('fb'), back('fc')]).reason).toBe(
      "the release was aborted at step 1 (10%) by ann@laptop:41: bad release; the other 2 functions of release r-k3j9x2 are back on their stable versions (fa is now on version 22 (100%), which someone else put there after this release's rollback (another deployment, or a hand update-alias))",
    );
  });

  it('an abort without --reason', () => {
    const bare = {
      ...causeOf('OPERATOR_ABORTED', { by: 'ann@laptop:41' }),
      detail: 'aborted by ann@laptop:41',
    };
    expect(release([member('fa', bare), member('fb', bare)]).reason).toBe(
      'the release was aborted at step 1 (10%) by ann@laptop:41; all 2 functions of release r-k3j9x2 are back on their stable versions',
    );
  });

  it('an operator-supplied reason cannot write terminal escapes into the reason', () => {
    const hostile = causeOf('OPERATOR_ABORTED', { by: 'ann@laptop:41', reason: 'x\u001b[2Jy' });
    expect(release([member('fa', hostile)]).reason).not.toContain('\u001b');
  });

  it('a signal: where the release was, naming no function', () => {
    const interrupted = causeOf('INTERRUPTED', { left: false });
    expect(release([member('fa', interrupted), member('fb', interrupted)]).reason).toBe(
      'the release was interrupted at step 1 (10%); all 2 functions of release r-k3j9x2 are back on their stable versions',
    );
  });
});

// `lshift deploy f4 f5 f6 --version 2` with f6 already on version 2: f6 had nothing to deploy and
// never joined the release (no record names it), yet a Ctrl-C's reason said "all 3 functions of
// release r-… are back on their stable versions", as if f6 were back on version 1.
describe('a function that had nothing to deploy is not counted as rolled back', () => {
  const idle: DeployResult = {
    status: 'nothing_to_deploy',
    functionName: 'f6',
    alias: 'live',
    fromVersion: '2',
    toVersion: '2',
    steps: [],
    verdicts: [],
  };
  const interrupted = causeOf('INTERRUPTED', { left: false });

  it('two rolled back, one already on its version', () => {
    expect(release([member('f4', interrupted), member('f5', interrupted), idle]).reason).toBe(
      'the release was interrupted at step 1 (10%); all 2 functions of release r-k3j9x2 that moved are back on their stable versions (f6 had nothing to deploy: it is on version 2)',
    );
  });

  it('one rolled back, one already on its version', () => {
    expect(release([member('f4', interrupted), idle]).reason).toBe(
      'the release was interrupted at step 1 (10%); the one function of release r-k3j9x2 that moved is back on its stable version (f6 had nothing to deploy: it is on version 2)',
    );
  });
});

// `lshift rollback f7` from a second terminal during `deploy f4 f5 f7` with f4 and f5 already on
// their versions: the reason said "the release rolled the others back: f4: nothing to deploy;
// f5: nothing to deploy" — the release rolled nothing back; only f7 had moved.
describe('a member rolled back by someone else, the others having had nothing to deploy', () => {
  const idle = (functionName: string): DeployResult => ({
    status: 'nothing_to_deploy',
    functionName,
    alias: 'live',
    fromVersion: '1',
    toVersion: '1',
    steps: [],
    verdicts: [],
  });
  const byOther = {
    ...member('f7', causeOf('ROLLED_BACK_BY_OTHER', { owner: 'rollback:ann@laptop:41' })),
    deploymentId: 'd-vyltyl',
    finishedBy: {
      owner: 'rollback:ann@laptop:41',
      phase: 'rolled-back',
      at: Date.UTC(2026, 11, 2, 6, 40, 43),
    },
  } as DeployResult;

  it('says no function was rolled back by the release, and where the idle ones are', () => {
    const reason = release([byOther, idle('f4'), idle('f5')]).reason!;
    expect(reason).not.toContain('rolled the others back');
    expect(reason).toMatch(
      /^before the release's verdict, function f7 \(deployment d-vyltyl\) was .*; the one function of release r-k3j9x2 that moved is back on its stable version \(f4 had nothing to deploy: it is on version 1; f5 had nothing to deploy: it is on version 1\)$/,
    );
  });

  it('names only the others that moved as rolled back by the release', () => {
    const other = member('f8', causeOf('INTERRUPTED', { left: false }));
    const reason = release([byOther, other, idle('f4')]).reason!;
    expect(reason).toContain(
      'the release rolled the others back: f8: rolled back, all traffic on version 1;',
    );
    expect(reason).not.toContain('f4: nothing to deploy');
  });

  // `lshift rollback --release` from another terminal rolls every member back: the reason said
  // "the release rolled the others back: f8: rolled back by rollback:…", which contradicts itself.
  const alsoByOther = (functionName: string) =>
    ({ ...byOther, functionName, deploymentId: 'd-other1' }) as DeployResult;

  it('does not say the release rolled back a member someone else rolled back (`rollback --release`)', () => {
    const reason = release([byOther, alsoByOther('f8')]).reason!;
    expect(reason).not.toContain('the release rolled');
    expect(reason).toContain(
      '; the other functions: f8: rolled back by rollback:ann@laptop:41, all traffic on version 1;',
    );
  });

  it('says which the release rolled back and which someone else did, when both', () => {
    const other = member('f9', causeOf('INTERRUPTED', { left: false }));
    const reason = release([byOther, alsoByOther('f8'), other]).reason!;
    expect(reason).toContain(
      '; the other functions: f8: rolled back by rollback:ann@laptop:41, all traffic on version 1; f9: rolled back by the release, all traffic on version 1;',
    );
  });
});

// A Ctrl-C during the release's pre-traffic hook: no weight was written anywhere, yet the reason
// said "all 3 functions … are back on their stable versions" (a single deploy says "unchanged").
describe('a release stopped before any traffic moved', () => {
  it('says its functions are unchanged, not back', () => {
    const stoppedEarly = (functionName: string) => ({
      ...member(functionName, causeOf('INTERRUPTED', { left: false })),
      trafficMoved: false,
      position: { kind: 'before-traffic', during: 'pre-hook' } as const,
    });
    expect(release([stoppedEarly('f1'), stoppedEarly('f2'), stoppedEarly('f3')]).reason).toBe(
      'the release was interrupted before any traffic moved; all 3 functions of release r-k3j9x2 are unchanged, all traffic still on their stable versions',
    );
  });
});

// Found by a hostile pass: a --stagger release interrupted while its second function walked at
// 50% said "the release was interrupted at step 2 (100%)" — the first, promoted function's step.
describe('a --stagger release interrupted while a later function walks', () => {
  it('names the walking function and its step, not the promoted first one', async () => {
    const w = createFleetWorld(['fa', 'fb', 'fc']);
    const stop = new AbortController();
    let sent = false;
    const trigger = {
      emit(e: EngineEvent) {
        w.sink.emit(e);
        const fn = 'target' in e ? e.target?.functionName : undefined;
        if (sent || e.type !== 'health.polled' || e.alongside || fn !== 'fb') return;
        sent = true;
        queueMicrotask(() => stop.abort(new Error('interrupted by SIGHUP')));
      },
    };
    const signal = stop.signal;
    const members = ['fa', 'fb', 'fc'].map((fn, i) =>
      request({
        functionName: fn,
        alarms: [`${fn}-errors`],
        deploymentId: `d-${i}`,
        ...linear(50, 60),
        signal,
      }),
    );
    const result = await runRelease(
      { ...w.deps, events: trigger },
      { releaseId: 'r-stag01', members, stagger: true, signal },
    );

    expect(result.status).toBe('rolled_back');
    expect(withReleaseReason(result).reason).toMatch(
      /^the release was interrupted at step 1 \(50%\) of fb:live, the last of its functions it had moved traffic on; /,
    );
  });
});
