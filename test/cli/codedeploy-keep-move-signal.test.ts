/**
 * The second signal of `deploy --engine codedeploy` (and of `lshift wait`) while CodeDeploy is
 * stopped WITHOUT its rollback for a person's move: it offered `lshift rollback` and a stop with
 * auto-rollback (the deploy's), which undo that move, and said "without finishing the rollback"
 * when no rollback ran (both).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchAlias, watchCodeDeploy } from '../../src/cli/alias-watch.js';
import { stderr, stdout } from '../../src/cli/output.js';
import { exitOnSecondSignal } from '../../src/cli/second-signal.js';
import { demoShiftStarted } from '../helpers/demo-events.js';

function exitLines(run: () => never): { code: string; stderr: string } {
  const err: string[] = [];
  vi.spyOn(stderr, 'writeNow').mockImplementation((text) => {
    err.push(text);
  });
  vi.spyOn(stdout, 'writeNow').mockImplementation(() => {});
  vi.spyOn(process, 'exit').mockImplementation(((code: number) => {
    throw new Error(`exit ${code}`);
  }) as never);
  try {
    run();
  } catch (error) {
    return { code: (error as Error).message, stderr: err.join('') };
  }
  throw new Error('expected an exit');
}

describe('a second signal during the stop without rollback for a move by hand', () => {
  afterEach(() => vi.restoreAllMocks());

  it('deploy --engine codedeploy: names the stop that keeps the move, and status and the rollback beside it, exit 4', () => {
    const watch = watchAlias('demo', 'live');
    watch.sink.emit(demoShiftStarted());
    watch.codeDeploy?.('d-ABCDEF123');
    watch.keepingMove?.();
    const { code, stderr } = exitLines(() => exitOnSecondSignal('SIGINT', watch));
    expect(code).toBe('exit 4');
    expect(stderr).toContain(
      'SIGINT again: exiting now (exit 4) before its stop without rollback (keeping a move by hand) was seen to end.',
    );
    expect(stderr).toContain(
      'Someone moved alias demo:live by hand, and lshift was stopping AWS CodeDeploy deployment d-ABCDEF123 without its rollback to keep that move',
    );
    expect(stderr).toContain(
      'Fix: aws deploy stop-deployment --deployment-id d-ABCDEF123 --no-auto-rollback-enabled',
    );
    // The stop fails once CodeDeploy ended (it had Succeeded over the move: session 66, F7):
    // what says which, and what works either way, are named too; the rollback as undoing the move.
    expect(stderr).toContain('AWS refuses it once the deployment ended');
    expect(stderr).toContain('See: lshift status demo --alias live');
    expect(stderr).toContain(
      "  or: lshift rollback demo --alias live   (all traffic back on the stable version, undoing the person's move)",
    );
    expect(stderr).not.toContain('--auto-rollback-enabled ');
    expect(stderr).not.toContain('finishing the rollback');
  });

  it('lshift wait: no "without finishing the rollback" either', () => {
    const moves = { functionName: 'demo', alias: 'live' };
    const watch = watchCodeDeploy('d-ABCDEF123', moves, undefined, true, true);
    const { stderr } = exitLines(() => exitOnSecondSignal('SIGINT', watch));
    expect(stderr).toContain('before its stop without rollback (keeping a move by hand) was seen to end');
    expect(stderr).not.toContain('finishing the rollback');
  });
});
