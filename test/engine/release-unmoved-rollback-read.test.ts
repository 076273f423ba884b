/**
 * A function of a release rolled back because ANOTHER function failed, before any of its own
 * traffic moved (a --stagger release: it was waiting for its turn). Before (session 66) its line
 * "ROLLBACK: no traffic had moved to the new version; all of it stays on version 1" was printed
 * from the plan, before its alias was read: said of an alias someone had put on version 2, and
 * followed by the read that found it so. Now the line comes only once a read found it true, as a
 * single deploy's does (settle.ts, readBeforeRollback).
 */
import { describe, expect, it } from 'vitest';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import { createReleaseLineRenderer } from '../../src/cli/renderers/release-lines.js';
import { OperationError } from '../../src/domain/errors.js';
import type { EngineEvent } from '../../src/domain/events.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { ALIAS, createFleetWorld, linear, request, type World } from './world.js';

const FNS = ['fa', 'fb', 'fc'];
const NOTHING_MOVED = 'ROLLBACK: no traffic had moved to the new version; all of it stays on version 1';

function release(): ReleaseRequest {
  return {
    releaseId: 'r-unmv01',
    stagger: true,
    members: FNS.map((fn, i) =>
      request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...linear(50, 60) }),
    ),
  };
}

/** What happened, in order: each function's GetAlias calls and each event naming a function. */
function watch(w: World): string[] {
  const seen: string[] = [];
  const getAlias = w.lambda.getAlias.bind(w.lambda);
  w.lambda.getAlias = async (functionName: string, alias: string) => {
    const got = await getAlias(functionName, alias);
    seen.push(`${functionName} read`);
    return got;
  };
  const emit = w.deps.events.emit.bind(w.deps.events);
  w.deps = {
    ...w.deps,
    events: {
      emit: (event: EngineEvent) => {
        const fn = (event as { functionName?: string }).functionName;
        if (fn) seen.push(`${fn} ${event.type}`);
        emit(event);
      },
    },
  };
  return seen;
}

/** The plain (CI) lines of `fn`, without their timestamps. */
function linesOf(w: World, fn: string): string[] {
  const lines: string[] = [];
  const plain = createReleaseLineRenderer((t) => lines.push(t));
  for (const event of w.sink.events) plain.emit(event);
  return lines.flatMap((l) => {
    const at = l.indexOf(` ${fn}: `);
    return at < 0 ? [] : [l.slice(at + fn.length + 3).trimEnd()];
  });
}

async function run(w: World) {
  let ended = false;
  const running = runRelease(w.deps, release()).finally(() => {
    ended = true;
  });
  while (!ended) await w.clock.advance(1000);
  return running;
}

describe('a function of a release that had moved no traffic, rolled back for another', () => {
  it('is said "no traffic had moved … stays on version 1" only after its alias was read so', async () => {
    const w = createFleetWorld(FNS, { auto: false });
    // fa walks first (50% from 0 s); its alarm fires at 30 s: fb and fc never had their turn.
    w.metrics.setAlarm('fa-errors', 'ALARM', { at: w.start + 30_000 });
    const seen = watch(w);
    const result = await run(w);

    expect(result.status).toBe('rolled_back');
    expect(linesOf(w, 'fc').join('\n')).toContain(
      `${NOTHING_MOVED}: before any traffic moved: function fa failed`,
    );
    // Its rollback line comes after the read that found it so (the last read of fc before it).
    const announced = seen.indexOf('fc rollback.started');
    expect(announced).toBeGreaterThan(-1);
    expect(seen.slice(0, announced).lastIndexOf('fc read')).toBeGreaterThan(
      seen.slice(0, announced).lastIndexOf('fa rollback.started'),
    );
  });

  it('moved by someone else meanwhile: never said to stay on version 1', async () => {
    const w = createFleetWorld(FNS, { auto: false });
    w.metrics.setAlarm('fa-errors', 'ALARM', { at: w.start + 30_000 });
    // After the release's reads at fa's turn (0 s), before fa failed: found by fb's rollback's read.
    w.lambda.moveAliasAt(w.start + 20_000, 'fb', ALIAS, { functionVersion: '2', additionalWeights: {} });
    const result = await run(w);

    const fb = linesOf(w, 'fb').join('\n');
    expect(fb).not.toContain('stays on version 1');
    expect(fb).toContain('was moved by someone else');
    expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject({ functionVersion: '2', additionalWeights: {} });
    expect(result.functions.find((f) => f.functionName === 'fb')?.status).toBe('conflict');
  });

  it('its read failing: not "stays on version 1" from the reads of minutes before — unknown', async () => {
    const w = createFleetWorld(FNS, { auto: false });
    w.metrics.setAlarm('fa-errors', 'ALARM', { at: w.start + 30_000 });
    w.clock.at(w.start + 25_000, () => {
      w.lambda.fail({
        op: 'getAlias',
        times: Number.POSITIVE_INFINITY,
        match: (args) => args[0] === 'fc',
        error: new OperationError('NETWORK_ERROR', 'connect ETIMEDOUT', {}),
      });
    });
    const result = await run(w);

    const fc = linesOf(w, 'fc').join('\n');
    expect(fc).not.toContain('stays on version 1');
    expect(fc).toContain('where it is now is unknown');
    expect(result.functions.find((f) => f.functionName === 'fc')?.status).toBe('unsafe');
    expect(withReleaseReason(result).reason).toContain(
      'the rollback of fc:live (alias unread; lshift last saw version 1 (100%)) FAILED',
    );
    expect(result.status).toBe('unsafe');
  });
});
