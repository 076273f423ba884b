import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

/** `--engine codedeploy` does not work yet: help does not offer it, and passing it is refused clearly. */
describe('lshift deploy --engine (built CLI)', () => {
  it('is not offered in deploy --help', async () => {
    const run = await runCli(['deploy', '--help']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('--strategy');
    expect(run.stdout).not.toContain('--engine');
    expect(run.stdout).not.toContain('codedeploy');
  });

  it('is still refused with ENGINE_UNAVAILABLE (exit 2) when passed', async () => {
    const run = await runCli(['deploy', 'my-fn', '--engine', 'codedeploy', '--json']);
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 'ENGINE_UNAVAILABLE', exitCode: 2 });
  });
});
