/**
 * A release's size (`rz=`) and function names (`rf=`) in each function's record (h3 F6, session
 * 62): without them a command given one function of a release could not name the others, and
 * offered `lshift deploy fb --alias live --resume` (refused as copied) or `<its functions>`.
 * Optional keys: written when they fit, read when present, absent in an older lshift's records.
 */
import { describe, expect, it } from 'vitest';
import { type DeploymentRecord, decodeRecord, encodeRecord } from '../../src/domain/deployment-record.js';
import { buildResumeCommand } from '../../src/engine/deploy-result.js';

const base: DeploymentRecord = {
  id: 'd-abc123',
  stableVersion: '6',
  targetVersion: '7',
  strategy: 'canary:10%:5m',
  stepIndex: 0,
  percent: 0,
  phase: 'started',
  startedAt: 1_000,
  owner: 'ci@runner:42',
  heartbeatAt: 2_000,
  history: ['6', '5', '4'],
  releaseId: 'r-abc123',
  releaseSize: 2,
  releaseFunctions: ['orders', 'billing'],
};

describe("a release's size and function names in each record", () => {
  it('read back as written; a record of an older lshift reads without them', () => {
    const tag = encodeRecord(base);
    expect(tag).toContain(' rz=2');
    expect(tag).toContain(' rf=orders.billing');
    expect(decodeRecord(tag)).toEqual(base);
    const { releaseSize: _s, releaseFunctions: _f, ...older } = base;
    expect(decodeRecord(encodeRecord(older))).toEqual(older);
  });

  it('a name with a dot or a colon (a partial ARN) reads back whole', () => {
    const record = { ...base, releaseFunctions: ['123456789012:function:orders', 'a.b'] };
    expect(decodeRecord(encodeRecord(record)).releaseFunctions).toEqual(record.releaseFunctions);
  });

  it('names that do not all fit are left out whole, before the owner or the first history entry is cut', () => {
    const names = Array.from({ length: 6 }, (_, i) => `function-${i}-${'x'.repeat(40)}`);
    const record = { ...base, releaseSize: 6, releaseFunctions: names };
    const back = decodeRecord(encodeRecord(record));
    expect(encodeRecord(record).length).toBeLessThanOrEqual(256);
    expect(back.releaseFunctions).toBeUndefined();
    expect(back).toMatchObject({ releaseSize: 6, owner: 'ci@runner:42' });
    expect(back.history[0]).toBe('6');
  });

  it('names go before older history: the first entry stays, older ones give room', () => {
    const history = Array.from({ length: 80 }, (_, i) => String(1000 - i));
    const record = { ...base, history, releaseFunctions: ['orders', 'billing'] };
    const back = decodeRecord(encodeRecord(record));
    expect(back.releaseFunctions).toEqual(['orders', 'billing']);
    expect(back.history[0]).toBe('1000');
    expect(back.history.length).toBeLessThan(80);
  });
});

describe('an ended record of a release: its cause before the names', () => {
  it('a cause that fits only without the names keeps its place; the count stays', () => {
    const ended = {
      ...base,
      phase: 'rolled-back' as const,
      endedAt: 3_000,
      history: ['6'],
      cause: { code: 'GATE_FAILED' as const, gates: ['alarms', 'error-rate-increase'] },
    };
    const without = encodeRecord({ ...ended, releaseFunctions: undefined });
    const room = 256 - without.length;
    // 5 characters too many beside the cause, room enough in place of it.
    const long = ['x'.repeat(room - ' rf='.length + 5 - '.b'.length), 'b'];
    expect(encodeRecord({ ...ended, cause: undefined, releaseFunctions: long })).toContain(' rf=');
    const back = decodeRecord(encodeRecord({ ...ended, releaseFunctions: long }));
    expect(back.cause).toEqual(ended.cause);
    expect(back.releaseFunctions).toBeUndefined();
    expect(back.releaseSize).toBe(2);
    // Room for both: both kept.
    expect(decodeRecord(encodeRecord(ended))).toMatchObject({
      cause: ended.cause,
      releaseFunctions: ['orders', 'billing'],
    });
  });
});

describe('a resume offered from one record of a release', () => {
  it('names every function its record keeps, with the alias caveat (their aliases are not known here)', () => {
    const command = buildResumeCommand('billing', 'live', { ...base, phase: 'shifting' });
    expect(command).toMatch(/^`lshift deploy orders billing --alias live --resume`/);
    expect(command).toContain('(if they are all at alias live;');
  });

  it('a record without the names: the placeholder, as before', () => {
    const { releaseFunctions: _f, ...older } = base;
    expect(buildResumeCommand('billing', 'live', { ...older, phase: 'shifting' })).toContain(
      '`lshift deploy billing <the other functions of release r-abc123> --alias live --resume`',
    );
  });
});
