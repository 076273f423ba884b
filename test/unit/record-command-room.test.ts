/**
 * An operator command (`c=abort.k3j9.sent.`) always has room in a record the preflight accepted:
 * the optional head fields (`rn=`, `ar=`, `rz=`) and the owner give way to its verb, and the
 * preflight (and `lshift plan`) refuse a strategy whose record could not hold the longest one
 * beside its head. Before (found by a hostile pass, session 63, M1), `rz=` took the room of an
 * abort: `lshift abort --release` of a live release was refused RECORD_TOO_LARGE, exit 2.
 */
import { describe, expect, it } from 'vitest';
import {
  assertCommandRoom,
  type DeploymentRecord,
  decodeRecord,
  encodeRecord,
} from '../../src/domain/deployment-record.js';

const STRATEGY = `steps:${Array.from({ length: 11 }, (_, i) => `${i + 1}.5%@1m`).join(',')},100%`;

const live: DeploymentRecord = {
  id: 'd-k3j9x2',
  stableVersion: '6',
  targetVersion: '7',
  strategy: STRATEGY,
  stepIndex: 3,
  percent: 40,
  phase: 'shifting',
  startedAt: 1_767_261_660_000,
  heartbeatAt: 1_767_261_690_000,
  owner: 'root@vm:31017/f69bed9a',
  history: ['5', '4', '3'],
  releaseId: 'r-r7aaod',
  runnerToken: 'jkolgh',
  aliasRevision: '71b76b12',
  releaseSize: 10,
  releaseFunctions: Array.from({ length: 10 }, (_, i) => `f${i + 1}`),
};

const pause = {
  verb: 'pause',
  nonce: 'k3j9',
  state: 'sent',
  by: 'ann@laptop:41',
  reason: 'bad p99',
} as const;

describe('room for an operator command', () => {
  it('the optional head fields give way to the command’s verb (rz= took it: RECORD_TOO_LARGE)', () => {
    const tag = encodeRecord({ ...live, command: pause });
    expect(tag.length).toBeLessThanOrEqual(256);
    const back = decodeRecord(tag);
    expect(back.command).toMatchObject({ verb: 'pause', nonce: 'k3j9', state: 'sent' });
    // Without a command the same record keeps them.
    const plain = decodeRecord(encodeRecord(live));
    expect(plain.releaseSize).toBe(10);
  });

  it('the answer a runner writes fits too (the longest verb, refused)', () => {
    const refused = { ...pause, verb: 'promote-full', state: 'refused' } as const;
    expect(decodeRecord(encodeRecord({ ...live, command: refused })).command).toMatchObject({
      verb: 'promote-full',
      state: 'refused',
    });
  });

  it('the preflight refuses a record with no room for the command’s verb beside its head', () => {
    // One step more than fits with the command's room, though it fits without it.
    const steps = (n: number) =>
      `steps:${Array.from({ length: n }, (_, i) => `${i + 1}.5%@1m`).join(',')},100%`;
    const fitsBare = (n: number) => {
      try {
        encodeRecord({
          ...live,
          strategy: steps(n),
          owner: '',
          runnerToken: undefined,
          aliasRevision: undefined,
        });
        return true;
      } catch {
        return false;
      }
    };
    let n = 1;
    while (fitsBare(n + 1)) n++;
    const record = { ...live, strategy: steps(n) };
    expect(() => assertCommandRoom(record)).toThrow(/room for an operator command/);
    try {
      assertCommandRoom(record);
    } catch (error) {
      expect((error as { code: string }).code).toBe('RECORD_TOO_LARGE');
    }
    // A strategy with room for it passes.
    expect(() => assertCommandRoom({ ...live, strategy: steps(5) })).not.toThrow();
  });
});
