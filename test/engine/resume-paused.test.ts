import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import type { OperatorCommand } from '../../src/domain/operator-command.js';
import { type SendCommandResult, sendOperatorCommand } from '../../src/engine/operator-send.js';
import { resumeRelease } from '../../src/engine/release-resume.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import {
  ALIAS,
  createWorld,
  deadRecord,
  FN,
  leaveDeployment,
  resumeRequest,
  type World,
  writesOf,
} from './world.js';

/**
 * `lshift pause` was obeyed, then the runner died (kill -9, a CI runner lost) with the
 * deployment paused; `deploy --resume` took it over. Seen against the sandbox: the resumed run
 * walked on (20% → 30% → …) while its record still said "paused by ann (its hold clock is
 * stopped)" — `lshift status` showed it paused, `lshift pause` was refused ("already paused",
 * exit 2) and `lshift resume` too ("not in a state to obey it", exit 2): nobody could hold it.
 * The pause is the operator's standing order on the record: the resumed run keeps it.
 */
const PAUSED_BY_ANN: OperatorCommand = { verb: 'pause', nonce: 'p1a2', state: 'done', by: 'ann@laptop:9' };
/** A resume takes a record over once it saw it unchanged this long (resume-runner-gone.ts). */
const RUNNER_GONE_MS = 120_000;

/**
 * `lshift resume` sent at `at`, by the verb's own engine (operator-send.ts): it writes the command,
 * then reads the record every 2 s and writes it again over a write of the deployment's that went over
 * it before it was read (operator-await-answer.ts). A one-shot write stood for it here before: a
 * poll's record write, read just before the command landed, dropped it, nobody wrote it again, and
 * the deployment held paused for ever — the product's design, a lost race of the test's making.
 */
function sendResumeAt(
  w: World,
  fn: string,
  at: number,
  release?: { id: string; functions: readonly string[] },
): () => Promise<SendCommandResult> {
  let sent: Promise<SendCommandResult> | undefined;
  w.clock.at(at, () => {
    sent = sendOperatorCommand(
      { store: w.store, clock: w.clock, random: () => 0.5 },
      {
        functionName: fn,
        alias: ALIAS,
        verb: 'resume',
        by: 'bob@desk:7',
        waitSeconds: 600,
        ...(release ? { release: release.id, releaseFunctions: release.functions } : {}),
      },
    );
    sent.catch(() => undefined);
  });
  return () => {
    if (!sent) throw new Error('the resume was never sent');
    return sent;
  };
}

/** Forward weights written before `until` (the resumed step written again is not one). */
function forwardWritesBefore(w: World, fn: string, until: number, resumedPercent: number): number {
  return w.lambda
    .callsOf('updateAlias')
    .filter((c) => c.at < until && c.args[0] === fn)
    .filter((c) => {
      const weights = (c.args[2] as { additionalWeights?: Record<string, number> }).additionalWeights ?? {};
      const version = c.args[2] as { functionVersion?: string };
      const percent = version.functionVersion === '2' ? 100 : Math.round((weights['2'] ?? 0) * 100);
      return percent > resumedPercent;
    }).length;
}

describe('deploy --resume of a deployment its operator had paused', () => {
  it('resumes paused: no forward weight until `lshift resume`, and says so', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { command: PAUSED_BY_ANN }));
    const resumeAt = w.start + RUNNER_GONE_MS + 900_000;
    const resumed = sendResumeAt(w, FN, resumeAt);

    const result = await resumeDeploy(w.deps, resumeRequest());

    expect(result.status).toBe('promoted');
    expect((await resumed()).answer).toBe('done');
    expect(forwardWritesBefore(w, FN, resumeAt, 20)).toBe(0);
    expect(writesOf(w.lambda).at(-1)?.slice(0, 2)).toEqual(['2', {}]);
    const obeyed = w.sink.events.filter((e) => e.type === 'operator.command');
    expect(obeyed.map((e) => e.type === 'operator.command' && [e.verb, e.obeyed])).toEqual([
      ['resume', true],
    ]);
    expect(w.sink.logs('warn').join('\n')).toContain(
      'deployment d-dead01 was paused by ann@laptop:9 when its runner stopped: it resumes paused',
    );
    expect(w.sink.logs('warn').join('\n')).toContain('`lshift resume demo --alias live`');
    // Its polls say it is paused (the renderers show that), until the resume, and not after.
    const polls = w.sink.events.filter((e) => e.type === 'health.polled');
    const pausedFlags = (from: number, to: number) =>
      polls
        .filter((e) => e.at > from && e.at < to)
        .map((e) => e.type === 'health.polled' && e.paused === true);
    const resumedAt = w.sink.events.find((e) => e.type === 'operator.command')!.at;
    expect(new Set(pausedFlags(0, resumedAt))).toEqual(new Set([true]));
    expect(new Set(pausedFlags(resumedAt, Number.POSITIVE_INFINITY))).toEqual(new Set([false]));
  });

  it('a pause answered by a later resume or promote is not kept', async () => {
    for (const verb of ['resume', 'promote'] as const) {
      const w = createWorld();
      leaveDeployment(w, deadRecord(w, { command: { ...PAUSED_BY_ANN, verb } }));
      const result = await resumeDeploy(w.deps, resumeRequest());
      expect(result.status, verb).toBe('promoted');
      expect(w.sink.logs('warn').join('\n'), verb).not.toContain('resumes paused');
    }
  });
});

describe('deploy a b c --resume of a release paused with `lshift pause --release`', () => {
  const NAMES = ['fa', 'fb', 'fc'];

  function pausedRelease(): World {
    const w = createWorld();
    for (const fn of NAMES) {
      w.lambda.addFunction(fn);
      w.lambda.addVersion(fn);
      w.lambda.addVersion(fn);
      w.lambda.addAlias(fn, ALIAS, '1');
      w.metrics.setAlarm(`${fn}-errors`, 'OK');
      // The pause went to the release's command reader, the first running function by name.
      const record: DeploymentRecord = deadRecord(w, {
        id: `d-${fn}0001`,
        releaseId: 'r-paus01',
        ...(fn === 'fa' ? { command: PAUSED_BY_ANN } : {}),
      });
      w.store.seed(fn, ALIAS, record);
      w.lambda.moveAlias(fn, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.2 } });
    }
    return w;
  }

  it('every function resumes held at its weight until `lshift resume --release`', async () => {
    const w = pausedRelease();
    const resumeAt = w.start + RUNNER_GONE_MS + 900_000;
    const resumed = sendResumeAt(w, 'fa', resumeAt, { id: 'r-paus01', functions: NAMES });
    const members = NAMES.map((fn) => resumeRequest({ functionName: fn, alarms: [`${fn}-errors`] }));

    const result = await resumeRelease(w.deps, { members });

    expect(result.status).toBe('promoted');
    expect((await resumed()).answer).toBe('done');
    for (const fn of NAMES) expect(forwardWritesBefore(w, fn, resumeAt, 20), fn).toBe(0);
    expect(w.sink.logs('warn').join('\n')).toContain('`lshift resume --release r-paus01 fa fb fc`');
  });
});
