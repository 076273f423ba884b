/**
 * An abort's reason is kept before who sent it (record-encode.ts fitCommand): with an owner of
 * 27 characters or more, a release's record held `c=abort.<nonce>.sent.<sender>` and dropped the
 * reason whole, though cutting the sender would have made room (an operator's stated reason for
 * stopping production traffic is worth more than the last characters of their host name).
 */
import { describe, expect, it } from 'vitest';
import {
  type DeploymentRecord,
  decodeRecord,
  encodeRecord,
  keepsCommandReason,
} from '../../src/domain/deployment-record.js';

const REASON = 'p99 doubled on checkout, see INC-4411';
const BY = 'ann@laptop-of-ann.example.com:4142';

const release: DeploymentRecord = {
  id: 'd-k3j9x2',
  stableVersion: '6',
  targetVersion: '7',
  strategy: 'linear:10%:1m',
  stepIndex: 3,
  percent: 40,
  phase: 'shifting',
  startedAt: 1_767_261_660_000,
  heartbeatAt: 1_767_261_690_000,
  owner: 'runner@fv-az123-456.internal',
  history: ['5', '4', '3', '2', '1'],
  releaseId: 'r-r7aaod',
  runnerToken: 'jkolgh',
  aliasRevision: '71b76b12',
  releaseSize: 3,
  releaseFunctions: ['orders-api', 'payments-worker', 'billing-sync'],
  command: { verb: 'abort', nonce: 'k3j9', state: 'sent', by: BY, reason: REASON },
};

const owner = (length: number) =>
  'runner@fv-az123-456.internal.cloudapp.net:1234/f69bed9a'.padEnd(64, 'x').slice(0, length);

describe('an abort’s reason before its sender', () => {
  it('keeps the reason of a 28-character owner’s record, cutting the sender (it dropped the reason)', () => {
    const tag = encodeRecord(release);
    expect(tag.length).toBeLessThanOrEqual(256);
    const back = decodeRecord(tag);
    expect(back.command?.reason).toBe(REASON);
    expect(keepsCommandReason(release)).toBe(true);
    // The sender is cut, not replaced: a prefix of who sent it.
    expect(BY.startsWith(back.command?.by ?? '')).toBe(true);
    expect(back.command?.by?.length).toBeGreaterThan(0);
    // What the runner needs of the head is untouched.
    expect(back).toMatchObject({ owner: release.owner, runnerToken: 'jkolgh', aliasRevision: '71b76b12' });
  });

  it('at the limit: for every owner length the tag stays within 256 and the reason is kept whenever it fits without a sender', () => {
    for (let length = 0; length <= 64; length++) {
      const record = { ...release, owner: owner(length) };
      const tag = encodeRecord(record);
      expect(tag.length, `owner of ${length}`).toBeLessThanOrEqual(256);
      const back = decodeRecord(tag);
      const anonymous = decodeRecord(
        encodeRecord({
          ...record,
          command: { ...release.command!, by: undefined },
          history: ['5'],
          releaseFunctions: undefined,
        }),
      );
      // Whenever the reason fits with no sender and the least history, it is kept.
      if (anonymous.command?.reason === REASON)
        expect(back.command?.reason, `owner of ${length}`).toBe(REASON);
      if (back.command?.reason === REASON) expect(BY.startsWith(back.command.by ?? '')).toBe(true);
      else expect(back.command?.by).toBe(BY);
      // The owner is never what gives way (a claimer compares it with what it wrote).
      expect(back.owner).toBe(owner(length));
    }
  });

  it('a sender cut to nothing leaves `c=abort.k3j9.sent..<reason>`, which an older lshift reads as no sender and the reason', () => {
    // An owner just long enough that only the reason fits: the sender goes whole.
    let length = 0;
    while (length < 64 && decodeRecord(encodeRecord({ ...release, owner: owner(length + 1) })).command?.by)
      length++;
    const tag = encodeRecord({ ...release, owner: owner(length + 1) });
    const c = tag.split(' ').find((part) => part.startsWith('c='));
    expect(length).toBeLessThan(64);
    expect(c).toBe('c=abort.k3j9.sent..p99+20doubled+20on+20checkout+2C+20see+20INC-4411');
    // An older reader splits on `.`: verb, nonce, state, sender (empty), reason.
    expect(c?.slice(2).split('.')).toHaveLength(5);
    expect(decodeRecord(tag).command).not.toHaveProperty('by');
    expect(decodeRecord(tag).command?.reason).toBe(REASON);
  });
});
