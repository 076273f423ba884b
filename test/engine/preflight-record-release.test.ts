/**
 * The preflight's refusal when another deployment holds the alias names only commands that
 * lshift then accepts: a release (several functions) refuses `--supersede`, so it is not offered
 * to one; and a holder that is itself part of a release is stopped or rolled back as a release.
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { type PreflightRequest, runPreflight } from '../../src/engine/preflight.js';
import { checkBeforePublish } from '../../src/engine/preflight-publish.js';
import { runRelease } from '../../src/engine/release.js';
import { abortRelease } from '../../src/engine/release-abort.js';
import type { CodeSource } from '../../src/ports/lambda.js';
import {
  ALARM,
  ALIAS,
  canary,
  createFleetWorld,
  createWorld,
  deadRecord,
  driven,
  FN,
  leaveDeployment,
  request,
  type World,
} from './world.js';

/** This deployment's draft record: part of release r-this01 when `release`. */
function preflight(w: World, release: boolean) {
  const req: PreflightRequest = { functionName: FN, alias: ALIAS, targetVersion: '2', alarms: [ALARM] };
  const draftRecord = release ? { releaseId: 'r-this01' } : {};
  return runPreflight(w.deps, { ...req, draftRecord: draftRecord as PreflightRequest['draftRecord'] });
}

/** The holder: live (heartbeat 30 s ago) or dead (10 minutes ago), of release r-hold01 or alone. */
function holder(w: World, opts: { live: boolean; releaseId?: string }): DeploymentRecord {
  return {
    id: 'd-other1',
    stableVersion: '1',
    targetVersion: '2',
    strategy: 'canary:10%:5m',
    stepIndex: 0,
    percent: 10,
    phase: 'shifting',
    startedAt: w.start - 900_000,
    owner: 'alice@laptop:42',
    heartbeatAt: w.start - (opts.live ? 30_000 : 600_000),
    history: [],
    ...(opts.releaseId ? { releaseId: opts.releaseId } : {}),
  };
}

async function hintOf(release: boolean, opts: { live: boolean; releaseId?: string }) {
  const w = createWorld();
  w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.1 } });
  w.store.seed(FN, ALIAS, holder(w, opts));
  const refused = await preflight(w, release).then(
    () => undefined,
    (e: { code: string; hint?: string }) => e,
  );
  expect(refused?.code).toMatch(/^DEPLOYMENT_(IN_PROGRESS|STALE)$/);
  return refused!.hint ?? '';
}

describe('preflight: another deployment holds the alias', () => {
  it.each([
    ['live', true],
    ['dead', false],
  ])('a deploy of one function, holder %s alone: offers --supersede', async (_, live) => {
    expect(await hintOf(false, { live })).toContain('--supersede');
  });

  it.each([
    ['live', true],
    ['dead', false],
  ])(
    'a release, holder %s alone: does not offer --supersede (refused with several functions)',
    async (_, live) => {
      const hint = await hintOf(true, { live });
      expect(hint).not.toContain('--supersede');
      expect(hint).toContain(`lshift rollback ${FN} --alias ${ALIAS}`);
    },
  );

  // The abort named `${FN} <its other functions>` with one --alias: a release whose others are on
  // another alias refuses that (NOT_IN_RELEASE). One record of the release reaches its runner,
  // which rolls every function back: this function alone is named (the test below runs it).
  it('holder live, part of release r-hold01: abort it naming this function alone, or roll it back', async () => {
    const hint = await hintOf(true, { live: true, releaseId: 'r-hold01' });
    expect(hint).toContain(
      `\`lshift abort --release r-hold01 ${FN}\` (its runner rolls every function of the release back, whatever their aliases)`,
    );
    expect(hint).not.toContain('abort --release r-hold01 demo <');
    expect(hint).toContain(
      '`lshift rollback --release r-hold01` (naming no function, it finds each function of the release at its own alias by its record)',
    );
    expect(hint).not.toContain(`lshift rollback ${FN} --alias`);
    expect(hint).not.toContain('--supersede');
  });

  it('holder dead, part of release r-hold01: roll that release back', async () => {
    const hint = await hintOf(false, { live: false, releaseId: 'r-hold01' });
    expect(hint).toContain('`lshift rollback --release r-hold01` (naming no function');
    expect(hint).not.toContain('<its other functions>');
    expect(hint).not.toContain('--supersede');
  });
});

