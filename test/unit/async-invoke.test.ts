import { describe, expect, it } from 'vitest';
import {
  compareAsyncSettings,
  type EventInvokeConfig,
  settingsDuringShift,
} from '../../src/domain/async-invoke.js';

const Q1 = 'arn:aws:sqs:us-east-1:123456789012:failures';
const Q2 = 'arn:aws:sqs:us-east-1:123456789012:other';

describe('settingsDuringShift', () => {
  const rows: {
    name: string;
    configs: EventInvokeConfig[];
    version: string;
    source: string;
    onFailure?: string;
    retries: number;
  }[] = [
    { name: 'nothing configured: defaults', configs: [], version: '2', source: 'defaults', retries: 2 },
    {
      name: 'the alias config applies to both versions',
      configs: [
        { qualifier: 'live', onFailure: Q1, maximumRetryAttempts: 0 },
        { qualifier: '2', onFailure: Q2 },
      ],
      version: '2',
      source: 'alias live',
      onFailure: Q1,
      retries: 0,
    },
    {
      name: "without an alias config, the version's own",
      configs: [
        { qualifier: '1', onFailure: Q1 },
        { qualifier: '2', maximumRetryAttempts: 1 },
      ],
      version: '2',
      source: 'version 2',
      retries: 1,
    },
    {
      name: 'the unqualified config is not counted on for a version',
      configs: [{ qualifier: '$LATEST', onFailure: Q1 }],
      version: '2',
      source: 'defaults',
      retries: 2,
    },
    {
      name: "another alias's config does not apply",
      configs: [{ qualifier: 'beta', onFailure: Q1 }],
      version: '1',
      source: 'defaults',
      retries: 2,
    },
  ];
  it.each(rows)('$name', (row) => {
    const s = settingsDuringShift(row.configs, 'live', row.version);
    expect(s.source).toBe(row.source);
    expect(s.onFailure).toBe(row.onFailure);
    expect(s.retryAttempts).toBe(row.retries);
  });
});

describe('compareAsyncSettings', () => {
  const base = { source: 'x', retryAttempts: 2, maxEventAgeSeconds: 21_600 };
  it.each([
    ['loses the on-failure destination', { onFailure: Q1 }, {}, [`on-failure destination ${Q1}`], []],
    ['loses the DLQ', { deadLetterQueue: Q2 }, {}, [`dead-letter queue ${Q2}`], []],
    [
      'changes the destination: shown, not lost',
      { onFailure: Q1 },
      { onFailure: Q2 },
      [],
      [`on-failure destination: ${Q1} → ${Q2}`],
    ],
    ['gains one', {}, { onFailure: Q1 }, [], [`on-failure destination: none → ${Q1}`]],
    [
      'retries and age',
      {},
      { retryAttempts: 0, maxEventAgeSeconds: 60 },
      [],
      ['retry attempts: 2 → 0', 'maximum event age (s): 21600 → 60'],
    ],
  ])('%s', (_name, stable, target, lost, changed) => {
    const c = compareAsyncSettings(
      { ...base, version: '1', ...stable },
      { ...base, version: '2', ...target },
    );
    expect(c.lost).toEqual(lost);
    expect(c.changed).toEqual(changed);
  });
});
