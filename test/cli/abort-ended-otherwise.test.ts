/**
 * An abort whose deployment had already ended another way when it obeyed — promoted, or paused —
 * with no move by hand: it rolled nothing back, and printed ✔ with exit 0 (the brief of session
 * 67, item 9). An abort that did not roll back is not a success: promoted is exit 1 (the abort
 * changed nothing; all traffic is on the new version), paused is exit 4 (nobody drives the split
 * it left), each ✖ with the rollback that puts it back.
 */
import { describe, expect, it } from 'vitest';
import { describeAnswer, operatorJson } from '../../src/cli/operator-answer.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import type { SendCommandResult } from '../../src/engine/operator-send.js';

function abortAnswered(over: Partial<DeploymentRecord>): SendCommandResult {
  const record: DeploymentRecord = {
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
  };
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
  };
}

const WHO = '✖ Deployment d-1 (ci@runner) of orders:live';

describe('an abort answered by a deployment that had ended another way', () => {
  it('promoted first: ✖, exit 1, the rollback offered', () => {
    const r = abortAnswered({ phase: 'promoted', percent: 100, endedAt: 1 });
    expect(describeAnswer(r)).toBe(
      `${WHO} was aborted, but it had been promoted before it obeyed the abort: all traffic is on version 7, the new version, and lshift rolled nothing back; put all traffic back on version 6 with \`lshift rollback orders --alias live\`.`,
    );
    expect(operatorJson(r).exitCode).toBe(1);
  });

  it('paused first: ✖, exit 4, the split said and the rollback offered', () => {
    const r = abortAnswered({ phase: 'paused', percent: 10, endedAt: 1 });
    expect(describeAnswer(r)).toBe(
      `${WHO} was aborted, but it had ended paused at 10% on version 7 before it obeyed the abort, and lshift rolled nothing back: nobody drives it; see \`lshift status orders --alias live\`, and put all traffic back on version 6 with \`lshift rollback orders --alias live\`.`,
    );
    expect(operatorJson(r).exitCode).toBe(4);
  });
});
