import { afterEach, describe, expect, it } from 'vitest';
import { stderrShows } from '../helpers/run-cli.js';
import { waitUntil } from '../helpers/wait-until.js';
import { initCodeDeployGroup } from './codedeploy-detached.js';
import { control, moveAliasByHand, untilHeld } from './sandbox-control.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * A person splits the alias 50/50 by hand at CodeDeploy's 10% and a Ctrl-C comes before any read
 * of lshift's saw it (found by a hostile pass, session 65, item 7a): the rollback put all traffic
 * back over the split and said only "interrupted at step 1 (10%)". It still rolls back, and now
 * says what it ran over. The sandbox's CodeDeploy rolls back the moment it takes the stop (the real
 * one starts a rollback deployment, seconds at least): the stop and the alias reads are held, the
 * read beside the stop let through first, then the stop. Holding the reads also keeps the hold's
 * own alias read (every 30 simulated seconds) from seeing the split before the signal.
 */
describe('deploy --engine codedeploy: a split by hand just before Ctrl-C (built CLI against the sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    if (env) await control(env, 'release', { drop: true });
    await env?.stop();
    env = undefined;
  });

  it('rolls back (exit 3) and says the rollback ran over the split; status says it too', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 60 });
    await initCodeDeployGroup(env);
    const sandbox = env;
    const run = await sandbox.cli(
      ['deploy', 'demo', '--engine', 'codedeploy', '--strategy', 'canary:10%:120m', '--no-analysis'],
      {
        onSpawn: (child) =>
          void (async () => {
            // lshift has seen CodeDeploy's 10% (its record says the step) before the split.
            await waitUntil(async () => {
              const truth = await sandbox.status();
              return (truth.additionalWeights['2'] ?? 0) > 0 && truth.record?.phase === 'shifting';
            }, 'lshift follows CodeDeploy to its 10%');
            await control(sandbox, 'hold', { only: ['GetAlias', 'StopDeployment'] });
            await moveAliasByHand(sandbox, '1', { '2': 0.5 });
            const taken = stderrShows(child, 'SIGINT received');
            child.kill('SIGINT');
            await taken;
            // The stop, and the read sent beside it (a hold's read the signal abandoned is not counted).
            await untilHeld(sandbox, 2);
            await control(sandbox, 'release', { only: ['GetAlias'] });
            await control(sandbox, 'release', {});
          })(),
        timeoutMs: 240_000,
      },
    );
    const out = run.stdout + run.stderr;
    expect(run.code, out).toBe(3);
    expect(out).toContain(
      "Reason: interrupted at step 1 (10%); the alias routed 50% on 2 when lshift stopped CodeDeploy, not CodeDeploy's 10%: someone had moved it by hand; the rollback put all traffic back on version 1 over it",
    );
    const truth = await sandbox.status();
    expect(truth).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(truth.record).toMatchObject({ phase: 'rolled-back' });
    const status = await sandbox.cli(['status', 'demo']);
    expect(status.stdout).toContain(
      'someone had moved the alias by hand just before lshift stopped CodeDeploy',
    );
  });
});
