import { describe, expect, it } from 'vitest';
import { type DeploymentRecord, decodeRecord, recordTagKey } from '../../src/domain/deployment-record.js';
import type { OperatorCommand } from '../../src/domain/operator-command.js';
import { sealTagKey } from '../../src/domain/record-seal.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import { rollbackDeployment } from '../../src/engine/rollback.js';
import { getStatus } from '../../src/engine/status.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
import {
  ALIAS,
  createWorld,
  deadRecord,
  FN,
  leaveDeployment,
  linear,
  request,
  resumeRequest,
  type World,
} from './world.js';

/**
 * A write of the record tag that lands late — the SDK retried a TagResource whose answer was
 * lost, and the first attempt landed after the retry; or the verb gave up on it — put an older
 * record back over the deployment's close: an `abort` written on a copy of the running record
 * made a finished deployment read `shifting` with the abort still `sent` (the next deploy was
 * refused, DEPLOYMENT_IN_PROGRESS then DEPLOYMENT_STALE, until `check` or `rollback` closed it).
 * The deployment's end is also written as the alias's seal (src/domain/record-seal.ts), which such
 * a write leaves alone: readers take the seal over an older record of the same run.
 * linear:10%:1m, polls every 10 s: step 2 (20%) holds from 60 s to 120 s.
 */
