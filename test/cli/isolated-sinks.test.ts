import { describe, expect, it } from 'vitest';
import { isolateSinks } from '../../src/cli/renderers/line-renderers.js';
import type { EngineEvent } from '../../src/domain/events.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { EventSink } from '../../src/ports/event-sink.js';
import { ALIAS, createWorld, FN, linear, request } from '../engine/world.js';

/** A renderer with a bug: it throws on every event of `type` (on every event when none is given). */
function brokenRenderer(type?: EngineEvent['type']): EventSink & { calls: number } {
  const sink = {
    calls: 0,
    emit(event: EngineEvent) {
      sink.calls++;
      if (type === undefined || event.type === type) throw new Error(`cannot draw ${event.type}`);
    },
  };
  return sink;
}

describe('isolateSinks: a display that fails never stops a deployment', () => {
  it('the other sinks get every event; the failing one is said once and dropped', () => {
    const seen: string[] = [];
    const failures: string[] = [];
    const broken = brokenRenderer('step.started');
    const sink = isolateSinks([broken, { emit: (e) => seen.push(e.type) }], (error) =>
      failures.push(String(error)),
    );
    for (const type of ['shift.started', 'step.started', 'step.started', 'step.completed'] as const)
      sink.emit({ type, at: 0 } as EngineEvent);

    expect(seen).toEqual(['shift.started', 'step.started', 'step.started', 'step.completed']);
    expect(failures).toEqual(['Error: cannot draw step.started']);
    expect(broken.calls).toBe(2);
  });

  // Without the isolation the first event's error reaches the engine: the shift ends as an
  // internal error, and its rollback's own events throw again, leaving the alias split.
  it('a deploy whose renderer throws on every event still promotes, with every weight written', async () => {
    const w = createWorld();
    const failures: unknown[] = [];
    const events = isolateSinks([brokenRenderer(), w.deps.events], (error) => failures.push(error));
    const result = await runDeploy({ ...w.deps, events }, request(linear(50, 60)));

    expect(result.status).toBe('promoted');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '2', additionalWeights: {} });
    expect(failures).toHaveLength(1);
  });
});
