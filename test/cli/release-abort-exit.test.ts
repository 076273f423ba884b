/**
 * `lshift abort --release`: it exited 0 once the abort was answered, whatever each function's
 * rollback then met (session 67, item 8). Its exit code now follows a single abort's rules per
 * function (abort-answer.ts): 0 rolled back, 4 a split left (by someone else, or a failed
 * rollback), 5 moved whole to another version by someone — the worst winning; each function not
 * rolled back says so on its row, and the head is ✖.
 */
import { describe, expect, it } from 'vitest';
import { describeReleaseAbort, releaseAbortJson } from '../../src/cli/release-abort.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import type { AbortReleaseResult, ReleaseVerb } from '../../src/engine/release-members.js';

const rec = (id: string, over: Partial<DeploymentRecord>): DeploymentRecord => ({
  id,
  stableVersion: '1',
  targetVersion: '2',
  strategy: 'canary:10%:5m',
  stepIndex: 0,
  percent: 0,
  phase: 'rolled-back',
  startedAt: 0,
  owner: 'ci@runner:7',
  heartbeatAt: 0,
  endedAt: 1,
  history: [],
  releaseId: 'r-abc123',
  ...over,
});

const BACK: Partial<DeploymentRecord> = {};
const SPLIT: Partial<DeploymentRecord> = { percent: 50, endReason: 'weights changed by hand' };
const MOVED: Partial<DeploymentRecord> = { endReason: 'moved by hand to version 9' };
const FAILED: Partial<DeploymentRecord> = { phase: 'failed', percent: 10 };
const STILL: Partial<DeploymentRecord> = { phase: 'rolling-back', endedAt: undefined };

function aborted(fa: Partial<DeploymentRecord>, fb: Partial<DeploymentRecord>, allEnded = true) {
  const records = [rec('d-a', fa), rec('d-b', fb)];
  const sent = {
    functionName: 'fa',
    alias: 'live',
    verb: 'abort',
    deploymentId: 'd-a',
    owner: 'ci@runner:7',
    answer: 'done',
    record: records[0],
    pendingOn: records[0],
  } as unknown as AbortReleaseResult['sent'];
  const functions = records.map((record, i) => ({
    functionName: i === 0 ? 'fa' : 'fb',
    alias: 'live',
    deploymentId: record.id,
    phase: record.phase,
    record,
  }));
  return { releaseId: 'r-abc123', sent, functions, allEnded, verb: 'abort' as ReleaseVerb };
}

describe('lshift abort --release: the exit code of each function, the worst winning', () => {
  it.each([
    ['every function rolled back', BACK, BACK, 0],
    ['fb split by someone else, left there', BACK, SPLIT, 4],
    ['fb moved whole to version 9 by someone', BACK, MOVED, 5],
    ["fb's rollback failed, left split", BACK, FAILED, 4],
    ['one moved whole, one split: the split wins', MOVED, SPLIT, 4],
  ] as const)('%s: exit %i', (_name, fa, fb, code) => {
    const r = aborted(fa, fb);
    expect(releaseAbortJson(r).exitCode).toBe(code);
    const text = describeReleaseAbort(r);
    expect(text.startsWith(code === 0 ? '✔ ' : '✖ ')).toBe(true);
    if (code !== 0) expect(text).toContain('not rolled back');
    else expect(text).not.toContain('not rolled back');
  });

  it('the row says which function was not rolled back and how', () => {
    const text = describeReleaseAbort(aborted(BACK, SPLIT));
    expect(text).toContain(
      '  fb:live  d-b not rolled back: moved by someone else, and lshift left it there (it is split, 50% on version 2 and the rest on version 1) (its record: rolled-back)',
    );
    expect(text).not.toContain('rolled-back — not rolled back');
    expect(text).toContain('  fa:live  d-a rolled-back\n');
    expect(text).toContain('put one back with `lshift rollback <function>`');
  });

  it('a function still rolling back when the wait was over: exit 0, as a single abort', () => {
    expect(releaseAbortJson(aborted(BACK, STILL, false)).exitCode).toBe(0);
  });

  it('--json carries no record', () => {
    const json = releaseAbortJson(aborted(BACK, SPLIT)) as { functions: object[] };
    expect(json.functions[1]).not.toHaveProperty('record');
  });
});
