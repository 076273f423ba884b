import { afterEach, describe, expect, it } from 'vitest';
import { guardInterrupts, type InterruptGuard } from '../../src/cli/interrupts.js';

/** The first signal aborts the shift (which rolls back); a real second one exits at once. */
describe('guardInterrupts', () => {
  let guard: InterruptGuard | undefined;
  afterEach(() => guard?.dispose());

  function setup() {
    let now = 1_000;
    const seconds: string[] = [];
    guard = guardInterrupts(
      (name) => seconds.push(name),
      () => now,
    );
    return { seconds, advance: (ms: number) => (now += ms), signal: guard.signal };
  }

  it('aborts on the first SIGTERM with a reason naming the signal', () => {
    const { signal, seconds } = setup();
    process.emit('SIGTERM', 'SIGTERM');
    expect(signal.aborted).toBe(true);
    expect(String(signal.reason)).toContain('interrupted by SIGTERM');
    expect(seconds).toEqual([]);
  });

  it('treats a repeat within a second as the same Ctrl-C (npx forwards it once more)', () => {
    const { seconds, advance } = setup();
    process.emit('SIGINT', 'SIGINT');
    advance(300);
    process.emit('SIGINT', 'SIGINT');
    expect(seconds).toEqual([]);
  });

  it('exits at once on a second signal after that', () => {
    const { seconds, advance } = setup();
    process.emit('SIGINT', 'SIGINT');
    advance(1500);
    process.emit('SIGTERM', 'SIGTERM');
    expect(seconds).toEqual(['SIGTERM']);
  });

  it('stops listening once disposed', () => {
    const { signal } = setup();
    guard?.dispose();
    guard = undefined;
    process.emit('SIGTERM', 'SIGTERM'); // emit only calls listeners; it sends no real signal
    expect(signal.aborted).toBe(false);
  });
});
