/**
 * `lshift deploy fnA fnB … --dry-run` with code to publish: what progress consumers see of each
 * function's preflight — the NDJSON stream (`--progress ndjson`) and the plain lines (CI, a
 * terminal, and stderr under --json: run-release-dry-run.ts). Each function's preflight opens
 * with `preflight.started` and closes with `preflight.stopped`, as a single dry run's does.
 */
import { describe, expect, it } from 'vitest';
import { createNdjsonRenderer } from '../../src/cli/renderers/line-renderers.js';
import { createReleaseLineRenderer } from '../../src/cli/renderers/release-lines.js';
import { dryRunRelease } from '../../src/engine/release-dry-run.js';
import type { EventSink } from '../../src/ports/event-sink.js';
import { ALIAS, createWorld, linear, request } from '../engine/world.js';
import { expectValidEvent } from '../helpers/contract.js';

const FNS = ['alpha', 'beta'];

async function dryRunInto(sink: EventSink): Promise<void> {
  const w = createWorld();
  for (const fn of FNS) {
    w.lambda.addFunction(fn);
    w.lambda.addVersion(fn);
    w.lambda.addAlias(fn, ALIAS, '1');
    w.metrics.setAlarm(`${fn}-errors`, 'OK');
  }
  const members = FNS.map((fn, i) => {
    const req = request({
      functionName: fn,
      alarms: [`${fn}-errors`],
      deploymentId: `d-${i}`,
      ...linear(25, 60),
    });
    return { req: { ...req, targetVersion: undefined } };
  });
  await dryRunRelease({ ...w.deps, events: sink }, { releaseId: 'r-abc123', members });
}

describe('a release dry run with code to publish, as progress', () => {
  it('NDJSON: each function has its preflight.started and preflight.stopped, naming it, and every event validates', async () => {
    const lines: string[] = [];
    await dryRunInto(createNdjsonRenderer((t) => lines.push(t)));
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const [i, e] of events.entries()) expectValidEvent(e, `event ${i} (${e.type})`);
    for (const fn of FNS) {
      const own = events.filter(
        (e) => (e.target as { functionName?: string } | undefined)?.functionName === fn,
      );
      expect(own.map((e) => e.type).filter((t) => t !== 'preflight.check')).toEqual([
        'preflight.started',
        'preflight.stopped',
      ]);
      expect(own.at(-1)).toMatchObject({
        functionName: fn,
        alias: ALIAS,
        stableVersion: '1',
        target: { functionName: fn, alias: ALIAS },
      });
    }
  });

  it("plain lines: each function's preflight says it starts and how many checks passed before the upload", async () => {
    const lines: string[] = [];
    await dryRunInto(createReleaseLineRenderer((t) => lines.push(t)));
    const text = lines.map((l) => l.replace(/^\S+ /, '').trimEnd());
    for (const fn of FNS) {
      expect(text).toContain(`${fn}: preflight: checking ${fn}:live`);
      expect(text).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^${fn}: preflight: passed \\d+ checks before the upload \\(stable 1; the checks that need the new version did not run\\)$`,
          ),
        ),
      );
    }
  });
});
