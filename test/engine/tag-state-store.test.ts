import { describe, expect, it } from 'vitest';
import {
  type DeploymentRecord,
  encodeRecord,
  MAX_TAG_VALUE_LENGTH,
} from '../../src/domain/deployment-record.js';
import { OperationError } from '../../src/domain/errors.js';
import { writeRecordEnd } from '../../src/engine/record-end-write.js';
import { listRecords } from '../../src/engine/record-listing.js';
import { TagStateStore, unqualifiedFunctionArn } from '../../src/engine/tag-state-store.js';
import type { FunctionInfo, LambdaPort } from '../../src/ports/lambda.js';
import {
  type CapturedRequest,
  capture,
  createTestLambdaAdapter,
  FUNCTION_ARN,
  fnPath,
  functionConfiguration,
  lambdaJson,
  lambdaNock,
  tagsPath,
  useNock,
} from '../helpers/aws-nock.js';

const ARN_PREFIX = 'arn:aws:lambda:us-east-1:123456789012:function:';

function record(overrides: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    id: 'd-abc123',
    stableVersion: '6',
    targetVersion: '7',
    strategy: 'canary:10%:5m',
    stepIndex: 0,
    percent: 10,
    phase: 'shifting',
    startedAt: Date.UTC(2026, 0, 1),
    owner: 'ci@runner:42',
    heartbeatAt: Date.UTC(2026, 0, 1, 0, 1),
    history: ['6', '5'],
    ...overrides,
  };
}

function notUsed(): never {
  throw new Error('not used by the tag store');
}

/** A LambdaPort that only knows functions and their tags, and logs the calls the store makes. */
class TagLambda implements LambdaPort {
  readonly calls: string[] = [];
  readonly tags = new Map<string, Record<string, string>>();
  failListTagsFor = new Set<string>();
  inFlight = 0;
  maxInFlight = 0;

  constructor(names: string[]) {
    for (const n of names) this.tags.set(n, {});
  }

  async getFunction(functionName: string): Promise<FunctionInfo> {
    this.calls.push(`getFunction ${functionName}`);
    if (!this.tags.has(functionName)) {
      throw new OperationError('FUNCTION_NOT_FOUND', `Function ${functionName} does not exist`);
    }
    // GetFunctionConfiguration may hand back a qualified ARN; the store must strip it.
    return {
      functionName,
      functionArn: `${ARN_PREFIX}${functionName}:$LATEST`,
      version: '$LATEST',
      codeSha256: 'sha',
      role: 'role',
      revisionId: 'rev',
      packageType: 'Zip',
    };
  }

  async listTags(functionArn: string): Promise<Record<string, string>> {
    this.calls.push(`listTags ${functionArn}`);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    this.inFlight--;
    const name = this.nameOf(functionArn);
    if (this.failListTagsFor.has(name))
      throw new OperationError('ACCESS_DENIED', `no lambda:ListTags on ${name}`);
    return { ...this.tags.get(name) };
  }

  async tagResource(functionArn: string, tags: Record<string, string>): Promise<void> {
    this.calls.push(`tagResource ${functionArn}`);
    for (const [k, v] of Object.entries(tags)) {
      if (v.length > MAX_TAG_VALUE_LENGTH) throw new Error(`tag ${k} too long`);
    }
    Object.assign(this.tags.get(this.nameOf(functionArn))!, tags);
  }

  async untagResource(): Promise<void> {
    notUsed();
  }

  async listFunctions(): Promise<{ functionName: string; functionArn: string }[]> {
    this.calls.push('listFunctions');
    return [...this.tags.keys()].map((n) => ({ functionName: n, functionArn: `${ARN_PREFIX}${n}` }));
  }

  async getCodeLocation(): Promise<never> {
    notUsed();
  }

  async listEventInvokeConfigs(): Promise<never> {
    notUsed();
  }

  async listEventSourceMappings(): Promise<never> {
    notUsed();
  }

