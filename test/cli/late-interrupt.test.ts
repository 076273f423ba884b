/**
 * A stop signal once a deploy or a release is recorded promoted (src/cli/late-interrupt.ts).
 * Found by a hostile pass: a SIGINT during the promotion's read-back said "stopping the release
 * safely: every function goes back to its stable version", then "✔ Release … promoted" (exit 0);
 * once, after the result was printed, Node's default action exited 130. The signal is injected at
 * the moment the engine's events say the last promotion landed — the CLI's own guard, watch and
 * notice on an engine run with a fake clock — never by real timing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { watchAlias } from '../../src/cli/alias-watch.js';
import { withReason } from '../../src/cli/describe-outcome.js';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import { DEPLOY_STOPPING, releaseStoppingNotice } from '../../src/cli/interrupt-notices.js';
import { guardInterrupts, type InterruptGuard } from '../../src/cli/interrupts.js';
import { endInterrupts, interruptedAfterEnd, stoppingNotice } from '../../src/cli/late-interrupt.js';
import { watchReleaseAliases } from '../../src/cli/release-interrupts.js';
import { renderDeployResult } from '../../src/cli/render-result.js';
import { renderReleaseResult } from '../../src/cli/renderers/release-result-text.js';
import type { EngineEvent } from '../../src/domain/events.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { runRelease } from '../../src/engine/release.js';
import type { EventSink } from '../../src/ports/event-sink.js';
import { ALIAS, createFleetWorld, createWorld, linear, request } from '../engine/world.js';

const NAMES = ['fa', 'fb'];

let guard: InterruptGuard | undefined;
afterEach(() => {
  guard?.dispose();
  guard = undefined;
});

function both(...sinks: EventSink[]): EventSink {
  return {
    emit: (e: EngineEvent) => {
      for (const sink of sinks) sink.emit(e);
    },
  };
}

/** Sends SIGINT (as the kernel would: after the event's own work) once `when` holds for an event. */
function signalWhen(when: (e: EngineEvent) => boolean): EventSink {
  let sent = false;
  return {
    emit(e) {
      if (sent || !when(e)) return;
      sent = true;
      queueMicrotask(() => process.emit('SIGINT', 'SIGINT'));
    },
  };
}

/** After the `n`-th `promoted` record write landed. */
function afterPromoted(n: number): (e: EngineEvent) => boolean {
  let seen = 0;
  return (e) => e.type === 'record.written' && e.phase === 'promoted' && ++seen === n;
}

async function release(when: (e: EngineEvent) => boolean) {
  const w = createFleetWorld(NAMES);
  const watch = watchReleaseAliases(
    NAMES.map((functionName) => ({ functionName, options: { alias: ALIAS } })),
  );
  const said: string[] = [];
  guard = guardInterrupts({
    onSecond: () => {},
    say: (text) => said.push(text),
    stopping: stoppingNotice(watch, 'release', false, releaseStoppingNotice('rollback')),
  });
  const deps = { ...w.deps, events: both(w.sink, watch.sink, signalWhen(when)) };
  // As the CLI builds them (release-setup.ts pendingRequest): each function's request carries the signal too.
  const signal = guard.signal;
  const members = NAMES.map((fn, i) =>
    request({
      functionName: fn,
      alarms: [`${fn}-errors`],
      deploymentId: `d-${i}`,
      ...linear(50, 60),
      signal,
    }),
  );
  const result = await runRelease(deps, { releaseId: 'r-late01', members, signal: guard.signal });
  return { result, said: said.join(''), signal: guard.signal };
}

