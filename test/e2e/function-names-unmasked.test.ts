/**
 * A function environment value that is one of lshift's own names is never masked: with
 * `STAGE=production` (alias `production`) and `SERVICE_NAME=orders-service` (the function) every
 * reason, hint and error printed `orders-service:***` or `--alias ***` — hints no one could copy at
 * 3 a.m. A real secret of the same environment is still masked in the hook's output.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SCENARIOS, type SandboxHandle, seedDemo, startSandbox } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/run-cli.js';

const FN = 'orders-service';
const ALIAS = 'production';
const SECRET = 'hunter2hunter2x';

describe('function environment values that are lshift’s own names', () => {
  let handle: SandboxHandle | undefined;
  afterEach(async () => {
    await handle?.stop();
    handle = undefined;
  });

  it('are printed plain in a failed deploy’s reason and hints, while a secret beside them is masked', async () => {
    handle = await startSandbox({ speed: 600, seed: 7 });
    await seedDemo(handle, { functionName: FN, alias: ALIAS, ...DEMO_SCENARIOS.healthy });
    // $LATEST, the version this deploy publishes, holds the names and a secret.
    const config = `${handle.url}/2015-03-31/functions/${FN}/configuration`;
    const current = (await (await fetch(config)).json()) as { Environment?: { Variables?: object } };
    const Variables = {
      ...current.Environment?.Variables,
      STAGE: ALIAS,
      SERVICE_NAME: FN,
      DB_PASSWORD: SECRET,
    };
    const put = await fetch(config, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Environment: { Variables } }),
    });
    expect(put.status).toBe(200);
    const run = await runCli(
      [
        'deploy',
        FN,
        '--alias',
        ALIAS,
        '--alarm',
        `${FN}-errors`,
        '--strategy',
        'all-at-once',
        '--pre-hook',
        // The spec does not print the secret: only its output does.
        'cmd:echo "stage=$X_STAGE fn=$X_FN pw=$X_VALUE"; exit 1',
      ],
      {
        env: {
          LSHIFT_SANDBOX: handle.url,
          X_STAGE: ALIAS,
          X_FN: FN,
          X_VALUE: SECRET,
        },
      },
    );
    expect(run.code, run.stderr).toBe(3);
    const all = run.stdout + run.stderr;
    expect(all).toContain(`stage=${ALIAS} fn=${FN} pw=***`);
    expect(all).toContain(`${FN}:${ALIAS} is unchanged`);
    expect(all).not.toContain(SECRET);
    expect(all).not.toMatch(/stage=\*\*\*|fn=\*\*\*|orders-service:\*\*\*|\*\*\*:production/);
  });
});