  async getProvisionedConcurrency(): Promise<never> {
    notUsed();
  }

  async putProvisionedConcurrency(): Promise<never> {
    notUsed();
  }

  async deleteProvisionedConcurrency(): Promise<never> {
    notUsed();
  }

  getAlias = notUsed;
  listVersions = notUsed;
  updateCode = notUsed;
  waitUntilUpdated = notUsed;
  waitUntilActive = notUsed;
  publishVersion = notUsed;
  createAlias = notUsed;
  updateAlias = notUsed;
  invoke = notUsed;
  checkInvoke = notUsed;

  private nameOf(arn: string): string {
    if (!arn.startsWith(ARN_PREFIX) || arn.slice(ARN_PREFIX.length).includes(':')) {
      throw new Error(`tags need the unqualified function ARN, got ${arn}`);
    }
    return arn.slice(ARN_PREFIX.length);
  }
}

describe('TagStateStore', () => {
  it('reads undefined when the function has no lshift tag', async () => {
    const lambda = new TagLambda(['my-fn']);
    lambda.tags.set('my-fn', { team: 'orders' });
    await expect(new TagStateStore(lambda).read('my-fn', 'live')).resolves.toBeUndefined();
  });

  it('writes the record as tag lshift:<alias> on the unqualified ARN and reads it back', async () => {
    const lambda = new TagLambda(['my-fn']);
    const store = new TagStateStore(lambda);
    const r = record();
    await store.write('my-fn', 'live', r);
    expect(lambda.tags.get('my-fn')).toEqual({ 'lshift:live': encodeRecord(r) });
    await expect(store.read('my-fn', 'live')).resolves.toEqual(r);
    await expect(store.read('my-fn', 'staging')).resolves.toBeUndefined();
  });

  it('resolves the function ARN once and caches it', async () => {
    const lambda = new TagLambda(['my-fn']);
    const store = new TagStateStore(lambda);
    await Promise.all([store.write('my-fn', 'live', record()), store.read('my-fn', 'live')]);
    await store.write('my-fn', 'live', record({ heartbeatAt: Date.UTC(2026, 0, 1, 0, 2) }));
    expect(lambda.calls.filter((c) => c.startsWith('getFunction'))).toEqual(['getFunction my-fn']);
    expect(lambda.calls).toContain(`tagResource ${ARN_PREFIX}my-fn`);
  });

  it('does not cache a failed ARN lookup', async () => {
    const lambda = new TagLambda([]);
    const store = new TagStateStore(lambda);
    await expect(store.read('my-fn', 'live')).rejects.toMatchObject({ code: 'FUNCTION_NOT_FOUND' });
    lambda.tags.set('my-fn', {});
    await expect(store.read('my-fn', 'live')).resolves.toBeUndefined();
  });

  it('throws the codec error for a corrupt tag, naming function and alias', async () => {
    const lambda = new TagLambda(['my-fn']);
    lambda.tags.set('my-fn', { 'lshift:live': '{"id":"d1"}' });
    const error = await new TagStateStore(lambda).read('my-fn', 'live').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationError);
    expect(error).toMatchObject({ code: 'RECORD_CORRUPT' });
    expect((error as Error).message).toContain('lshift:live');
    expect((error as Error).message).toContain('my-fn');
  });

  it('keeps a long record within 256 characters (older history dropped, owner truncated)', async () => {
    const lambda = new TagLambda(['my-fn']);
    const store = new TagStateStore(lambda);
    const long = record({
      owner: `github-actions@${'x'.repeat(200)}`,
      history: Array.from({ length: 60 }, (_, i) => String(1000 - i)),
    });
    await store.write('my-fn', 'live', long);
    const value = lambda.tags.get('my-fn')!['lshift:live']!;
    expect(value.length).toBeLessThanOrEqual(MAX_TAG_VALUE_LENGTH);
    const back = await store.read('my-fn', 'live');
    expect(back?.history[0]).toBe('1000');
    expect(back?.history.length).toBeLessThan(60);
  });

  it('refuses a record that cannot fit before calling AWS', async () => {
    const lambda = new TagLambda(['my-fn']);
    const huge = record({
      strategy: `steps:${Array.from({ length: 80 }, (_, i) => `${i + 1}%@1m`).join(',')}`,
    });
    await expect(new TagStateStore(lambda).write('my-fn', 'live', huge)).rejects.toMatchObject({
      code: 'RECORD_TOO_LARGE',
    });
    expect(lambda.calls.filter((c) => c.startsWith('tagResource'))).toEqual([]);
  });
});

