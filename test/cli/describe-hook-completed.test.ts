/**
 * How a finished hook is worded: a hook that failed says FAILED; one stopped from outside did not
 * fail and says how it ended — `interrupted` by Ctrl-C, `ended` by a takeover, a deleted function
 * of the release, or the deployment's health failing beside it (engine/wait-watch.ts).
 */
import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../src/cli/renderers/describe-event.js';
import type { EngineEvent } from '../../src/domain/events.js';

function completed(ok: boolean, reason?: string): EngineEvent {
  return {
    type: 'hook.completed',
    at: 0,
    phase: 'post',
    hook: 'cmd:./e2e.sh',
    ok,
    reason,
    durationMs: 5_100,
  };
}

describe('hook.completed words', () => {
  it.each([
    [completed(true), 'hook post: passed cmd:./e2e.sh (5.1s)'],
    [completed(false, 'exit code 2'), 'hook post: FAILED cmd:./e2e.sh (5.1s): exit code 2'],
    [completed(false, 'interrupted'), 'hook post: interrupted cmd:./e2e.sh (5.1s)'],
    [
      completed(false, 'ended: alarm orders-errors is ALARM: Threshold Crossed'),
      'hook post: ended cmd:./e2e.sh (5.1s): alarm orders-errors is ALARM: Threshold Crossed',
    ],
    [
      completed(false, 'ended: the deployment was taken over'),
      'hook post: ended cmd:./e2e.sh (5.1s): the deployment was taken over',
    ],
    [
      completed(false, 'ended: function beta was deleted'),
      'hook post: ended cmd:./e2e.sh (5.1s): function beta was deleted',
    ],
  ])('%o', (event, words) => {
    expect(describeEvent(event)).toBe(words);
  });
});
