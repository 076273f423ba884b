import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

/**
 * `lshift sandbox` flags a careless operator types: an empty value (an unset variable,
 * `--state "$STATE"`) and a host name that does not resolve. Each is refused before anything
 * listens (INVALID_FLAG, exit 2), instead of: `--host ''` printing SANDBOX_SEED_FAILED and then
 * never exiting (the server it had started kept the process alive); `--host nope.invalid` being
 * an INTERNAL "bug in lshift"; `--state ''` and `--scenario ''` silently running without them
 * (the world lost at exit).
 */
describe('lshift sandbox: bad flag values are refused at once (built CLI)', () => {
  it.each([
    { args: ['--host', ''], message: '--host is empty.' },
    { args: ['--host', '  '], message: '--host is empty.' },
    { args: ['--host', 'nope.invalid'], message: '--host nope.invalid is not an address of this machine' },
    { args: ['--state', ''], message: '--state is empty.' },
    { args: ['--scenario', ''], message: '--scenario is empty.' },
  ])('sandbox $args: INVALID_FLAG, exit 2', async ({ args, message }) => {
    const run = await runCli(['sandbox', '--port', '0', ...args, '--json'], { timeoutMs: 30_000 });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error).toMatchObject({ status: 'error', code: 'INVALID_FLAG', exitCode: 2 });
    expect(error.message).toContain(message);
  });
});
