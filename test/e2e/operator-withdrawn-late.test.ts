/**
 * `lshift promote --full` whose write is held in flight (a stalled endpoint), Ctrl-C'd: it says
 * nothing was done; the held write then reaches Lambda (a lost response, `release {"late":true}`)
 * and the running deployment must NOT obey it. Before `lshift-withdrawn:<alias>` the Ctrl-C did
 * not even abandon the write, and the write that landed later jumped the deployment to 100%.
 * Engine twin: test/engine/operator-withdrawn-late.test.ts.
 *
 * The order is the sandbox's gate (docs/sandbox.md): the verb runs as SDK app id VERB, and the
 * gate holds its TagResource (the command); once that is held the gate is re-armed for a client
 * that never calls, so the held request stays held and every later one passes (the withdrawal's
 * reads and write). After the verb exits the held request is applied, its client gone.
 */
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { own } from '../../src/sandbox/own.js';
import { stderrShows } from '../helpers/run-cli.js';
import { waitUntil } from '../helpers/wait-until.js';
import { control, untilHeld } from './sandbox-control.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

const VERB = 'verb-under-test';

describe('a withdrawn operator command that lands late (built CLIs, sandbox)', () => {
  let env: SandboxEnv | undefined;
  let deploy: ChildProcess | undefined;
  afterEach(async () => {
    deploy?.kill('SIGKILL');
    if (env) await control(env, 'release', { drop: true });
    await env?.stop();
    env = undefined;
    deploy = undefined;
  });

  it('promote --full held, Ctrl-C: "nothing was done"; the held write lands later and the deployment does not obey it', async () => {
    env = await startSandboxEnv({ speed: 10 });
    const sandbox = env;
    // A deploy holding 10% for 30 simulated minutes (3 real), polling every 10 s (1 s real).
    let holding: () => void = () => {};
    const atFirstStep = new Promise<void>((resolve) => {
      holding = resolve;
    });
    const running = sandbox.cli(['deploy', 'demo', '--strategy', 'linear:10%:30m', '--no-analysis'], {
      onSpawn: (child) => {
        deploy = child;
        void stderrShows(child, 'step 1/10').then(() => holding());
      },
    });
    await atFirstStep;

    await control(sandbox, 'hold', { only: ['TagResource'], client: VERB });
    const verb = await sandbox.cli(['promote', 'demo', '--full', '--wait', '1m'], {
      env: { AWS_SDK_UA_APP_ID: VERB, LSHIFT_AWS_TIMEOUT: '15s' },
      onSpawn: (child) => {
        void (async () => {
          await untilHeld(sandbox);
          // The command stays held; the withdrawal's calls go through.
          await control(sandbox, 'hold', { client: 'nobody-calls-as-this' });
          child.kill('SIGINT');
        })();
      },
    });
    expect(verb.code, verb.stderr).toBe(1);
    expect(verb.stderr).toContain('Error [INTERRUPTED]');
    expect(verb.stderr).toMatch(/nothing was done\n/);

    // The held write reaches Lambda now, its client long gone: the record tag holds the command.
    await control(sandbox, 'release', { late: true });
    const landed = await sandbox.status();
    expect(landed.record).toMatchObject({ command: { verb: 'promote-full', state: 'sent' } });

    // The deployment reads it at its next poll and writes its record at its next heartbeat:
    // without the command, and still at 10%. (Obeyed, it would be at 100%, the command `done`.)
    await waitUntil(async () => {
      const now = await sandbox.status();
      const command = (now.record as { command?: { state: string } } | undefined)?.command;
      return command === undefined || command.state !== 'sent' || now.functionVersion === '2';
    }, 'the deployment’s next record write after the late command');
    const after = await sandbox.status();
    expect(after.record).toMatchObject({ phase: 'shifting', percent: 10 });
    expect((after.record as { command?: unknown }).command).toBeUndefined();
    expect(after).toMatchObject({ functionVersion: '1', additionalWeights: { '2': 0.1 } });

    // Ctrl-C abandoned the held write at once (it did not wait out its 15-s attempt and a retry).
    expect(verb.stderr).toContain('Interrupted while `promote --full` was being written to deployment');
    expect(verb.stderr).not.toContain('could not be marked withdrawn');
    const tags = own(sandbox.handle.state.data.functions, 'demo')!.tags;
    expect(tags['lshift-withdrawn:live']).toMatch(/^d-[0-9a-z]{6}\.[0-9a-z]{4}$/);
    deploy?.kill('SIGTERM');
    await running;
  });
});