describe('TagStateStore: the seal (lshift-end:<alias>, record-seal.ts)', () => {
  const running = record({ runnerToken: 'k3j9x2', heartbeatAt: Date.UTC(2026, 0, 1, 0, 1) });
  const closed = record({
    runnerToken: 'k3j9x2',
    phase: 'promoted',
    percent: 100,
    heartbeatAt: Date.UTC(2026, 0, 1, 0, 9),
    endedAt: Date.UTC(2026, 0, 1, 0, 9),
  });

  it('writes the record and its seal in one TagResource, and reads the seal over a late write of an older record', async () => {
    const lambda = new TagLambda(['my-fn']);
    const store = new TagStateStore(lambda);
    await store.write('my-fn', 'live', closed, { keepRunnerToken: true, seal: 'also' });
    expect(lambda.calls.filter((c) => c.startsWith('tagResource'))).toHaveLength(1);
    expect(lambda.tags.get('my-fn')).toEqual({
      'lshift:live': encodeRecord(closed),
      'lshift-end:live': encodeRecord(closed),
    });
    // An operator's abort on a copy of the running record lands late: TagResource merges per key.
    await store.write('my-fn', 'live', { ...running, command: abortSent }, { keepRunnerToken: true });
    await expect(store.read('my-fn', 'live')).resolves.toEqual(closed);
    const listed = await listRecords(lambda, {});
    expect(listed.map((l) => [l.alias, l.record.phase])).toEqual([['live', 'promoted']]);
  });

  it('reads the record tag over the seal: a newer record, another run, another deployment, no token', async () => {
    const lambda = new TagLambda(['my-fn']);
    const store = new TagStateStore(lambda);
    await store.write('my-fn', 'live', closed, { keepRunnerToken: true, seal: 'also' });
    const cases: DeploymentRecord[] = [
      { ...closed, phase: 'rolling-back', heartbeatAt: closed.heartbeatAt + 1 },
      { ...closed, phase: 'rolling-back', runnerToken: 'other1', heartbeatAt: 0 },
      { ...running, id: 'd-next01' },
    ];
    for (const main of cases) {
      await store.write('my-fn', 'live', main, { keepRunnerToken: true });
      await expect(store.read('my-fn', 'live')).resolves.toEqual(main);
    }
    // Written without keepRunnerToken (a takeover, `check`, `rollback`): the token is left out.
    await store.write('my-fn', 'live', running);
    await expect(store.read('my-fn', 'live')).resolves.toEqual(record());
  });

  // A resume (another run, another token, maybe another clock) ended it; the first run's late write lands.
  it('reads the seal of an end no run re-opens over an open record of another run of the deployment; not a `paused` one', async () => {
    const lambda = new TagLambda(['my-fn']);
    const store = new TagStateStore(lambda);
    const resumed = { ...closed, runnerToken: 'resum2', owner: 'bob@desk:3' };
    await store.write('my-fn', 'live', resumed, { keepRunnerToken: true, seal: 'also' });
    const late = { ...running, command: abortSent, heartbeatAt: closed.heartbeatAt + 600_000 };
    await store.write('my-fn', 'live', late, { keepRunnerToken: true });
    await expect(store.read('my-fn', 'live')).resolves.toEqual(resumed);
    expect((await listRecords(lambda, {})).map((l) => l.record)).toEqual([resumed]);
    // Paused by the first run, resumed by another: its open record is read as written.
    const paused = { ...running, phase: 'paused' as const, heartbeatAt: closed.heartbeatAt };
    await store.write('my-fn', 'live', paused, { keepRunnerToken: true, seal: 'also' });
    const reopened = { ...running, runnerToken: 'resum2', heartbeatAt: 0 };
    await store.write('my-fn', 'live', reopened, { keepRunnerToken: true });
    await expect(store.read('my-fn', 'live')).resolves.toEqual(reopened);
  });

  it('a seal alone (`only`) leaves the record tag as it was; no record tag, no record', async () => {
    const lambda = new TagLambda(['my-fn']);
    const store = new TagStateStore(lambda);
    await store.write('my-fn', 'live', closed, { keepRunnerToken: true, seal: 'only' });
    expect(Object.keys(lambda.tags.get('my-fn')!)).toEqual(['lshift-end:live']);
    await expect(store.read('my-fn', 'live')).resolves.toBeUndefined();
  });

  it('a seal that cannot be decoded is no seal', async () => {
    const lambda = new TagLambda(['my-fn']);
    lambda.tags.set('my-fn', { 'lshift:live': encodeRecord(running), 'lshift-end:live': 'garbage' });
    await expect(new TagStateStore(lambda).read('my-fn', 'live')).resolves.toEqual(running);
  });

  it('a function with no room for one more tag gets the record alone', async () => {
    const lambda = new TagLambda(['my-fn']);
    const tagResource = lambda.tagResource.bind(lambda);
    lambda.tagResource = async (arn, tags) => {
      if ('lshift-end:live' in tags)
        throw new OperationError('INVALID_PARAMETER', 'Number of tags exceeds resource tag limit (50).');
      return tagResource(arn, tags);
    };
    const store = new TagStateStore(lambda);
    await store.write('my-fn', 'live', closed, { keepRunnerToken: true, seal: 'also' });
    expect(lambda.tags.get('my-fn')).toEqual({ 'lshift:live': encodeRecord(closed) });
    await store.write('my-fn', 'live', closed, { keepRunnerToken: true, seal: 'only' });
  });

  // `lshift rollback`, `check`, `--supersede`, `lshift alias`, `lshift wait`: an end written over the runner's sealed one.
  describe('a closer’s end (writeRecordEnd, record-end-write.ts)', () => {
    const rolledBack = { ...closed, phase: 'rolled-back' as const, percent: 0, owner: 'bob@desk:3' };
    const { runnerToken: _runners, ...untokened } = rolledBack;

    it('the record tag without a token, the seal under a token of its own, in one TagResource; a late open record of the run reads as the close', async () => {
      const lambda = new TagLambda(['my-fn']);
      const store = new TagStateStore(lambda);
      await store.write('my-fn', 'live', closed, { keepRunnerToken: true, seal: 'also' });
      await writeRecordEnd(store, 'my-fn', 'live', rolledBack, () => 0);
      expect(lambda.calls.filter((c) => c.startsWith('tagResource'))).toHaveLength(2);
      expect(lambda.tags.get('my-fn')).toEqual({
        'lshift:live': encodeRecord(untokened),
        'lshift-end:live': encodeRecord({ ...untokened, runnerToken: '000000' }),
      });
      await expect(store.read('my-fn', 'live')).resolves.toEqual(untokened);
      await store.write('my-fn', 'live', { ...running, command: abortSent }, { keepRunnerToken: true });
      await expect(store.read('my-fn', 'live')).resolves.toEqual({ ...untokened, runnerToken: '000000' });
    });

    it('a function with no room for one more tag gets the record alone; a `paused` close is never sealed', async () => {
      const lambda = new TagLambda(['my-fn']);
      const tagResource = lambda.tagResource.bind(lambda);
      lambda.tagResource = async (arn, tags) => {
        if ('lshift-end:live' in tags)
          throw new OperationError('INVALID_PARAMETER', 'Number of tags exceeds resource tag limit (50).');
        return tagResource(arn, tags);
      };
      await writeRecordEnd(new TagStateStore(lambda), 'my-fn', 'live', rolledBack);
      expect(lambda.tags.get('my-fn')).toEqual({ 'lshift:live': encodeRecord(untokened) });

      const roomy = new TagLambda(['my-fn']);
      const paused = { ...untokened, phase: 'paused' as const };
      await writeRecordEnd(new TagStateStore(roomy), 'my-fn', 'live', paused);
      expect(roomy.tags.get('my-fn')).toEqual({ 'lshift:live': encodeRecord(paused) });
    });
  });
});

