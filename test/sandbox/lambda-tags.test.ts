/**
 * Lambda's tag rules, enforced as Lambda does, so lshift's own tag writes (the deployment record
 * `lshift:<alias>`) are tested against them: keys 1–128 and values 0–256 characters of Unicode
 * letters, digits, spaces and `_ . : / = + - @`, no `aws:` prefix, at most 50 tags on a function.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-tags.html
 */
import {
  CreateFunctionCommand,
  ListTagsCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord, recordTagKey } from '../../src/domain/deployment-record.js';
import { errorOf, ROLE, startTestSandbox, type TestSandbox, zip } from './helpers.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:fn';
let t: TestSandbox;
beforeEach(async () => {
  t = await startTestSandbox();
  await t.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'fn',
      Role: ROLE,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Code: { ZipFile: zip(1) },
    }),
  );
});
afterEach(async () => {
  await t.stop();
});

const tagsOf = async () => (await t.lambda.send(new ListTagsCommand({ Resource: ARN }))).Tags;
const tag = (tags: Record<string, unknown>) =>
  t.lambda.send(new TagResourceCommand({ Resource: ARN, Tags: tags as Record<string, string> }));
const many = (n: number, prefix = 'k') =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 'v']));

describe('tag keys and values', () => {
  it('takes every character Lambda allows: Unicode letters and digits, spaces, _ . : / = + - @', async () => {
    const tags = { 'Équipe 1': 'Zürich_.:/=+-@ ٣', [`k${'a'.repeat(127)}`]: 'v'.repeat(256), empty: '' };
    await tag(tags);
    expect(await tagsOf()).toEqual(tags);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'an empty key',
      { '': 'v' },
      'ValidationException',
      'Member must have length greater than or equal to 1',
    ],
    ['a 129-character key', { ['k'.repeat(129)]: 'v' }, 'ValidationException', 'less than or equal to 128'],
    ['a 257-character value', { k: 'v'.repeat(257) }, 'ValidationException', 'less than or equal to 256'],
    ['an aws: key', { 'aws:team': 'v' }, 'ValidationException', 'Map keys must satisfy constraint'],
    [
      'an AWS: key, in any case',
      { 'AWS:team': 'v' },
      'ValidationException',
      'Map keys must satisfy constraint',
    ],
    ['a # in a key', { 'a#b': 'v' }, 'ValidationException', 'Map keys must satisfy constraint'],
    ['a newline in a value', { k: 'a\nb' }, 'ValidationException', 'Map value must satisfy constraint'],
    ['JSON in a value', { k: '{"a":1}' }, 'ValidationException', 'Map value must satisfy constraint'],
    [
      'a list as a value (never read as its text)',
      { k: ['a'] },
      'InvalidRequestContentException',
      'Cannot deserialize value of type `java.lang.String` from Array value',
    ],
    [
      'a mapping as a value',
      { k: { a: 'b' } },
      'InvalidRequestContentException',
      'Cannot deserialize value of type `java.lang.String` from Object value',
    ],
  ])('refuses %s, changing nothing', async (_case, tags, name, message) => {
    const error = await errorOf(() => tag({ ok: 'kept', ...tags }));
    expect(error.name).toBe(name);
    expect(error.message).toContain(message);
    expect(await tagsOf()).toEqual({});
  });
});

describe('values that are not strings', () => {
  it('reads a number or a boolean as its text, and null as an empty value, as Lambda’s JSON parser does', async () => {
    await tag({ n: 5, yes: true });
    // The SDK leaves null map values out: sent as another client would.
    const raw = await fetch(`${t.handle.url}/2017-03-31/tags/${encodeURIComponent(ARN)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"Tags":{"none":null}}',
    });
    expect(raw.status).toBe(204);
    expect(await tagsOf()).toEqual({ n: '5', yes: 'true', none: '' });
  });
});

describe('at most 50 tags on a function', () => {
  it('takes 50, refuses the 51st (counting the tags it already has), and changes nothing', async () => {
    await tag(many(49));
    await tag({ k0: 'overwritten', last: 'v' });
    expect(Object.keys((await tagsOf()) ?? {})).toHaveLength(50);
    const error = await errorOf(() => tag({ one: 'too many' }));
    expect(error.name).toBe('InvalidParameterValueException');
    expect(error.message).toContain('Number of tags exceeds resource tag limit');
    expect(Object.keys((await tagsOf()) ?? {})).toHaveLength(50);
    await t.lambda.send(new UntagResourceCommand({ Resource: ARN, TagKeys: ['last'] }));
    await tag({ one: 'fits again' });
  });

  it('refuses CreateFunction with 51 tags', async () => {
    const error = await errorOf(() =>
      t.lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'tagged',
          Role: ROLE,
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Code: { ZipFile: zip(1) },
          Tags: many(51),
        }),
      ),
    );
    expect(error.name).toBe('InvalidParameterValueException');
  });
});

describe('lshift’s own deployment record tag', () => {
  it('passes Lambda’s rules whatever the texts in it (owner, operator reason, end reason)', async () => {
    const record = {
      id: 'd-k3j9x2',
      stableVersion: '6',
      targetVersion: '7',
      strategy: 'steps:1%@2m,10%@5m,100%',
      stepIndex: 1,
      percent: 10,
      phase: 'paused' as const,
      startedAt: 1_795_000_000_123,
      owner: 'ci#42 (main) 🚀 Zoë\n',
      heartbeatAt: 1_795_000_030_456,
      endReason: 'moved {by} "hand"\t#1',
      history: ['6', '5'],
      command: {
        verb: 'abort' as const,
        nonce: 'k3j9',
        state: 'sent' as const,
        by: 'Zoë@host:1',
        reason: 'p99 ×2 ¡ay! 🚨',
      },
    };
    const key = recordTagKey('live');
    const value = encodeRecord(record);
    await tag({ [key]: value });
    const stored = (await tagsOf())?.[key];
    expect(stored).toBe(value);
    expect(decodeRecord(stored!).command?.reason).toBe('p99 ×2 ¡ay! 🚨');
  });
});
