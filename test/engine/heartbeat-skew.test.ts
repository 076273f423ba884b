/**
 * Two machines' clocks disagree: the deployment record's heartbeat is the WRITER's epoch ms, the
 * reader judges it on its own clock. A reader ahead must never take a live runner for dead; a
 * reader behind must still take a dead one over in a bounded time (the stale limit, 120 s, and
 * one watch poll, counted on its own clock).
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import type { LshiftError } from '../../src/domain/errors.js';
import { runCheck } from '../../src/engine/check.js';
import { HEARTBEAT_WATCH_POLL_MS } from '../../src/engine/heartbeat-watch.js';
import { sendOperatorCommand } from '../../src/engine/operator-send.js';
import { describeUntrustedRecord } from '../../src/engine/record-trust.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import {
  ALARM,
  ALIAS,
  createWorld,
  deadRecord,
  FN,
  leaveDeployment,
  resumeRequest,
  type World,
} from './world.js';

const MINUTE = 60_000;
const STALE_MS = 120_000;

/**
 * A runner whose clock is `skewMs` behind the reader's (the reader is ahead) keeps writing its
 * heartbeat every 30 s of real time, as its own clock reads it, for `forMs`.
 */
function keepBeating(w: World, record: DeploymentRecord, skewMs: number, forMs = 30 * MINUTE): void {
  for (let t = 30_000; t <= forMs; t += 30_000) {
    w.clock.after(t, () => w.store.seed(FN, ALIAS, { ...record, heartbeatAt: w.start + t - skewMs }));
  }
}

describe('deploy --resume: the resumer’s clock is ahead of a live runner’s', () => {
  it.each([2, 3, 5])('%i minutes ahead: refused (still running), nothing written', async (minutes) => {
    const w = createWorld();
    const skew = minutes * MINUTE;
    // Its last heartbeat was 10 s ago — which this clock reads as `minutes` and 10 s ago.
    const live = deadRecord(w, { heartbeatAt: w.start - 10_000 - skew, startedAt: w.start - 15 * MINUTE });
    leaveDeployment(w, live);
    keepBeating(w, live, skew);

    await expect(resumeDeploy(w.deps, resumeRequest())).rejects.toMatchObject({
      code: 'DEPLOYMENT_IN_PROGRESS',
      exitCode: 5,
      message: expect.stringMatching(
        /is still running \(shifting\): its record changed while this resume watched it/,
      ),
    });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    expect(w.store.writes).toHaveLength(0);
    // It saw the next heartbeat (30 s later) and stopped watching.
    expect(w.clock.now() - w.start).toBeLessThanOrEqual(30_000 + HEARTBEAT_WATCH_POLL_MS);
  });
});

describe('deploy --resume: the resumer’s clock is behind a dead runner’s', () => {
  it('4 minutes behind, the runner dead for a minute: taken over within the stale limit and a poll', async () => {
    const w = createWorld();
    // The runner's clock read 4 minutes later than this one; it died a minute ago: its last
    // heartbeat is 3 minutes in this clock's future.
    const dead = deadRecord(w, { heartbeatAt: w.start + 3 * MINUTE });
    leaveDeployment(w, dead);

    const result = await resumeDeploy(w.deps, resumeRequest());

    expect(result.status).toBe('promoted');
    const claim = w.store.writes[0];
    expect(claim?.record).toMatchObject({ id: dead.id, owner: 'resumer@host:2' });
    // Its first alias write came once 120 s passed with the record unchanged, not before.
    const first = w.lambda.callsOf('updateAlias')[0]?.at ?? Number.NaN;
    expect(first - w.start).toBeGreaterThanOrEqual(STALE_MS);
    expect(first - w.start).toBeLessThan(STALE_MS + HEARTBEAT_WATCH_POLL_MS + 5_000);
  });
});

