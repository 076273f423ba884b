/**
 * The end of a wait watched beside (src/engine/wait-watch.ts: a step hook, a post-traffic hook,
 * the wait for provisioned concurrency) closes with one more poll that reads every alarm history
 * still waiting, as the end of a step's hold does (alarm-flap-check.ts, readAll). Before, the
 * watch just stopped: an alarm that went to ALARM and back between its last poll and the end of
 * the wait — or whose history waited past the 10 reads of a poll — was read by nobody, and the
 * next weight (100% after the last step hook) was written or the deployment promoted on it; only a
 * later `lshift check` saw it.
 */
import { describe, expect, it } from 'vitest';
import { timeBounds } from '../../src/aws/time-bounds.js';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { HEARTBEAT_INTERVAL_MS } from '../../src/engine/deploy-types.js';
import type { HookResult } from '../../src/ports/hooks.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import {
  ALARM,
  ALIAS,
  canary,
  createWorld,
  driven,
  FN,
  linear,
  request,
  type World,
  writesOf,
} from './world.js';

/**
 * A `cmd:` hook that runs 95 s; `atStart` scripts the alarms from the hook's start (ms). Polls
 * beside it fall every 10 s from its start: the last at 90 s, the next (at 100 s) never comes.
 */
function hookOf95s(w: World, atStart: (t: number) => void): string {
  const command = 'cmd:./flap.sh';
  w.hooks.script(
    command,
    () =>
      new Promise<HookResult>((resolve) => {
        atStart(w.clock.now());
        w.clock.after(95_000, () => resolve({ ok: true, durationMs: 95_000 }));
      }),
  );
  return command;
}

/** ALARM from `t + 93 s` to `t + 94 s`: after the poll at 90 s, before the hook's end at 95 s. */
/** Calls `then` (with the write's time) once the `nth` alias write has landed; looks every second. */
function afterWrite(w: World, nth: number, then: (at: number) => void): void {
  const look = () => {
    const write = w.lambda.callsOf('updateAlias')[nth - 1];
    if (write) then(write.at);
    else w.clock.after(1_000, look);
  };
  look();
}

const flapBeforeEnd = (w: World) => (t: number) => {
  w.metrics
    .setAlarm(ALARM, 'ALARM', { at: t + 93_000, reason: 'flap drill' })
    .setAlarm(ALARM, 'OK', { at: t + 94_000 });
};

const FLAPPED =
  /alarm demo-errors went to ALARM at \S+ \(flap drill\) and cleared before the next poll \(OK now\)/;