describe('a signal once the release is recorded promoted', () => {
  it('says nothing is rolled back, ends promoted (exit 0), and the result says the interrupt came after', async () => {
    const { result, said, signal } = await release(afterPromoted(NAMES.length));

    expect(said).toContain(
      "SIGINT received: the release is already recorded promoted, all traffic on each function's new version (fa:live version 2, fb:live version 2): nothing is rolled back for this signal",
    );
    expect(said).not.toContain('goes back to its stable version');
    expect(result.status).toBe('promoted');
    const late = interruptedAfterEnd(signal, result.status);
    expect(late).toEqual({ interruptedAfterEnd: true });
    expect(renderReleaseResult({ ...withReleaseReason(result), ...late })).toContain(
      '  The interrupt came after the promotion was recorded: nothing was rolled back. To put all traffic back on the stable version: `lshift rollback --release r-late01 fa fb`',
    );
  });

  it('before that (in the hold at 50%) it stops the release as before: every function back on stable', async () => {
    const { result, said, signal } = await release(
      (e) => e.type === 'step.completed' && e.percent === 50 && e.target?.functionName === 'fb',
    );

    expect(said).toContain('SIGINT received: stopping the release safely: every function goes back');
    expect(result.status).toBe('rolled_back');
    expect(interruptedAfterEnd(signal, result.status)).toEqual({});
  });
});

describe('a signal once a single deploy is recorded promoted', () => {
  it('says nothing is rolled back, and the result says so with the rollback that undoes it', async () => {
    const w = createWorld();
    const watch = watchAlias('demo', ALIAS);
    const said: string[] = [];
    guard = guardInterrupts({
      onSecond: () => {},
      say: (text) => said.push(text),
      stopping: stoppingNotice(watch, 'deployment', false, DEPLOY_STOPPING),
    });
    const deps = { ...w.deps, events: both(w.sink, watch.sink, signalWhen(afterPromoted(1))) };
    const result = await runDeploy(deps, request({ ...linear(50, 60), signal: guard.signal }));

    expect(said.join('')).toContain(
      'SIGINT received: the deployment is already recorded promoted, all traffic on version 2: nothing is rolled back for this signal',
    );
    expect(result.status).toBe('promoted');
    const late = interruptedAfterEnd(guard.signal, result.status);
    expect(renderDeployResult({ ...withReason(result), ...late })).toContain(
      'The interrupt came after the promotion was recorded: nothing was rolled back. To put all traffic back on the stable version: `lshift rollback demo --alias live`',
    );
  });
});

describe('endInterrupts: from the end of the run to the process exit', () => {
  it('holds the stop signals (no default action, exit 130): said once; a second a second later exits with the chosen code', () => {
    const before = process.listenerCount('SIGINT');
    const said: string[] = [];
    const exited: number[] = [];
    let now = 0;
    const own = guardInterrupts({ onSecond: () => {}, say: () => {} });
    const release = endInterrupts(own, {
      say: (text) => said.push(text),
      now: () => now,
      exit: (code) => exited.push(code),
      exitCode: () => 0,
    });
    try {
      // The run's own listener is gone, one that holds the signal is there instead.
      expect(process.listenerCount('SIGINT')).toBe(before + 1);
      process.emit('SIGINT', 'SIGINT');
      expect(said.join('')).toContain('SIGINT received after lshift had finished: nothing is left to stop');
      expect(own.signal.aborted).toBe(false);
      now += 500;
      process.emit('SIGINT', 'SIGINT');
      expect(exited).toEqual([]);
      now += 1_000;
      process.emit('SIGTERM', 'SIGTERM');
      expect(exited).toEqual([0]);
    } finally {
      release();
    }
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  // Node's own end (the event loop empty) puts every signal back on its default action tens of
  // milliseconds before the process is gone (strace); a SIGINT then still ended it with 130.
  it('ends the process itself once the event loop is empty, with the code already chosen', () => {
    const before = process.listeners('beforeExit');
    const exited: number[] = [];
    const own = guardInterrupts({ onSecond: () => {}, say: () => {} });
    const release = endInterrupts(own, {
      say: () => {},
      exit: (code) => exited.push(code),
      exitCode: () => 3,
    });
    try {
      const added = process.listeners('beforeExit').filter((l) => !before.includes(l));
      expect(added).toHaveLength(1);
      // Called as Node would (not emitted here: the test runner has listeners of its own).
      added[0]!(0);
      expect(exited).toEqual([3]);
    } finally {
      release();
    }
    expect(process.listeners('beforeExit')).toEqual(before);
  });
});
