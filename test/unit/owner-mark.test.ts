import { describe, expect, it } from 'vitest';
import { formatProcessOwner, isSamePidSpace, parseProcessOwner } from '../../src/domain/owner-mark.js';

describe('parseProcessOwner', () => {
  it.each([
    ['ann@laptop:41', { operator: 'ann@laptop', pid: 41, machine: undefined }],
    ['ann@laptop:41/3f9a1c2e', { operator: 'ann@laptop', pid: 41, machine: '3f9a1c2e' }],
    ['check:cron@host-a:97/0badcafe', { operator: 'cron@host-a', pid: 97, machine: '0badcafe' }],
    ['rollback:ann@laptop.local:12', { operator: 'ann@laptop.local', pid: 12, machine: undefined }],
  ])('%s names a process', (owner, parts) => {
    expect(parseProcessOwner(owner)).toEqual(parts);
  });

  it.each([
    ['a CI job', 'gha:org/repo/123'],
    ['a CI job claiming', 'rollback:gha:org/repo/123'],
    ['a token cut short by the 64-character limit', 'ann@laptop:41/3f9a'],
    ['a token that is not 8 hex digits', 'ann@laptop:41/3F9A1C2E'],
    ['no pid', 'ann@laptop'],
    ['an empty owner', ''],
  ])('%s names none: %s', (_what, owner) => {
    expect(parseProcessOwner(owner)).toBeUndefined();
  });

  it('reads back what formatProcessOwner writes, with a token and without', () => {
    expect(parseProcessOwner(formatProcessOwner('ann@laptop', 41, '3f9a1c2e'))).toEqual({
      operator: 'ann@laptop',
      pid: 41,
      machine: '3f9a1c2e',
    });
    expect(formatProcessOwner('ann@laptop', 41, undefined)).toBe('ann@laptop:41');
  });
});

describe('isSamePidSpace: may this process judge the pid another owner names?', () => {
  const own = (owner: string) => parseProcessOwner(owner)!;
  it.each([
    ['the same token', 'ann@laptop:41/3f9a1c2e', 'ann@laptop:97/3f9a1c2e', true],
    ['another container with this hostname', 'ann@laptop:41/0badcafe', 'ann@laptop:97/3f9a1c2e', false],
    ['an older record (no token) seen on Linux', 'ann@laptop:41', 'ann@laptop:97/3f9a1c2e', false],
    ['a token seen from a host that has none', 'ann@laptop:41/3f9a1c2e', 'ann@laptop:97', false],
    ['no token on either side (macOS, Windows)', 'ann@laptop:41', 'ann@laptop:97', true],
    ['another host, same token', 'ann@desk:41/3f9a1c2e', 'ann@laptop:97/3f9a1c2e', false],
    ['another user, same token', 'bob@laptop:41/3f9a1c2e', 'ann@laptop:97/3f9a1c2e', false],
  ])('%s: %s seen by %s is %s', (_what, other, ours, same) => {
    expect(isSamePidSpace(own(other), own(ours))).toBe(same);
  });
});
