/**
 * A release whose rollback stopped midway (found by h1's hostile pass, session 71): `lshift
 * status` said "the next `lshift check` finishes the rollback", copied as `lshift check fa fb fc`
 * and refused (CHECK_NO_ALARMS, exit 2) with only one function's rollback offered; and it said
 * "its runner died" of a person's `lshift rollback --release` that died.
 */
import { describe, expect, it } from 'vitest';
import { renderReleaseStatus } from '../../src/cli/renderers/status-release-text.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

const status = (functionName: string, phase: DeploymentRecord['phase'], owner: string) =>
  ({
    functionName,
    alias: 'live',
    functionVersion: '1',
    additionalWeights: (phase === 'rolling-back' ? { '2': 0.5 } : {}) as Record<string, number>,
    split: phase === 'rolling-back',
    revisionId: 'r',
    alarms: [],
    record: {
      id: `d-${functionName}`,
      stableVersion: '1',
      targetVersion: '2',
      strategy: 'canary:50%:5m',
      stepIndex: 0,
      percent: phase === 'rolling-back' ? 50 : 0,
      phase,
      startedAt: 0,
      owner,
      heartbeatAt: 0,
      history: ['1'],
      releaseId: 'r-abc123',
      releaseFunctions: ['fa', 'fb', 'fc'],
      heartbeatAgeSeconds: 600,
      stale: phase === 'rolling-back',
    },
  }) satisfies Parameters<typeof renderReleaseStatus>[0][number];

describe('status of a release whose rollback stopped midway', () => {
  it.each([
    ['rollback:ops@desk:3/3f9a1c2e', 'the `lshift rollback --release` of ops@desk:3/3f9a1c2e died'],
    ['check:cron@ops:7', 'the check check:cron@ops:7 died'],
    ['ci@runner:1', 'its runner died'],
  ])('its mark left by %s: who died, and the release rollback first (no alarm needed)', (owner, who) => {
    const head = renderReleaseStatus([
      status('fa', 'rolling-back', owner),
      status('fb', 'rolled-back', owner),
      status('fc', 'rolled-back', owner),
    ]).split('\n')[0];
    expect(head).toBe(
      `release r-abc123: ROLLBACK STOPPED (fa rolling-back, fb rolled-back, fc rolled-back): ${who} while rolling the release back (fa says rolling-back); \`lshift rollback --release r-abc123 fa fb fc\` finishes the rollback and closes every record now (no alarm needed), as the next \`lshift check\` run with its alarms does`,
    );
  });
});

describe('lshift check of several functions with no alarm', () => {
  const env = { AWS_REGION: '', AWS_DEFAULT_REGION: '', LSHIFT_SANDBOX: undefined };

  it("CHECK_NO_ALARMS (exit 2) names the release's rollback and where status names the release", async () => {
    const run = await runCliInProcess(['check', 'fa', 'fb', 'fc', '--json'], { env });
    expect(run.code, run.stderr).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error.code).toBe('CHECK_NO_ALARMS');
    expect(error.hint).toContain(
      'no alarm is needed: `lshift rollback <function> --alias <alias>`; for the functions of a release, `lshift rollback --release <release id>` rolls every one back (`lshift status fa fb fc` names the release, and its rollback, on its first line).',
    );
  });
});
