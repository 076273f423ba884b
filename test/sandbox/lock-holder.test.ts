import { describe, expect, it } from 'vitest';
import { judgeLock, type LockHolder, type ProcessProbe, parseLock } from '../../src/sandbox/lock-holder.js';

const probe = (alive: Record<number, string | undefined>): ProcessProbe => ({
  pid: 10,
  host: 'here',
  isAlive: (pid) => pid in alive,
  startTime: (pid) => alive[pid],
});

describe('parseLock', () => {
  it.each([
    ['{"pid":42,"token":"t"}', { pid: 42, token: 't' }],
    [
      '{"pid":42,"token":"t","startTime":"99","host":"h"}',
      { pid: 42, token: 't', startTime: '99', host: 'h' },
    ],
    ['', undefined],
    ['not json', undefined],
    ['[]', undefined],
    ['{"pid":0,"token":"t"}', undefined],
    ['{"pid":-1,"token":"t"}', undefined],
    ['{"pid":1.5,"token":"t"}', undefined],
    ['{"pid":"42","token":"t"}', undefined],
    ['{"pid":42}', undefined],
    ['{"pid":42,"token":"t","startTime":99}', undefined],
  ])('%s → %j', (text, expected) => {
    expect(parseLock(text)).toEqual(expected);
  });
});

describe('judgeLock', () => {
  const holder = (extra: Partial<LockHolder> = {}): LockHolder => ({ pid: 42, token: 't', ...extra });
  it.each<[string, LockHolder | undefined, Record<number, string | undefined>, boolean, string]>([
    ['garbage is stale', undefined, {}, false, 'holds no pid'],
    ['a dead pid is stale', holder({ host: 'here' }), {}, false, 'pid 42 is gone'],
    ['a reused pid is stale', holder({ startTime: '5' }), { 42: '6' }, false, 'now another process'],
    ['the same process is live', holder({ startTime: '5' }), { 42: '5' }, true, 'pid 42'],
    ['no start time recorded: live', holder(), { 42: '6' }, true, 'pid 42'],
    ['start time unreadable now: live', holder({ startTime: '5' }), { 42: undefined }, true, 'pid 42'],
    ['another host: live even if the pid is dead here', holder({ host: 'there' }), {}, true, 'on host there'],
    ['this process', { pid: 10, token: 't' }, { 10: '1' }, true, 'pid 10 (this process)'],
  ])('%s', (_name, lock, alive, live, reason) => {
    const verdict = judgeLock(lock, probe(alive));
    expect(verdict.live).toBe(live);
    expect(verdict.reason).toContain(reason);
  });
});