const abortSent = { verb: 'abort', nonce: 'k3j9', state: 'sent', by: 'ann@laptop:9' } as const;

// A verb's write held in flight lands after the verb withdrew its command (src/domain/command-withdrawal.ts).
describe('TagStateStore: withdrawn commands (lshift-withdrawn:<alias>)', () => {
  const running = record({ runnerToken: 'k3j9x2' });
  const promoteSent = { verb: 'promote-full', nonce: 'p1x2', state: 'sent', by: 'ann@laptop:9' } as const;

  it('writes the list and the record in one TagResource; every reader drops the listed command when a copy lands late', async () => {
    const lambda = new TagLambda(['my-fn']);
    const store = new TagStateStore(lambda);
    lambda.tags.set('my-fn', { 'lshift:live': encodeRecord({ ...running, command: promoteSent }) });
    const view = await store.readWithdrawals('my-fn', 'live');
    expect(view).toEqual({
      record: { ...running, command: promoteSent },
      stored: { ...running, command: promoteSent },
      withdrawn: [],
    });
    const before = lambda.calls.length;
    await expect(
      store.writeWithdrawals('my-fn', 'live', ['d-abc123.p1x2', 'd-old001.aaaa'], running),
    ).resolves.toBe('written');
    expect(lambda.calls.slice(before)).toEqual([`tagResource ${ARN_PREFIX}my-fn`]);
    expect(lambda.tags.get('my-fn')).toEqual({
      'lshift:live': encodeRecord(running),
      'lshift-withdrawn:live': 'd-abc123.p1x2 d-old001.aaaa',
    });
    // The verb's held write (a copy of the record as it read it, with the command) lands now.
    await store.write('my-fn', 'live', { ...running, command: promoteSent }, { keepRunnerToken: true });
    await expect(store.read('my-fn', 'live')).resolves.toEqual(running);
    const listed = await listRecords(lambda, {});
    expect(listed.map((l) => l.record.command)).toEqual([undefined]);
    await expect(store.readWithdrawals('my-fn', 'live')).resolves.toEqual({
      record: running,
      stored: { ...running, command: promoteSent },
      withdrawn: ['d-abc123.p1x2', 'd-old001.aaaa'],
    });
  });

  it('an answered command, another nonce, another deployment: read as stored', async () => {
    const lambda = new TagLambda(['my-fn']);
    const store = new TagStateStore(lambda);
    await store.writeWithdrawals('my-fn', 'live', ['d-abc123.p1x2']);
    const cases: DeploymentRecord[] = [
      { ...running, command: { ...promoteSent, state: 'done' } },
      { ...running, command: { ...promoteSent, nonce: 'zz99' } },
      { ...running, id: 'd-next01', command: promoteSent },
    ];
    for (const stored of cases) {
      await store.write('my-fn', 'live', stored, { keepRunnerToken: true });
      await expect(store.read('my-fn', 'live')).resolves.toEqual(stored);
    }
  });

  it('a list that cannot be read is no list: the record reads as stored', async () => {
    const lambda = new TagLambda(['my-fn']);
    lambda.tags.set('my-fn', {
      'lshift:live': encodeRecord({ ...running, command: promoteSent }),
      'lshift-withdrawn:live': '{"not":"a list"} d-abc123.p1x2.extra',
    });
    await expect(new TagStateStore(lambda).read('my-fn', 'live')).resolves.toEqual({
      ...running,
      command: promoteSent,
    });
  });

  it('a function with no room for one more tag gets the record alone (no-room)', async () => {
    const lambda = new TagLambda(['my-fn']);
    const tagResource = lambda.tagResource.bind(lambda);
    lambda.tagResource = async (arn, tags) => {
      if (Object.keys(tags).some((k) => k.startsWith('lshift-withdrawn:')))
        throw new OperationError('INVALID_PARAMETER', 'Number of tags exceeds resource tag limit (50).');
      return tagResource(arn, tags);
    };
    const store = new TagStateStore(lambda);
    await expect(store.writeWithdrawals('my-fn', 'live', ['d-abc123.p1x2'], running)).resolves.toBe(
      'no-room',
    );
    expect(lambda.tags.get('my-fn')).toEqual({ 'lshift:live': encodeRecord(running) });
    await expect(store.writeWithdrawals('my-fn', 'live', ['d-abc123.p1x2'])).resolves.toBe('no-room');
  });

  // It had none (`lshift-withdrawn:` + 112 is 129 characters): its withdrawals were the record alone.
  it('an alias of 112–121 characters gets its list under its hashed key, written and read there', async () => {
    const lambda = new TagLambda(['my-fn']);
    const store = new TagStateStore(lambda);
    const long = 'a'.repeat(112);
    await expect(store.writeWithdrawals('my-fn', long, ['d-abc123.p1x2'], running)).resolves.toBe('written');
    expect(lambda.tags.get('my-fn')).toEqual({
      [`lshift:${long}`]: encodeRecord(running),
      [`lshift-withdrawn:${'a'.repeat(94)}.a8db13ccc8b3f395`]: 'd-abc123.p1x2',
    });
    // A copy of the command landing late is read as absent, by the runner's reads and the verbs'.
    lambda.tags.get('my-fn')![`lshift:${long}`] = encodeRecord({ ...running, command: promoteSent });
    await expect(store.read('my-fn', long)).resolves.toEqual(running);
    await expect(store.readWithdrawals('my-fn', long)).resolves.toMatchObject({
      record: running,
      withdrawn: ['d-abc123.p1x2'],
    });
  });
});

