import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LambdaClient, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/domain/events.js';
import { own } from '../../src/sandbox/own.js';
import { expectValidEvent, expectValidResultOf } from '../helpers/contract.js';
import type { CliRun } from '../helpers/run-cli.js';
import { expectSameRunAsBuiltCli, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { HANG_GUARD_MS } from '../helpers/wait-until.js';
import { readTruth } from './crash-helpers.js';
import {
  ANALYSIS_WITHOUT_CHANCE,
  aliasTruth,
  freshSandbox,
  type SandboxEnv,
  startSandboxEnv,
} from './sandbox-env.js';

/**
 * Operator verbs from a second process (issue 15): a deploy runs in one built CLI, and
 * `lshift promote | pause | resume | abort` in another, against the same sandbox. Each verb is
 * sent once the deploy's NDJSON shows it holding (an event, not a timer); the deploy's hold is
 * 24 simulated hours, so only the verb can end it. "Within one poll": the first of the deploy's
 * own polls (`health.polled`) that read the record once the command landed obeys it
 * (expectObeyedAtFirstPollReadingIt).
 */
describe('operator verbs against a running deploy (two built CLIs, one sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  // Only the verb may end the deploy: not a chance verdict of the judge on equal versions either
  // (≤ 1% of deployments, docs/analysis.md). An absolute gate keeps health judged at every poll.
  const DEPLOY = [
    'deploy',
    'demo',
    '--strategy',
    'canary:10%:24h',
    '--interval',
    '1m',
    ...ANALYSIS_WITHOUT_CHANCE,
    '--progress',
    'ndjson',
  ];
  /**
   * The longest --wait there is (1 h), on a sandbox slow enough that it lasts longer in real time
   * (3 minutes) than vitest lets a test run: a verb never gives up on a deploy that is merely
   * slow to answer on a loaded machine. The deploy's 1-minute polls are 3 real seconds apart.
   */
  const SPEED = 20;
  const WAIT = ['--wait', '1h', '--json'];
  /**
   * DEPLOY polled every 20 simulated seconds (1 real second at SPEED, not 3): for the tests whose
   * waits are whole polls (a verb is obeyed at the deploy's next record read, a pause is watched
   * over polls) and none of them a hook's (its heartbeats come at the poll interval, and the hook
   * tests count those). A command is read at every poll, whatever its interval.
   */
  const POLLED_OFTEN = DEPLOY.map((arg) => (arg === '1m' ? '20s' : arg));

  interface RunningDeploy {
    events: EngineEvent[];
    /** Resolves once an event matching `when` was seen. */
    seen(when: (e: EngineEvent) => boolean): Promise<EngineEvent>;
    done: Promise<CliRun>;
  }

  /** The deploy's SDK app id (AWS_SDK_UA_APP_ID, in its calls' User-Agent): readsOfCommand tells its calls apart. */
  const DEPLOY_CLIENT = 'deploy-under-test';

  function startDeploy(sandbox: SandboxEnv, extra: string[] = [], base = DEPLOY): RunningDeploy {
    const events: EngineEvent[] = [];
    const waiters: { when: (e: EngineEvent) => boolean; resolve: (e: EngineEvent) => void }[] = [];
    const onEvent = (e: EngineEvent) => {
      events.push(e);
      for (const w of [...waiters]) {
        if (!w.when(e)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
    };
    const attach = (child: ChildProcess) => {
      let buffer = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) onEvent(JSON.parse(line) as EngineEvent);
      });
    };
    const done = sandbox.cli([...base, ...extra], {
      onSpawn: attach,
      env: { AWS_SDK_UA_APP_ID: DEPLOY_CLIENT },
    });
    return {
      events,
      done,
      seen: (when) => {
        const already = events.find(when);
        if (already) return Promise.resolve(already);
        return new Promise((resolve, reject) => {
          waiters.push({ when, resolve });
          void done.then((run) => reject(new Error(describeEarlyEnd(run, events))));
        });
      },
    };
  }

  /**
   * Why the deploy ended before the awaited event: under `--progress ndjson` its stderr is
   * usually empty, so say what its result says (status, cause, reason) and the events that tell why.
   */
  function describeEarlyEnd(run: CliRun, events: EngineEvent[]): string {
    const finished = events.find((e) => e.type === 'deploy.finished');
    const result = finished?.type === 'deploy.finished' ? finished.result : undefined;
    const outcome = result
      ? JSON.stringify({
          status: result.status,
          cause: result.cause,
          reason: (result as { reason?: string }).reason,
        })
      : 'no deploy.finished event';
    // Warnings and unreadable-health events say what led there; the last events how it ended.
    const telling: EngineEvent[] = events
      .filter((e) => e.type === 'log' || e.type === 'health.error')
      .slice(-8);
    const last = [...telling, ...events.slice(-8).filter((e) => !telling.includes(e))].map((e) =>
      JSON.stringify(e),
    );
    return [
      `the deploy ended (${run.code}) first: ${outcome}`,
      'stderr:',
      run.stderr,
      'events:',
      ...last,
    ].join('\n');
  }

  const holding = (e: EngineEvent) => e.type === 'health.polled' && e.index === 0;
  const obeyed = (verb: string) => (e: EngineEvent) => e.type === 'operator.command' && e.verb === verb;

  /**
   * When the command landed, and the deploy's record reads (ListTags) the sandbox served while the
   * stored record carried `verb`'s command unanswered: each of them read it; `carried` once the
   * deploy's next write kept it unanswered (a heartbeat's). Armed before the verb is sent. On the
   * sandbox's clock, which the deploy's events' `at` follow (src/cli/clocks.ts: the same origin and
   * Date.now), told from the verb's own calls by the deploy's SDK app id (DEPLOY_CLIENT).
   */
  function readsOfCommand(sandbox: SandboxEnv, verb: string): CommandReads {
    const seen: CommandReads = { reads: [] };
    sandbox.handle.state.gate.holdAfter((operation, sb, client) => {
      const command = aliasTruth(sandbox.handle).record?.command;
      if (command?.verb !== verb || command.state !== 'sent') return false;
      seen.landedAt ??= sb.simNow();
      if (client !== DEPLOY_CLIENT) return false;
      if (operation === 'ListTags') seen.reads.push({ at: sb.simNow(), carried: false });
      const last = seen.reads.at(-1);
      if (operation === 'TagResource' && last) last.carried = true;
      return false;
    });
    return seen;
  }

  interface CommandReads {
    /** When the command landed, on the sandbox's clock. */
    landedAt?: number;
    reads: { at: number; carried: boolean }[];
  }

  /**
   * "Within one poll", counted in the deploy's record reads that saw the command (readsOfCommand),
   * not in time from the send (the lead's CI, load 15-19, failed that count: under load a poll
   * whose record work from before the landing still hangs reads nothing new, poll-record-work.ts).
   * One read obeyed it; any other is a heartbeat's beside a hung call, which carries the command
   * over (its write kept it unanswered) for a poll to obey: a second read that saw it and neither
   * obeyed nor wrote is a poll that left it for the next. It is obeyed by the poll after the first
   * read at the latest (a work slow past the next poll's health, or a heartbeat's read: that
   * poll's), and the first read comes at the poll after the landing, or the one after that when
   * the first's work from before the landing still hung.
   */
  function expectObeyedAtFirstPollReadingIt(events: EngineEvent[], seen: CommandReads, verb: string) {
    const polls = events.filter((e) => e.type === 'health.polled');
    const answer = events.find(obeyed(verb));
    if (!answer) throw new Error(`the deploy never obeyed ${verb}`);
    const { landedAt, reads } = seen;
    const first = reads[0]?.at;
    if (landedAt === undefined || first === undefined) throw new Error(`the sandbox saw no read of ${verb}`);
    const between = (from: number, to: number) => polls.filter((p) => p.at >= from && p.at < to).length;
    const said = `${verb} landed at ${landedAt}, read at ${JSON.stringify(reads)}, obeyed at ${answer.at}; polls at ${polls.map((p) => p.at)}`;
    expect(
      reads.filter((r) => !r.carried),
      `a read saw it and did not obey it: ${said}`,
    ).toHaveLength(1);
    expect(between(first, answer.at), said).toBeLessThanOrEqual(1);
    expect(between(landedAt, first), said).toBeLessThanOrEqual(2);
  }

  async function verb(args: string[]): Promise<Record<string, unknown> & { sentAt: number }> {
    const run = await env!.cli([...args, ...WAIT]);
    expect(run.code, `${args.join(' ')}: ${run.stdout} ${run.stderr}`).toBe(0);
    const result = JSON.parse(run.stdout);
    expectValidResultOf('operator', result);
    return result;
  }

  it('promote --full from a second process promotes a running canary within one poll', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: SPEED });
    const deploy = startDeploy(env, [], POLLED_OFTEN);
    await deploy.seen(holding);
    const reads = readsOfCommand(env, 'promote-full');
    const sent = await verb(['promote', 'demo', '--full']);
    expect(sent).toMatchObject({ verb: 'promote-full', answer: 'done' });
    const run = await deploy.done;
    expect(run.code, run.stderr).toBe(0);
    expectObeyedAtFirstPollReadingIt(deploy.events, reads, 'promote-full');
    const finished = deploy.events.find((e) => e.type === 'deploy.finished');
    expect(finished?.type === 'deploy.finished' && finished.result.status).toBe('promoted');
    expect(readTruth(env).functionVersion).toBe('2');
    expect(readTruth(env).record?.command).toMatchObject({ verb: 'promote-full', state: 'done' });
    for (const [i, e] of deploy.events.entries()) expectValidEvent(e, `event ${i} (${e.type})`);
  });

  it('pause stops the hold clock while health is still polled; resume releases it', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: SPEED });
    const deploy = startDeploy(env, [], POLLED_OFTEN);
    await deploy.seen(holding);
    const paused = await verb(['pause', 'demo']);
    expect(paused).toMatchObject({ verb: 'pause', answer: 'done' });
    const pausedAt = (await deploy.seen(obeyed('pause'))).at;
    // Three more polls while paused: health is watched, the time left does not move.
    const pollsAfter = (n: number, from: number) => (e: EngineEvent) =>
      e.type === 'health.polled' &&
      e.at > from &&
      deploy.events.filter((x) => x.type === 'health.polled' && x.at > from).length >= n;
    await deploy.seen(pollsAfter(3, pausedAt));
    const whilePaused = deploy.events
      .filter((e) => e.type === 'health.polled' && e.at > pausedAt)
      .slice(0, 3);
    const left = whilePaused.map((e) => (e.type === 'health.polled' ? e.remainingSeconds : -1));
    expect(new Set(left).size, `remaining while paused: ${left}`).toBe(1);
    // Pausing twice is refused, with nothing written.
    const again = await env.cli(['pause', 'demo', ...WAIT]);
    expect(again.code).toBe(2);
    expect(JSON.parse(again.stdout).code).toBe('COMMAND_REFUSED');

    const resumeReads = readsOfCommand(env, 'resume');
    const resuming = await env.cli(['resume', 'demo', ...WAIT]);
    const resumed = JSON.parse(resuming.stdout);
    expect(resumed).toMatchObject({ verb: 'resume', answer: 'done' });
    // Said before the wait (a hostile pass: nothing showed until the answer, up to --wait).
    expect(resuming.stderr).toMatch(
      /sent to deployment d-\S+ \(demo:live\); waiting up to 1h for it to answer at its next health poll \(Ctrl-C withdraws it\)/,
    );
    const resumedAt = (await deploy.seen(obeyed('resume'))).at;
    await deploy.seen(pollsAfter(2, resumedAt));
    const after = deploy.events.filter((e) => e.type === 'health.polled' && e.at > resumedAt).slice(0, 2);
    const [first, second] = after.map((e) => (e.type === 'health.polled' ? e.remainingSeconds : -1));
    expect(second, 'the hold counts down again after resume').toBeLessThan(first!);
    expectObeyedAtFirstPollReadingIt(deploy.events, resumeReads, 'resume');

    await verb(['promote', 'demo', '--full']);
    expect((await deploy.done).code).toBe(0);
  });

  it('abort rolls the running deploy back; it exits 3 with a reason naming the operator', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: SPEED });
    const deploy = startDeploy(env, [], POLLED_OFTEN);
    await deploy.seen(holding);
    const abortReads = readsOfCommand(env, 'abort');
    const aborted = await verb(['abort', 'demo', '--reason', 'p99 doubled in eu-west-1']);
    expect(aborted).toMatchObject({ verb: 'abort', answer: 'done', phase: 'rolled-back' });
    const run = await deploy.done;
    expect(run.code, run.stderr).toBe(3);
    const finished = deploy.events.find((e) => e.type === 'deploy.finished');
    const result = finished?.type === 'deploy.finished' ? finished.result : undefined;
    expect(result?.status).toBe('rolled_back');
    expect(result?.cause).toMatchObject({
      code: 'OPERATOR_ABORTED',
      data: { reason: 'p99 doubled in eu-west-1' },
    });
    expect((result as { reason?: string } | undefined)?.reason).toMatch(
      /aborted by .+@.+: p99 doubled in eu-west-1/,
    );
    expectObeyedAtFirstPollReadingIt(deploy.events, abortReads, 'abort');
    const truth = readTruth(env);
    expect(truth.functionVersion).toBe('1');
    expect(truth.weights).toEqual({});
    expect(truth.record?.phase).toBe('rolled-back');
    for (const [i, e] of deploy.events.entries()) expectValidEvent(e, `event ${i} (${e.type})`);
  });

  it('an alias moved by hand (the console) mid-shift: the deploy stops (exit 5) and closes its record honestly', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 60 });
    const linear = [
      'deploy',
      'demo',
      '--strategy',
      'linear:10%:10m',
      '--interval',
      '1m',
      ...ANALYSIS_WITHOUT_CHANCE,
      '--progress',
      'ndjson',
    ];
    const deploy = startDeploy(env, [], linear);
    await deploy.seen(holding);
    // Someone puts all traffic back on version 1 in the console: a plain UpdateAlias, no lshift.
    const client = new LambdaClient({
      endpoint: env.handle.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    await client.send(
      new UpdateAliasCommand({
        FunctionName: 'demo',
        Name: 'live',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: {} },
      }),
    );
    const run = await deploy.done;
    expect(run.code, run.stderr).toBe(5);
    expect(readTruth(env).record).toMatchObject({ phase: 'rolled-back', endReason: 'moved by hand' });
    const status = await env.cli(['status', 'demo']);
    // Closed, not rolled back: lshift wrote nothing after the move (session 64's words).
    expect(status.stdout).toMatch(/moved by hand \(lshift ran no rollback\)/);
    expect(status.stdout).not.toContain('rolled-back (');
    expect(status.stdout).not.toContain('--resume');
  });

  it('pause during a pre-traffic hook with a --wait shorter than it: says the deployment is busy, withdraws, and the deploy never obeys it', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: SPEED });
    // The hook ends when the test says so (a file appears): not a timer.
    const release = join(mkdtempSync(join(tmpdir(), 'lshift-e2e-')), 'go');
    const hook = `cmd:while [ ! -e '${release}' ]; do sleep 0.05; done`;
    const deploy = startDeploy(env, ['--pre-hook', hook, '--hook-timeout', '1h']);
    await deploy.seen((e) => e.type === 'hook.started' && e.phase === 'pre');
    const run = await env.cli(['pause', 'demo', '--wait', '1m', '--json']);
    expect(run.code, run.stderr).toBe(1);
    const error = JSON.parse(run.stdout);
    expect(error.code).toBe('COMMAND_NOT_ANSWERED');
    expect(error.message).toMatch(
      /it is running its pre-traffic hooks, and obeys a pause, resume or promote only at the health polls/,
    );
    expect(error.message).toMatch(/the command was withdrawn and nothing was done/);
    expect(error.hint).toMatch(/--wait longer than what is left of the hooks/);
    expect(readTruth(env).record?.command).toBeUndefined();
    writeFileSync(release, '');
    await deploy.seen(holding);
    await verb(['promote', 'demo', '--full']);
    expect((await deploy.done).code).toBe(0);
    expect(
      deploy.events
        .filter((e) => e.type === 'operator.command')
        .map((e) => e.type === 'operator.command' && e.verb),
    ).toEqual(['promote-full']);
  });

  it('pause during a pre-traffic hook with a long --wait: the heartbeats keep it in the record, and the first poll after the hook obeys it', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: SPEED });
    const release = join(mkdtempSync(join(tmpdir(), 'lshift-e2e-')), 'go');
    const hook = `cmd:while [ ! -e '${release}' ]; do sleep 0.05; done`;
    const deploy = startDeploy(env, ['--pre-hook', hook, '--hook-timeout', '1h']);
    await deploy.seen((e) => e.type === 'hook.started' && e.phase === 'pre');
    const pausing = env.cli(['pause', 'demo', ...WAIT]);
    // Watch the record (in-process sandbox state) until the deploy's heartbeat wrote it twice
    // with the command kept. A heartbeat is a read, then a write: one whose read came just
    // before the command landed writes it away (tags have no conditional write; the sender
    // writes it again), so only the first beat after the command (re)appears may drop it. A
    // beat that read the command must keep it: a later drop is the defect.
    const kept = await watchHeartbeats(env, 2);
    expect(kept.beats, 'two heartbeats kept the command').toBe(2);
    expect(kept.lost, 'the command was written away by a heartbeat that had read it').toEqual([]);
    expect(kept.races, 'at most one send lost to the read-write race').toBeLessThanOrEqual(1);
    writeFileSync(release, '');
    const run = await pausing;
    expect(run.code, run.stderr).toBe(0);
    const answer = JSON.parse(run.stdout);
    expect(answer).toMatchObject({ verb: 'pause', answer: 'done' });
    const obeyedAt = (await deploy.seen(obeyed('pause'))).at;
    const firstPoll = deploy.events.find(holding);
    expect(firstPoll && firstPoll.at <= obeyedAt).toBe(true);
    await verb(['promote', 'demo', '--full']);
    expect((await deploy.done).code).toBe(0);
  });

  it('abort during a `cmd:sleep 30` step hook: the hook is ended within a poll, not run out, and the deploy rolls back (exit 3)', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: SPEED });
    // 10% held 1 simulated minute (3 real seconds), then the step hook, 30 real seconds of sleep.
    const base = DEPLOY.map((arg) => (arg === 'canary:10%:24h' ? 'canary:10%:1m' : arg));
    const deploy = startDeploy(env, ['--step-hook', 'cmd:sleep 30'], base);
    await deploy.seen((e) => e.type === 'hook.started' && e.phase === 'step');
    const aborted = await verb(['abort', 'demo', '--reason', 'paged at 3am']);
    expect(aborted).toMatchObject({ verb: 'abort', answer: 'done', phase: 'rolled-back' });
    const run = await deploy.done;
    expect(run.code, run.stderr).toBe(3);
    // Ended by the abort, not slept out (a hook that ran its 30 s would have completed ok).
    const completed = deploy.events.find((e) => e.type === 'hook.completed');
    expect(completed).toMatchObject({ phase: 'step', ok: false });
    expect(completed?.type === 'hook.completed' && completed.reason).toMatch(
      /^ended: aborted by the operator \(.+@.+\)$/,
    );
    const finished = deploy.events.find((e) => e.type === 'deploy.finished');
    const result = finished?.type === 'deploy.finished' ? finished.result : undefined;
    expect(result?.cause).toMatchObject({ code: 'OPERATOR_ABORTED', data: { reason: 'paged at 3am' } });
    const truth = readTruth(env);
    expect(truth.functionVersion).toBe('1');
    expect(truth.weights).toEqual({});
    for (const [i, e] of deploy.events.entries()) expectValidEvent(e, `event ${i} (${e.type})`);
  });

  it('abort during the wait for provisioned concurrency after the 10% write: obeyed within a poll, not after the wait, and the deploy rolls back (exit 3)', async () => {
    // Slower than SPEED: the wait's bound (5 simulated minutes) lasts a real minute, far longer
    // than a verb takes to start on a loaded machine; its record reads come about every real 4 s
    // (POLLED_OFTEN's 20 s; every 12 s at DEPLOY's 1 minute).
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 5 });
    env.handle.state.lambdaRate.set('off');
    const pc = await fetch(
      `${env.handle.url}/2019-09-30/functions/demo/provisioned-concurrency?Qualifier=live`,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ProvisionedConcurrentExecutions: 10 }),
      },
    );
    expect(pc.status).toBe(202);
    // The sandbox allocates after one read; here the allocation after the 10% write never ends
    // (the wait would run to its bound): only the abort can end the wait early.
    let aliasWrites = 0;
    env.handle.state.gate.holdAfter((operation, sb) => {
      if (operation === 'UpdateAlias') aliasWrites++;
      const config = own(sb.data.functions, 'demo')?.provisionedConcurrency?.live;
      if (operation === 'GetProvisionedConcurrencyConfig' && aliasWrites === 1 && config) {
        config.readsLeft = Number.MAX_SAFE_INTEGER;
        config.readyAtMs = sb.simNow() + 24 * 3_600_000;
      }
      return false;
    });
    const deploy = startDeploy(env, [], POLLED_OFTEN);
    const waiting = (e: EngineEvent) =>
      e.type === 'log' && e.message.startsWith('waiting for the provisioned concurrency of demo:live');
    await deploy.seen(waiting);
    const aborted = await verb(['abort', 'demo', '--reason', 'allocation stuck']);
    expect(aborted).toMatchObject({ verb: 'abort', answer: 'done', phase: 'rolled-back' });
    const run = await deploy.done;
    expect(run.code, run.stderr).toBe(3);
    const finished = deploy.events.find((e) => e.type === 'deploy.finished');
    const result = finished?.type === 'deploy.finished' ? finished.result : undefined;
    expect(result?.cause).toMatchObject({ code: 'OPERATOR_ABORTED', data: { reason: 'allocation stuck' } });
    // Obeyed in the wait: it never gave up on the allocation, and no hold of 10% began.
    const said = deploy.events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
    expect(said.filter((m) => m.includes('still IN_PROGRESS') || m.includes('READY ('))).toEqual([]);
    expect(deploy.events.some((e) => e.type === 'health.polled' && e.during === undefined)).toBe(false);
    const truth = readTruth(env);
    expect(truth.functionVersion).toBe('1');
    expect(truth.weights).toEqual({});
    for (const [i, e] of deploy.events.entries()) expectValidEvent(e, `event ${i} (${e.type})`);
  });

  it('abort during the --warm wait before any traffic: obeyed within a poll, nothing moved, the temporary config removed (exit 3)', async () => {
    // Slower than SPEED, as above: the --warm wait's bound (10 simulated minutes) lasts two real ones.
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 5 });
    env.handle.state.lambdaRate.set('off');
    const pc = await fetch(
      `${env.handle.url}/2019-09-30/functions/demo/provisioned-concurrency?Qualifier=1`,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ProvisionedConcurrentExecutions: 10 }),
      },
    );
    expect(pc.status).toBe(202);
    // The temporary config lshift puts on version 2 never gets READY: only the abort ends the wait.
    env.handle.state.gate.holdAfter((operation, sb) => {
      const config = own(sb.data.functions, 'demo')?.provisionedConcurrency?.['2'];
      if (operation === 'GetProvisionedConcurrencyConfig' && config) {
        config.readsLeft = Number.MAX_SAFE_INTEGER;
        config.readyAtMs = sb.simNow() + 24 * 3_600_000;
      }
      return false;
    });
    const deploy = startDeploy(env, ['--warm'], POLLED_OFTEN);
    const waiting = (e: EngineEvent) =>
      e.type === 'log' && e.message.startsWith('waiting for the provisioned concurrency of demo:2');
    await deploy.seen(waiting);
    const aborted = await verb(['abort', 'demo', '--reason', 'warm-up stuck']);
    expect(aborted).toMatchObject({ verb: 'abort', answer: 'done', phase: 'rolled-back' });
    const run = await deploy.done;
    expect(run.code, run.stderr).toBe(3);
    const finished = deploy.events.find((e) => e.type === 'deploy.finished');
    const result = finished?.type === 'deploy.finished' ? finished.result : undefined;
    expect(result).toMatchObject({ trafficMoved: false });
    expect(result?.cause).toMatchObject({ code: 'OPERATOR_ABORTED', data: { reason: 'warm-up stuck' } });
    const said = deploy.events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
    expect(said.filter((m) => m.includes('still IN_PROGRESS'))).toEqual([]);
    expect(said).toContain('warm: removed the temporary provisioned concurrency (1) of version 2');
    expect(own(env.handle.state.data.functions, 'demo')?.provisionedConcurrency?.['2']).toBeUndefined();
    const truth = readTruth(env);
    expect(truth.functionVersion).toBe('1');
    expect(truth.weights).toEqual({});
    for (const [i, e] of deploy.events.entries()) expectValidEvent(e, `event ${i} (${e.type})`);
  });

  it('refuses with no running deployment, and leaves the record as it was', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: SPEED });
    for (const args of [
      ['promote', 'demo'],
      ['pause', 'demo'],
      ['abort', 'demo', '--reason', 'x'],
    ]) {
      const run = await env.cli([...args, ...WAIT]);
      expect(run.code, run.stderr).toBe(2);
      const error = JSON.parse(run.stdout);
      expect(error.code).toBe('NO_RUNNING_DEPLOYMENT');
      expectValidResultOf('error', error);
    }
    const tooLong = await env.cli(['abort', 'demo', '--reason', 'x'.repeat(61)]);
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toMatch(/--reason must be 1 to 60 characters/);
    // A newline would start a line of its own in the deployment's CI log (a workflow command).
    const controls = await env.cli(['abort', 'demo', '--reason', 'ok\n::stop-commands::x\u001b[8m']);
    expect(controls.code).toBe(2);
    expect(controls.stderr).toMatch(
      /--reason may not hold control characters \(found U\+000A at character 3\)/,
    );
    const badWait = await env.cli(['pause', 'demo', '--wait', 'soon']);
    expect(badWait.code).toBe(2);
    expect(readTruth(env).record).toBeUndefined();
  });
});

