import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type DeploymentRecord, decodeRecord, encodeRecord } from '../../src/domain/deployment-record.js';
import { describeSender } from '../../src/domain/operator-command.js';
import { expectValidResultOf } from '../helpers/contract.js';

/**
 * `lshift status --json` prints the deployment record as it reads it, every field it carries:
 * the shipped schema must describe each one, so a script reading `record.owner` or
 * `record.command` has a contract to read against. `Required<DeploymentRecord>` makes a field
 * added to the record a compile error here until it is added below (and to the schema).
 */
const EVERY_FIELD: Required<DeploymentRecord> = {
  id: 'd-k3j9x2',
  stableVersion: '6',
  targetVersion: '7',
  strategy: 'canary:10%:5m',
  stepIndex: 0,
  percent: 10,
  phase: 'rolled-back',
  startedAt: 1_764_000_000_000,
  owner: 'ci@runner:42',
  heartbeatAt: 1_764_000_060_000,
  endedAt: 1_764_000_120_000,
  alarmsJudgedUntil: 1_764_000_110_000,
  endReason: 'moved by hand',
  cause: { code: 'GATE_FAILED', gates: ['alarms'] },
  history: ['5'],
  command: { verb: 'abort', nonce: 'k3j9', state: 'done', by: 'ann@laptop:9', reason: 'p99' },
  releaseId: 'r-abc123',
  stagger: true,
  warm: 2,
  engine: 'codedeploy',
  codeDeployId: 'd-ABCDEF123',
  runnerToken: 'k3j9x2',
  aliasRevision: '1a2b3c4d',
  releaseSize: 2,
  releaseFunctions: ['orders', 'billing'],
  rollbackTo: '7',
  guards: {
    alarms: 1,
    hooks: { pre: 0, step: 0, post: 0, rollback: 0 },
    bakeSeconds: 0,
    analysis: true,
    hash: 'k3j9x2a',
    judging: { absoluteGates: 0, hash: '0gi3uo6' },
  },
};

function statusWith(record: Record<string, unknown>) {
  return {
    schemaVersion: 4,
    functionName: 'orders',
    alias: 'live',
    functionVersion: '6',
    additionalWeights: {},
    split: false,
    revisionId: 'rev-1',
    alarms: [],
    record: { ...record, heartbeatAgeSeconds: 60, stale: false },
  };
}

describe('result schema: the status record names every field a record carries', () => {
  const schema = JSON.parse(
    readFileSync(new URL('../../schemas/result.schema.json', import.meta.url), 'utf8'),
  );
  const described = Object.keys(schema.$defs['result:status'].properties.record.properties);

  it('each field of DeploymentRecord is a property of the schema', () => {
    const missing = Object.keys(EVERY_FIELD).filter((k) => !described.includes(k));
    expect(missing).toEqual([]);
  });

  it('a record with every field validates; a command with an unknown verb or a weight over 100 does not', () => {
    expect(() => expectValidResultOf('status', statusWith({ ...EVERY_FIELD }))).not.toThrow();
    const badVerb = { ...EVERY_FIELD, command: { ...EVERY_FIELD.command, verb: 'explode' } };
    expect(() => expectValidResultOf('status', statusWith(badVerb))).toThrow(/verb|enum/);
    expect(() => expectValidResultOf('status', statusWith({ ...EVERY_FIELD, percent: 120 }))).toThrow(
      /percent|maximum/,
    );
  });

  // Beside `stale`: which stale (or otherwise undriven) deployment needs a person (status-stalled.ts).
  it('`stalled` is described, and only ever true (absent otherwise)', () => {
    expect(described).toContain('stalled');
    const record = { ...EVERY_FIELD, phase: 'shifting' };
    expect(() => expectValidResultOf('status', statusWith({ ...record, stalled: true }))).not.toThrow();
    expect(() => expectValidResultOf('status', statusWith({ ...record, stalled: false }))).toThrow(
      /stalled|const/,
    );
  });

  // A stale record whose owner's pid still runs here (check-classify.ts livePidHere), beside deadPid.
  it('`livePid` is described: a pid, as `deadPid`', () => {
    expect(described).toEqual(expect.arrayContaining(['deadPid', 'livePid']));
    const record = { ...EVERY_FIELD, phase: 'shifting', stalled: true };
    expect(() => expectValidResultOf('status', statusWith({ ...record, livePid: 41 }))).not.toThrow();
    expect(() => expectValidResultOf('status', statusWith({ ...record, livePid: 0 }))).toThrow(
      /livePid|minimum/,
    );
  });
});

/**
 * A full record keeps a command's verb and drops who sent it (record-encode.ts fitCommand): read
 * back, `--json` showed `"by": ""` (found by a garbage-input pass). The command has no `by` then,
 * and the schema says an empty one is not a sender.
 */
describe('a command whose sender the record had no room for', () => {
  it('decodes without `by`, and the status record validates; `"by": ""` does not', () => {
    const base = { ...EVERY_FIELD, command: undefined };
    const full = encodeRecord({
      ...base,
      command: { verb: 'abort', nonce: 'k3j9', state: 'sent', by: '' },
    } as DeploymentRecord);
    const command = decodeRecord(full).command;
    expect(command).toEqual({ verb: 'abort', nonce: 'k3j9', state: 'sent' });
    expect(JSON.stringify(command)).not.toContain('"by"');
    expect(describeSender(command?.by)).toBe(
      'an operator (not named: the deployment record had no room for it)',
    );
    expect(() => expectValidResultOf('status', statusWith({ ...EVERY_FIELD, command }))).not.toThrow();
    const empty = { ...EVERY_FIELD, command: { ...command, by: '' } };
    expect(() => expectValidResultOf('status', statusWith(empty))).toThrow(/by|minLength/);
  });
});