describe('a late write of the record tag after the deployment closed it', () => {
  const abort: OperatorCommand = { verb: 'abort', nonce: 'k3j9', state: 'sent', by: 'ann@laptop:9' };

  /** At `atMs`, the copy an `lshift abort` would write (the record as read, plus the command). */
  function copyAt(w: World, atMs: number, apply: boolean): () => DeploymentRecord {
    let copy: DeploymentRecord | undefined;
    w.clock.at(w.start + atMs, () => {
      copy = { ...w.store.peek(FN, ALIAS)!, command: abort };
      if (apply) w.store.seed(FN, ALIAS, copy);
    });
    return () => copy!;
  }

  /** The held request lands: written as `lshift abort` writes it (its runner's token kept). */
  const land = (w: World, copy: DeploymentRecord) =>
    w.store.write(FN, ALIAS, copy, { keepRunnerToken: true });

  it('an abort obeyed (its retry landed) whose first attempt lands after the rollback: read as rolled back', async () => {
    const w = createWorld();
    const copy = copyAt(w, 95_000, true);
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(result.status).toBe('rolled_back');
    expect(copy().runnerToken).toMatch(/^[0-9a-z]{6}$/);

    await land(w, copy());
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'shifting', command: { state: 'sent' } });
    const read = await w.store.read(FN, ALIAS);
    expect(read).toMatchObject({
      id: 'd-abc123',
      phase: 'rolled-back',
      command: { verb: 'abort', nonce: 'k3j9', state: 'done' },
    });

    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(status.record).toMatchObject({ phase: 'rolled-back' });
    const next = await runDeploy(w.deps, request({ ...linear(50, 60), deploymentId: 'd-next01' }));
    expect(next.status).toBe('promoted');
  });

  it('an abort whose write lands only after the promotion: read as promoted, as `status` says it', async () => {
    const w = createWorld();
    const copy = copyAt(w, 95_000, false);
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(result.status).toBe('promoted');

    await land(w, copy());
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'shifting', percent: 20 });
    expect(await w.store.read(FN, ALIAS)).toMatchObject({ id: 'd-abc123', phase: 'promoted', percent: 100 });
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(status.record).toMatchObject({ phase: 'promoted', percent: 100 });
  });

  it('an abort that lands before the close is still obeyed, once', async () => {
    const w = createWorld();
    w.clock.at(w.start + 95_000, () => {
      const record = w.store.peek(FN, ALIAS)!;
      void land(w, { ...record, command: abort });
    });
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(result.status).toBe('rolled_back');
    const obeyed = w.sink.events.filter((e) => e.type === 'operator.command');
    expect(obeyed).toHaveLength(1);
    expect(await w.store.read(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      command: { nonce: 'k3j9', state: 'done' },
    });
  });

  it('a record of another run is never taken for a late write: a takeover after the close is read as written', async () => {
    const w = createWorld();
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(result.status).toBe('promoted');
    const sealed = w.store.peekSeal(FN, ALIAS)!;
    expect(sealed).toMatchObject({ phase: 'promoted' });
    // `lshift rollback` from a machine whose clock is 10 minutes behind: same id, an older
    // heartbeat, written without this run's token (only its own runner keeps it).
    const rollback: DeploymentRecord = {
      ...sealed,
      phase: 'rolling-back',
      owner: 'bob@desk:3',
      heartbeatAt: sealed.heartbeatAt - 600_000,
    };
    await w.store.write(FN, ALIAS, rollback);
    expect(w.store.peek(FN, ALIAS)?.runnerToken).toBeUndefined();
    expect(await w.store.read(FN, ALIAS)).toMatchObject({ phase: 'rolling-back', owner: 'bob@desk:3' });
  });

  it('a record without a token (an older lshift) is read as written', async () => {
    const w = createWorld();
    const copy = copyAt(w, 95_000, false);
    await runDeploy(w.deps, request(linear(10, 60)));
    const { runnerToken: _dropped, ...older } = copy();
    await w.store.write(FN, ALIAS, older, { keepRunnerToken: true });
    expect(await w.store.read(FN, ALIAS)).toMatchObject({ phase: 'shifting', command: { state: 'sent' } });
  });

  /**
   * An alias of 118–121 characters names a record tag (`lshift:` + 121 = 128) but `lshift-end:`
   * + 118 passes Lambda's 128: it had no seal, and a late write over its end was read as it
   * landed. Its seal now lives under a hashed key (sealTagKey, tag-key.ts). On the tag store
   * itself, over the fake Lambda's tags (which refuse a key over 128 as Lambda does).
   */
  it('an alias of 118–121 characters: sealed under its hashed key, a late abort over its end is read as rolled back', async () => {
    const long = `live-${'l'.repeat(115)}`;
    expect(long).toHaveLength(120);
    const w = createWorld();
    w.lambda.addAlias(FN, long, '1');
    const store = new TagStateStore(w.lambda);
    let copy: DeploymentRecord | undefined;
    w.clock.at(w.start + 95_000, async () => {
      copy = { ...(await store.read(FN, long))!, command: abort };
      await store.write(FN, long, copy, { keepRunnerToken: true });
    });
    const result = await runDeploy({ ...w.deps, store }, request({ ...linear(10, 60), alias: long }));
    expect(result.status).toBe('rolled_back');
    const tags = await w.lambda.listTags(FN);
    expect(Object.keys(tags).filter((k) => k.startsWith('lshift-end:'))).toEqual([
      expect.stringMatching(/^lshift-end:live-l{95}\.[0-9a-f]{16}$/),
    ]);

    // The abort's first attempt lands now, over the end.
    await store.write(FN, long, copy!, { keepRunnerToken: true });
    expect(tags[`lshift:${long}`]).not.toBe((await w.lambda.listTags(FN))[`lshift:${long}`]);
    expect(await store.read(FN, long)).toMatchObject({
      id: 'd-abc123',
      phase: 'rolled-back',
      command: { verb: 'abort', nonce: 'k3j9', state: 'done' },
    });
    const status = await getStatus({ ...w.deps, store }, { functionName: FN, alias: long, alarms: [] });
    expect(status.record).toMatchObject({ phase: 'rolled-back' });
    expect(Object.keys(await w.lambda.listTags(FN)).every((key) => key.length <= 128)).toBe(true);
  });
});

/**
 * A late write of runner A's record after another run B — `deploy --resume` — ended the deployment:
 * A's token is not B's, and B's clock may be behind A's, so the same-run rule does not catch it.
 * No run re-opens a deployment that is promoted, rolled back, failed or rolling back, so an open
 * record of it under such a seal was written before the end (record-seal.ts resolveSealed). A
 * `paused` one is re-opened by a resume: its runs' records are read as written.
 */
