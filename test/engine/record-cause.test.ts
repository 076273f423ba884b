/**
 * Why lshift itself rolled a deployment back stays in its record (`cause`, key `y=`), so
 * `lshift status` can say it after the run is gone: written with the closing `rolled-back` (or
 * `failed`) record, never in `endReason` (whose absence says lshift ended it), and cleared by a
 * resume's claim. The store round-trips every write through the real tag codec.
 */
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/engine/check.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import { rollbackDeployment } from '../../src/engine/rollback.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import {
  ALARM,
  ALIAS,
  createWorld,
  deadRecord,
  FN,
  leaveDeployment,
  linear,
  request,
  resumeRequest,
  sendCommandAt,
  type World,
} from './world.js';

const at = (w: World, seconds: number) => w.start + seconds * 1000;

describe('the closing record says why lshift rolled back', () => {
  it('a health gate failed: GATE_FAILED with the gate, and no end reason', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: at(w, 95), reason: 'Threshold Crossed' });
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(result.status).toBe('rolled_back');
    const record = w.store.peek(FN, ALIAS);
    expect(record).toMatchObject({ phase: 'rolled-back', cause: { code: 'GATE_FAILED', gates: ['alarms'] } });
    expect(record).not.toHaveProperty('endReason');
    // The rollback's mark carries it too (a run killed mid-rollback keeps why), nothing before it.
    const withCause = w.store.writes.filter((x) => x.record.cause !== undefined);
    expect(withCause.map((x) => x.record.phase)).toEqual(['rolling-back', 'rolled-back']);
  });

  it("an operator's abort: OPERATOR_ABORTED (who, and the reason, stay in the command)", async () => {
    const w = createWorld();
    sendCommandAt(w, 95_000, { reason: 'p99' });
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(result.status).toBe('rolled_back');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      cause: { code: 'OPERATOR_ABORTED' },
      command: { verb: 'abort', state: 'done', by: 'ann@laptop:9', reason: 'p99' },
    });
  });

  it('a failed pre-traffic hook: HOOK_FAILED with its phase', async () => {
    const w = createWorld();
    w.hooks.script('cmd:check', { ok: false, reason: 'exit 1' });
    const result = await runDeploy(
      w.deps,
      request({ ...linear(10, 60), hooks: { pre: [cmdHook('check')] } }),
    );
    expect(result.status).toBe('rolled_back');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      cause: { code: 'HOOK_FAILED', phase: 'pre' },
    });
  });

  it('a promoted deployment has none', async () => {
    const w = createWorld();
    const result = await runDeploy(w.deps, request(linear(50, 60)));
    expect(result.status).toBe('promoted');
    expect(w.store.peek(FN, ALIAS)).not.toHaveProperty('cause');
  });
});

describe("a resume's claim clears an earlier run's cause, unless it only finishes that run's rollback", () => {
  it('a paused deployment resumed to the end: promoted, without the cause it was left with', async () => {
    const w = createWorld();
    leaveDeployment(
      w,
      deadRecord(w, {
        phase: 'paused',
        heartbeatAt: w.start - 1000,
        cause: { code: 'GATE_FAILED', gates: ['alarms'] },
      }),
    );
    const result = await resumeDeploy(w.deps, resumeRequest());
    expect(result.status).toBe('promoted');
    expect(w.store.writes[0]!.record).not.toHaveProperty('cause');
    expect(w.store.peek(FN, ALIAS)).not.toHaveProperty('cause');
  });

  it("a failed rollback finished by --resume: the first run's cause stays (why it rolled back, not who finished it)", async () => {
    const w = createWorld();
    leaveDeployment(
      w,
      deadRecord(w, { phase: 'failed', percent: 100, cause: { code: 'HEALTH_UNREADABLE' } }),
    );
    const result = await resumeDeploy(w.deps, resumeRequest());
    expect(result.status).toBe('rolled_back');
    expect(w.store.writes[0]!.record).toMatchObject({
      phase: 'rolling-back',
      cause: { code: 'HEALTH_UNREADABLE' },
    });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      cause: { code: 'HEALTH_UNREADABLE' },
    });
  });

  it('a rollback killed before it closed the record (no cause) finished by --resume: ROLLBACK_UNFINISHED', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { phase: 'rolling-back', percent: 100 }));
    const result = await resumeDeploy(w.deps, resumeRequest());
    expect(result.status).toBe('rolled_back');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      cause: { code: 'ROLLBACK_UNFINISHED' },
    });
  });
});

describe('lshift check closes the record with the alarms that made it roll back', () => {
  const check = { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] };

  it('a promotion whose alarm fired since: GATE_FAILED (alarms)', async () => {
    const w = createWorld();
    const promoted = deadRecord(w, { phase: 'promoted', percent: 100, endedAt: w.start - 60_000 });
    leaveDeployment(w, promoted);
    w.metrics.setAlarm(ALARM, 'ALARM', { reason: 'Threshold Crossed' });
    const report = await runCheck({ ...w.deps, store: w.store, owner: 'check:cron@host:1' }, check);
    expect(report.results[0]).toMatchObject({ action: 'rolled_back' });
    const record = w.store.peek(FN, ALIAS);
    expect(record).toMatchObject({ phase: 'rolled-back', cause: { code: 'GATE_FAILED', gates: ['alarms'] } });
    // Closed as `lshift rollback` closes a promoted deployment (check-promoted-rollback-end.test.ts).
    expect(record?.endReason).toBe('rolled back to version 1: after it was promoted');
  });

  it('finishing a rollback someone left: no cause of its own (none known)', async () => {
    const w = createWorld();
    leaveDeployment(
      w,
      deadRecord(w, { phase: 'rolling-back', owner: 'ci@runner:7', heartbeatAt: w.start - 600_000 }),
    );
    const report = await runCheck({ ...w.deps, store: w.store, owner: 'check:cron@host:1' }, check);
    expect(report.results[0]).toMatchObject({ action: 'rolled_back' });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back' });
    expect(w.store.peek(FN, ALIAS)).not.toHaveProperty('cause');
  });

  it('lshift rollback by a person names none: an in-progress record closes without one', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w));
    const result = await rollbackDeployment(w.deps, {
      functionName: FN,
      alias: ALIAS,
      reason: 'manual rollback',
    });
    expect(result.status).toBe('rolled_back');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back' });
    expect(w.store.peek(FN, ALIAS)).not.toHaveProperty('cause');
  });
});
