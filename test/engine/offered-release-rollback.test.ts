/**
 * The release rollback lshift offers where a record names its release but not the release's other
 * functions: `lshift rollback --release r-…` naming none (it finds each function of the release
 * at its own alias by its record). It offered `… <its functions…>`, a placeholder that fails when
 * copied (found by a report pass, session 62); each command here was run as printed against the
 * sandbox.
 */
import { describe, expect, it } from 'vitest';
import type { LshiftError } from '../../src/domain/errors.js';
import { promoteUnconfirmedFix } from '../../src/engine/promote-unconfirmed.js';
import { describeHungWrite } from '../../src/engine/recorder-warnings.js';
import { confirmRunnerGone } from '../../src/engine/resume-runner-gone.js';
import { ALIAS, createWorld, deadRecord, FN, leaveDeployment } from './world.js';

const PLACEHOLDER = /<[^>]*>/;

describe('a function of a release: its rollback command runs as printed', () => {
  it('a promote that could not be confirmed (status, check, deploy --resume)', () => {
    const w = createWorld();
    const fix = promoteUnconfirmedFix(
      { functionName: FN, alias: ALIAS },
      deadRecord(w, { releaseId: 'r-unc001' }),
    );
    expect(fix).toContain('or undo it with `lshift rollback --release r-unc001` (all traffic on version 1)');
    expect(fix).not.toMatch(PLACEHOLDER);
  });

  it("a rollback's close whose record write hangs", () => {
    const text = describeHungWrite(
      { functionName: FN, alias: ALIAS, phase: 'rolled-back', releaseId: 'r-hang01' },
      5_000,
      'ends',
    );
    expect(text).toContain('`lshift check` closes it, or `lshift rollback --release r-hang01` does at once');
    expect(text).not.toMatch(PLACEHOLDER);
  });

  it('a resume interrupted while it watches a dead run that left the alias split', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { releaseId: 'r-gone01' }));
    const stop = new AbortController();
    w.clock.after(30_000, () => stop.abort(new Error('interrupted by SIGTERM')));

    const error = (await confirmRunnerGone(
      w.deps,
      { functionName: FN, alias: ALIAS, owner: 'resumer@host:2', signal: stop.signal },
      deadRecord(w, { releaseId: 'r-gone01' }),
    ).catch((e: unknown) => e)) as LshiftError;

    expect(error).toMatchObject({ code: 'INTERRUPTED', exitCode: 4 });
    expect(error.hint).toContain(
      'put all traffic back on version 1 with `lshift rollback --release r-gone01`.',
    );
    expect(error.hint?.split('put all traffic back')[1]).not.toMatch(PLACEHOLDER);
  });
});
