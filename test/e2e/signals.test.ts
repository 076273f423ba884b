import { afterEach, describe, expect, it } from 'vitest';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * SIGTERM (a CI cancel) mid-shift: lshift rolls back before exiting. The measured
 * signal-to-exit time is printed so the note on the issue can quote it.
 */
describe('signals during a shift (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} mid-shift puts all traffic back on the stable version and exits 3`, async () => {
      env = await startSandboxEnv({ preset: 'healthy', speed: 60 });
      let sentAt = 0;
      const run = await env.cli(
        ['deploy', 'demo', '--strategy', 'canary:10%:30m', '--alarm', 'demo-errors'],
        {
          onSpawn: (child) => {
            child.stderr?.on('data', (chunk: Buffer) => {
              if (sentAt === 0 && chunk.toString().includes('step 1/2')) {
                sentAt = Date.now();
                child.kill(signal);
              }
            });
          },
        },
      );
      const elapsedMs = Date.now() - sentAt;
      console.log(`${signal} → exit took ${elapsedMs} ms`);
      expect(sentAt, run.stderr).toBeGreaterThan(0);
      expect(run.code, run.stderr).toBe(3);
      expect(run.stdout).toContain('Rolled back demo:live');
      expect(run.stderr).toMatch(/interrupted/);
      const status = await env.status();
      expect(status.functionVersion).toBe('1');
      expect(status.additionalWeights).toEqual({});
      expect(status.record?.phase).toBe('rolled-back');
    });
  }
});
