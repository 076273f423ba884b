import { describe, expect, it } from 'vitest';
import { type AnalysisConfig, DEFAULT_ANALYSIS_CONFIG } from '../../src/domain/analysis/config.js';
import { decodeRecord, encodeRecord } from '../../src/domain/deployment-record.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { DeployRequest } from '../../src/engine/deploy-types.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import { guardsOf } from '../../src/engine/resume-guards.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import {
  ALARM,
  ALIAS,
  createWorld,
  deadRecord,
  FN,
  leaveDeployment,
  request,
  resumeRequest,
  type World,
} from './world.js';

const P99 = 'demo-p99';

/** What the first run watched: two alarms, a pre-traffic hook, a 10-minute bake, analysis on. */
const FIRST: Guards = { alarms: [ALARM, P99], hooks: { pre: [cmdHook('./smoke.sh')] }, bakeSeconds: 600 };

type Guards = Pick<DeployRequest, 'alarms' | 'hooks' | 'bakeSeconds' | 'analysis'>;

function worldWithFirstRun(overrides: Parameters<typeof deadRecord>[1] = {}): World {
  const w = createWorld();
  w.metrics.setAlarm(P99, 'OK');
  leaveDeployment(w, deadRecord(w, { guards: guardsOf(FIRST), ...overrides }));
  return w;
}

async function refusalOf(w: World, change: Partial<Guards>) {
  return resumeDeploy(w.deps, resumeRequest({ ...FIRST, ...change })).then(
    () => undefined,
    (e: unknown) => e as { code: string; exitCode: number; message: string; hint: string },
  );
}

describe('a deployment records the guards it runs with (gd=)', () => {
  it('its first record holds the fingerprint of its alarms, hooks, bake and analysis', async () => {
    const w = createWorld();
    w.metrics.setAlarm(P99, 'OK');
    const req = request({ ...FIRST, analysis: false, releaseHooks: { post: [cmdHook('./notify.sh')] } });
    await runDeploy(w.deps, req);
    const first = w.store.writes[0]?.record;
    expect(first?.guards).toEqual(guardsOf(req));
    expect(first?.guards).toMatchObject({
      alarms: 2,
      hooks: { pre: 1, step: 0, post: 1, rollback: 0 },
      bakeSeconds: 600,
      analysis: false,
    });
    // And it survives the tag codec: the store round-trips records.
    expect(decodeRecord(encodeRecord(first!)).guards).toEqual(first?.guards);
  });
});

describe('deploy --resume with other guards than the first run: refused before any write', () => {
  const rows: [string, Partial<Guards>, RegExp][] = [
    [
      'no flags at all (a copy-pasted hint)',
      { alarms: [], hooks: {}, bakeSeconds: 0 },
      /the first run watched 2 alarms, ran a pre-traffic hook and baked 10m; this resume watches 0 alarms, runs no hook and does not bake\./,
    ],
    [
      'one alarm fewer',
      { alarms: [ALARM] },
      /this resume watches 1 alarm, runs a pre-traffic hook and bakes 10m/,
    ],
    [
      'another pre-traffic hook',
      { hooks: { pre: [cmdHook('./other.sh')] } },
      /and so does this resume, but not with the same alarm names or hook specs/,
    ],
    [
      'a shorter bake',
      { bakeSeconds: 300 },
      /this resume watches 2 alarms, runs a pre-traffic hook and bakes 5m/,
    ],
    [
      'the canary analysis off',
      { analysis: false },
      /baked 10m and had the canary analysis on; this resume .* and has the canary analysis off/,
    ],
  ];

  it.each(rows)('%s → RESUME_GUARDS_DIFFER (exit 2), nothing written', async (_, change, words) => {
    const w = worldWithFirstRun();
    const error = await refusalOf(w, change);
    expect(error).toMatchObject({ code: 'RESUME_GUARDS_DIFFER', exitCode: 2 });
    expect(error?.message).toMatch(/^Deployment d-dead01 of demo alias live was started with other guards/);
    expect(error?.message).toMatch(words);
    expect(error?.hint).toContain('--guards-changed');
    expect(error?.hint).toContain('--alarm');
    expect(w.store.writes).toEqual([]);
    expect(w.lambda.callsOf('updateAlias')).toEqual([]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ owner: 'ci@runner:7', phase: 'shifting' });
  });

  it('its hint is the resume with the first run’s flags, or --guards-changed', async () => {
    const error = await refusalOf(worldWithFirstRun(), { alarms: [], hooks: {}, bakeSeconds: 0 });
    expect(error?.hint).toBe(
      "Resume with `lshift deploy demo --alias live --resume` plus the first run's --alarm, hook and --bake flags (it watched 2 alarms, ran a pre-traffic hook and baked 10m), or with the first run's --config. If the change is deliberate (an alarm was deleted, a hook retired), add --guards-changed: the resume then records this run's guards.",
    );
  });

  it('is not refused when it only finishes a rollback (it puts traffic back)', async () => {
    const w = worldWithFirstRun({ phase: 'rolling-back' });
    const result = await resumeDeploy(w.deps, resumeRequest({ alarms: [] }));
    expect(result.status).toBe('rolled_back');
  });
});