/**
 * The runs above go through this worker's process (run-cli-in-process.ts; the file is in
 * IN_PROCESS_E2E, vitest.config.ts), each run's owner a process of its own. A sample, each twin
 * on a fresh sandbox, prints and exits as the built CLI started for it.
 */
describe('the runs in this process, against the built CLI', () => {
  it('a sample prints and exits as the built CLI started for it', async () => {
    const fresh = freshSandbox({ preset: 'healthy' });
    await expectSameRunAsBuiltCli([
      { args: ['pause', 'demo', '--json'], fresh },
      { args: ['deploy', 'demo', '--strategy', 'all-at-once', '--no-analysis'], fresh },
    ]);
  });
});

/**
 * Samples the stored record until `want` heartbeats in a row kept a sent command. A drop at the
 * first beat after the command (re)appeared is the read-write race (`races`); any later drop is
 * a heartbeat writing away a command it had read (`lost`).
 */
async function watchHeartbeats(
  env: SandboxEnv,
  want: number,
): Promise<{ beats: number; races: number; lost: string[] }> {
  let present = false;
  let lastBeat = 0;
  let beatsSinceSent = 0;
  let beats = 0;
  let races = 0;
  const lost: string[] = [];
  // The caller asserts `beats`: this guard only ends a watch whose heartbeats stopped coming.
  const giveUpAt = Date.now() + HANG_GUARD_MS;
  while (beats < want && Date.now() < giveUpAt) {
    const record = readTruth(env).record;
    const sent = record?.command?.state === 'sent';
    if (record && sent && !present) {
      present = true;
      beatsSinceSent = 0;
      lastBeat = record.heartbeatAt;
    } else if (record && present && record.heartbeatAt > lastBeat) {
      lastBeat = record.heartbeatAt;
      beatsSinceSent++;
      if (sent) beats++;
      else {
        present = false;
        if (beatsSinceSent === 1) races++;
        else lost.push(`at ${record.heartbeatAt}: ${JSON.stringify(record.command)}`);
        beats = 0;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { beats, races, lost };
}
