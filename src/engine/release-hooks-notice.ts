/**
 * A signal during a release's rollback hooks (a terminal closed, a CI cancel) reaches every
 * function whose hooks are running at once: each said `interrupted during the rollback hooks: …`
 * on its own line, the same words once per function. The release says it once, naming them; a
 * function alone still says it on its own line, as a single deploy does.
 */
import { joinWithAnd } from '../domain/join-words.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import { logInfo } from './emit.js';
import { INTERRUPTED_HOOKS_GRACE } from './rollback-hooks-run.js';
import type { ShiftContext } from './shift-context.js';

const SAID = 'interrupted during the rollback hooks';

/**
 * `say(ctx)` for each function the signal reached; said once all of them have (the signal's
 * listeners run one after the other in the same turn: the words wait for that turn's end).
 */
export function createInterruptedHooksNotice(release: {
  clock: Clock;
  events: EventSink;
}): (ctx: ShiftContext) => void {
  let reached: ShiftContext[] = [];
  const sayAll = (): void => {
    const said = reached;
    reached = [];
    const [only] = said;
    if (said.length === 1 && only) {
      logInfo(only.deps, `${SAID}: ${INTERRUPTED_HOOKS_GRACE}`);
      return;
    }
    const names = said.map((c) => `${c.req.functionName}:${c.req.alias}`);
    logInfo(release, `${SAID} of ${joinWithAnd(names)}: ${INTERRUPTED_HOOKS_GRACE}`);
  };
  return (ctx) => {
    if (reached.length === 0) queueMicrotask(sayAll);
    reached.push(ctx);
  };
}
