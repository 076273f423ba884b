import { describe, expect, it } from 'vitest';
import { toVersionSettings } from '../../src/aws/lambda-mappers.js';
import { forecastPublish } from '../../src/engine/publish-forecast.js';
import type { FunctionInfo } from '../../src/ports/lambda.js';

function info(version: string, over: Partial<FunctionInfo> = {}): FunctionInfo {
  return {
    functionName: 'demo',
    functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:demo',
    version,
    codeSha256: 'abc=',
    role: 'arn:aws:iam::123456789012:role/demo',
    revisionId: `r-${version}`,
    packageType: 'Zip',
    settings: toVersionSettings({ MemorySize: 128, Timeout: 3, Environment: { Variables: { A: '1' } } }),
    ...over,
  };
}

describe('forecastPublish', () => {
  it('unchanged code and settings: Lambda would most likely return the newest version', () => {
    expect(forecastPublish(info('$LATEST'), info('7'), 'abc=')).toEqual({
      outcome: 'likely-same',
      newestVersion: '7',
    });
  });

  it('no version yet, other code, or a setting that differs: a new version for sure', () => {
    expect(forecastPublish(info('$LATEST'), undefined, 'abc=')).toEqual({ outcome: 'new', because: 'first' });
    expect(forecastPublish(info('$LATEST'), info('7'), 'zip=')).toMatchObject({ because: 'code' });
    const changed = info('$LATEST', {
      settings: toVersionSettings({ MemorySize: 256, Timeout: 3, Environment: { Variables: { A: '2' } } }),
    });
    expect(forecastPublish(changed, info('7'), 'abc=')).toEqual({
      outcome: 'new',
      because: 'configuration',
      newestVersion: '7',
      settings: ['memory', 'environment'],
    });
  });

  it('code known only after the upload (S3, an image): unknown unless a setting already differs', () => {
    expect(forecastPublish(info('$LATEST'), info('7'), undefined)).toEqual({
      outcome: 'unknown',
      newestVersion: '7',
    });
    const otherRole = info('$LATEST', { role: 'arn:aws:iam::123456789012:role/other', settings: undefined });
    expect(forecastPublish(otherRole, info('7', { settings: undefined }), undefined)).toMatchObject({
      because: 'configuration',
      settings: ['role'],
    });
  });
});

describe('toVersionSettings', () => {
  it('holds a digest of the environment, never its values, and ignores what differs without a change', () => {
    const settings = toVersionSettings({
      Environment: { Variables: { SECRET: 'hunter2-value' } },
      Version: '$LATEST',
      RevisionId: 'r1',
      LastModified: '2024-01-01T00:00:00.000+0000',
      Description: 'latest',
      State: 'Active',
    });
    expect(JSON.stringify(settings)).not.toContain('hunter2-value');
    expect(Object.keys(settings)).toEqual(['environment']);
    const sameVersion = toVersionSettings({
      Environment: { Variables: { SECRET: 'hunter2-value' } },
      Version: '7',
      RevisionId: 'r2',
      Description: 'v7',
    });
    expect(sameVersion).toEqual(settings);
  });
});
