import { describe, expect, it } from 'vitest';
import { describeReasonDropped } from '../../src/cli/reason-dropped-words.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { isLshiftError } from '../../src/domain/errors.js';
import { fingerprintGuards } from '../../src/domain/guard-fingerprint.js';
import { parseHookSpec } from '../../src/domain/hook-spec.js';
import type { OperatorCommand } from '../../src/domain/operator-command.js';
import { sendOperatorCommand } from '../../src/engine/operator-send.js';
import type { DroppedReason } from '../../src/engine/operator-send-types.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeStore } from '../helpers/fake-store.js';
import { ALIAS, createOperatorSendWorld, FN } from './operator-send-world.js';

/**
 * The verbs' side of the operator commands (`lshift promote|pause|resume|abort`), against a fake
 * store: what they refuse before writing, how they wait for the answer, and that a command nobody
 * answers is withdrawn.
 */
function setup(record?: Partial<DeploymentRecord>) {
  const world = createOperatorSendWorld(record);
  const { clock, store } = world;
  /** Plays the running deployment: answers the first `sent` command after `afterMs`. */
  const answerAfter = (
    afterMs: number,
    patch: Partial<DeploymentRecord> = {},
    state: OperatorCommand['state'] = 'done',
  ) =>
    clock.after(afterMs, () => {
      const r = store.peek(FN, ALIAS)!;
      if (r.command?.state === 'sent')
        store.seed(FN, ALIAS, { ...r, ...patch, command: { ...r.command, state }, heartbeatAt: clock.now() });
    });
  return { ...world, answerAfter };
}

async function codeOf(run: Promise<unknown>): Promise<string | undefined> {
  try {
    await run;
  } catch (error) {
    return isLshiftError(error) ? error.code : String(error);
  }
  return undefined;
}