describe('deploy --resume interrupted while it watches the record', () => {
  it('stops with INTERRUPTED, nothing written', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w));
    const stop = new AbortController();
    w.clock.after(30_000, () => stop.abort(new Error('interrupted by SIGTERM')));

    await expect(resumeDeploy(w.deps, resumeRequest({ signal: stop.signal }))).rejects.toMatchObject({
      code: 'INTERRUPTED',
      message: expect.stringMatching(
        /^interrupted by SIGTERM while making sure deployment d-dead01's runner stopped, before any write/,
      ),
    });
    expect(w.store.writes).toHaveLength(0);
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
  });

  // Found by a hostile pass: "alias unchanged" (exit 1) under a notice that every function goes
  // back, while the dead run's split stayed with nobody running it.
  it('its alias split by the dead run: exit 4, where the alias is, and both ways out', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w));
    const stop = new AbortController();
    w.clock.after(30_000, () => stop.abort(new Error('interrupted by SIGTERM')));

    const error = await resumeDeploy(w.deps, resumeRequest({ signal: stop.signal })).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'INTERRUPTED', exitCode: 4 });
    expect((error as Error).message).toContain(
      'lshift changed nothing, and alias demo:live is where that deployment left it, 20% on version 2, with nobody running it.',
    );
    expect((error as LshiftError).hint).toContain('`lshift deploy demo --alias live --resume');
    expect((error as LshiftError).hint).toContain(
      'put all traffic back on version 1 with `lshift rollback demo --alias live`',
    );
    expect(w.store.writes).toHaveLength(0);
  });
});

describe('deploy --resume: the record it writes, its clock behind the first runner’s', () => {
  it('still adds up for every reader although the deployment started in this clock’s future', async () => {
    const w = createWorld();
    // The first runner's clock read 4 minutes later than this one: it started the deployment 90 s
    // before it died, a minute ago — 2.5 minutes in this clock's future.
    const dead = deadRecord(w, { startedAt: w.start + 150_000, heartbeatAt: w.start + 3 * MINUTE });
    leaveDeployment(w, dead);

    const result = await resumeDeploy(w.deps, resumeRequest());

    expect(result.status).toBe('promoted');
    for (const { record } of w.store.writes) {
      // Read at once (this clock) and by a reader whose clock agrees with the first runner's.
      expect(describeUntrustedRecord(record, w.clock.now()), JSON.stringify(record)).toBeUndefined();
      expect(describeUntrustedRecord(record, w.clock.now() + 4 * MINUTE)).toBeUndefined();
    }
  });
});

describe('lshift check: its clock is ahead of a live runner’s, and the alarm fires', () => {
  const request = { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] };

  it.each([
    [2, 'shifting' as const, 'demo@ci:7'],
    [5, 'shifting' as const, 'demo@ci:7'],
    // A rollback under way (a person's `lshift rollback --release`): 3 minutes is past the
    // 60 s skew margin of a `rolling-back` record.
    [3, 'rolling-back' as const, 'ops@laptop:3'],
  ])(
    '%i minutes ahead of a %s runner: left to it (skipped), nothing written',
    async (minutes, phase, owner) => {
      const w = createWorld();
      const skew = minutes * MINUTE;
      const live = deadRecord(w, {
        phase,
        owner,
        heartbeatAt: w.start - 10_000 - skew,
        startedAt: w.start - 15 * MINUTE,
      });
      leaveDeployment(w, live);
      keepBeating(w, live, skew);
      w.metrics.setAlarm(ALARM, 'ALARM', { reason: 'errors over 3' });

      const report = await runCheck({ ...w.deps, store: w.store, owner: 'check:cron@host:1' }, request);

      expect(report.results[0]).toMatchObject({ action: 'skipped' });
      expect(report.results[0]?.reason).toMatch(/its record changed while this check watched it/);
      expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
      expect(w.store.writes).toHaveLength(0);
    },
  );

  it('interrupted while it watches: the function is left untouched (not checked), nothing written', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w));
    w.metrics.setAlarm(ALARM, 'ALARM', { reason: 'errors over 3' });
    const stop = new AbortController();
    w.clock.after(45_000, () => stop.abort(new Error('interrupted by SIGTERM')));

    const report = await runCheck(
      { ...w.deps, store: w.store, owner: 'check:cron@host:1' },
      { ...request, signal: stop.signal },
    );

    expect(report.interrupted).toBe('interrupted by SIGTERM');
    expect(report.results[0]).toMatchObject({ action: 'skipped', interrupted: true });
    expect(w.store.writes).toHaveLength(0);
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
  });

  it('a runner that died: rolled back once the check saw its record unchanged for the stale limit', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w));
    w.metrics.setAlarm(ALARM, 'ALARM', { reason: 'errors over 3' });

    const report = await runCheck({ ...w.deps, store: w.store, owner: 'check:cron@host:1' }, request);

    expect(report.results[0]).toMatchObject({ action: 'rolled_back' });
    const first = w.lambda.callsOf('updateAlias')[0]?.at ?? Number.NaN;
    expect(first - w.start).toBeGreaterThanOrEqual(STALE_MS);
  });
});

