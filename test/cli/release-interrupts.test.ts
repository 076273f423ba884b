import { describe, expect, it } from 'vitest';
import { watchReleaseAliases } from '../../src/cli/release-interrupts.js';
import type { EngineEvent } from '../../src/domain/events.js';
import { planShift } from '../../src/domain/plan.js';
import { parseStrategy } from '../../src/domain/strategy.js';

const at = 0;
const plan = planShift(parseStrategy('linear:25%:1m'));

function member(functionName: string, alias = 'live') {
  return { functionName, options: { alias } };
}

/** The events one function of a release sends until its rollback started (each names its target). */
function rollingBack(functionName: string, stable: string, target: string, alias = 'live'): EngineEvent[] {
  const t = { target: { functionName, alias } };
  return [
    {
      type: 'shift.started',
      at,
      deploymentId: `d-${functionName}`,
      functionName,
      alias,
      stableVersion: stable,
      targetVersion: target,
      plan,
      ...t,
    },
    { type: 'step.started', at, index: 1, total: 4, percent: 50, holdSeconds: 60, ...t },
    { type: 'rollback.started', at, reason: 'x', fromPercent: 50, toVersion: stable, ...t },
  ] as EngineEvent[];
}

const started: EngineEvent = {
  type: 'release.started',
  at,
  releaseId: 'r-abc123',
  mode: 'lockstep',
  functions: [
    { functionName: 'fa', alias: 'live' },
    { functionName: 'fb', alias: 'live' },
    { functionName: 'fc', alias: 'live' },
  ],
};

/**
 * Seen at a terminal: a second Ctrl-C during a release's rollback (exit 4) listed a
 * `lshift rollback <function>` per alias, and never the release's own rollback, which puts them
 * all back and closes the release's records in one command (as `lshift status` advises).
 */
describe('watchReleaseAliases (the second-signal message of a release)', () => {
  it("names every alias lshift moved, each one's fix, then the one rollback of the release", () => {
    const watch = watchReleaseAliases([member('fa'), member('fb'), member('fc')]);
    for (const e of [started, ...rollingBack('fa', '14', '16'), ...rollingBack('fc', '9', '11')]) {
      watch.sink.emit(e);
    }
    const lines = watch.describe();
    expect(lines[0]).toContain(
      'Alias fa:live as lshift last saw it, rolling it back to version 14: version 14 (50%) + version 16 (50%), or all on version 14 if a rollback write landed.',
    );
    expect(lines).toContain('Fix: lshift rollback fc --alias live');
    expect(lines).toContain('No traffic had moved on fb:live.');
    expect(lines.at(-1)).toBe('Or all of them at once: lshift rollback --release r-abc123 fa fc');
  });

  // A second signal during the rollback hooks of a release whose rollback had finished said exit 4,
  // "may still be split" (found by a hostile pass): every function moved is back, exit 3.
  it('knows when every function it moved is back on its stable version, and not before', () => {
    const watch = watchReleaseAliases([member('fa'), member('fb'), member('fc')]);
    for (const e of [started, ...rollingBack('fa', '14', '16'), ...rollingBack('fc', '9', '11')])
      watch.sink.emit(e);
    const done = (fn: string, to: string) =>
      ({
        type: 'rollback.completed',
        at,
        toVersion: to,
        target: { functionName: fn, alias: 'live' },
      }) as EngineEvent;
    watch.sink.emit(done('fa', '14'));
    expect(watch.rolledBackTo?.()).toBeUndefined();
    watch.sink.emit(done('fc', '9'));
    expect(watch.rolledBackTo?.()).toBe(
      "each function's stable version (fa:live version 14, fc:live version 9)",
    );
  });

  it('gives the alias when it is not live, and no release line for one function or mixed aliases', () => {
    const canary = watchReleaseAliases([member('fa', 'canary'), member('fb', 'canary')]);
    for (const e of [
      started,
      ...rollingBack('fa', '1', '2', 'canary'),
      ...rollingBack('fb', '1', '2', 'canary'),
    ]) {
      canary.sink.emit(e);
    }
    expect(canary.describe().at(-1)).toBe(
      'Or all of them at once: lshift rollback --release r-abc123 fa fb --alias canary',
    );

    const one = watchReleaseAliases([member('fa'), member('fb')]);
    for (const e of [started, ...rollingBack('fa', '1', '2')]) one.sink.emit(e);
    expect(one.describe().join('\n')).not.toContain('--release');

    const mixed = watchReleaseAliases([member('fa'), member('fb', 'beta')]);
    for (const e of [started, ...rollingBack('fa', '1', '2'), ...rollingBack('fb', '1', '2', 'beta')]) {
      mixed.sink.emit(e);
    }
    expect(mixed.describe().join('\n')).not.toContain('--release');
  });

  it('before any traffic moved: nothing to roll back, no release line', () => {
    const watch = watchReleaseAliases([member('fa'), member('fb')]);
    watch.sink.emit(started);
    expect(watch.touched()).toBe(false);
    expect(watch.describe()).toEqual([
      'No traffic had moved on fa:live.',
      'No traffic had moved on fb:live.',
    ]);
  });
});

/**
 * A second signal while a release reads its promotion back (release-promotion-settle.ts: five
 * seconds after every `promoted` landed): every function is recorded promoted, so exit 0 and no
 * rollback to run — not exit 4 with `lshift rollback` for each healthy alias. Once the read-back
 * found a claim and the release rolls the others back, it is not a promotion any more.
 */
describe('watchReleaseAliases while the release reads its promotion back', () => {
  function promoted(functionName: string, stable: string, target: string): EngineEvent[] {
    const t = { target: { functionName, alias: 'live' } };
    return [
      ...rollingBack(functionName, stable, target).slice(0, 2),
      { type: 'step.started', at, index: 4, total: 4, percent: 100, holdSeconds: 0, ...t },
      { type: 'record.written', at, phase: 'promoted', ...t },
    ] as EngineEvent[];
  }

  it('every function it moved recorded promoted: the promotion, each function’s new version', () => {
    const watch = watchReleaseAliases([member('fa'), member('fb'), member('fc')]);
    for (const e of [started, ...promoted('fa', '14', '16'), ...promoted('fc', '9', '11')])
      watch.sink.emit(e);
    expect(watch.promotedTo?.()).toBe("each function's new version (fa:live version 16, fc:live version 11)");
  });

  it('not while one is still to be recorded, nor once one rolls back after its promotion', () => {
    const watch = watchReleaseAliases([member('fa'), member('fb')]);
    for (const e of [started, ...promoted('fa', '1', '2'), ...rollingBack('fb', '1', '2').slice(0, 2)])
      watch.sink.emit(e);
    expect(watch.promotedTo?.()).toBeUndefined();
    for (const e of promoted('fb', '1', '2').slice(2)) watch.sink.emit(e);
    expect(watch.promotedTo?.()).toBe("each function's new version (fa:live version 2, fb:live version 2)");
    watch.sink.emit({
      type: 'rollback.started',
      at,
      functionName: 'fa',
      alias: 'live',
      reason: 'x',
      fromPercent: 100,
      toVersion: '1',
      target: { functionName: 'fa', alias: 'live' },
    } as EngineEvent);
    expect(watch.promotedTo?.()).toBeUndefined();
  });
});