describe('sendOperatorCommand', () => {
  it('writes the command on the record as read, and returns once the deployment answered', async () => {
    const { store, send, answerAfter, base } = setup();
    answerAfter(9_000);
    const result = await send();
    expect(store.writes).toHaveLength(1);
    expect(store.writes[0]!.record).toEqual({
      ...base,
      command: { verb: 'pause', nonce: 'iiii', state: 'sent', by: 'ann@laptop:9' },
    });
    expect(result).toMatchObject({
      verb: 'pause',
      deploymentId: 'd-run001',
      owner: 'ci@runner:7',
      answer: 'done',
    });
    expect(result.answeredAt - result.sentAt).toBeLessThanOrEqual(10_000);
  });

  // A command that lands after the deployment ended is told from its end by the token
  // (src/domain/record-seal.ts): a copy written without it would be read as the deployment's state.
  it('keeps the runner token of the record as read, on the command and on its withdrawal', async () => {
    const { store, send } = setup({ runnerToken: 'k3j9x2' });
    const error = await send().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'COMMAND_NOT_ANSWERED' });
    expect(store.writes.map((w) => [w.record.command?.state, w.record.runnerToken])).toEqual([
      ['sent', 'k3j9x2'],
      [undefined, 'k3j9x2'],
    ]);
  });

  it.each([
    ['no record', undefined, 'NO_RUNNING_DEPLOYMENT'],
    ['a promoted deployment', { phase: 'promoted' as const }, 'NO_RUNNING_DEPLOYMENT'],
    ['a deployment rolling back', { phase: 'rolling-back' as const }, 'NO_RUNNING_DEPLOYMENT'],
    ['a stale heartbeat', { heartbeatAt: Date.UTC(2026, 0, 1) - 600_000 }, 'DEPLOYMENT_STALE'],
    [
      'a command still unanswered',
      { command: { verb: 'promote', nonce: 'abcd', state: 'sent', by: 'bob@ci:1' } as const },
      'COMMAND_PENDING',
    ],
    [
      'pause when paused',
      { command: { verb: 'pause', nonce: 'abcd', state: 'done', by: 'bob@ci:1' } as const },
      'COMMAND_REFUSED',
    ],
  ])('refuses %s before writing anything', async (_name, record, code) => {
    const { store, send } = record === undefined ? setupWithout() : setup(record);
    expect(await codeOf(send())).toBe(code);
    expect(store.writes).toHaveLength(0);
  });

  // A deploy still publishing has written no record: a command sent then is refused and that deploy
  // goes on; the refusal said only "acts on a deployment while it runs" (h4's pass, session 64).
  it.each([
    ['no record', undefined],
    ['an ended deployment', { phase: 'promoted' as const }],
  ])(
    'NO_RUNNING_DEPLOYMENT of %s says a deploy just started cannot be reached yet',
    async (_name, record) => {
      const { send } = record === undefined ? setupWithout() : setup(record);
      const error = (await send().catch((e: unknown) => e)) as { hint?: string };
      expect(error.hint).toContain(
        'A deploy that has only started (uploading, publishing or checking) has no record yet',
      );
      expect(error.hint).toContain(
        'nothing was sent; send this again once it prints its deployment or release id',
      );
    },
  );

  // Found by a hostile pass: `pause demo -a nope` said "No deployment is running on alias nope".
  it('no record on an alias that does not exist: ALIAS_NOT_FOUND (exit 2), nothing written', async () => {
    const reads: string[] = [];
    const { store, send } = setupWithout({
      getAlias: async () => {
        reads.push('getAlias');
        return undefined;
      },
    });
    const error = await send().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ALIAS_NOT_FOUND',
      exitCode: 2,
      message: 'Alias live of function demo does not exist.',
    });
    expect(reads).toEqual(['getAlias']);
    expect(store.writes).toHaveLength(0);
  });

  it('no record on an alias that exists: still NO_RUNNING_DEPLOYMENT; a record present reads no alias', async () => {
    let reads = 0;
    const aliases = {
      getAlias: async () => {
        reads++;
        return { functionVersion: '1' };
      },
    };
    expect(await codeOf(setupWithout(aliases).send())).toBe('NO_RUNNING_DEPLOYMENT');
    expect(reads).toBe(1);
    const { store, clock, answerAfter } = setup();
    answerAfter(9_000);
    await sendOperatorCommand(
      { store, clock, random: () => 0.5, aliases: aliases as never },
      { functionName: FN, alias: ALIAS, verb: 'pause', by: 'ann@laptop:9', waitSeconds: 60 },
    );
    expect(reads).toBe(1);
  });

  it('a heartbeat 100 hours ahead is no sign of a runner: watched, then DEPLOYMENT_STALE saying how far ahead, nothing written', async () => {
    const { store, send, clock } = setup({ heartbeatAt: Date.UTC(2026, 0, 1) + 100 * 3600_000 });
    const started = clock.now();
    const error = await send().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'DEPLOYMENT_STALE',
      message: expect.stringContaining(
        "has a heartbeat 4d 3h 58m ahead of this machine's clock (more than the 5 minutes two clocks may differ by: no sign of a live runner)",
      ),
    });
    // No runner died: the record was edited or written by a wrong clock.
    expect((error as Error).message).not.toContain('runner seems to have died');
    // Watched for the stale period first, as a stale heartbeat is: a runner seen writing gets the command.
    expect(clock.now() - started).toBeGreaterThanOrEqual(120_000);
    expect(store.writes).toHaveLength(0);
  });

  // Following a sandbox's clock (LSHIFT_SANDBOX, --sandbox), the heartbeat was compared with the
  // sandbox's clock: the message said "ahead of this machine's clock" (found by a docs audit).
  it("following a sandbox's clock, DEPLOYMENT_STALE says the heartbeat is ahead of the sandbox's clock", async () => {
    const { send, clock } = setup({ heartbeatAt: Date.UTC(2026, 0, 1) + 100 * 3600_000 });
    (clock as { followsSandbox?: true }).followsSandbox = true;
    const error = await send().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'DEPLOYMENT_STALE',
      message: expect.stringContaining("has a heartbeat 4d 3h 58m ahead of the sandbox's clock (more than"),
    });
    expect((error as Error).message).not.toContain("this machine's clock");
  });

  it('refuses promote, promote --full and pause of a CodeDeploy deployment (its schedule is its own)', async () => {
    for (const verb of ['promote', 'promote-full', 'pause'] as const) {
      const { store, send } = setup({ engine: 'codedeploy', codeDeployId: 'd-ABCDEF123' });
      expect(await codeOf(send({ verb }))).toBe('ENGINE_CANNOT_RUN');
      expect(store.writes).toHaveLength(0);
    }
  });

  it('pause and promote of a release are sent when asked as the release’s (--release)', async () => {
    for (const verb of ['pause', 'promote', 'promote-full'] as const) {
      const { store, send } = setup({ releaseId: 'r-abc123' });
      void send({ verb, release: 'r-abc123', waitSeconds: 1 }).catch(() => undefined);
      await Promise.resolve();
      expect(store.peek(FN, ALIAS)!.command?.verb).toBe(verb);
    }
  });

  it('refuses promote, promote --full and pause of one function of a release; abort is sent', async () => {
    for (const verb of ['promote', 'promote-full', 'pause'] as const) {
      const { store, send } = setup({ releaseId: 'r-abc123' });
      expect(await codeOf(send({ verb }))).toBe('RELEASE_MEMBER');
      expect(store.writes).toHaveLength(0);
    }
    const { store, send } = setup({ releaseId: 'r-abc123' });
    void send({ verb: 'abort', waitSeconds: 1 }).catch(() => undefined);
    await Promise.resolve();
    expect(store.peek(FN, ALIAS)!.command?.verb).toBe('abort');
  });

  it('a pause or promote reason the record would drop is refused before anything is written', async () => {
    // 29 emoji and an accent: 59 characters, but 12 tag characters per emoji once escaped.
    for (const verb of ['pause', 'promote'] as const) {
      const { store, send } = setup();
      expect(await codeOf(send({ verb, reason: `${'🚨'.repeat(29)}é` }))).toBe('INVALID_FLAG');
      expect(store.writes).toHaveLength(0);
    }
    const fits = setup();
    void fits
      .send({ verb: 'abort', reason: 'p99 doubled in eu-west-1', waitSeconds: 1 })
      .catch(() => undefined);
    await Promise.resolve();
    expect(fits.store.peek(FN, ALIAS)!.command?.reason).toBe('p99 doubled in eu-west-1');
  });

  it('a reason with a zero-width character is recorded, not "dropped" (h1\'s pass: the read-back was printable()\'d)', async () => {
    // `abort --reason "$(printf 'ok\u200Bgo')"` warned "was not recorded: it takes 13 characters
    // … room for 52"; a pause's was refused INVALID_FLAG with the same untrue numbers.
    const aborted = setup();
    void aborted.send({ verb: 'abort', reason: 'ok\u200Bgo', waitSeconds: 1 }).catch(() => undefined);
    await Promise.resolve();
    expect(aborted.store.peek(FN, ALIAS)!.command?.reason).toBe('ok\\u{200B}go');
    const paused = setup();
    void paused.send({ verb: 'pause', reason: '\u202Eok\u200B', waitSeconds: 1 }).catch(() => undefined);
    await Promise.resolve();
    expect(paused.store.peek(FN, ALIAS)!.command?.reason).toBe('\\u{202E}ok\\u{200B}');
  });

  it('an abort is never refused for its reason: on a full record of 10 steps it is sent without it, and says so', async () => {
    // 10 steps of N.5%@1m at its last weight with the guard fingerprints: room for no reason (found
    // by a docs pass: `abort --reason '<40 characters>'` was refused INVALID_FLAG, "room for 0").
    const strategy = `steps:${Array.from({ length: 10 }, (_, i) => `${i + 1.5}%@1m`).join(',')},100%`;
    const full = {
      strategy,
      stepIndex: 9,
      percent: 10.5,
      guards: {
        ...fingerprintGuards({ alarms: [], hooks: [], bakeSeconds: 0, analysis: true }),
        judging: { absoluteGates: 0, hash: '0000000' },
      },
    };
    const world = createOperatorSendWorld(full);
    const said: unknown[] = [];
    const sent = sendOperatorCommand(
      { store: world.store, clock: world.clock, random: () => 0.5, onSent: (s) => said.push(s) },
      {
        functionName: FN,
        alias: ALIAS,
        verb: 'abort',
        by: 'ann@laptop:9',
        reason: 'a'.repeat(40),
        waitSeconds: 1,
      },
    );
    void sent.catch(() => undefined);
    await Promise.resolve();
    await Promise.resolve();
    const command = world.store.peek(FN, ALIAS)!.command;
    expect(command?.verb).toBe('abort');
    expect(command?.reason).toBeUndefined();
    expect(said).toEqual([
      expect.objectContaining({
        reasonDropped: { takes: 40, room: expect.any(Number), reason: 'a'.repeat(40), ownerChars: 11 },
      }),
    ]);
    expect((said[0] as { reasonDropped: { room: number } }).reasonDropped.room).toBeLessThan(40);
    // A pause of the same record is refused for it, as before.
    expect(await codeOf(createOperatorSendWorld(full).send({ verb: 'pause', reason: 'a'.repeat(40) }))).toBe(
      'INVALID_FLAG',
    );
  });

  it('a 64-character owner (a CI job’s) leaves a canary record room for 24: the abort is sent without the reason, and what was dropped and why is said', async () => {
    // Carried since session 66: "a 64-character owner still loses `abort --reason`". The owner is
    // kept whole before the command's texts (who runs it, whether that run is alive, are judged by
    // it), so the warning is what says the reason, its cost, the owner's share and what would fit.
    const owner = 'gha:my-organisation/payments-service-backend/9170337123/1/deploy';
    expect(owner).toHaveLength(64);
    // As a deploy writes it: its guard fingerprints, its run's token and the alias's revision.
    const live = {
      owner,
      guards: {
        ...fingerprintGuards({ alarms: ['errors'], hooks: [], bakeSeconds: 600, analysis: true }),
        judging: { absoluteGates: 1, hash: '0000000' },
      },
      runnerToken: 'k3j9x2ab',
      aliasRevision: '1a2b3c4d',
    };
    const world = createOperatorSendWorld(live);
    const said: unknown[] = [];
    const sent = sendOperatorCommand(
      { store: world.store, clock: world.clock, random: () => 0.5, onSent: (s) => said.push(s) },
      {
        functionName: FN,
        alias: ALIAS,
        verb: 'abort',
        by: 'ann@laptop:9',
        reason: 'p99 doubled in eu-west-1',
        waitSeconds: 1,
      },
    );
    void sent.catch(() => undefined);
    await Promise.resolve();
    await Promise.resolve();
    const stored = world.store.peek(FN, ALIAS)!;
    expect(stored.command?.verb).toBe('abort');
    expect(stored.command?.reason).toBeUndefined();
    // Its owner stays whole: the runner knows its record by it.
    expect(stored.owner).toBe(owner);
    const dropped = (said[0] as { reasonDropped: DroppedReason }).reasonDropped;
    expect(dropped).toEqual({ takes: 30, room: 24, reason: 'p99 doubled in eu-west-1', ownerChars: 64 });
    expect(describeReasonDropped('d-run001', dropped)).toBe(
      `Warning: --reason was not recorded: "p99 doubled in eu-west-1" takes 30 characters of deployment d-run001's record, which has room for 24: the record is one 256-character tag, and its runner's owner takes 64 characters of them (kept ahead of the reason: lshift judges by it who runs the deployment and whether that run is alive), the rest the deployment's state and newest history. The abort was sent without it (an abort is never refused for its reason); a reason of at most 24 characters (letters, digits and _ : / = @ - take 1 each, a space, a dot or any other character 3 or more) would have been kept.`,
    );
    // What the warning says would fit does.
    const fits = createOperatorSendWorld(live);
    void fits
      .send({ verb: 'abort', reason: 'p99_doubled_in_eu-west-1', waitSeconds: 1 })
      .catch(() => undefined);
    await Promise.resolve();
    await Promise.resolve();
    expect(fits.store.peek(FN, ALIAS)!.command?.reason).toBe('p99_doubled_in_eu-west-1');
  });

  it('a one-letter reason the record cannot hold: "it takes 1 character" (found by a garbage-input pass: "1 characters")', async () => {
    // The fewest N.5%@1m steps whose record (at its last weight, with the guard fingerprints) has no room left.
    const refusalFor = async (n: number) => {
      const strategy = `steps:${Array.from({ length: n }, (_, i) => `${i + 1.5}%@1m`).join(',')},100%`;
      const full = {
        strategy,
        stepIndex: n - 1,
        percent: n - 1 + 1.5,
        guards: {
          ...fingerprintGuards({ alarms: [], hooks: [], bakeSeconds: 0, analysis: true }),
          judging: { absoluteGates: 0, hash: '0000000' },
        },
      };
      return createOperatorSendWorld(full)
        .send({ verb: 'pause', reason: 'a', waitSeconds: 1 })
        .then(
          () => undefined,
          (e: unknown) => e as Error & { code?: string },
        );
    };
    let error: (Error & { code?: string }) | undefined;
    for (let n = 10; n < 20 && error?.code !== 'INVALID_FLAG'; n++) error = await refusalFor(n);
    expect(error?.code).toBe('INVALID_FLAG');
    expect(error?.message).toContain(
      'it takes 1 character of the tag as the record writes it, which has room for 0 ',
    );
  });

  it('a reason within 60 characters that the record cannot hold says what it takes and what room there is', async () => {
    // 60 emoji: 60 characters (the flag's limit), 720 of the tag once escaped (12 each).
    const { store, send } = setup();
    const error = await send({ verb: 'pause', reason: '🚨'.repeat(60) }).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string; hint?: string },
    );
    expect(error?.code).toBe('INVALID_FLAG');
    expect(error?.message).toMatch(
      /^--reason does not fit in deployment d-run001's record: it takes 720 characters of the tag as the record writes it, which has room for (\d+) \(a 256-character tag/,
    );
    const room = Number(/room for (\d+)/.exec(error?.message ?? '')?.[1]);
    expect(room).toBeGreaterThan(0);
    expect(error?.hint).toContain('an emoji 12');
    expect(store.writes).toHaveLength(0);
    // That many plain letters fit; one more does not.
    const fits = setup();
    void fits.send({ verb: 'pause', reason: 'a'.repeat(room), waitSeconds: 1 }).catch(() => undefined);
    await Promise.resolve();
    expect(fits.store.peek(FN, ALIAS)!.command?.reason).toBe('a'.repeat(room));
    if (room < 60)
      expect(await codeOf(setup().send({ verb: 'pause', reason: 'a'.repeat(room + 1) }))).toBe(
        'INVALID_FLAG',
      );
  });

  it('a deployment left paused (--on-interrupt leave) has nobody to obey: the hint says --resume or rollback', async () => {
    const { store, send } = setup({ phase: 'paused' });
    const error = await send({ verb: 'resume' }).catch((e: unknown) => e);
    expect(isLshiftError(error) && error.code).toBe('NO_RUNNING_DEPLOYMENT');
    expect(isLshiftError(error) && error.hint).toMatch(
      /lshift deploy demo --alias live --resume.*lshift rollback demo/,
    );
    expect(store.writes).toHaveLength(0);
  });

  it('the hint for a deployment left paused names the flags its resume needs again (gd=)', async () => {
    const guards = fingerprintGuards({
      alarms: ['demo-errors'],
      hooks: [{ post: [parseHookSpec('cmd:./smoke.sh', '--post-hook')] }],
      bakeSeconds: 0,
      analysis: false,
    });
    const { send } = setup({ phase: 'paused', guards });
    const error = await send({ verb: 'resume' }).catch((e: unknown) => e);
    expect(isLshiftError(error) && error.hint).toContain(
      "continue it with `lshift deploy demo --alias live --resume` plus the first run's --alarm, hook and --no-analysis flags (it watched 1 alarm, ran a post-traffic hook and had the canary analysis off), or undo it",
    );
  });

  // A release's pause is answered on the record it went to; this one's may not say it (found by a
  // hostile pass: naming the other functions read "not paused" of a paused release). The runner,
  // which pauses the release as one, answers: `done` when paused, `refused` when not.
  it.each([
    ['paused elsewhere in the release', 'done' as const],
    ['not paused', 'refused' as const],
  ])(
    'sends resume --release to a record that does not say the pause: %s, the runner answers %s',
    async (_name, state) => {
      const { store, send, answerAfter } = setup({ releaseId: 'r-abc123' });
      answerAfter(9_000, {}, state);
      const result = await send({ verb: 'resume', release: 'r-abc123' });
      expect(store.writes).toHaveLength(1);
      expect(result).toMatchObject({ verb: 'resume', answer: state });
    },
  );

  it('refuses resume of one function of a release that is not paused, naming the release’s pause (its own is refused)', async () => {
    const { store, send } = setup({ releaseId: 'r-abc123' });
    const error = await send({ verb: 'resume' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'COMMAND_REFUSED' });
    const hint = (error as { hint?: string }).hint;
    expect(hint).toContain('`lshift pause --release r-abc123 <its functions>`');
    expect(hint).not.toContain('`lshift pause`');
    // The function's own pause, the hint's old advice, is refused: RELEASE_MEMBER.
    expect(await codeOf(send({ verb: 'pause' }))).toBe('RELEASE_MEMBER');
    expect(store.writes).toHaveLength(0);
  });

  // h3 F6 (session 62): the hints named `<its functions>` where the record now keeps them (`rf=`).
  it('names the release’s functions its record keeps in the pause and promote it offers', async () => {
    const names = { releaseId: 'r-abc123', releaseSize: 2, releaseFunctions: [FN, 'billing'] };
    const resume = setup(names);
    const refused = (await resume.send({ verb: 'resume' }).catch((e: unknown) => e)) as { hint?: string };
    expect(refused.hint).toContain(`\`lshift pause --release r-abc123 ${FN} billing\``);
    const member = setup(names);
    const promote = (await member.send({ verb: 'promote' }).catch((e: unknown) => e)) as { hint?: string };
    expect(promote.hint).toBe(`Use \`lshift promote --release r-abc123 ${FN} billing\`.`);
  });

  it('refuses resume when not paused', async () => {
    const { store, send } = setup();
    expect(await codeOf(send({ verb: 'resume' }))).toBe('COMMAND_REFUSED');
    expect(store.writes).toHaveLength(0);
  });

  it('nobody answers within --wait: COMMAND_NOT_ANSWERED, and the record is put back as it was', async () => {
    const { store, send, base } = setup();
    const error = await send({ waitSeconds: 30 }).catch((e: unknown) => e);
    expect(isLshiftError(error) && error.code).toBe('COMMAND_NOT_ANSWERED');
    expect(String((error as Error).message)).toMatch(
      /did not answer `pause` within 30 s; the command was withdrawn/,
    );
    expect(store.peek(FN, ALIAS)).toEqual(base);
  });

  it('a promote answered and moved on before the answer was read: returns the record it waited in (the hold it skipped)', async () => {
    const { send, answerAfter } = setup({ strategy: 'linear:10%:1m', stepIndex: 3, percent: 40 });
    // The deployment answers at step 4's poll and moves to step 5 before this sender reads again.
    answerAfter(3_000, { stepIndex: 4, percent: 50 });
    const result = await send({ verb: 'promote' });
    expect(result.record).toMatchObject({ stepIndex: 4, percent: 50 });
    expect(result.pendingOn).toMatchObject({ stepIndex: 3, percent: 40 });
    expect(result.liftedPause).toBeUndefined();
  });

  it('a promote of a deployment an operator paused: says the pause was lifted (liftedPause)', async () => {
    const paused = { verb: 'pause', nonce: 'p000', state: 'done', by: 'bob@ci:1' } as const;
    const { send, answerAfter } = setup({ command: paused });
    answerAfter(3_000, { stepIndex: 1, percent: 100 });
    expect((await send({ verb: 'promote' })).liftedPause).toBe(true);
  });

  it('an abort whose runner stopped (its heartbeat never moved, now older than the stale limit): says so, and names rollback and status', async () => {
    const { send } = setup();
    const error = await send({ verb: 'abort', waitSeconds: 120 }).catch((e: unknown) => e);
    expect(isLshiftError(error) && error.code).toBe('COMMAND_NOT_ANSWERED');
    const { message, hint } = error as { message: string; hint: string };
    // Said once the heartbeat (5 s old when sent) passed the stale limit, 115 s in: not at 120 s.
    expect(message).toMatch(
      /did not answer `abort` within 11\d s: its heartbeat did not change while this waited and is 12\d s old, so its runner seems to have stopped \(nobody reads the record\); the command was withdrawn/,
    );
    expect(hint).toContain('`lshift rollback demo --alias live`');
    expect(hint).toContain('`lshift status demo --alias live`');
    expect(hint).not.toMatch(/pause, resume or promote/);
  });

  // Found by a hostile pass: an abort to a runner killed with kill -9 waited out its whole --wait.
  describe('a runner that stopped is said once its heartbeat is past the stale limit, not after --wait', () => {
    it.each([
      ['an abort', 'abort' as const],
      ['a pause', 'pause' as const],
    ])(
      '%s, --wait 10m, the heartbeat 60 s old when sent: answered at 90 s, same words, withdrawn',
      async (_n, verb) => {
        const { send, clock, store, base } = setup({ heartbeatAt: Date.UTC(2026, 0, 1) - 60_000 });
        const start = clock.elapsedMs();
        const error = await send({ verb, waitSeconds: 600 }).catch((e: unknown) => e);
        expect(isLshiftError(error) && error.code).toBe('COMMAND_NOT_ANSWERED');
        expect((error as Error).message).toMatch(
          new RegExp(
            `did not answer \`${verb}\` within 9\\d s: its heartbeat did not change while this waited and is 15\\d s old, so its runner seems to have stopped \\(nobody reads the record\\); the command was withdrawn`,
          ),
        );
        // Past the stale limit 60 s in, but not moved for the longest gap between two live heartbeats: 90 s.
        expect(clock.elapsedMs() - start).toBeGreaterThanOrEqual(90_000);
        expect(clock.elapsedMs() - start).toBeLessThan(100_000);
        expect(store.peek(FN, ALIAS)?.command).toEqual(base.command);
      },
    );

    it('a live runner whose clock is 100 s behind (fresh-looking when sent, stale-looking between its beats) still gets its abort', async () => {
      const skew = 100_000;
      const { send, clock, store } = setup({ heartbeatAt: Date.UTC(2026, 0, 1) - 5_000 - skew });
      // Its heartbeat every 30 s by its own clock; it reads the abort only 80 s in (a slow poll).
      for (let t = 25_000; t <= 600_000; t += 30_000) {
        clock.after(t, () => {
          const r = store.peek(FN, ALIAS)!;
          const read = t >= 80_000 && r.command?.state === 'sent';
          store.seed(FN, ALIAS, {
            ...r,
            heartbeatAt: clock.now() - skew,
            ...(read
              ? { command: { ...r.command!, state: 'done' as const }, phase: 'rolled-back' as const }
              : {}),
          });
        });
      }
      await expect(send({ verb: 'abort', waitSeconds: 120 })).resolves.toMatchObject({
        verb: 'abort',
        answer: 'done',
      });
    });

    it('a live runner with a clock 100 s behind that beats only every 85 s: waited for, not taken for stopped', async () => {
      const skew = 100_000;
      const { send, clock, store } = setup({ heartbeatAt: Date.UTC(2026, 0, 1) - 5_000 - skew });
      for (let t = 80_000; t <= 600_000; t += 85_000) {
        clock.after(t, () => {
          const r = store.peek(FN, ALIAS)!;
          const read = t >= 160_000 && r.command?.state === 'sent';
          store.seed(FN, ALIAS, {
            ...r,
            heartbeatAt: clock.now() - skew,
            ...(read
              ? { command: { ...r.command!, state: 'done' as const }, phase: 'rolled-back' as const }
              : {}),
          });
        });
      }
      await expect(send({ verb: 'abort', waitSeconds: 300 })).resolves.toMatchObject({ answer: 'done' });
    });
  });

  it('a short --wait that saw no heartbeat says nothing of a stopped runner; an abort is not hinted at pause, resume or promote', async () => {
    const { send } = setup();
    const error = await send({ verb: 'abort', waitSeconds: 30 }).catch((e: unknown) => e);
    const { message, hint } = error as { message: string; hint: string };
    expect(message).not.toMatch(/seems to have stopped/);
    expect(hint).not.toMatch(/pause, resume or promote/);
  });

  it('Ctrl-C while waiting: INTERRUPTED, and the unanswered command is withdrawn', async () => {
    const { clock, store, send, base } = setup();
    const controller = new AbortController();
    clock.after(5_000, () => controller.abort(new Error('interrupted by SIGINT')));
    const error = await send({ signal: controller.signal }).catch((e: unknown) => e);
    expect(isLshiftError(error) && error.code).toBe('INTERRUPTED');
    expect(String((error as Error).message)).toMatch(/the command was withdrawn/);
    expect(store.peek(FN, ALIAS)).toEqual(base);
  });

  it('the deployment ended before it read the command: says so, nothing to withdraw', async () => {
    const { clock, store, send } = setup();
    clock.after(5_000, () => {
      const r = store.peek(FN, ALIAS)!;
      const { command: _gone, ...rest } = r;
      store.seed(FN, ALIAS, {
        ...rest,
        phase: 'promoted',
        percent: 100,
        heartbeatAt: clock.now(),
        endedAt: clock.now(),
      });
    });
    const error = await send().catch((e: unknown) => e);
    expect(isLshiftError(error) && error.code).toBe('COMMAND_NOT_ANSWERED');
    expect(String((error as Error).message)).toMatch(/ended \(promoted\) before it read the command/);
    expect(store.peek(FN, ALIAS)?.phase).toBe('promoted');
    // Its hint is how it ended, not how a running deployment obeys commands.
    expect((error as { hint: string }).hint).toBe('See how it ended with `lshift status demo --alias live`.');
  });

  it('an abort that a promote --full beat to the end: the hint says how it ended and how to undo the promotion', async () => {
    const { clock, store, send } = setup();
    clock.after(5_000, () => {
      const { command: _gone, ...rest } = store.peek(FN, ALIAS)!;
      store.seed(FN, ALIAS, {
        ...rest,
        phase: 'promoted',
        percent: 100,
        heartbeatAt: clock.now(),
        endedAt: clock.now(),
      });
    });
    const error = await send({ verb: 'abort' }).catch((e: unknown) => e);
    expect(isLshiftError(error) && error.code).toBe('COMMAND_NOT_ANSWERED');
    expect(String((error as Error).message)).toMatch(/ended \(promoted\) before it read the command/);
    expect((error as { hint: string }).hint).toBe(
      'See how it ended with `lshift status demo --alias live`. To undo the promotion: `lshift rollback demo --alias live` (back to version 1).',
    );
  });

  it.each([
    ['rolling-back', 'rolling-back'],
    ['rolled-back', 'rolled-back'],
  ] as const)(
    'an abort another operator’s abort overtook (%s): that abort’s answer is this one’s (joined), not an error',
    async (phase, last) => {
      const { clock, store, send } = setup();
      // Another operator's abort, answered, went over ours; the rollback it started then ends ours.
      clock.after(3_000, () => {
        const r = store.peek(FN, ALIAS)!;
        const other = {
          verb: 'abort' as const,
          nonce: 'zzzz',
          state: 'done' as const,
          by: 'bob@ci:3',
          reason: 'page',
        };
        store.seed(FN, ALIAS, { ...r, phase, percent: 0, command: other, heartbeatAt: clock.now() });
      });
      const result = await send({ verb: 'abort', waitSeconds: 10 });
      expect(result).toMatchObject({ answer: 'done', joined: { by: 'bob@ci:3', reason: 'page' } });
      expect(result.record.phase).toBe(last);
    },
  );

  describe('two aborts at the same moment', () => {
    const otherAbort = { verb: 'abort' as const, nonce: 'zzzz', state: 'sent' as const, by: 'bob@ci:3' };

    it('an abort while another operator’s abort is pending waits for its answer, writing nothing', async () => {
      const { clock, store, send, answerAfter } = setup({ command: { ...otherAbort, reason: 'page' } });
      answerAfter(5_000, { phase: 'rolling-back' });
      clock.after(9_000, () =>
        store.seed(FN, ALIAS, { ...store.peek(FN, ALIAS)!, phase: 'rolled-back', percent: 0 }),
      );
      const result = await send({ verb: 'abort', reason: 'mine' });
      expect(store.writes).toHaveLength(0);
      expect(result).toMatchObject({
        verb: 'abort',
        answer: 'done',
        joined: { by: 'bob@ci:3', reason: 'page' },
        record: { phase: 'rolled-back' },
      });
    });

    it('an abort whose sender the record had no room for: joined without a `by` (as status --json), not by ""', async () => {
      const { clock, store, send, answerAfter } = setup();
      const { by: _by, ...nameless } = otherAbort;
      clock.after(1_000, () => store.seed(FN, ALIAS, { ...store.peek(FN, ALIAS)!, command: nameless }));
      answerAfter(7_000, { phase: 'rolled-back', percent: 0 });
      const result = await send({ verb: 'abort' });
      expect(result.joined).toEqual({});
    });

    it('another operator’s abort written over this one: this one waits for it and never writes over it', async () => {
      const { clock, store, send, answerAfter } = setup();
      clock.after(1_000, () => store.seed(FN, ALIAS, { ...store.peek(FN, ALIAS)!, command: otherAbort }));
      answerAfter(7_000, { phase: 'rolled-back', percent: 0 });
      const result = await send({ verb: 'abort' });
      expect(store.writes).toHaveLength(1); // its own first write only
      expect(result).toMatchObject({ answer: 'done', joined: { by: 'bob@ci:3' } });
    });

    it('the abort it joined is withdrawn (its sender gave up): this one is sent and answered', async () => {
      const { clock, store, send, answerAfter, base } = setup({ command: otherAbort });
      const { command: _withdrawn, ...without } = base;
      clock.after(3_000, () => store.seed(FN, ALIAS, { ...without, heartbeatAt: clock.now() }));
      answerAfter(9_000, { phase: 'rolled-back', percent: 0 });
      const result = await send({ verb: 'abort' });
      expect(result.answer).toBe('done');
      expect(result.joined).toBeUndefined();
      expect(store.writes.map((w) => w.record.command?.by)).toEqual(['ann@laptop:9']);
    });

    it('the abort it joined is not answered in time: COMMAND_NOT_ANSWERED, and that abort is left alone', async () => {
      const { store, send } = setup({ command: otherAbort });
      const error = await send({ verb: 'abort', waitSeconds: 30 }).catch((e: unknown) => e);
      expect(isLshiftError(error) && error.code).toBe('COMMAND_NOT_ANSWERED');
      expect(store.writes).toHaveLength(0);
      expect(store.peek(FN, ALIAS)!.command).toEqual(otherAbort);
    });

    it.each(['pause', 'resume', 'promote', 'promote-full'] as const)(
      'an abort goes ahead of a pending %s: written over it, and answered',
      async (pending) => {
        const { store, send, answerAfter } = setup({ command: { ...otherAbort, verb: pending } });
        answerAfter(5_000, { phase: 'rolled-back', percent: 0 });
        const result = await send({ verb: 'abort', reason: 'page' });
        expect(store.writes.map((w) => w.record.command?.verb)).toEqual(['abort']);
        expect(result).toMatchObject({ verb: 'abort', answer: 'done', record: { phase: 'rolled-back' } });
        expect(result.joined).toBeUndefined();
      },
    );

    it('a pause overtaken by another operator’s abort says so, and never writes itself back over it', async () => {
      const { clock, store, send } = setup();
      const abort = { ...otherAbort, reason: 'page' };
      clock.after(1_000, () => store.seed(FN, ALIAS, { ...store.peek(FN, ALIAS)!, command: abort }));
      const error = await send({ verb: 'pause' }).catch((e: unknown) => e);
      expect(isLshiftError(error) && [error.code, error.message]).toEqual([
        'NO_RUNNING_DEPLOYMENT',
        expect.stringMatching(
          /is being aborted by bob@ci:3 \(page\): the abort went over this `pause` before its answer was seen, so whether it was obeyed first is unknown\.$/,
        ),
      ]);
      expect(store.writes.map((w) => w.record.command?.verb)).toEqual(['pause']);
      expect(store.peek(FN, ALIAS)!.command).toEqual(abort);
    });

    // The deployment obeyed the pause, then the abort went over its answer before this process
    // read it: "which was not obeyed" was said (a hostile pass, 1 run in 9).
    it('a pause the deployment obeyed before another operator’s abort: says it paused first', async () => {
      const { clock, store, send } = setup();
      const abort = { ...otherAbort, reason: 'page' };
      clock.after(1_000, () =>
        store.seed(FN, ALIAS, { ...store.peek(FN, ALIAS)!, phase: 'paused', command: abort }),
      );
      const error = await send({ verb: 'pause' }).catch((e: unknown) => e);
      expect(isLshiftError(error) && error.message).toMatch(
        /is being aborted by bob@ci:3 \(page\): the deployment had paused on this `pause`, then the abort came\.$/,
      );
    });

    it.each([
      ['abort', 'pause'],
      ['pause', 'pause'],
      ['promote', 'promote'],
      ['pause', 'promote'],
    ] as const)(
      'a pending %s still refuses %s (COMMAND_PENDING): only aborts join or go ahead',
      async (pending, verb) => {
        const { store, send } = setup({ command: { ...otherAbort, verb: pending } });
        expect(await codeOf(send({ verb }))).toBe('COMMAND_PENDING');
        expect(store.writes).toHaveLength(0);
      },
    );
  });

  it('a deployment write that dropped the command before it was read: the command is written again', async () => {
    const { clock, store, send, answerAfter, base } = setup();
    clock.after(3_000, () => store.seed(FN, ALIAS, { ...base, heartbeatAt: clock.now() }));
    answerAfter(9_000);
    const result = await send();
    expect(result.answer).toBe('done');
    expect(store.writes.filter((w) => w.record.command?.state === 'sent')).toHaveLength(2);
  });

  it('abort waits for the rollback to end and returns the record as it ended', async () => {
    const { clock, store, send, answerAfter } = setup();
    answerAfter(9_000, { phase: 'rolling-back' });
    clock.after(15_000, () =>
      store.seed(FN, ALIAS, { ...store.peek(FN, ALIAS)!, phase: 'rolled-back', percent: 0 }),
    );
    const result = await send({ verb: 'abort', reason: 'p99 doubled' });
    expect(result.record.phase).toBe('rolled-back');
    expect(result.record.command).toMatchObject({ verb: 'abort', state: 'done', reason: 'p99 doubled' });
  });
});

function setupWithout(aliases?: { getAlias: () => Promise<{ functionVersion: string } | undefined> }) {
  const clock = new FakeClock();
  const store = new FakeStore({ roundTrip: true });
  const send = () =>
    sendOperatorCommand(
      { store, clock, random: () => 0.5, ...(aliases ? { aliases: aliases as never } : {}) },
      { functionName: FN, alias: ALIAS, verb: 'pause', by: 'ann@laptop:9', waitSeconds: 60 },
    );
  return { store, send };
}