describe('a late write of one run after another run of the deployment ended it', () => {
  const abort: OperatorCommand = { verb: 'abort', nonce: 'k3j9', state: 'sent', by: 'ann@laptop:9' };
  /** Runner A's last record (it died, or stalled): its token, a heartbeat from a clock ahead of B's. */
  const runA = (w: World, over: Partial<DeploymentRecord> = {}) =>
    deadRecord(w, { runnerToken: 'runa01', heartbeatAt: w.start + 3_600_000, ...over });

  it('a verb’s copy of A’s record lands after B resumed and promoted it: read as promoted, the next deploy goes', async () => {
    const w = createWorld();
    const a = runA(w, { heartbeatAt: w.start - 300_000 });
    leaveDeployment(w, a);
    const result = await resumeDeploy(w.deps, resumeRequest());
    expect(result.status).toBe('promoted');
    const sealed = w.store.peekSeal(FN, ALIAS)!;
    expect(sealed).toMatchObject({ phase: 'promoted', owner: 'resumer@host:2' });
    expect(sealed.runnerToken).not.toBe('runa01');

    // An `lshift abort` written on a copy of A's record, held in flight all along, lands now.
    await w.store.write(FN, ALIAS, { ...a, command: abort }, { keepRunnerToken: true });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'shifting', runnerToken: 'runa01' });
    expect(await w.store.read(FN, ALIAS)).toEqual(sealed);
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(status.record).toMatchObject({ phase: 'promoted', percent: 100 });
    w.lambda.addVersion(FN);
    const next = await runDeploy(
      w.deps,
      request({ ...linear(50, 60), targetVersion: '3', deploymentId: 'd-next01' }),
    );
    expect(next.status).toBe('promoted');
  });

  it('a blind heartbeat of A (shifting, its clock an hour ahead) lands after B finished A’s rollback: read as rolled back', async () => {
    const w = createWorld();
    const beat = runA(w);
    // A began to roll back (sealed it), then died; B finishes the rollback.
    const rollingBack = runA(w, { phase: 'rolling-back', heartbeatAt: w.start - 300_000 });
    leaveDeployment(w, rollingBack);
    w.store.seedAsWritten(FN, ALIAS, rollingBack, { keepRunnerToken: true, seal: 'also' });
    const result = await resumeDeploy(w.deps, resumeRequest());
    expect(result.status).toBe('rolled_back');
    expect(w.store.peekSeal(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: 'resumer@host:2' });

    await w.store.write(FN, ALIAS, beat, { keepRunnerToken: true });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'shifting', runnerToken: 'runa01' });
    expect(await w.store.read(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: 'resumer@host:2' });
  });

  it('paused by A, resumed by B: B’s open records are read as written, and B runs to its end', async () => {
    const w = createWorld();
    const paused = runA(w, { phase: 'paused', heartbeatAt: w.start - 300_000 });
    leaveDeployment(w, paused);
    w.store.seedAsWritten(FN, ALIAS, paused, { keepRunnerToken: true, seal: 'also' });
    let seen: DeploymentRecord | undefined;
    w.clock.at(w.start + 200_000, async () => {
      seen = await w.store.read(FN, ALIAS);
    });
    const result = await resumeDeploy(w.deps, resumeRequest());
    expect(seen).toMatchObject({ phase: 'shifting', owner: 'resumer@host:2' });
    expect(result.status).toBe('promoted');
    expect(await w.store.read(FN, ALIAS)).toMatchObject({ phase: 'promoted', owner: 'resumer@host:2' });
  });

  it('a new deployment after an ended one is never read as the old end', async () => {
    const w = createWorld();
    leaveDeployment(w, runA(w, { heartbeatAt: w.start - 300_000 }));
    expect((await resumeDeploy(w.deps, resumeRequest())).status).toBe('promoted');
    let seen: DeploymentRecord | undefined;
    w.clock.at(w.clock.now() + 30_000, async () => {
      seen = await w.store.read(FN, ALIAS);
    });
    // The same id again (a deployment id given twice): another start and versions, so another deployment.
    w.lambda.addVersion(FN);
    const next = await runDeploy(
      w.deps,
      request({ ...linear(50, 60), targetVersion: '3', deploymentId: 'd-dead01' }),
    );
    expect(seen).toMatchObject({ id: 'd-dead01', phase: 'shifting', owner: 'tester@host:1' });
    expect(next.status).toBe('promoted');
  });
});

/**
 * `lshift rollback` (and every closer that is not the deployment's runner: `check`, `--supersede`,
 * `lshift alias`, `lshift wait`) closed the deployment after its runner sealed `promoted`. It wrote
 * no seal, so the seal still said promoted: a late open write of the deployment — the runner's own
 * (same token, an earlier heartbeat) or another run's (a resume's seal, the first runner's late
 * copy) — was read as the seal, promoted, while the alias was back on stable. The close is now
 * the seal too (record-end-write.ts), under a token of its own. On both stores.
 */
