import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

/** `--reason` limits count characters as a reader does: an emoji is one (it counted two). */
describe('--reason length: characters, not UTF-16 units', () => {
  // Refused before any AWS call: no sandbox, no endpoint is reached.
  const env = {
    LSHIFT_SANDBOX: undefined,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'y',
  };

  it('abort: 61 emoji are 61 characters, over the 60 the flag takes', async () => {
    const run = await runCli(['abort', 'demo', '--reason', '🚨'.repeat(61), '--json'], { env });
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      code: 'INVALID_FLAG',
      message: '--reason must be 1 to 60 characters (got 61).',
    });
  });

  it('rollback: 201 emoji are 201 characters, over the 200 the flag takes', async () => {
    const run = await runCli(['rollback', 'demo', '--reason', '🚨'.repeat(201), '--json'], { env });
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      code: 'INVALID_FLAG',
      message: '--reason must be 1 to 200 characters (got 201).',
    });
  });
});
