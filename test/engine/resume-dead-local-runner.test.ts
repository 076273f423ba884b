/**
 * `deploy --resume` of a deployment whose runner was killed on this machine (the same user@host,
 * its pid no longer running here) and whose heartbeat is stale: nobody can write the record, so
 * the resume takes it over without first watching it for the stale limit (2 minutes) — the rule
 * `lshift check` and `lshift status` use (check-classify.ts isAbandoned, deadPidHere). A fresh
 * heartbeat, a pid that runs (maybe reused), or another machine's runner is still watched.
 */
import { describe, expect, it } from 'vitest';
import { resumeRelease } from '../../src/engine/release-resume.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import type { LocalProcesses } from '../../src/ports/local-processes.js';
import { ALIAS, createFleetWorld, createWorld, deadRecord, leaveDeployment, resumeRequest } from './world.js';

const running = (...pids: number[]): LocalProcesses => ({ isRunning: (pid) => pids.includes(pid) });
const RUNNER_GONE_MS = 120_000;

/** Killed at step 2 (20%) of linear:10%:1m by `owner`, its heartbeat `ageMs` old; resumed by resumer@host:2. */
async function resumeAfterKill(owner: string, ageMs: number, processes: LocalProcesses) {
  const w = createWorld();
  leaveDeployment(w, deadRecord(w, { owner, heartbeatAt: w.start - ageMs }));
  const result = await resumeDeploy({ ...w.deps, processes }, resumeRequest());
  const claimedAt = w.store.writes[0]?.record.heartbeatAt;
  return { w, result, waited: (claimedAt ?? Number.NaN) - w.start };
}

describe('deploy --resume of a runner killed on this machine', () => {
  it('stale, its pid gone here: taken over at once, saying why', async () => {
    const { w, result, waited } = await resumeAfterKill('resumer@host:41', 300_000, running(2));
    expect(result.status).toBe('promoted');
    expect(waited).toBe(0);
    const check = w.sink.ofType('preflight.check').find((e) => e.check === 'runner-gone');
    expect(check?.message).toBe(
      'deployment d-dead01 of demo alias live is shifting, its heartbeat 5m old, and its runner (process 41 of resumer@host) no longer runs on this machine: taken over without watching its record',
    );
  });

  // Found by a hostile pass (session 62): with this machine's token the resume still watched for
  // 2 minutes, while status said STALLED and the operator verbs refused at once.
  it('fresh, its pid gone here, its owner carrying this machine’s token: taken over at once', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { owner: 'resumer@host:41/3f9a1c2e', heartbeatAt: w.start - 20_000 }));
    const result = await resumeDeploy(
      { ...w.deps, processes: running(2) },
      resumeRequest({ owner: 'resumer@host:2/3f9a1c2e' }),
    );
    expect(result.status).toBe('promoted');
    expect(w.store.writes[0]?.record.heartbeatAt).toBe(w.start);
    const check = w.sink.ofType('preflight.check').find((e) => e.check === 'runner-gone');
    expect(check?.message).toContain(
      'no longer runs on this machine: taken over without watching its record',
    );
  });

  it.each([
    ['its pid still runs here (maybe reused)', 'resumer@host:41', 300_000, running(2, 41)],
    [
      'its heartbeat is fresh (another container with this hostname may run it)',
      'resumer@host:41',
      20_000,
      running(2),
    ],
    ['it ran on another machine', 'resumer@other:41', 300_000, running(2)],
    ['it is a CI job (no pid)', 'gha:org/repo/9', 300_000, running(2)],
  ])('watched for the stale limit first when %s', async (_what, owner, ageMs, processes) => {
    const { result, waited } = await resumeAfterKill(owner, ageMs, processes);
    expect(result.status).toBe('promoted');
    expect(waited).toBe(RUNNER_GONE_MS);
  });
});

/**
 * The same for a release's resume: each function's runner killed here, stale. Found by a hostile
 * pass: `deploy fa fb fc --resume` watched the records for the whole 2 minutes (the CLI gave the
 * release no view of this machine's processes), while one function's resume took over at once.
 */
describe('deploy --resume of a release whose runner was killed on this machine', () => {
  it('stale, its pid gone here: every function taken over at once', async () => {
    const names = ['fa', 'fb', 'fc'];
    const w = createFleetWorld(names);
    for (const fn of names) {
      const record = deadRecord(w, {
        owner: 'resumer@host:41',
        heartbeatAt: w.start - 300_000,
        releaseId: 'r-dead01',
        id: `d-${fn}`,
      });
      w.store.seed(fn, ALIAS, record);
      w.lambda.moveAlias(fn, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.2 } });
    }
    const members = names.map((fn) => resumeRequest({ functionName: fn, alarms: [`${fn}-errors`] }));
    const result = await resumeRelease({ ...w.deps, processes: running(2) }, { members });
    expect(result.status).toBe('promoted');
    const checks = w.sink.ofType('preflight.check').filter((e) => e.check === 'runner-gone');
    expect(checks.map((c) => c.message)).toEqual(
      names.map((fn) => expect.stringContaining(`deployment d-${fn} of ${fn} alias live is shifting`)),
    );
    for (const c of checks) expect(c.message).toContain('taken over without watching its record');
    const firstWrite = Math.min(...w.store.writes.map((x) => x.record.heartbeatAt));
    expect(firstWrite - w.start).toBe(0);
  });
});
