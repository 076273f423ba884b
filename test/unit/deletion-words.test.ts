/**
 * When a deletion found by a rollback happened, and its words: one rule for a single deploy and a
 * function of a release (src/domain/deletion-words.ts), every timing × both kinds of run.
 */
import { describe, expect, it } from 'vitest';
import {
  type DeletionData,
  dateDeletion,
  describeDeletedSubject,
  describeDeletionWhen,
  describeFunctionDeleted,
} from '../../src/domain/deletion-words.js';
import { causeOf } from '../../src/domain/outcome.js';

const forwardMet = causeOf('WEIGHT_WRITE_FAILED', { percent: 10, error: 'FUNCTION_NOT_FOUND' });
const alarm = causeOf('GATE_FAILED', { gates: ['alarm demo-errors'] });

describe('dateDeletion', () => {
  it.each<[string, DeletionData, string]>([
    ['a forward weight write met it', { what: 'function', after: forwardMet }, 'shift'],
    [
      'a forward weight write met its alias',
      { what: 'alias', after: causeOf('WEIGHT_WRITE_FAILED', { percent: 10, error: 'ALIAS_NOT_FOUND' }) },
      'shift',
    ],
    [
      'a record write of the shift found it gone',
      { what: 'function', after: alarm, missingBefore: true },
      'shift',
    ],
    ['a rollback write landed on it first', { what: 'function', after: alarm }, 'rollback'],
    [
      'only the restore found it gone',
      { what: 'function', after: alarm, sinceLastWrite: true },
      'since-last-write',
    ],
    ['only the restore found its alias gone', { what: 'alias', sinceLastWrite: true }, 'since-last-write'],
    // A forward write answered ALIAS_NOT_FOUND does not date a deleted function.
    [
      'the alias was missing at a forward write, the function at the restore',
      {
        what: 'function',
        after: causeOf('WEIGHT_WRITE_FAILED', { percent: 10, error: 'ALIAS_NOT_FOUND' }),
        sinceLastWrite: true,
      },
      'since-last-write',
    ],
  ])('%s: %s', (_name, data, when) => {
    expect(dateDeletion(data)).toBe(when);
  });
});

describe('describeDeletionWhen', () => {
  const fn = describeDeletedSubject('function', 'fb', 'live');
  const alias = describeDeletedSubject('alias', 'fb', 'live');
  it.each([
    [fn, 'shift', false, 'function fb was deleted during the deployment'],
    [fn, 'shift', true, 'function fb was deleted during the release'],
    [fn, 'rollback', false, 'function fb was deleted during the rollback'],
    [fn, 'rollback', true, 'function fb was deleted during the rollback'],
    [
      fn,
      'since-last-write',
      false,
      "function fb was gone when lshift went to roll it back (deleted after lshift's last write to it)",
    ],
    [
      fn,
      'since-last-write',
      true,
      "function fb was gone when the release went to roll it back (deleted after lshift's last write to it)",
    ],
    [alias, 'shift', true, 'alias live of function fb was deleted during the release'],
    [
      alias,
      'since-last-write',
      false,
      "alias live of function fb was gone when lshift went to roll it back (deleted after lshift's last write to it)",
    ],
  ] as const)('%s, %s, in a release: %s', (subject, when, inRelease, words) => {
    expect(describeDeletionWhen(subject, when, inRelease)).toBe(words);
  });
});

describe('describeFunctionDeleted', () => {
  it.each<['read' | 'write', boolean, string]>([
    [
      'read',
      true,
      'function fb was deleted during the release: a read of its deployment record found no function',
    ],
    [
      'write',
      true,
      'function fb was deleted during the release: a write of its deployment record found no function',
    ],
    [
      'read',
      false,
      'function fb failed: function fb was deleted during the release: a read of its deployment record found no function',
    ],
  ])('found by a %s, own %s', (foundBy, own, words) => {
    expect(describeFunctionDeleted({ foundBy, functionName: 'fb' }, own)).toBe(words);
  });
});
