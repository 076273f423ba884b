import { describe, expect, it } from 'vitest';
import { compareRunSettings, describeChanges, digestOf, isDigestUri } from '../../src/domain/image.js';

const HEX = 'a'.repeat(64);

describe('digestOf', () => {
  it.each([
    [`123.dkr.ecr.us-east-1.amazonaws.com/app@sha256:${HEX}`, `sha256:${HEX}`],
    ['123.dkr.ecr.us-east-1.amazonaws.com/app:v2', undefined],
    [`app@sha256:${'a'.repeat(63)}`, undefined],
    [undefined, undefined],
  ])('%s → %s', (uri, digest) => {
    expect(digestOf(uri)).toBe(digest);
    if (uri) expect(isDigestUri(uri)).toBe(digest !== undefined);
  });
});

describe('compareRunSettings', () => {
  const rows: [string, Parameters<typeof compareRunSettings>, string][] = [
    ['nothing differs', [{ version: '1' }, { version: '2' }], ''],
    ['absent architecture is x86_64', [{ version: '1' }, { version: '2', architectures: ['x86_64'] }], ''],
    [
      'architecture',
      [
        { version: '1', architectures: ['x86_64'] },
        { version: '2', architectures: ['arm64'] },
      ],
      'architecture: x86_64 → arm64',
    ],
    [
      'entry point added',
      [{ version: '1' }, { version: '2', imageConfig: { entryPoint: ['/lambda-entrypoint.sh'] } }],
      'entry point: (image default) → ["/lambda-entrypoint.sh"]',
    ],
    [
      'command and working directory',
      [
        { version: '1', imageConfig: { command: ['a.handler'], workingDirectory: '/a' } },
        { version: '2', imageConfig: { command: ['b.handler'] } },
      ],
      'command: ["a.handler"] → ["b.handler"]; working directory: "/a" → (image default)',
    ],
  ];
  it.each(rows)('%s', (_name, args, expected) => {
    expect(describeChanges(compareRunSettings(...args))).toBe(expected);
  });
});
