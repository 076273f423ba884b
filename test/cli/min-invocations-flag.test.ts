import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

/** --min-invocations has a documented ceiling (docs/analysis.md): above it, a usage error before anything runs. */
describe('--min-invocations bounds (built CLI)', () => {
  it.each([['1000000001'], ['99999999999999999999']])('%s: exit 2 naming the ceiling', async (value) => {
    const run = await runCli(['deploy', 'demo', '--min-invocations', value, '--dry-run'], {
      env: { LSHIFT_SANDBOX: undefined, AWS_REGION: 'us-east-1' },
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/--min-invocations.*1000000000/);
  });
});

describe('--min-invocations ceiling', () => {
  it('the flag and config schema use the analysis config’s ceiling', async () => {
    const { MAX_MIN_INVOCATIONS } = await import('../../src/domain/analysis/config.js');
    const { CONFIG_SCHEMA } = await import('../../src/cli/option-schema.js');
    expect(CONFIG_SCHEMA.properties['min-invocations'].maximum).toBe(MAX_MIN_INVOCATIONS);
  });
});
