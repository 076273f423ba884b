/**
 * A second Ctrl-C during `lshift abort --release` exits at once (exit 1). Whatever the stage, it
 * said "The operator command may still be pending in the deployment record … See `lshift status
 * <function>`" — also while it was still listing the release's functions, before anything was
 * written (session 68's LOW). It now says what was and was not sent: nothing while listing; the
 * record it went through once written; a write that may be in flight between the two.
 */
import { describe, expect, it } from 'vitest';
import { describeSecondSignal } from '../../src/cli/operator-second-signal.js';

const release = { verb: 'abort' as const, releaseId: 'r-k3j9x2' };

describe('a second signal during an operator verb: what it leaves', () => {
  it('abort --release while listing its functions: nothing was sent', () => {
    const text = describeSecondSignal('SIGINT', release, { listing: true }).join('\n');
    expect(text).toContain('SIGINT again: exiting now (exit 1).');
    expect(text).toContain(
      "Nothing was sent: lshift was still listing release r-k3j9x2's functions, and no deployment record carries the `abort --release r-k3j9x2`.",
    );
    expect(text).not.toContain('may still be pending');
    expect(text).not.toContain('without withdrawing');
  });

  it('abort --release once written through fb: names that record', () => {
    const text = describeSecondSignal('SIGINT', release, {
      listing: false,
      sentTo: { functionName: 'fb', alias: 'live' },
    }).join('\n');
    expect(text).toContain(
      "The `abort --release r-k3j9x2` was written to fb:live's deployment record and may still be pending there",
    );
    expect(text).toContain('`lshift status fb --alias live`');
    expect(text).not.toContain('<function>');
  });

  it('pause --release once written: its undo is the release resume', () => {
    const text = describeSecondSignal(
      'SIGTERM',
      { verb: 'pause', releaseId: 'r-k3j9x2' },
      { listing: false, sentTo: { functionName: 'fa', alias: 'live' } },
    ).join('\n');
    expect(text).toContain('undo it once obeyed with `lshift resume --release r-k3j9x2`');
  });

  it('abort --release past the listing, its write not seen: it may be in flight', () => {
    const text = describeSecondSignal('SIGINT', release, { listing: false }).join('\n');
    expect(text).toContain('had not been seen written, but its write');
    expect(text).not.toContain('<function>');
  });

  it('one function: as before', () => {
    const text = describeSecondSignal(
      'SIGINT',
      { verb: 'pause', functionName: 'demo', alias: 'live' },
      { listing: false },
    ).join('\n');
    expect(text).toContain('The `pause` of demo:live may still be pending in the deployment record');
    expect(text).toContain('undo it once obeyed with `lshift resume demo --alias live`');
  });
});
