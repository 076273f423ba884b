import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WARNING_TITLE } from '../../src/cli/renderers/github-warnings.js';
import { combineSinks, createNdjsonRenderer } from '../../src/cli/renderers/line-renderers.js';
import { STEP_RESULTS } from '../../src/domain/events.js';
import { planRelease } from '../../src/domain/release-program.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { dryRunDeploy } from '../../src/engine/dry-run.js';
import { runRelease } from '../../src/engine/release.js';
import { ALARM, ALIAS, canary, createWorld, FN, linear, request } from '../engine/world.js';
import { expectValidEvent, expectValidResultOf } from '../helpers/contract.js';
import { cmdHook } from '../helpers/fake-hooks.js';

/**
 * The NDJSON renderer's output for engine runs covering every event type validates against
 * schemas/events.schema.json: a promotion with hooks and a bake, an alarm rollback, unreadable health.
 */
describe('NDJSON events of engine runs match schemas/events.schema.json', () => {
  async function ndjsonOf(setup: (w: ReturnType<typeof createWorld>) => Parameters<typeof request>[0]) {
    const w = createWorld();
    const lines: string[] = [];
    const ndjson = createNdjsonRenderer((t) => lines.push(t));
    const deps = {
      ...w.deps,
      events: combineSinks(w.sink, ndjson),
    };
    const result = await runDeploy(deps, request(setup(w)));
    return { result, events: lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
  }

  it('covers every event type across a promotion with hooks and bake, a rollback and unreadable health', async () => {
    const seen = new Set<unknown>();
    const runs = [
      await ndjsonOf(() => ({
        ...linear(50, 60),
        bakeSeconds: 60,
        hooks: { pre: [cmdHook('pre')], step: [cmdHook('step')], post: [cmdHook('post')], rollback: [] },
      })),
      await ndjsonOf((w) => {
        w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 85_000, reason: 'Threshold Crossed' });
        return { ...linear(10, 60), hooks: { pre: [], step: [], post: [], rollback: [cmdHook('undo')] } };
      }),
      await ndjsonOf((w) => {
        w.metrics.fail({ op: 'describeAlarms', nth: 2, times: Number.POSITIVE_INFINITY });
        return linear(10, 60);
      }),
    ];
    for (const { result, events } of runs) {
      expectValidResultOf('deploy', { schemaVersion: 4, ...result });
      for (const [i, e] of events.entries()) {
        expectValidEvent(e, `event ${i} (${e.type})`);
        seen.add(e.type);
      }
    }
    for (const type of [
      'hook.completed',
      'bake.completed',
      'rollback.completed',
      'health.error',
      'record.written',
    ]) {
      expect(seen).toContain(type);
    }
  });

  it('a --stagger release: the polls of functions watched alongside carry `alongside` and validate', async () => {
    const w = createWorld();
    for (const fn of ['alpha', 'beta']) {
      w.lambda.addFunction(fn);
      w.lambda.addVersion(fn);
      w.lambda.addVersion(fn);
      w.lambda.addAlias(fn, ALIAS, '1');
    }
    const lines: string[] = [];
    const deps = {
      ...w.deps,
      events: combineSinks(
        w.sink,
        createNdjsonRenderer((t) => lines.push(t)),
      ),
    };
    const members = ['alpha', 'beta'].map((fn, i) =>
      request({ functionName: fn, alarms: [], deploymentId: `d-abc12${i}`, ...canary(10, 60) }),
    );
    const result = await runRelease(deps, { releaseId: 'r-abc123', stagger: true, members });
    expect(result.status).toBe('promoted');
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const [i, e] of events.entries()) expectValidEvent(e, `event ${i} (${e.type})`);
    const along = events.filter((e) => e.type === 'health.polled' && e.alongside === true);
    expect(along.length).toBeGreaterThan(0);
    expect(() => expectValidEvent({ ...along[0], alongside: false })).toThrow(/alongside/);
  });

  it('a release: its id comes in `release.started`, before any record or weight is written (abort --release needs it)', async () => {
    const w = createWorld();
    for (const fn of ['alpha', 'beta']) {
      w.lambda.addFunction(fn);
      w.lambda.addVersion(fn);
      w.lambda.addVersion(fn);
      w.lambda.addAlias(fn, ALIAS, '1');
    }
    const lines: string[] = [];
    const deps = { ...w.deps, events: createNdjsonRenderer((t) => lines.push(t)) };
    const members = ['alpha', 'beta'].map((fn, i) =>
      request({ functionName: fn, alarms: [], deploymentId: `d-abc12${i}`, ...linear(50, 60) }),
    );
    await runRelease(deps, { releaseId: 'r-abc123', members });
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const started = events.findIndex((e) => e.type === 'release.started');
    expect(events[started]).toMatchObject({
      releaseId: 'r-abc123',
      mode: 'lockstep',
      functions: [
        { functionName: 'alpha', alias: ALIAS },
        { functionName: 'beta', alias: ALIAS },
      ],
    });
    expectValidEvent(events[started]!, 'release.started');
    expect(started).toBeLessThan(events.findIndex((e) => e.type === 'record.written'));
    expect(started).toBeLessThan(events.findIndex((e) => e.type === 'step.started'));
    expect(() => expectValidEvent({ ...events[started], releaseId: 'abc' })).toThrow(/releaseId/);
  });

  it('a dry run with code to publish: its preflight.stopped validates, and one without its stable version is refused', async () => {
    const w = createWorld();
    const lines: string[] = [];
    const { targetVersion: _published, ...pending } = request(linear(10, 60));
    const program = planRelease(linear(10, 60).strategy, {}, [
      { functionName: pending.functionName, alias: ALIAS },
    ]);
    await dryRunDeploy(
      {
        ...w.deps,
        events: combineSinks(
          w.sink,
          createNdjsonRenderer((t) => lines.push(t)),
        ),
      },
      { req: pending, program },
    );
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const stopped = events.find((e) => e.type === 'preflight.stopped');
    expect(stopped).toBeDefined();
    for (const [i, e] of events.entries()) expectValidEvent(e, `event ${i} (${e.type})`);
    expect(() => expectValidEvent({ ...stopped, stableVersion: undefined })).toThrow(/stableVersion/);
  });

  it('a step stopped from outside (someone else moved the alias): its deploy.finished and result validate', async () => {
    const { result, events } = await ndjsonOf((w) => {
      w.lambda.moveAliasAt(w.start + 95_000, FN, ALIAS, {
        functionVersion: '1',
        additionalWeights: { '2': 0.5 },
      });
      return linear(10, 60);
    });
    expect(result.steps.at(-1)?.result).toBe('stopped');
    expectValidResultOf('deploy', { schemaVersion: 4, ...result });
    const finished = events.find((e) => e.type === 'deploy.finished');
    expect(finished).toMatchObject({
      result: { steps: expect.arrayContaining([expect.objectContaining({ result: 'stopped' })]) },
    });
    for (const [i, e] of events.entries()) expectValidEvent(e, `event ${i} (${e.type})`);
  });

  it('an event missing a field the schema requires is refused (the schema is not vacuous)', () => {
    expect(() =>
      expectValidEvent({ schemaVersion: 4, type: 'step.started', at: 0, time: '1970-01-01T00:00:00.000Z' }),
    ).toThrow(/must have required property/);
    expect(() =>
      expectValidEvent({ type: 'bake.completed', at: 0, time: '1970-01-01T00:00:00.000Z' }),
    ).toThrow(/schemaVersion/);
  });
});

describe('the log event’s `about` in the schema', () => {
  it('lists every topic a warning can be about, and no other (each has a GitHub title)', () => {
    const schema = JSON.parse(
      readFileSync(new URL('../../schemas/events.schema.json', import.meta.url), 'utf8'),
    ) as { $defs: Record<string, { properties: Record<string, { enum?: string[] }> }> };
    const listed = schema.$defs['event:log']!.properties.about!.enum!;
    expect([...listed].sort()).toEqual(Object.keys(WARNING_TITLE).sort());
  });
});

describe('a step’s result in the schemas', () => {
  it('both schemas list exactly the results the engine reports (src/domain/events.ts STEP_RESULTS)', () => {
    for (const name of ['result.schema.json', 'events.schema.json']) {
      const schema = JSON.parse(readFileSync(new URL(`../../schemas/${name}`, import.meta.url), 'utf8')) as {
        $defs: Record<string, { properties: Record<string, { enum?: string[] }> }>;
      };
      expect(schema.$defs.stepOutcome!.properties.result!.enum, name).toEqual([...STEP_RESULTS]);
    }
  });
});
