import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/cli/renderers/event-bus.js';

describe('EventBus', () => {
  it('shows hook output to subscribers but keeps none of it: a hook printing without end cannot fill memory', async () => {
    const bus = new EventBus();
    const shown: string[] = [];
    bus.subscribe((e) => {
      if (e.type === 'hook.output') shown.push(e.line);
    });
    bus.emit({ type: 'hook.started', at: 0, phase: 'pre', hook: 'cmd:yes' });
    for (let i = 0; i < 3; i++)
      bus.emit({ type: 'hook.output', at: 0, phase: 'pre', hook: 'cmd:yes', line: 'y' });
    expect(shown).toEqual(['y', 'y', 'y']);
    expect(bus.seen((e) => e.type === 'hook.output')).toBeUndefined();
    // A wait for a phase's hooks still finds the phase started.
    const started = await bus.waitFor((e) => e.type === 'hook.started' || e.type === 'hook.output');
    expect(started?.type).toBe('hook.started');
  });
});
