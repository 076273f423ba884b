import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const args = ['deploy', 'a', 'b', '--sandbox', '--strategy', 'linear:50%:1m', '--progress', 'plain'];
const steps = 'steps of 1m are shorter';

/**
 * A real release whose functions were all on their version said its warnings about the shift
 * (log, each function's result) although nothing moved; a single deploy holds them
 * (shift-warnings.ts), and so does the release dry run.
 */
describe('a release’s warnings about the shift (built CLI, --sandbox)', () => {
  it('says none when every function is already on its version', async () => {
    const idle = await runCli([...args, '--version', '1', '--json']);
    expect(idle.code, idle.stderr).toBe(0);
    const out = JSON.parse(idle.stdout);
    expect(out.status).toBe('nothing_to_deploy');
    expect(out.functions.map((f: { warnings?: string[] }) => f.warnings)).toEqual([undefined, undefined]);
    expect(idle.stderr).not.toContain(steps);
  }, 60_000);

  it('says them, in the log and each function’s result, when the release shifts (not vacuous)', async () => {
    const moving = await runCli([...args, '--speed', '600', '--json']);
    expect(moving.code, moving.stderr).toBe(0);
    const out = JSON.parse(moving.stdout);
    expect(out.status).toBe('promoted');
    // The steps warning, whatever else is said: how much traffic the embedded sandbox has made
    // by the time the recent rate is read depends on the machine's speed (at --speed 600 a real
    // second is 10 simulated minutes), and a low rate adds the --min-invocations warning (it
    // failed so in a fresh-clone CI: "at about 14 requests a minute …").
    for (const f of out.functions)
      expect(f.warnings).toEqual(expect.arrayContaining([expect.stringContaining(steps)]));
    expect(moving.stderr).toContain(`warning: ${steps}`);
    // Said as a single deploy says them: just before the first function's shift starts.
    const said = moving.stderr.indexOf(steps);
    expect(said).toBeGreaterThan(moving.stderr.indexOf(': preflight: passed'));
    expect(said).toBeLessThan(moving.stderr.search(/[ab]: shift: d-/));
  }, 90_000);
});
