/**
 * A config file entry with two code sources (`version:` and `zip:`) was refused "Give one code
 * source, not --zip and --version", naming flags that were not given (h4's list, session 68): it
 * names the file, the entry and its two keys now. And flags win over the file: `--zip` replaces an
 * entry's `version:` rather than meet it as a second source.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/cli/config-file.js';
import {
  releaseFunctions,
  resolveReleaseOptions,
  resolveSingleOptions,
} from '../../src/cli/release-options.js';

async function configFile(text: string) {
  const path = join(mkdtempSync(join(tmpdir(), 'lshift-entry-code-')), 'lshift.config.yaml');
  writeFileSync(path, text);
  return { path, ...(await loadConfig(path)) };
}

function errorOf(run: () => unknown): { code?: string; message: string; hint?: string } {
  try {
    run();
  } catch (error) {
    return error as { code?: string; message: string; hint?: string };
  }
  throw new Error('expected a refusal');
}

const TWO = 'functions:\n  - name: fa\n    version: "2"\n    zip: build/fa.zip\n  - name: fb\n';

describe('a config entry’s code sources', () => {
  it('an entry with version: and zip: is refused naming the file, the entry and the two keys (a release)', async () => {
    const { path, config } = await configFile(TWO);
    const error = errorOf(() => resolveReleaseOptions({}, config, config.functions ?? []));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(
      `Config file ${path}: functions[0] (fa) gives two code sources, \`zip\` and \`version\`: a deploy ships one.`,
    );
    expect(error.message).not.toContain('--');
  });

  it('the same for a single deploy of that entry', async () => {
    const { path, config } = await configFile(TWO);
    const error = errorOf(() => resolveSingleOptions({}, config, releaseFunctions(['fa'], config)[0]!));
    expect(error.message).toContain(`Config file ${path}: functions[0] (fa) gives two code sources`);
  });

  it('a code flag wins over the entry’s other source (flags win over the file)', async () => {
    const { config } = await configFile(TWO);
    const [entry] = releaseFunctions(['fa'], config);
    expect(resolveSingleOptions({ zip: 'other.zip' }, config, entry!).code).toEqual({
      kind: 'zip',
      path: 'other.zip',
    });
    expect(resolveSingleOptions({ version: '3' }, config, entry!).code).toEqual({
      kind: 'version',
      version: '3',
    });
  });

  it('a flag and an entry key of one source pair up (--s3-key with the entry’s s3-bucket)', async () => {
    const { config } = await configFile('functions:\n  - name: fa\n    s3-bucket: my-builds\n');
    const [entry] = releaseFunctions(['fa'], config);
    expect(resolveSingleOptions({ 's3-key': 'fa.zip' }, config, entry!).code).toEqual({
      kind: 's3',
      bucket: 'my-builds',
      key: 'fa.zip',
    });
    // Alone, the bucket is said as the entry's key, not as a flag.
    const alone = errorOf(() => resolveSingleOptions({}, config, entry!));
    expect(alone.message).toMatch(
      /^Config file .*: functions\[0\] \(fa\) `s3-bucket` and --s3-key must be given together/,
    );
  });

  it('flags alone keep their words', () => {
    const error = errorOf(() => resolveSingleOptions({ zip: 'a.zip', version: '3' }, {}, 'fa'));
    expect(error).toMatchObject({
      code: 'CONFLICTING_FLAGS',
      message: 'Give one code source, not --zip and --version.',
    });
  });
});