describe('the end of a watched wait reads every alarm history still waiting', () => {
  it('a flap between the last poll and the end of a post-traffic hook rolls back from 100%', async () => {
    const w = createWorld({ auto: false });
    const hook = hookOf95s(w, flapBeforeEnd(w));
    const result = await driven(
      w,
      runDeploy(w.deps, request({ ...canary(10, 60), hooks: { post: [cmdHook(hook.slice(4))] } })),
    );
    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'GATE_FAILED' });
    expect(describeReason(result)).toMatch(
      new RegExp(`^rolled back after step 2 \\(100%\\), during the post-traffic hooks: ${FLAPPED.source}`),
    );
    expect(writesOf(w.lambda).map((x) => x.slice(0, 2))).toEqual([
      ['1', { '2': 0.1 }],
      ['2', {}],
      ['1', {}],
    ]);
    const during = w.sink.ofType('health.polled').filter((e) => e.during === 'post-hook');
    expect(during.at(-1)!.verdicts[0]).toMatchObject({ gate: 'alarms', outcome: 'fail' });
    expect(w.store.phases()).not.toContain('promoted');
  });

  it('a flap between the last poll and the end of the step hook before 100%: 100% is never written', async () => {
    const w = createWorld({ auto: false });
    const hook = hookOf95s(w, flapBeforeEnd(w));
    const result = await driven(
      w,
      runDeploy(w.deps, request({ ...linear(50, 60), hooks: { step: [cmdHook(hook.slice(4))] } })),
    );
    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toMatch(new RegExp(`^rolled back at step 1 \\(50%\\): ${FLAPPED.source}`));
    expect(writesOf(w.lambda).map((x) => x.slice(0, 2))).toEqual([
      ['1', { '2': 0.5 }],
      ['1', {}],
    ]);
  });

  it('histories left past the 10 reads of the last poll are all read at the end of a post-traffic hook', async () => {
    const w = createWorld({ auto: false });
    const others = Array.from({ length: 20 }, (_, i) => `x-${i + 1}`);
    for (const name of others) w.metrics.setAlarm(name, 'INSUFFICIENT_DATA', { at: w.start - 60_000 });
    // x-late changed early in the deployment (judged then): of the 21 changes at 84 s it has
    // waited least, so the poll at 90 s reads 10 others and leaves 10 more and x-late, over
    // one poll's 10 reads: the poll closing the hook reads them all.
    w.metrics.setAlarm('x-late', 'INSUFFICIENT_DATA', { at: w.start - 60_000 });
    w.metrics.setAlarm('x-late', 'OK', { at: w.start + 5_000 });
    const hook = hookOf95s(w, (t) => {
      for (const name of others) w.metrics.setAlarm(name, 'OK', { at: t + 84_000 });
      w.metrics
        .setAlarm('x-late', 'ALARM', { at: t + 84_000, reason: 'flap drill' })
        .setAlarm('x-late', 'OK', { at: t + 84_500 });
    });
    const alarms = [ALARM, ...others, 'x-late'];
    const deploy = runDeploy(
      w.deps,
      request({ ...canary(10, 60), alarms, hooks: { post: [cmdHook(hook.slice(4))] } }),
    );
    const result = await driven(w, deploy);
    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toContain('alarm x-late went to ALARM at');
    const during = w.sink.ofType('health.polled').filter((e) => e.during === 'post-hook');
    expect(during.at(-2)!.verdicts[0]!.summary).toContain('not judged yet: alarms x-19, x-2, x-20');
    expect(during.at(-1)!.verdicts[0]).toMatchObject({ outcome: 'fail' });
    // The closing poll read all 11 (2 at a time), past the 10 of a poll.
    const reads = w.metrics.callsOf('describeAlarmHistory').filter((c) => c.at === during.at(-1)!.at);
    expect(reads).toHaveLength(11);
  });

  it('a flap between the last poll and READY of the wait after the 100% write rolls back', async () => {
    const w = createWorld({ auto: false });
    // No wait after the 10% write; after the 100% write, READY at the 18th read (85 s, a read
    // every 5 s): the polls beside the wait fall at 10 s … 80 s.
    w.lambda.setProvisionedConcurrency(FN, ALIAS, 10, []);
    afterWrite(w, 1, () => w.lambda.setProvisionedConcurrency(FN, ALIAS, 10, Array(17).fill('IN_PROGRESS')));
    afterWrite(w, 2, (t) => flapBeforeEnd(w)(t - 11_000));
    const result = await driven(w, runDeploy(w.deps, request(canary(10, 60))));
    const during = w.sink.ofType('health.polled').filter((e) => e.during === 'provisioned-concurrency');
    expect(during.length).toBeGreaterThan(0);
    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toMatch(FLAPPED);
    expect(writesOf(w.lambda).map((x) => x.slice(0, 2))).toEqual([
      ['1', { '2': 0.1 }],
      ['2', {}],
      ['1', {}],
    ]);
  });

  it('a quiet end: one closing poll, and the deployment promotes', async () => {
    const w = createWorld({ auto: false });
    const hook = hookOf95s(w, () => undefined);
    const result = await driven(
      w,
      runDeploy(w.deps, request({ ...canary(10, 60), hooks: { post: [cmdHook(hook.slice(4))] } })),
    );
    expect(result.status).toBe('promoted');
    const during = w.sink.ofType('health.polled').filter((e) => e.during === 'post-hook');
    // 9 on the grid (10 s … 90 s) and the one that closes the wait, at its end (95 s).
    expect(during).toHaveLength(10);
    expect(during.at(-1)!.at - during.at(-2)!.at).toBe(5_000);
  });
});

describe('the closing poll keeps the heartbeat', () => {
  it('its alarm read hung until its bound: the record is beaten beside it (a heartbeat interval and a beat, at most)', async () => {
    const w = createWorld({ auto: false });
    const hook = hookOf95s(w, () => undefined);
    const hungMs = timeBounds(15_000).callMs;
    const describeAlarms = w.metrics.describeAlarms.bind(w.metrics);
    let hung = false;
    let oldest = 0;
    const sample = (until: number) => {
      const stored = w.store.peek(FN, ALIAS)!;
      oldest = Math.max(oldest, w.clock.now() - stored.heartbeatAt);
      if (w.clock.now() < until) w.clock.after(1_000, () => sample(until));
    };
    w.metrics.describeAlarms = async (names: string[]) => {
      const postHooks = w.sink.events.some((e) => e.type === 'hook.completed' && e.phase === 'post');
      if (postHooks && !hung) {
        hung = true;
        sample(w.clock.now() + hungMs);
        await w.clock.sleep(hungMs);
      }
      return describeAlarms(names);
    };
    const result = await driven(
      w,
      runDeploy(w.deps, request({ ...canary(10, 60), hooks: { post: [cmdHook(hook.slice(4))] } })),
    );
    expect(hung).toBe(true);
    expect(result.status).toBe('promoted');
    // Without a beat beside it, the record aged by the whole bound (46 s) on top of its age at the hook's end.
    expect(oldest).toBeLessThanOrEqual(HEARTBEAT_INTERVAL_MS + 10_000);
  });
});
