import { describe, expect, it } from 'vitest';
import {
  type DeploymentRecord,
  decodeRecord,
  encodeRecord,
  MAX_TAG_VALUE_LENGTH,
} from '../../src/domain/deployment-record.js';
import { isLshiftError } from '../../src/domain/errors.js';
import {
  commandFromParts,
  commandParts,
  commandToWrite,
  countCharacters,
  createCommandNonce,
  cutReason,
  MAX_COMMAND_REASON_LENGTH,
  type OperatorCommand,
} from '../../src/domain/operator-command.js';

const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const BASE: DeploymentRecord = {
  id: 'd-k3j9x2',
  stableVersion: '6',
  targetVersion: '7',
  strategy: 'canary:10%:5m',
  stepIndex: 0,
  percent: 10,
  phase: 'shifting',
  startedAt: 1_795_000_000_123,
  owner: 'alice@laptop:4242',
  heartbeatAt: 1_795_000_030_456,
  history: ['6', '5'],
};

const ABORT: OperatorCommand = {
  verb: 'abort',
  nonce: 'k3j9',
  state: 'sent',
  by: 'ann@laptop.corp:41',
  reason: 'p99 doubled. Again!',
};

describe('--reason is counted in characters as a reader counts them (code points)', () => {
  it('an emoji is one character, not two UTF-16 units', () => {
    expect(countCharacters('🚨'.repeat(60))).toBe(60);
    expect(countCharacters('p99 doubled é')).toBe(13);
  });

  it('the record keeps as many characters as the limit counts, and never half an emoji', () => {
    const reason = `${'a'.repeat(MAX_COMMAND_REASON_LENGTH - 1)}🚨`;
    expect(cutReason(reason)).toBe(reason);
    expect(commandParts({ ...ABORT, reason }).texts[1]).toBe(reason);
    expect(cutReason(`${reason}b`)).toBe(reason);
    expect(cutReason('🚨'.repeat(61))).toBe('🚨'.repeat(60));
  });
});

describe('the operator command in the record (c=)', () => {
  it('round-trips every verb and state, with dots and spaces in the texts', () => {
    for (const verb of ['promote', 'promote-full', 'pause', 'resume', 'abort'] as const) {
      for (const state of ['sent', 'done', 'refused'] as const) {
        const record = { ...BASE, command: { ...ABORT, verb, state } };
        const value = encodeRecord(record);
        expect(value).toMatch(TAG_VALUE);
        expect(decodeRecord(value)).toEqual(record);
      }
    }
    expect(encodeRecord({ ...BASE, command: ABORT })).toContain(
      ' c=abort.k3j9.sent.ann@laptop+2Ecorp:41.p99+20doubled+2E+20Again+21',
    );
  });

  it('a record without c= reads as before (the key is optional)', () => {
    expect(decodeRecord(encodeRecord(BASE))).toEqual(BASE);
    expect(encodeRecord(BASE)).not.toContain(' c=');
  });

  it('cuts who sent it, then drops the reason, before it would overflow; the owner is kept whole', () => {
    const steps = (n: number) => ({
      ...BASE,
      strategy: `steps:${Array.from({ length: n }, (_, i) => `${i + 1}%@1m`).join(',')},100%`,
    });
    // Room for the reason once the sender is cut (it was dropped whole before, session 68).
    const cut = decodeRecord(encodeRecord({ ...steps(15), command: ABORT }));
    expect(cut.owner).toBe(BASE.owner);
    expect(cut.command).toMatchObject({
      verb: 'abort',
      nonce: 'k3j9',
      reason: ABORT.reason,
      by: 'ann@lapto',
    });
    // The sender goes whole rather than below 8 characters.
    expect(decodeRecord(encodeRecord({ ...steps(16), command: ABORT })).command).toEqual({
      verb: 'abort',
      nonce: 'k3j9',
      state: 'sent',
      reason: ABORT.reason,
    });
    // No room for the reason even without a sender: the sender is kept, the reason dropped.
    const value = encodeRecord({ ...steps(17), command: ABORT });
    expect(value.length).toBeLessThanOrEqual(MAX_TAG_VALUE_LENGTH);
    const decoded = decodeRecord(value);
    expect(decoded.owner).toBe(BASE.owner);
    expect(decoded.command).toMatchObject({ verb: 'abort', nonce: 'k3j9', state: 'sent', by: ABORT.by });
    expect(decoded.command?.reason).toBeUndefined();
  });

  it('refuses an unreadable c= as a corrupt record', () => {
    const value = `${encodeRecord(BASE)} c=launch.k3j9.sent.x`;
    let error: unknown;
    try {
      decodeRecord(value);
    } catch (e) {
      error = e;
    }
    expect(isLshiftError(error) && error.code).toBe('RECORD_CORRUPT');
    expect(String((error as Error).message)).toMatch(/unreadable operator command/);
  });

  it('reads parts strictly', () => {
    expect(commandFromParts(['pause', 'ab12', 'done', 'x'])).toEqual({
      verb: 'pause',
      nonce: 'ab12',
      state: 'done',
      by: 'x',
    });
    expect(commandFromParts(['pause', 'AB!', 'done', 'x'])).toBeUndefined();
    expect(commandFromParts(['pause', 'ab12', 'maybe', 'x'])).toBeUndefined();
    expect(commandFromParts(['pause', 'ab12', 'done'])).toBeUndefined();
    expect(commandFromParts(['pause', 'ab12', 'done', 'x', 'y', 'z'])).toBeUndefined();
  });

  it('nonces are 4 base-36 characters', () => {
    expect(createCommandNonce(() => 0)).toBe('0000');
    expect(createCommandNonce(() => 0.9999)).toBe('zzzz');
  });

  describe('commandToWrite: what a running deployment writes over the record it read', () => {
    const cmd = (
      nonce: string,
      state: OperatorCommand['state'],
      verb: OperatorCommand['verb'] = 'pause',
    ) => ({
      verb,
      nonce,
      state,
      by: 'ann@laptop:9',
    });
    const cases: [
      string,
      OperatorCommand | undefined,
      OperatorCommand | undefined,
      OperatorCommand | undefined,
    ][] = [
      ['nothing anywhere', undefined, undefined, undefined],
      ['a command sent, not yet read: carried over', undefined, cmd('n1', 'sent'), cmd('n1', 'sent')],
      [
        'a new command over an answered one: carried over',
        cmd('n1', 'done'),
        cmd('n2', 'sent'),
        cmd('n2', 'sent'),
      ],
      [
        'an abort written over a pending pause: the abort',
        undefined,
        cmd('n3', 'sent', 'abort'),
        cmd('n3', 'sent', 'abort'),
      ],
      [
        'answered, the answer not stored yet: the answer',
        cmd('n1', 'done'),
        cmd('n1', 'sent'),
        cmd('n1', 'done'),
      ],
      [
        'refused, the answer not stored yet: the answer',
        cmd('n1', 'refused'),
        cmd('n1', 'sent'),
        cmd('n1', 'refused'),
      ],
      ['withdrawn by its sender: not revived', undefined, undefined, undefined],
      [
        'withdrawn back to the earlier answer: that answer',
        cmd('n1', 'done'),
        cmd('n1', 'done'),
        cmd('n1', 'done'),
      ],
      ['the stored answer is ours: kept', cmd('n1', 'done'), cmd('n0', 'done'), cmd('n1', 'done')],
    ];
    it.each(cases)('%s', (_name, own, stored, expected) => {
      expect(commandToWrite(own, stored)).toEqual(expected);
    });
  });
});
