/**
 * A first Ctrl-C that abandons a weight write in flight (sent, unanswered) starts the rollback
 * from the alias as last seen; a second Ctrl-C then exits 4 with the alias as lshift last saw it.
 * Found by a hostile pass (a release's 25% writes held, Ctrl-C twice, the writes released late):
 * "version 5 (100%), or all on version 5 if a rollback write landed", while the late write had
 * split the alias 75/25. The words now allow the write in flight: `rollback.started` carries its
 * percent (writeInFlight) and the second signal's lines say it may have landed.
 */
import { describe, expect, it } from 'vitest';
import { watchAlias } from '../../src/cli/alias-watch.js';
import { OperationError } from '../../src/domain/errors.js';
import type { EngineEvent } from '../../src/domain/events.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { ALIAS, createWorld, FN, linear, request } from './world.js';

describe('a second signal after a first one abandoned a weight write in flight', () => {
  it('says the alias as last seen, or split at that write if it landed, or all back if a rollback write landed', async () => {
    const w = createWorld();
    const watch = watchAlias(FN, ALIAS);
    const events: EngineEvent[] = [];
    w.deps.events = {
      emit: (e) => {
        events.push(e);
        watch.sink.emit(e);
      },
    };
    const controller = new AbortController();
    let writes = 0;
    w.lambda.onCall = (call) => {
      // The first weight write (10%) is sent, and the interrupt abandons its answer.
      if (call.op === 'updateAlias' && ++writes === 1) controller.abort(new Error('SIGINT'));
    };
    w.lambda.fail({
      op: 'updateAlias',
      nth: 1,
      error: new OperationError('INTERRUPTED', 'lambda:UpdateAlias on function demo was abandoned'),
    });
    let said: string[] = [];
    // The second signal comes while the rollback runs: the lines it prints then.
    const started = new Promise<void>((resolve) => {
      const emit = w.deps.events.emit;
      w.deps.events = {
        emit: (e) => {
          emit(e);
          if (e.type === 'rollback.started') {
            said = watch.describe();
            resolve();
          }
        },
      };
    });
    await runDeploy(w.deps, request({ ...linear(10, 60), signal: controller.signal }));
    await started;

    expect(events.find((e) => e.type === 'rollback.started')).toMatchObject({
      fromPercent: 0,
      writeInFlight: 10,
    });
    expect(said[0]).toBe(
      'Alias demo:live as lshift last saw it, rolling it back to version 1: all on version 1, or version 1 (90%) + version 2 (10%) if its weight write in flight landed, or all on version 1 if a rollback write landed.',
    );
  });
});
