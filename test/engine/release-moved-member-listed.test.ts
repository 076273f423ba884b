/**
 * The resume a function moved back offers names the release's other functions a check's listing
 * found (check-listed-mates.ts). One whose alias was read back on its stable version is left out
 * of it (the resume refuses it: ALIAS_MISMATCH); one whose alias was not read is offered only if
 * it still carries the release's traffic.
 */
import { describe, expect, it } from 'vitest';
import { describeMovedMemberWaysOut, type MovedMember } from '../../src/engine/release-moved-member.js';

const member = (unresumable: MovedMember['unresumable']): MovedMember => ({
  functionName: 'fa',
  alias: 'live',
  record: { releaseId: 'r-1', phase: 'shifting', stableVersion: '1', guards: undefined },
  how: 'back',
  releaseFunctions: ['fa', 'fb', 'fc'],
  keepVersion: '1',
  ...(unresumable ? { unresumable } : {}),
});

describe('the ways out of a release function moved back, its listed mates', () => {
  it('fc back (read): only fb is resumed', () => {
    const words = describeMovedMemberWaysOut(
      member({ closed: [], back: [{ functionName: 'fc', version: '1' }] }),
    );
    expect(words).toContain("and fc's (back on version 1 too) with `lshift alias fc live 1`, then resume");
    expect(words).toContain('`lshift deploy fb --alias live --resume`');
    expect(words).not.toContain('still carries');
  });

  it('fc not read: resumed only if it still carries the release’s traffic', () => {
    const words = describeMovedMemberWaysOut(member({ closed: [], back: [], unread: ['fc'] }));
    expect(words).toContain(
      ", then, if fc still carries the release's traffic (its alias was not read), resume its other functions with `lshift deploy fb fc --alias live --resume`",
    );
  });
});
