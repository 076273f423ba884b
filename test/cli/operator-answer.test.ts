import { describe, expect, it } from 'vitest';
import { describeAnswer, operatorJson } from '../../src/cli/operator-answer.js';
import type { DeploymentPhase, DeploymentRecord } from '../../src/domain/deployment-record.js';
import type { SendCommandResult } from '../../src/engine/operator-send.js';

const recordOf = (over: Partial<DeploymentRecord>): DeploymentRecord => ({
  id: 'd-1',
  stableVersion: '6',
  targetVersion: '7',
  strategy: 'canary:10%:5m',
  stepIndex: 0,
  percent: 0,
  phase: 'shifting',
  startedAt: 0,
  owner: 'ci@runner',
  heartbeatAt: 0,
  history: [],
  ...over,
});

const answer = (
  phase: DeploymentPhase,
  joined?: SendCommandResult['joined'],
  releaseId?: string,
): SendCommandResult => {
  const record = recordOf({ phase, ...(releaseId ? { releaseId } : {}) });
  return {
    functionName: 'orders',
    alias: 'live',
    verb: 'abort',
    deploymentId: 'd-1',
    owner: 'ci@runner',
    answer: 'done',
    sentAt: 0,
    answeredAt: 1,
    record,
    pendingOn: record,
    ...(joined ? { joined } : {}),
  };
};

/** A promote sent while the deployment held `pendingOn`, its answer read on `record`. */
const promoted = (
  pendingOn: Partial<DeploymentRecord>,
  record: Partial<DeploymentRecord>,
  over: Partial<SendCommandResult> = {},
): SendCommandResult => ({
  ...answer('shifting'),
  verb: 'promote',
  pendingOn: recordOf({ strategy: 'linear:10%:1m', ...pendingOn }),
  record: recordOf({ strategy: 'linear:10%:1m', ...record }),
  ...over,
});

const WHO = '✔ Deployment d-1 (ci@runner) of orders:live';

/**
 * A promote is answered at the hold it skips; the record read with its answer may already be the
 * next step's (found by a hostile pass: "skipped the rest of its hold at step 5 (50%)" of a
 * promote obeyed at step 4): the step named is the one the command waited at.
 */
describe('describeAnswer: a promote', () => {
  it.each<[string, SendCommandResult, string]>([
    [
      'answer read after the move: names the hold skipped and the step it moved on to',
      promoted({ stepIndex: 3, percent: 40 }, { stepIndex: 4, percent: 50 }),
      `${WHO} skipped the rest of its hold at step 4 (40%) and moved on to step 5 (50%).`,
    ],
    [
      'answer read before the move',
      promoted({ stepIndex: 3, percent: 40 }, { stepIndex: 3, percent: 40 }),
      `${WHO} skipped the rest of its hold at step 4 (40%) and moves on.`,
    ],
    [
      'the last hold skipped: moved on to the bake',
      promoted({ stepIndex: 9, percent: 100 }, { stepIndex: 9, percent: 100, phase: 'baking' }),
      `${WHO} skipped the rest of its hold at step 10 (100%) and moved on to the bake.`,
    ],
    [
      'the bake skipped: promoted',
      promoted(
        { stepIndex: 9, percent: 100, phase: 'baking' },
        { stepIndex: 9, percent: 100, phase: 'promoted' },
      ),
      `${WHO} skipped the rest of its hold at the bake and was promoted: all traffic is on version 7.`,
    ],
    [
      'it moved on by itself before reading the command: no step named that it did not skip',
      promoted({ stepIndex: 3, percent: 40 }, { stepIndex: 5, percent: 60 }),
      `${WHO} skipped the rest of a hold after step 4 (40%), where the command waited, and moved on to step 6 (60%).`,
    ],
    [
      'of a paused deployment: says the pause was lifted',
      promoted({ stepIndex: 3, percent: 40 }, { stepIndex: 4, percent: 50 }, { liftedPause: true }),
      `${WHO} skipped the rest of its hold at step 4 (40%) and moved on to step 5 (50%); it was paused: the pause was lifted.`,
    ],
    [
      '--full of a paused deployment: says the pause was lifted',
      promoted(
        { stepIndex: 3, percent: 40 },
        { stepIndex: 9, percent: 100, phase: 'promoted' },
        { verb: 'promote-full', liftedPause: true },
      ),
      `${WHO} skipped every remaining step and was promoted: all traffic is on version 7; it was paused: the pause was lifted.`,
    ],
  ])('%s', (_name, result, text) => {
    expect(describeAnswer(result)).toBe(text);
  });
});

describe('describeAnswer: an abort', () => {
  it.each<[string, SendCommandResult, string]>([
    [
      'its own, rolled back',
      answer('rolled-back'),
      '✔ Deployment d-1 (ci@runner) of orders:live was aborted and rolled back: all traffic is on version 6.',
    ],
    [
      "another operator's, sent at the same moment, with its reason",
      answer('rolled-back', { by: 'ann@laptop', reason: 'bad release' }),
      '✔ Deployment d-1 (ci@runner) of orders:live was aborted by ann@laptop (bad release), whose abort came with this one, and rolled back: all traffic is on version 6.',
    ],
    [
      "another operator's, without a reason, still rolling back",
      answer('rolling-back', { by: 'ann@laptop' }),
      '✔ Deployment d-1 (ci@runner) of orders:live was aborted by ann@laptop, whose abort came with this one, and is rolling back (rolling-back); see `lshift status orders --alias live`.',
    ],
  ])('%s', (_name, result, text) => {
    expect(describeAnswer(result)).toBe(text);
  });
});

