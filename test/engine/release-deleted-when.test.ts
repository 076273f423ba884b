/**
 * A function of a release deleted at every moment that matters — at its first weight write,
 * during a hold (found by a heartbeat), during the rollback (after a `rolling-back` mark landed
 * on it), and between its last write and the end (found only by the restore) — and the deleted
 * function being the one whose alarm decides or another. Its progress line (`rollback.failed`,
 * the ✖ line at a terminal and `ROLLBACK FAILED` in CI), its own reason, the release's reason and
 * the `--json` data (`missingBefore`, `sinceLastWrite`) all say the same, by the single deploy's
 * rule (deletion-words.ts). Before (2 December 2026) a heartbeat's find was "deleted during the
 * deployment" on the progress line but "during the release, before its rollback" in the reason,
 * and a release never said "during the rollback" even when a write of its rollback had landed.
 */
import { describe, expect, it } from 'vitest';
import { type ReasonedRelease, withReleaseReason } from '../../src/cli/describe-release.js';
import { createNdjsonRenderer } from '../../src/cli/renderers/line-renderers.js';
import { createReleaseLineRenderer } from '../../src/cli/renderers/release-lines.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { OperationError } from '../../src/domain/errors.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import type { AliasWrite } from '../../src/ports/lambda.js';
import { ALIAS, createFleetWorld, linear, request, type World } from './world.js';

const FNS = ['fa', 'fb', 'fc'];

/** From `atMs` on, `fn` is gone, its record (tags on it) with it: every later record write fails. */
function deleteAt(w: World, fn: string, atMs: number): void {
  let gone = false;
  const write = w.store.write.bind(w.store);
  w.store.write = async (functionName: string, alias: string, record: DeploymentRecord) => {
    if (gone && functionName === fn)
      throw new OperationError(
        'FUNCTION_NOT_FOUND',
        `Function ${fn} does not exist (lambda:TagResource).`,
        {},
      );
    return write(functionName, alias, record);
  };
  w.clock.after(atMs, () => {
    gone = true;
    w.lambda.deleteFunction(fn);
  });
}

/** `fn` is deleted as the first alias write of the kind `which` is sent to it. */
function deleteAtAliasWrite(w: World, fn: string, which: 'forward' | 'restore'): void {
  w.lambda.onCall = (call) => {
    if (call.op !== 'updateAlias' || call.args[0] !== fn || !w.lambda.peekAlias(fn, ALIAS)) return;
    const write = call.args[2] as AliasWrite;
    const restore = write.functionVersion === '1' && Object.keys(write.additionalWeights).length === 0;
    if (restore === (which === 'restore')) w.lambda.deleteFunction(fn);
  };
}

async function run(w: World, alarmOf: string | undefined, alarmAtMs: number): Promise<ReasonedRelease> {
  if (alarmOf)
    w.metrics.setAlarm(`${alarmOf}-errors`, 'ALARM', { at: w.start + alarmAtMs, reason: 'errors over 3' });
  const rel: ReleaseRequest = {
    releaseId: 'r-when01',
    members: FNS.map((fn, i) =>
      request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...linear(25, 180) }),
    ),
  };
  return withReleaseReason(await runRelease(w.deps, rel));
}

/** The deleted function's `result:` plain line (CI) and its NDJSON `deploy.finished` reason. */
function endsOf(w: World, fn: string): { line: string; ndjson: string } {
  const lines: string[] = [];
  const json: string[] = [];
  const plain = createReleaseLineRenderer((t) => lines.push(t));
  const ndjson = createNdjsonRenderer((t) => json.push(t));
  for (const event of w.sink.events) {
    plain.emit(event);
    ndjson.emit(event);
  }
  const line = lines.find((l) => l.includes(` ${fn}: result: `)) ?? '';
  const finished = json
    .map((l) => JSON.parse(l) as { type: string; result?: { functionName: string; reason?: string } })
    .find((e) => e.type === 'deploy.finished' && e.result?.functionName === fn);
  return { line, ndjson: finished?.result?.reason ?? '' };
}

interface Case {
  name: string;
  /** Deletes the function and makes a verdict; returns the deleted function's name. */
  arrange: (w: World) => { deleted: string; alarmOf?: string; alarmAtMs: number };
  /** The progress line, said again in the function's reason and the release's. */
  words: string;
  data: Record<string, unknown>;
  absent: string[];
}

const SINCE = "was gone when the release went to roll it back (deleted after lshift's last write to it)";