describe('preflight: a dead holder of a release whose other functions it cannot see', () => {
  // Found by a hostile pass (session 59): `lshift deploy ga <the other functions of release r-…>
  // --alias prod --resume` of a release whose others were on `live` — one --alias reaches none
  // of them (NOT_IN_RELEASE). The hint says when that command works and how a release on several
  // aliases is resumed and rolled back.
  it('its resume says one --alias reaches the others only when they share it; its rollback names no function', async () => {
    const hint = await hintOf(false, { live: false, releaseId: 'r-hold01' });
    expect(hint).toContain(
      `Continue it with \`lshift deploy ${FN} <the other functions of release r-hold01> --alias ${ALIAS} --resume\``,
    );
    expect(hint).toContain(
      `(if they are all at alias ${ALIAS}; a release on several aliases is resumed with \`lshift deploy --resume\` and the config file that gave each function its alias: one --alias applies to every function named)`,
    );
    expect(hint).toContain(
      '`lshift rollback --release r-hold01` (naming no function, it finds each function of the release at its own alias by its record)',
    );
  });
});

describe("the abort offered for a live holder of a release: one function's name reaches the whole release", () => {
  it('`abort --release r-… fb` alone (fb not its command reader): fa and fb both rolled back', async () => {
    const w = createFleetWorld(['fa', 'fb'], { auto: false });
    const members = ['fa', 'fb'].map((fn, i) =>
      request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-ab${i}`, ...canary(10, 600) }),
    );
    const release = runRelease(w.deps, { releaseId: 'r-hold02', members });
    await w.clock.advance(30_000);
    const abort = abortRelease(
      { store: w.store, clock: w.clock, random: () => 0.5 },
      {
        releaseId: 'r-hold02',
        targets: [{ functionName: 'fb', alias: ALIAS }],
        by: 'ann@laptop:9',
        waitSeconds: 120,
      },
    );
    const [sent] = await driven(w, Promise.all([abort, release]));
    expect(sent.sent).toMatchObject({ functionName: 'fb', answer: 'done' });
    expect(['fa', 'fb'].map((fn) => w.store.peek(fn, ALIAS)?.phase)).toEqual(['rolled-back', 'rolled-back']);
    expect(['fa', 'fb'].map((fn) => w.lambda.peekAlias(fn, ALIAS))).toEqual([
      expect.objectContaining({ functionVersion: '1', additionalWeights: {} }),
      expect.objectContaining({ functionVersion: '1', additionalWeights: {} }),
    ]);
  });
});

describe('a release with new code, checked before its upload (preflight-publish.ts)', () => {
  const ZIP: CodeSource = { kind: 'zip', zipFile: new Uint8Array([80, 75, 5, 6]), fileName: 'code.zip' };

  it.each([
    ['a release', { releaseId: 'r-this01' }, false],
    ['one function', {}, true],
  ])('%s: --supersede offered only to one function', async (_, scope, offered) => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { heartbeatAt: w.start - 1000 }), 20);
    const { targetVersion: __, ...req } = request();
    const refused = await checkBeforePublish(w.deps, req, ZIP, scope).then(
      () => undefined,
      (e: { code: string; hint?: string }) => e,
    );
    expect(refused?.code).toBe('DEPLOYMENT_IN_PROGRESS');
    expect(refused?.hint?.includes('--supersede')).toBe(offered);
  });
});
