import { describe, expect, it } from 'vitest';
import { unsetBlankAwsVariables } from '../../src/aws/blank-env.js';

describe('unsetBlankAwsVariables: an empty AWS variable counts as unset, as in a shell', () => {
  it.each<[string, NodeJS.ProcessEnv, NodeJS.ProcessEnv, string[]]>([
    [
      'empty ones removed',
      { AWS_REGION: '', AWS_PROFILE: '', AWS_DEFAULT_REGION: '' },
      {},
      ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE'],
    ],
    ['blank ones removed', { AWS_REGION: '  ', AWS_PROFILE: '\t' }, {}, ['AWS_REGION', 'AWS_PROFILE']],
    [
      'padded ones trimmed',
      { AWS_REGION: ' eu-west-1 ', AWS_PROFILE: 'ci ' },
      { AWS_REGION: 'eu-west-1', AWS_PROFILE: 'ci' },
      [],
    ],
    [
      'set ones kept',
      { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-east-1' },
      { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-east-1' },
      [],
    ],
    [
      'others untouched (an empty key is not ours to judge)',
      { AWS_ACCESS_KEY_ID: '', HOME: '' },
      { AWS_ACCESS_KEY_ID: '', HOME: '' },
      [],
    ],
  ])('%s', (_, env, after, removed) => {
    const copy = { ...env };
    expect(unsetBlankAwsVariables(copy)).toEqual(removed);
    expect(copy).toEqual(after);
  });
});
