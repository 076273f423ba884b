import { describe, expect, it } from 'vitest';
import { ConflictError, OperationError, UnsafeError, UsageError } from '../../src/domain/errors.js';
import { type Settled, unlessRefused } from '../../src/engine/release-refusals.js';

const members = [{ functionName: 'alpha' }, { functionName: 'beta' }, { functionName: 'gamma' }];
const refusal = (fn: string) =>
  new UsageError('ALARM_NOT_FOUND', `CloudWatch alarm not found: ${fn}-errors.`);
const interrupted = () => new OperationError('INTERRUPTED', 'Interrupted before any traffic moved.');

function thrown(checked: Settled<number>[]): Error & { code?: string } {
  try {
    unlessRefused(checked, members);
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('nothing was thrown');
}

describe('unlessRefused: every function checked, every refusal said', () => {
  it('no refusal: the results in the functions’ order', () => {
    expect(unlessRefused([{ ok: 1 }, { ok: 2 }, { ok: 3 }], members)).toEqual([1, 2, 3]);
  });

  it('the first refusal is thrown with its code, and the others are listed under it', () => {
    const error = thrown([{ ok: 1 }, { error: refusal('beta') }, { error: refusal('gamma') }]);
    expect(error.code).toBe('ALARM_NOT_FOUND');
    expect(error.message).toBe(
      'CloudWatch alarm not found: beta-errors.\n' +
        "1 more of the release's functions refused too:\n" +
        '  - gamma: ALARM_NOT_FOUND: CloudWatch alarm not found: gamma-errors.',
    );
  });

  // Session 71: a deploy refused over a split nobody drives exits 4; a release whose first function
  // was refused for a dead holder all on one version (5, "retry later") exited 5 over a member left split.
  it('a refusal over a split nobody drives (exit 4) leads, whatever the functions’ order', () => {
    const stale = (fn: string) =>
      new ConflictError('DEPLOYMENT_STALE', `${fn}: left unfinished (all on version 1).`);
    const split = new UnsafeError('DEPLOYMENT_STALE', 'beta: left unfinished. Nobody drives that split.');
    const error = thrown([{ error: stale('alpha') }, { error: split }, { error: stale('gamma') }]);
    expect((error as { exitCode?: number }).exitCode).toBe(4);
    expect(error.message).toBe(
      'beta: left unfinished. Nobody drives that split.\n' +
        "2 more of the release's functions refused too:\n" +
        '  - alpha: DEPLOYMENT_STALE: alpha: left unfinished (all on version 1).\n' +
        '  - gamma: DEPLOYMENT_STALE: gamma: left unfinished (all on version 1).',
    );
  });

  it('Ctrl-C during the checks: one "interrupted", not one per function', () => {
    const error = thrown([{ error: interrupted() }, { error: interrupted() }, { error: interrupted() }]);
    expect(error.code).toBe('INTERRUPTED');
    expect(error.message).toBe('Interrupted before any traffic moved.');
  });
});

describe('unlessRefused: the failures of a release publish (release-publish.ts)', () => {
  it('the first error is named when it does not name its function, the others carry their hints, and the hint says whose it is', () => {
    const throttled = (fn: string) =>
      new OperationError('THROTTLED', 'AWS throttled lambda:PublishVersion.', { hint: `Retry ${fn} later.` });
    let error: (Error & { code?: string; hint?: string }) | undefined;
    try {
      unlessRefused([{ ok: 1 }, { error: throttled('beta') }, { error: throttled('gamma') }], members, {
        verb: 'failed to publish too',
        withHint: true,
        nameFirst: true,
      });
    } catch (e) {
      error = e as Error & { code?: string; hint?: string };
    }
    expect(error?.code).toBe('THROTTLED');
    expect(error?.message).toBe(
      'Function beta: AWS throttled lambda:PublishVersion.\n' +
        "1 more of the release's functions failed to publish too:\n" +
        '  - gamma: THROTTLED: AWS throttled lambda:PublishVersion. Retry gamma later.',
    );
    expect(error?.hint).toBe('For beta: Retry beta later.');
  });
});