/**
 * An abort whose rollback met the alias moved by someone else (a pre-traffic hook's split, a
 * person's promotion): the deployment ended a conflict and rolled nothing back. It said "was
 * aborted and is rolling back (paused)" — or "(promoted)" (found by a hostile pass, session 66, F3).
 */
describe('describeAnswer: an abort that met the alias moved by someone else', () => {
  const closed = (over: Partial<DeploymentRecord>): SendCommandResult => ({
    ...answer('rolled-back'),
    record: recordOf({ endedAt: 1, ...over }),
  });
  // Not what the abort was for: ✖, and exit 4 (split) or 5 (moved whole), never ✔ and exit 0.
  const NOT_BACK = '✖ Deployment d-1 (ci@runner) of orders:live';
  const MOVED = `${NOT_BACK} was aborted, but its alias was moved by someone else (a hook, or a person) and lshift left it there:`;
  const UNDO =
    'lshift rolled nothing back over that move; see `lshift status orders --alias live`, and put all traffic back on version 6 with `lshift rollback orders --alias live`.';
  it.each<[string, SendCommandResult, string, number]>([
    [
      'split during the pre-traffic hook (closed rolled-back, weights changed by hand)',
      closed({ phase: 'rolled-back', percent: 50, endReason: 'weights changed by hand' }),
      `${MOVED} it is split, 50% on version 7 and the rest on version 6. ${UNDO}`,
      4,
    ],
    [
      'split, as an older lshift closed it (paused)',
      closed({ phase: 'paused', percent: 30, endReason: 'weights changed by hand' }),
      `${MOVED} it is split, 30% on version 7 and the rest on version 6. ${UNDO}`,
      4,
    ],
    [
      'split over versions the deployment does not know',
      closed({ phase: 'rolled-back', endReason: 'moved by hand to a split: 8 (80%) + 9 (20%)' }),
      `${MOVED} it routes a split (8 (80%) + 9 (20%)). ${UNDO}`,
      4,
    ],
    [
      'all traffic put on the new version',
      closed({ phase: 'promoted', percent: 100, endReason: 'moved by hand' }),
      `${MOVED} it routes all traffic to version 7, the new version. ${UNDO}`,
      5,
    ],
    [
      'all traffic put on a third version',
      closed({ phase: 'rolled-back', endReason: 'moved by hand to version 9' }),
      `${MOVED} it routes all traffic to version 9. ${UNDO}`,
      5,
    ],
    [
      'put back on the stable version by someone else',
      closed({ phase: 'rolled-back', endReason: 'moved by hand' }),
      `${WHO} was aborted; its alias was put back on version 6 by someone else meanwhile: all traffic is on version 6.`,
      0,
    ],
    [
      'its rollback failed',
      closed({ phase: 'failed' }),
      `${NOT_BACK} was aborted, but its rollback failed; see \`lshift status orders --alias live\`, and put all traffic back on version 6 with \`lshift rollback orders --alias live\`.`,
      4,
    ],
  ])('%s', (_name, result, text, exitCode) => {
    expect(describeAnswer(result)).toBe(text);
    expect(describeAnswer(result)).not.toContain('is rolling back (');
    expect(operatorJson(result).exitCode).toBe(exitCode);
  });

  it('rolled back, or still rolling back: ✔ and exit 0, as before', () => {
    for (const phase of ['rolled-back', 'rolling-back'] as const) {
      expect(describeAnswer(answer(phase))).toMatch(/^✔ /);
      expect(operatorJson(answer(phase)).exitCode).toBe(0);
    }
  });
});

/**
 * `lshift abort orders` on one function of a running release rolls the whole release back
 * (docs/releases.md): the answer says so — the release, and that every function of it goes back —
 * not only that orders was rolled back.
 */
describe('describeAnswer: an abort of one function of a release', () => {
  it('rolled back: names the release and says every function of it is being rolled back', () => {
    const text = describeAnswer(answer('rolled-back', undefined, 'r-k3j9x2'));
    expect(text).toBe(
      '✔ Deployment d-1 (ci@runner) of orders:live was aborted and rolled back: all traffic is on version 6.\n' +
        '  orders is one of release r-k3j9x2: the whole release is being rolled back, every function of it, not orders alone. ' +
        'See each with `lshift status orders <its other functions> --alias live` (the release’s deploy output names them).',
    );
  });

  // Its record names the release's functions (rf=): offered as it can be run (h4's pass, session 68).
  it('a record naming the release’s functions: the status of them all, runnable as printed', () => {
    const base = answer('rolled-back', undefined, 'r-k3j9x2');
    const named = { ...base, record: { ...base.record, releaseFunctions: ['orders', 'billing', 'mailer'] } };
    expect(describeAnswer(named)).toContain(
      'See each with `lshift status orders billing mailer --alias live`.',
    );
    expect(describeAnswer(named)).not.toContain('<its other functions>');
  });

  it('still rolling back, through a joined abort: the release is named too', () => {
    const text = describeAnswer(answer('rolling-back', { by: 'ann@laptop' }, 'r-k3j9x2'));
    expect(text).toContain('whose abort came with this one, and is rolling back (rolling-back)');
    expect(text).toContain('  orders is one of release r-k3j9x2: the whole release is being rolled back');
  });
});
