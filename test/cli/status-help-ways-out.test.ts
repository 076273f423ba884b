/**
 * `lshift status --help` offered `deploy --resume` as the way out of every STALLED split it lists
 * ("finish it with `lshift deploy … --resume` or undo it with `lshift rollback`"), while a resume
 * refuses a split met during lshift's rollback or one of versions the deployment does not place
 * (resume-prepare.ts: the record is rolled-back) and a failed rollback is finished by rolling back
 * (status-stale-text.ts). Each way out now names the cases it covers (session 68).
 */
import { describe, expect, it } from 'vitest';
import Status from '../../commands/status.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { getStatus } from '../../src/engine/status.js';
import { ALIAS, createWorld, deadRecord, FN, leaveDeployment } from '../engine/world.js';

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
    expect(help).toContain(
      'one whose rollback stopped and whose alias someone has since moved past it is put back only with `lshift rollback`',
    );
    expect(help).toContain(
      'a split met while lshift rolled it back, or of versions it does not place, is never resumed forward (`deploy --resume` refuses it): only `lshift rollback` puts it back',
    );
  });
});

/**
 * The help listed "one whose rollback failed or stopped" among the STALLED cases, beside "one with
 * the alias all on its stable version is STALE": a rollback whose runner stopped is STALE (the next
 * check finishes it), and one that failed is ROLLBACK FAILED — neither is called STALLED (session
 * 68's LOW). Each case the help names is what status prints for it.
 */
describe('status --help: a stopped or failed rollback, as status says it', () => {
  const help = Status.description ?? '';

  async function statusOf(over: Partial<DeploymentRecord>, percent: number) {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, over), percent);
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    return { text: renderStatus(status), exit4: needsOperator(status) };
  }

  it('no longer lists a failed or stopped rollback among the STALLED cases', () => {
    expect(help).not.toContain('one whose rollback failed or stopped');
  });

  it('a rollback whose runner stopped: STALE, exit 4 while split, the next check finishes it', async () => {
    expect(help).toContain(
      'a rollback whose runner stopped is STALE too, exit 4 here while the alias is split: the next `lshift check` finishes it, or `lshift rollback` now',
    );
    const split = await statusOf({ phase: 'rolling-back' }, 20);
    expect(split.text).toContain(
      'STALE: the rollback ci@runner:7 started has stopped; the next `lshift check`',
    );
    expect(split.text).not.toContain('STALLED');
    expect(split.exit4).toBe(true);
    const back = await statusOf({ phase: 'rolling-back' }, 0);
    expect(back.text).toContain('STALE: the rollback');
    expect(back.exit4).toBe(false);
  });

  it('a rollback that failed, split or all on its new version: ROLLBACK FAILED, exit 4, `lshift rollback`', async () => {
    expect(help).toContain(
      'a rollback that failed, leaving the alias split or all on its new version, is ROLLBACK FAILED (exit 4): nothing retries it, `lshift rollback` puts it back',
    );
    for (const percent of [20, 100]) {
      const failed = await statusOf({ phase: 'failed', endedAt: Date.UTC(2026, 0, 1) }, percent);
      expect(failed.text).toContain('ROLLBACK FAILED');
      expect(failed.text).toContain('`lshift rollback demo --alias live`');
      expect(failed.text).not.toContain('STALLED');
      expect(failed.exit4).toBe(true);
    }
  });
});