describe('deploy --resume with the first run’s guards', () => {
  it('continues, says the guards match, and keeps them on the record', async () => {
    const w = worldWithFirstRun();
    const result = await resumeDeploy(w.deps, resumeRequest(FIRST));
    expect(result.status).toBe('promoted');
    expect(
      w.sink.events.some((e) => e.type === 'preflight.check' && e.check === 'resume-guards' && e.ok),
    ).toBe(true);
    expect(w.store.writes[0]?.record).toMatchObject({ owner: 'resumer@host:2', guards: guardsOf(FIRST) });
  });

  it('--guards-changed continues with a warning naming the difference, and records this run’s guards', async () => {
    const w = worldWithFirstRun();
    const now = { ...FIRST, alarms: [ALARM] };
    const result = await resumeDeploy(w.deps, resumeRequest({ ...now, guardsChanged: true }));
    expect(result.status).toBe('promoted');
    expect(w.sink.logs('warn')).toContain(
      "--guards-changed: the first run watched 2 alarms, ran a pre-traffic hook and baked 10m; this resume watches 1 alarm, runs a pre-traffic hook and bakes 10m; the record now keeps this run's guards",
    );
    expect(w.store.writes[0]?.record.guards).toEqual(guardsOf(now));
  });

  it('a record of an older lshift (no gd=): continues as before, says it cannot check, records this run’s', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w));
    const result = await resumeDeploy(w.deps, resumeRequest());
    expect(result.status).toBe('promoted');
    expect(w.sink.logs('warn').join('\n')).toContain(
      "deployment d-dead01 was recorded by an older lshift, which does not keep the first run's guards: this resume cannot check them, and watches 1 alarm, runs no hook and does not bake",
    );
    expect(w.store.writes[0]?.record.guards).toEqual(guardsOf(resumeRequest()));
  });
});

describe('deploy --resume judges health as the first run did: absolute gates and analysis settings (jd=)', () => {
  const DEFAULTS: AnalysisConfig = { ...DEFAULT_ANALYSIS_CONFIG };
  const GATED: AnalysisConfig = { ...DEFAULTS, maxErrorRate: 0.02 };
  const firstWith = (judging: AnalysisConfig) => ({ ...FIRST, judging });

  function worldJudgedBy(judging: AnalysisConfig): World {
    const w = createWorld();
    w.metrics.setAlarm(P99, 'OK');
    leaveDeployment(w, deadRecord(w, { guards: guardsOf(firstWith(judging)) }));
    return w;
  }

  const rows: [string, AnalysisConfig, AnalysisConfig, RegExp][] = [
    [
      'the first run’s only error gate (--max-error-rate 2%) left out',
      GATED,
      DEFAULTS,
      /the first run judged by 1 absolute gate \(--max-error-rate, --max-p50\/p90\/p99 or --max-throttles\); this resume by none\./,
    ],
    [
      'another --max-error-rate',
      GATED,
      { ...DEFAULTS, maxErrorRate: 0.2 },
      /the first run judged health with other thresholds or analysis settings than this resume/,
    ],
    [
      'a looser --confidence',
      { ...DEFAULTS, confidence: 0.999 },
      DEFAULTS,
      /the first run judged health with other thresholds or analysis settings than this resume \(.*--confidence/,
    ],
    [
      'a larger --max-error-rate-increase',
      DEFAULTS,
      { ...DEFAULTS, maxErrorRateIncreasePp: 5 },
      /other thresholds or analysis settings/,
    ],
    [
      '--on-inconclusive continue instead of fail',
      { ...DEFAULTS, onInconclusive: 'fail' },
      DEFAULTS,
      /other thresholds or analysis settings/,
    ],
  ];

  it.each(rows)('%s → RESUME_GUARDS_DIFFER (exit 2), nothing written', async (_, first, now, words) => {
    const w = worldJudgedBy(first);
    const error = await resumeDeploy(w.deps, resumeRequest(firstWith(now))).then(
      () => undefined,
      (e: unknown) => e as { code: string; exitCode: number; message: string; hint: string },
    );
    expect(error).toMatchObject({ code: 'RESUME_GUARDS_DIFFER', exitCode: 2 });
    expect(error?.message).toMatch(words);
    expect(w.store.writes).toEqual([]);
    expect(w.lambda.callsOf('updateAlias')).toEqual([]);
  });

  it('the hint names the absolute gate flags to repeat', async () => {
    const w = worldJudgedBy(GATED);
    const error = (await resumeDeploy(w.deps, resumeRequest(firstWith(DEFAULTS))).catch(
      (e: unknown) => e,
    )) as {
      hint: string;
    };
    expect(error.hint).toContain(
      "plus the first run's --alarm, hook, --bake, absolute gate and analysis flags (it watched 2 alarms, ran a pre-traffic hook, baked 10m and judged by 1 absolute gate)",
    );
  });

  it('with the same gates and settings it continues and keeps jd= on the record', async () => {
    const w = worldJudgedBy(GATED);
    const result = await resumeDeploy(w.deps, resumeRequest(firstWith({ ...GATED })));
    expect(result.status).toBe('promoted');
    expect(w.store.writes[0]?.record.guards).toEqual(guardsOf(firstWith(GATED)));
    expect(encodeRecord(w.store.writes[0]!.record)).toMatch(/ jd=1\.[0-9a-z]{7}/);
  });

  it('a record with gd= but no jd= (an older lshift): continues, says it cannot check the gates, records them', async () => {
    const w = createWorld();
    w.metrics.setAlarm(P99, 'OK');
    leaveDeployment(w, deadRecord(w, { guards: guardsOf(FIRST) }));
    const result = await resumeDeploy(w.deps, resumeRequest(firstWith(GATED)));
    expect(result.status).toBe('promoted');
    expect(w.sink.logs('warn').join('\n')).toContain(
      "which does not keep the first run's absolute gates and analysis settings: this resume cannot check them",
    );
    expect(w.store.writes[0]?.record.guards?.judging).toEqual(guardsOf(firstWith(GATED)).judging);
  });
});
