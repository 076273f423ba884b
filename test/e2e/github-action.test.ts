import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RUN_JS } from '../helpers/run-cli.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ACTION = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  runs: { steps: { id?: string; env?: Record<string, string> }[] };
};

/** Runs the action's deploy step as the runner would (the install step is `npm ci && npm run build`). */
function runDeployStep(
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; outputs: Record<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), 'lshift-action-'));
  const output = join(dir, 'github-output');
  writeFileSync(output, '');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(ROOT, 'scripts/action-deploy.sh')], {
      env: {
        ...process.env,
        CI: 'true',
        LSHIFT_BIN: RUN_JS,
        GITHUB_OUTPUT: output,
        RUNNER_TEMP: dir,
        ...env,
      },
      stdio: 'ignore',
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const outputs = Object.fromEntries(
        readFileSync(output, 'utf8')
          .trim()
          .split('\n')
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
      resolve({ code, outputs });
    });
  });
}

describe('the GitHub Action (action.yml + scripts/action-deploy.sh) against a sandbox', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => env?.stop());

  it('every input reaches the deploy step, every output is set from it', () => {
    const step = ACTION.runs.steps.find((s) => s.id === 'deploy');
    for (const input of Object.keys(ACTION.inputs)) {
      expect(step?.env?.[`LSHIFT_${input.toUpperCase()}`], input).toBe(`\${{ inputs.${input} }}`);
    }
    expect(Object.keys(ACTION.outputs)).toContain('status');
  });

  it('a healthy deploy: exit 0 and the result fields as outputs', async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
    const run = await runDeployStep({
      LSHIFT_SANDBOX: env.handle.url,
      LSHIFT_FUNCTION: 'demo',
      LSHIFT_STRATEGY: 'all-at-once',
      LSHIFT_ALARMS: 'demo-errors',
      LSHIFT_ARGS: '--interval 30s',
    });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({
      status: 'promoted',
      'from-version': '1',
      'to-version': '2',
      'exit-code': '0',
    });
    expect(run.outputs['deployment-id']).toMatch(/^d-/);
    expect(JSON.parse(readFileSync(run.outputs['result-file'] ?? '', 'utf8')).status).toBe('promoted');
  });

  it('a bad version: the step fails with exit 3 and says why in the outputs', async () => {
    env = await startSandboxEnv({ preset: 'bad' });
    const run = await runDeployStep({
      LSHIFT_SANDBOX: env.handle.url,
      LSHIFT_FUNCTION: 'demo',
      LSHIFT_STRATEGY: 'canary:10%:5m',
      LSHIFT_ALARMS: 'demo-errors',
    });
    expect(run.code).toBe(3);
    expect(run.outputs).toMatchObject({ status: 'rolled_back', 'exit-code': '3' });
    // The alarm or the canary analysis may see the 30% errors first; either is the reason.
    expect(run.outputs.reason).toMatch(/demo-errors|error-rate-increase/);
  });
});