describe.each([
  ['the fake store', (w: World) => w.store],
  ['TagStateStore', (w: World) => new TagStateStore(w.lambda)],
] as const)('a late write after `lshift rollback` closed a promoted deployment (%s)', (_name, storeOf) => {
  const abort: OperatorCommand = { verb: 'abort', nonce: 'k3j9', state: 'sent', by: 'ann@laptop:9' };
  const where = { functionName: FN, alias: ALIAS };
  /** A tag as stored, no seal applied: the fake store's own, or the fake Lambda's tags. */
  async function tagOf(w: World, key: string): Promise<DeploymentRecord | undefined> {
    if (storeOf(w) === w.store)
      return key === sealTagKey(ALIAS) ? w.store.peekSeal(FN, ALIAS) : w.store.peek(FN, ALIAS);
    const value = (await w.lambda.listTags(FN))[key];
    return value === undefined ? undefined : decodeRecord(value, where);
  }
  const sealOf = (w: World) => tagOf(w, sealTagKey(ALIAS));

  async function rollBack(w: World, deps: World['deps']): Promise<void> {
    const rolled = await rollbackDeployment(deps, { ...where, reason: 'bad release' });
    expect(rolled.status).toBe('rolled_back');
    expect((await w.lambda.getAlias(FN, ALIAS))?.functionVersion).toBe('1');
  }

  it('another run’s seal (a resume promoted it), then the rollback: a late copy of the first run’s record reads rolled back, not promoted', async () => {
    const w = createWorld();
    const store = storeOf(w);
    const deps = { ...w.deps, store };
    const a = deadRecord(w, { runnerToken: 'runa01' });
    leaveDeployment(w, a);
    await store.write(FN, ALIAS, a, { keepRunnerToken: true });
    expect((await resumeDeploy(deps, resumeRequest())).status).toBe('promoted');
    const resumed = (await sealOf(w))!;
    expect(resumed).toMatchObject({ phase: 'promoted', owner: 'resumer@host:2' });

    await rollBack(w, deps);
    const seal = (await sealOf(w))!;
    expect(seal).toMatchObject({ id: 'd-dead01', phase: 'rolled-back', percent: 0 });
    expect(seal.runnerToken).toMatch(/^[0-9a-z]{6}$/);
    expect([resumed.runnerToken, 'runa01']).not.toContain(seal.runnerToken);
    // The record tag as every closer but the runner writes it: no token.
    const tag = await tagOf(w, recordTagKey(ALIAS));
    expect(tag).toMatchObject({ phase: 'rolled-back' });
    expect(tag?.runnerToken).toBeUndefined();
    expect(await store.read(FN, ALIAS)).toMatchObject({ phase: 'rolled-back' });

    // An `lshift abort` written on a copy of the first run's record, held in flight all along, lands now.
    await store.write(FN, ALIAS, { ...a, command: abort }, { keepRunnerToken: true });
    expect(await tagOf(w, recordTagKey(ALIAS))).toMatchObject({ phase: 'shifting', runnerToken: 'runa01' });
    expect(await store.read(FN, ALIAS)).toMatchObject({ id: 'd-dead01', phase: 'rolled-back', percent: 0 });
    const status = await getStatus(deps, { ...where, alarms: [] });
    expect(status.record).toMatchObject({ phase: 'rolled-back' });
    const next = await runDeploy(deps, request({ ...linear(50, 60), deploymentId: 'd-next01' }));
    expect(next.status).toBe('promoted');
  });

  it('the run’s own seal, then the rollback: a late abort on a copy of its running record reads rolled back', async () => {
    const w = createWorld();
    const store = storeOf(w);
    const deps = { ...w.deps, store };
    let copy: DeploymentRecord | undefined;
    w.clock.at(w.start + 95_000, async () => {
      copy = { ...(await store.read(FN, ALIAS))!, command: abort };
    });
    expect((await runDeploy(deps, request(linear(10, 60)))).status).toBe('promoted');
    expect(await sealOf(w)).toMatchObject({ phase: 'promoted', runnerToken: copy!.runnerToken });

    await rollBack(w, deps);
    expect(await sealOf(w)).toMatchObject({ phase: 'rolled-back' });
    await store.write(FN, ALIAS, copy!, { keepRunnerToken: true });
    expect(await store.read(FN, ALIAS)).toMatchObject({ id: 'd-abc123', phase: 'rolled-back', percent: 0 });
  });
});
