/**
 * The progress lines of a function of a release found deleted by a read or write of its record.
 * Before (2 December 2026) its ROLLBACK line carried the engine's raw detail ("a write of its
 * deployment record (started) found function fb gone (FUNCTION_NOT_FOUND)"), a deletion before
 * any traffic moved said "all of it stays on version 1" of a function that no longer exists, and
 * the line after it said "ROLLBACK FAILED" although nothing was left to roll back (exit 1, not 4).
 */
import { describe, expect, it } from 'vitest';
import { createReleaseLineRenderer } from '../../src/cli/renderers/release-lines.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { OperationError } from '../../src/domain/errors.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { fleetWorld, release, runUntil, sleepHook } from './release-takeover-world.js';
import { linear, type World } from './world.js';

/** From `atMs` on, `name` is gone with its record (tags on it): its record's writes and reads fail. */
function deleteAt(w: World, name: string, atMs: number): void {
  let gone = false;
  const notFound = (op: string) =>
    new OperationError('FUNCTION_NOT_FOUND', `Function ${name} does not exist (lambda:${op}).`, {});
  const write = w.store.write.bind(w.store);
  const read = w.store.read.bind(w.store);
  w.store.write = async (functionName: string, alias: string, record: DeploymentRecord) => {
    if (gone && functionName === name) throw notFound('TagResource');
    return write(functionName, alias, record);
  };
  w.store.read = async (functionName: string, alias: string) => {
    if (gone && functionName === name) throw notFound('ListTags');
    return read(functionName, alias);
  };
  w.clock.after(atMs, () => {
    gone = true;
    w.lambda.deleteFunction(name);
  });
}

/** The plain (CI) lines of `fn`, without their timestamps. */
function linesOf(w: World, fn: string): string[] {
  const lines: string[] = [];
  const plain = createReleaseLineRenderer((t) => lines.push(t));
  for (const event of w.sink.events) plain.emit(event);
  return lines.flatMap((l) => {
    const at = l.indexOf(` ${fn}: `);
    return at < 0 ? [] : [l.slice(at + fn.length + 3).trimEnd()];
  });
}

/** As its result says it (a heartbeat's write, or a poll's read of the record, found it). */
const gone = (by: 'read' | 'write') =>
  `function fb was deleted during the release: a ${by} of its deployment record found no function`;

describe('the progress lines of a function of a release found deleted', () => {
  it('during a hold: stopped, nothing left to roll back — no raw FUNCTION_NOT_FOUND, no ROLLBACK FAILED', async () => {
    const w = fleetWorld();
    deleteAt(w, 'fb', 30_000);
    const { settled, running } = await runUntil(w, release(undefined, linear(25, 180)), 400_000);
    expect(settled).toBe(true);
    await running;
    const fb = linesOf(w, 'fb');
    expect(fb).toContain(`stopped, nothing of it left to roll back: at step 1 (25%): ${gone('read')}`);
    expect(fb).toContain('rollback: nothing to roll back: function fb was deleted during the release');
    expect(fb.join('\n')).not.toMatch(/gone \(FUNCTION_NOT_FOUND\)|ROLLBACK FAILED|ROLLBACK from/);
    // The others go back for it, in the same words.
    expect(linesOf(w, 'fa')).toContain(
      `ROLLBACK from 25% to version 1: at step 1 (25%): function fb failed: ${gone('read')}`,
    );
    expect(w.sink.ofType('rollback.failed')).toEqual([expect.objectContaining({ deleted: 'function' })]);
  });

  it('before any traffic moved (a hook of the release): not "all of it stays on version 1"', async () => {
    const w = fleetWorld();
    sleepHook(w);
    deleteAt(w, 'fb', 100_000);
    const own = (f: string) => (f === 'fa' ? { hooks: { pre: [cmdHook('sleep 600')] } } : {});
    const { settled, running } = await runUntil(w, release(undefined, undefined, own), 200_000);
    expect(settled).toBe(true);
    await running;
    const fb = linesOf(w, 'fb').join('\n');
    // Found by the record read of the hook's beat (a hook's beat reads the record first).
    expect(fb).toContain(
      `stopped, nothing of it left to roll back: before any traffic moved: ${gone('read')}`,
    );
    expect(fb).not.toMatch(/stays on version|gone \(FUNCTION_NOT_FOUND\)|ROLLBACK FAILED/);
    // The others' traffic did stay where it was: their line still says so.
    expect(linesOf(w, 'fa').join('\n')).toContain(
      'no traffic had moved to the new version; all of it stays on version 1',
    );
  });
});