describe('lshift pause (an operator command): the operator’s clock is ahead of a live runner’s', () => {
  it.each([2, 5])(
    '%i minutes ahead: the command is sent and answered, not refused as stale',
    async (minutes) => {
      const w = createWorld();
      const skew = minutes * MINUTE;
      const live = deadRecord(w, { heartbeatAt: w.start - 10_000 - skew, startedAt: w.start - 15 * MINUTE });
      leaveDeployment(w, live);
      // The runner: a heartbeat every 30 s by its own clock, answering a command at its next one.
      for (let t = 30_000; t <= 10 * MINUTE; t += 30_000) {
        w.clock.after(t, () => {
          const now = w.store.peek(FN, ALIAS)!;
          const command = now.command && { ...now.command, state: 'done' as const };
          w.store.seed(FN, ALIAS, {
            ...now,
            heartbeatAt: w.start + t - skew,
            ...(command ? { command } : {}),
          });
        });
      }

      const sent = sendOperatorCommand(
        { store: w.store, clock: w.clock, random: () => 0.5 },
        { functionName: FN, alias: ALIAS, verb: 'pause', by: 'ann@laptop:9', waitSeconds: 60 },
      );

      await expect(sent).resolves.toMatchObject({ verb: 'pause', answer: 'done', deploymentId: live.id });
    },
  );
});

// Following a sandbox's clock (LSHIFT_SANDBOX, --sandbox), a heartbeat's age was read on the
// sandbox's clock: these two lines said "by this machine's clock" (left over from session 56).
describe("heartbeat ages read on a sandbox's clock: said as the sandbox's", () => {
  function followingSandbox(): World {
    const w = createWorld();
    (w.clock as { followsSandbox?: true }).followsSandbox = true;
    return w;
  }

  it("lshift check leaving a live runner alone: 'old or more by the sandbox's clock'", async () => {
    const w = followingSandbox();
    const live = deadRecord(w, { heartbeatAt: w.start - 3 * MINUTE, startedAt: w.start - 15 * MINUTE });
    leaveDeployment(w, live);
    keepBeating(w, live, 3 * MINUTE);
    w.metrics.setAlarm(ALARM, 'ALARM', { reason: 'errors over 3' });

    const report = await runCheck(
      { ...w.deps, store: w.store, owner: 'check:cron@host:1' },
      { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] },
    );

    expect(report.results[0]?.reason).toContain(
      "its heartbeat looked 2m old or more by the sandbox's clock, but its record changed while this check watched it",
    );
    expect(report.results[0]?.reason).not.toContain("this machine's clock");
  });

  it("deploy --resume watching a dead runner's record: 'ago by the sandbox's clock'", async () => {
    const w = followingSandbox();
    leaveDeployment(w, deadRecord(w));

    await resumeDeploy(w.deps, resumeRequest());

    const said = w.sink.ofType('log').map((e) => e.message);
    expect(said.find((m) => m.includes('making sure its runner stopped'))).toMatch(
      /\(heartbeat .* ago by the sandbox's clock\): making sure its runner stopped/,
    );
    expect(said.join('\n')).not.toContain("this machine's clock");
  });
});
