import { describe, expect, it } from 'vitest';
import { foreignRegionOf, functionKeyOf, parseFunctionRef } from '../../src/domain/function-ref.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:beta';
const PARTIAL = '123456789012:function:beta';

describe('parseFunctionRef: the spellings Lambda’s FunctionName takes', () => {
  it.each([
    ['beta', { name: 'beta', unqualified: 'beta' }],
    ['my_fn-2', { name: 'my_fn-2', unqualified: 'my_fn-2' }],
    [ARN, { name: 'beta', unqualified: ARN }],
    ['arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:beta', { name: 'beta' }],
    ['arn:aws-cn:lambda:cn-north-1:123456789012:function:beta', { name: 'beta' }],
    [PARTIAL, { name: 'beta', unqualified: PARTIAL }],
    ['beta:live', { name: 'beta', qualifier: 'live', unqualified: 'beta' }],
    ['beta:2', { name: 'beta', qualifier: '2', unqualified: 'beta' }],
    ['beta:$LATEST', { name: 'beta', qualifier: '$LATEST', unqualified: 'beta' }],
    [`${ARN}:live`, { name: 'beta', qualifier: 'live', unqualified: ARN }],
    [`${PARTIAL}:7`, { name: 'beta', qualifier: '7', unqualified: PARTIAL }],
    // A twelve-digit name is a name, not the start of a partial ARN.
    ['123456789012', { name: '123456789012' }],
    ['123456789012:live', { name: '123456789012', qualifier: 'live' }],
  ])('%s', (text, expected) => {
    expect(parseFunctionRef(text)).toMatchObject({ text, ...expected });
    if (!('qualifier' in expected)) expect(parseFunctionRef(text)?.qualifier).toBeUndefined();
  });

  it.each([
    '',
    'be.ta',
    'beta!',
    'a'.repeat(65),
    'beta:live:extra',
    'beta:',
    ':beta',
    'beta:li.ve',
    'arn:aws:lambda:us-east-1:123456789012:function',
    'arn:aws:s3:us-east-1:123456789012:function:beta',
    'arn:aws:lambda:us-east-1:12345:function:beta',
    'arn:aws:lambda:nowhere:123456789012:function:beta',
    'arn:aws:lambda:us-east-1:123456789012:layer:beta',
    `${ARN}:live:extra`,
    '123456789012:layer:beta',
    `${PARTIAL}:7:8`,
  ])('not a function: %j', (text) => {
    expect(parseFunctionRef(text)).toBeUndefined();
  });
});

describe('functionKeyOf: two spellings of one function share a key', () => {
  it.each([
    ['beta', ARN, true],
    ['beta', PARTIAL, true],
    [ARN, PARTIAL, true],
    ['beta', 'arn:aws:lambda:eu-west-1:210987654321:function:beta', true],
    ['beta', 'gamma', false],
    ['beta', 'arn:aws:lambda:us-east-1:123456789012:function:beta2', false],
  ])('%s ~ %s: %s', (a, b, same) => {
    expect(functionKeyOf(a) === functionKeyOf(b)).toBe(same);
  });
});

describe('foreignRegionOf: the region of an ARN that is not the one lshift calls', () => {
  it.each([
    [ARN, 'us-east-1', undefined],
    [ARN, 'eu-west-1', 'us-east-1'],
    [`${ARN}:live`, 'eu-west-1', 'us-east-1'],
    // A name or a partial ARN goes where the call goes.
    ['beta', 'eu-west-1', undefined],
    [PARTIAL, 'eu-west-1', undefined],
    // Not a function: someone else's error to report.
    ['beta:li.ve', 'eu-west-1', undefined],
  ])('%s called in %s: %s', (text, region, expected) => {
    expect(foreignRegionOf(text, region)).toBe(expected);
  });
});