describe('unqualifiedFunctionArn', () => {
  it.each([
    [`${ARN_PREFIX}my-fn`, `${ARN_PREFIX}my-fn`],
    [`${ARN_PREFIX}my-fn:live`, `${ARN_PREFIX}my-fn`],
    [`${ARN_PREFIX}my-fn:$LATEST`, `${ARN_PREFIX}my-fn`],
    [
      'arn:aws-cn:lambda:cn-north-1:123456789012:function:f:7',
      'arn:aws-cn:lambda:cn-north-1:123456789012:function:f',
    ],
    ['my-fn', 'my-fn'],
  ])('%s → %s', (arn, expected) => {
    expect(unqualifiedFunctionArn(arn)).toBe(expected);
  });
});

describe('listRecords', () => {
  function seeded(): TagLambda {
    const lambda = new TagLambda(['a', 'b', 'c']);
    lambda.tags.set('a', { 'lshift:live': encodeRecord(record({ id: 'd-aaaaaa' })), team: 'x' });
    lambda.tags.set('b', {
      'lshift:live': encodeRecord(record({ id: 'd-bbbbbb' })),
      'lshift:staging': encodeRecord(record({ id: 'd-bbbbb2' })),
    });
    return lambda;
  }

  it('with no names: lists every function and collects every lshift:* tag', async () => {
    const lambda = seeded();
    const listed = await listRecords(lambda, {});
    expect(listed.map((l) => [l.functionName, l.alias, l.record.id])).toEqual([
      ['a', 'live', 'd-aaaaaa'],
      ['b', 'live', 'd-bbbbbb'],
      ['b', 'staging', 'd-bbbbb2'],
    ]);
    expect(lambda.calls[0]).toBe('listFunctions');
    expect(lambda.calls.filter((c) => c.startsWith('getFunction'))).toEqual([]);
  });

  it('filters by alias', async () => {
    const listed = await listRecords(seeded(), { alias: 'staging' });
    expect(listed.map((l) => [l.functionName, l.alias])).toEqual([['b', 'staging']]);
  });

  it('with names: resolves their ARNs instead of listing all functions', async () => {
    const lambda = seeded();
    const listed = await listRecords(lambda, { functionNames: ['b'], alias: 'live' });
    expect(listed.map((l) => l.record.id)).toEqual(['d-bbbbbb']);
    expect(lambda.calls).toEqual(['getFunction b', `listTags ${ARN_PREFIX}b`]);
  });

  it('keeps at most `concurrency` ListTags calls in flight', async () => {
    const lambda = new TagLambda(Array.from({ length: 23 }, (_, i) => `fn-${i}`));
    await listRecords(lambda, { concurrency: 5 });
    expect(lambda.calls.filter((c) => c.startsWith('listTags'))).toHaveLength(23);
    expect(lambda.maxInFlight).toBe(5);
  });

  it('rejects on the first failure without onError', async () => {
    const lambda = seeded();
    lambda.failListTagsFor.add('b');
    await expect(listRecords(lambda)).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
  });

  it('reports unreadable functions and corrupt tags to onError and carries on', async () => {
    const lambda = seeded();
    lambda.failListTagsFor.add('a');
    lambda.tags.set('c', { 'lshift:live': 'garbage' });
    const failures: { functionName: string; alias?: string; code?: string }[] = [];
    const listed = await listRecords(lambda, {
      onError: (f) =>
        failures.push({
          functionName: f.functionName,
          alias: f.alias,
          code: (f.error as OperationError).code,
        }),
    });
    expect(listed.map((l) => l.record.id)).toEqual(['d-bbbbbb', 'd-bbbbb2']);
    expect(failures).toEqual([
      { functionName: 'a', alias: undefined, code: 'ACCESS_DENIED' },
      { functionName: 'c', alias: 'live', code: 'RECORD_CORRUPT' },
    ]);
  });
});

