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
    // Every function of the release, fb too: its record is open, and only the release's rollback
    // closes it (named fa fc, it exited 4 again: "1 function of it not named is still open").
    expect(lines.at(-1)).toBe('Or all of them at once: lshift rollback --release r-abc123 fa fb fc');
  });

  // Found by a hostile pass (session 64): a --stagger release f1 f2 f3, a second Ctrl-C during
  // f2's turn. f3's turn never came, yet its line said "Alias f3:live as lshift last set it, or was
  // setting it (rolled back): all on version 1; that write may not have landed. Fix: lshift
  // rollback f3", and "Or all of them at once" named f1 f2 only, leaving f3's open record.
  it('a --stagger release: a function whose turn never came is not said to have been set, and the release line names it', () => {
    const watch = watchReleaseAliases([member('f1'), member('f2'), member('f3')]);
    const t = { target: { functionName: 'f3', alias: 'live' } };
    const neverMoved = [
      {
        type: 'shift.started',
        at,
        deploymentId: 'd-f3',
        functionName: 'f3',
        alias: 'live',
        stableVersion: '1',
        targetVersion: '2',
        plan,
        ...t,
      },
      { type: 'rollback.started', at, reason: 'x', fromPercent: 0, toVersion: '1', ...t },
      { type: 'rollback.completed', at, toVersion: '1', ...t },
    ] as EngineEvent[];
    for (const e of [started, ...rollingBack('f1', '1', '2'), ...rollingBack('f2', '1', '2'), ...neverMoved])
      watch.sink.emit(e);
    const text = watch.describe().join('\n');
    expect(text).toContain('No traffic had moved on f3:live.');
    expect(text).not.toContain('Alias f3:live');
    expect(text).not.toContain('lshift rollback f3');
    expect(watch.describe().at(-1)).toBe(
      'Or all of them at once: lshift rollback --release r-abc123 f1 f2 f3',
    );
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

  it('gives the alias when it is not live, and no release line for a release of one function or mixed aliases', () => {
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

    // One function moved of two: the release line names both (fb's record is open too).
    const one = watchReleaseAliases([member('fa'), member('fb')]);
    for (const e of [started, ...rollingBack('fa', '1', '2')]) one.sink.emit(e);
    expect(one.describe().at(-1)).toBe('Or all of them at once: lshift rollback --release r-abc123 fa fb');
    const single = watchReleaseAliases([member('fa')]);
    for (const e of [started, ...rollingBack('fa', '1', '2')]) single.sink.emit(e);
    expect(single.describe().join('\n')).not.toContain('--release');

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
