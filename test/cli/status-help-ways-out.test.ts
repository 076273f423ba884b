/**
 * `lshift status --help` offered `deploy --resume` as the way out of every STALLED split it lists
 * ("finish it with `lshift deploy … --resume` or undo it with `lshift rollback`"), while a resume
 * refuses a split met during lshift's rollback or one of versions the deployment does not place
 * (resume-prepare.ts: the record is rolled-back) and a failed rollback is finished by rolling back
 * (status-stale-text.ts). Each way out now names the cases it covers (session 68).
 */
import { describe, expect, it } from 'vitest';
import Status from '../../commands/status.js';

describe('status --help: the ways out of a STALLED split', () => {
  it('offers deploy --resume only where a resume finishes it', () => {
    const help = Status.description ?? '';
    expect(help).not.toContain('with the same ways out: finish it with `lshift deploy … --resume`');
    expect(help).toContain(
      'one its runner left mid-shift (gone, or paused and exited) is finished with `lshift deploy … --resume` or undone with `lshift rollback`',
    );
    expect(help).toContain(
      'one whose run met a split of its own two versions while it shifted forward and left it is put back with `lshift rollback` (what the run offered), or its shift carried on from that weight with `lshift deploy … --resume`',
    );
    expect(help).toContain('one whose rollback failed or stopped is finished with `lshift rollback`');
    expect(help).toContain(
      'a split met while lshift rolled it back, or of versions it does not place, is never resumed forward (`deploy --resume` refuses it): only `lshift rollback` puts it back',
    );
  });
});
