/**
 * Causes that end a release for every function alike name no function as its failure: an
 * operator's abort, and a rollback left unfinished that `--resume` finishes. A hostile pass saw a
 * resumed release's rollback (after a Ctrl-C) reported as "function fa failed", `failed: fa`.
 */
import { describe, expect, it } from 'vitest';
import { causeOf } from '../../src/domain/outcome.js';
import type { ProgramOutcome } from '../../src/engine/interpreter.js';
import { outcomeFor, withFailed } from '../../src/engine/release-verdict.js';
import { rollbackUnfinished } from '../../src/engine/resume.js';
import type { ShiftContext } from '../../src/engine/shift-context.js';
import { createWorld, deadRecord } from './world.js';

const fa = { functionName: 'fa', alias: 'live' };
const fb = { cursor: { functionName: 'fb', alias: 'live' } } as ShiftContext;

describe('a release ended for every function alike', () => {
  it('a rollback left unfinished, finished by --resume: no failed function, no function blamed', () => {
    const unfinished = rollbackUnfinished(deadRecord(createWorld(), { phase: 'rolling-back' }));
    const ended = { ...unfinished, index: 0, target: fa } as ProgramOutcome;
    expect(withFailed(ended)).toEqual({});
    expect(outcomeFor(fb, ended)).toMatchObject({
      kind: 'failed',
      cause: 'the release’s rollback was left unfinished',
    });
  });

  it('a health failure still names its function', () => {
    const ended = {
      kind: 'failed',
      cause: 'alarm fa-errors in ALARM',
      why: causeOf('GATE_FAILED', { gates: ['alarms'] }),
      index: 1,
      target: fa,
    } as ProgramOutcome;
    expect(withFailed(ended)).toEqual({ failed: fa });
    expect(outcomeFor(fb, ended)).toMatchObject({ cause: 'function fa failed: alarm fa-errors in ALARM' });
  });
});