const CASES: Case[] = [
  {
    name: 'at its first weight write (the write met it, and it decides)',
    arrange: (w) => {
      deleteAtAliasWrite(w, 'fb', 'forward');
      return { deleted: 'fb', alarmAtMs: 0 };
    },
    words: 'function fb was deleted during the release',
    data: { what: 'function' },
    absent: ['sinceLastWrite', 'missingBefore'],
  },
  {
    name: "during a hold, found by a heartbeat (it decides at once, before fc's alarm)",
    arrange: (w) => {
      deleteAt(w, 'fb', 30_000);
      return { deleted: 'fb', alarmOf: 'fc', alarmAtMs: 100_000 };
    },
    words: 'function fb was deleted during the release',
    data: { what: 'function', missingBefore: true },
    absent: ['sinceLastWrite'],
  },
  {
    name: 'during a hold, found by a heartbeat (it decides at once, before its own alarm)',
    arrange: (w) => {
      deleteAt(w, 'fc', 30_000);
      return { deleted: 'fc', alarmOf: 'fc', alarmAtMs: 100_000 };
    },
    words: 'function fc was deleted during the release',
    data: { what: 'function', missingBefore: true },
    absent: ['sinceLastWrite'],
  },
  {
    name: "during the rollback, after the release's mark landed on it (its own alarm decides)",
    arrange: (w) => {
      deleteAtAliasWrite(w, 'fc', 'restore');
      return { deleted: 'fc', alarmOf: 'fc', alarmAtMs: 100_000 };
    },
    words: 'function fc was deleted during the rollback',
    data: { what: 'function' },
    absent: ['sinceLastWrite', 'missingBefore'],
  },
  {
    name: 'between its last write and the verdict, found only by the restore (another function decides)',
    arrange: (w) => {
      deleteAt(w, 'fb', 100_000);
      return { deleted: 'fb', alarmOf: 'fc', alarmAtMs: 110_000 };
    },
    words: `function fb ${SINCE}`,
    data: { what: 'function', sinceLastWrite: true },
    absent: ['missingBefore'],
  },
  {
    name: 'between its last write and the verdict, found only by the restore (its own alarm decides)',
    arrange: (w) => {
      deleteAt(w, 'fc', 100_000);
      return { deleted: 'fc', alarmOf: 'fc', alarmAtMs: 110_000 };
    },
    words: `function fc ${SINCE}`,
    data: { what: 'function', sinceLastWrite: true },
    absent: ['missingBefore'],
  },
];

describe('a function of a release deleted: its progress line, its reason, the release reason and --json agree', () => {
  it.each(CASES)('$name', async (c) => {
    const w = createFleetWorld(FNS);
    const { deleted, alarmOf, alarmAtMs } = c.arrange(w);
    const result = await run(w, alarmOf, alarmAtMs);
    const fn = result.functions.find((f) => f.functionName === deleted)!;

    expect(result.status).toBe('failed');
    expect(fn.status).toBe('failed');
    expect(fn.cause).toMatchObject({ code: 'ROLLBACK_TARGET_DELETED', data: c.data });
    for (const key of c.absent) expect(fn.cause).not.toHaveProperty(`data.${key}`);
    const lines = w.sink.ofType('rollback.failed').map((e) => e.message);
    expect(lines).toEqual([c.words]);
    expect(fn.reason).toContain(`${c.words}: `);
    expect(result.reason).toContain(`${c.words}: `);
    // The CI line and the NDJSON event of its end say it too (they said "during the deployment").
    const ends = endsOf(w, deleted);
    expect(ends.line).toContain(`${c.words}: `);
    expect(ends.ndjson).toContain(`${c.words}: `);
    // No other timing is said anywhere.
    const said = `${fn.reason} ${result.reason} ${ends.line} ${ends.ndjson}`;
    for (const other of [
      'during the release',
      'during the rollback',
      'went to roll it back',
      'during the deployment',
    ])
      if (!c.words.includes(other)) expect(said).not.toContain(other);
  });
});

describe('a release interrupted (Ctrl-C) after one of its functions was deleted', () => {
  it('is said to be interrupted, not a failure of the deleted function; the others are said to be back', async () => {
    const w = createFleetWorld(FNS);
    deleteAt(w, 'fb', 30_000);
    const controller = new AbortController();
    // Before fb's heartbeat (about a minute in) finds it gone: a find decides the release at once
    // (release-deleted-at-once.test.ts), and the Ctrl-C would come after the release had ended.
    w.clock.at(w.start + 45_000, () => controller.abort(new Error('SIGINT')));
    const rel: ReleaseRequest = {
      releaseId: 'r-when02',
      signal: controller.signal,
      members: FNS.map((fn, i) =>
        request({
          functionName: fn,
          alarms: [`${fn}-errors`],
          deploymentId: `d-${i}`,
          signal: controller.signal,
          ...linear(25, 180),
        }),
      ),
    };
    const result = withReleaseReason(await runRelease(w.deps, rel));

    expect(result.status).toBe('failed');
    // It read "function fb failed: could not roll back (interrupted at step 1 (25%)): function fb was deleted …".
    expect(result.reason).toBe(
      "the release was interrupted at step 1 (25%); fa and fc are back on their stable versions; function fb was gone when the release went to roll it back (deleted after lshift's last write to it): nothing left to roll back",
    );
  });
});