describe('TagStateStore through the real SDK client (nock)', () => {
  useNock();

  it('sends TagResource to the function ARN with {"Tags":{"lshift:live":"v1 …"}}', async () => {
    const log: CapturedRequest[] = [];
    lambdaNock().get(fnPath('my-fn', '/configuration')).reply(200, functionConfiguration());
    lambdaNock()
      .post(tagsPath(FUNCTION_ARN))
      .reply(capture(log, [204, '', {}]));
    lambdaNock()
      .get(tagsPath(FUNCTION_ARN))
      .reply(capture(log, lambdaJson({ Tags: { 'lshift:live': encodeRecord(record()), team: 'orders' } })));
    const store = new TagStateStore(await createTestLambdaAdapter());
    await store.write('my-fn', 'live', record());
    expect(log).toHaveLength(1);
    expect(log[0]!.method).toBe('POST');
    expect(decodeURIComponent(log[0]!.path)).toBe(`/2017-03-31/tags/${FUNCTION_ARN}`);
    expect(log[0]!.body).toEqual({ Tags: { 'lshift:live': encodeRecord(record()) } });
    expect((log[0]!.body as { Tags: Record<string, string> }).Tags['lshift:live']).toMatch(
      /^v1 id=d-abc123 /,
    );
    await expect(store.read('my-fn', 'live')).resolves.toEqual(record());
    expect(log.map((r) => r.method)).toEqual(['POST', 'GET']);
  });
});
