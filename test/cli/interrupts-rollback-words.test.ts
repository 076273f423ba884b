/**
 * Found by a hostile pass on the persisting rollback: a second Ctrl-C during a rollback that had
 * been retrying for minutes said the alias was at the weight of the forward write that FAILED
 * (and started the rollback), not where the rollback found it.
 * Seen in the sandbox: step 2's write to 50% throttled, rollback from 10% retried, second
 * Ctrl-C: "Alias demo:live as lshift last set it, or was setting it (rolling back): version 1
 * (50%) + version 2 (50%)" while the alias was at 90/10 and lshift was writing 100/0.
 */
import { describe, expect, it } from 'vitest';
import { watchAlias } from '../../src/cli/alias-watch.js';
import { demoShiftStarted } from '../helpers/demo-events.js';

describe('second signal during a rollback after a failed step write', () => {
  it('says the alias as last seen (10%) or the rollback target, not the failed step weight (50%)', () => {
    const watch = watchAlias('demo', 'live');
    watch.sink.emit(demoShiftStarted());
    watch.sink.emit({ type: 'step.started', at: 1, index: 0, total: 3, percent: 10 } as never);
    watch.sink.emit({ type: 'step.completed', at: 2, index: 0, percent: 10 });
    watch.sink.emit({ type: 'step.started', at: 3, index: 1, total: 3, percent: 50 } as never);
    watch.sink.emit({
      type: 'rollback.started',
      at: 4,
      functionName: 'demo',
      alias: 'live',
      reason: 'at step 2 (50%): could not write the weight: THROTTLED',
      fromPercent: 10,
      toVersion: '1',
      trafficMoved: true,
    });
    const text = watch.describe().join('\n');
    expect(text).not.toContain('version 2 (50%)');
    expect(text).toContain(
      'Alias demo:live as lshift last saw it, rolling it back to version 1: version 1 (90%) + version 2 (10%), or all on version 1 if a rollback write landed.',
    );
  });
});
