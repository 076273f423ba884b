import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { readTruth } from './crash-helpers.js';
import { createSandboxFunction, freshSandbox, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/** Traffic hooks through the built CLI: failures stop or roll back the shift as documented. */
describe('deploy hooks (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await env?.stop();
    server?.close();
    env = undefined;
    server = undefined;
  });

  // --no-analysis: a run's outcome is its hooks', never a chance verdict of the judge on equal
  // versions (≤ 1% of deployments, docs/analysis.md).
  const deploy = [
    'deploy',
    'demo',
    '--strategy',
    'linear:50%:1m',
    '--alarm',
    'demo-errors',
    '--no-analysis',
    '--json',
  ];

  it('a failing pre-traffic hook: exit 3, no traffic ever moved, alias untouched (README form with --sandbox)', async () => {
    const inProcess = await runCli([
      'deploy',
      'demo',
      '--sandbox',
      '--speed',
      '600',
      '--pre-hook',
      'cmd:exit 1',
      '--json',
    ]);
    expect(inProcess.code, inProcess.stderr).toBe(3);
    const result = JSON.parse(inProcess.stdout);
    expect(result.status).toBe('rolled_back');
    expect(result.steps).toEqual([]);
    expect(result.reason).toContain('cmd:exit 1');

    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    const before = env.handle.state.data.functions.demo?.aliases.live?.revisionId;
    const args = [...deploy, '--pre-hook', 'cmd:echo checking; exit 1'];
    const run = await env.cli(args);
    expect(run.code, run.stderr).toBe(3);
    expect(env.handle.state.data.functions.demo?.aliases.live?.revisionId).toBe(before);
    expect(readTruth(env).functionVersion).toBe('1');
    // This run goes through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, on a sandbox of its own, deploys and says the same.
    await expectBuiltCliRunsAlike(run, args, { fresh: freshSandbox({ preset: 'healthy' }) });
  });

  it('a failing HTTP post-traffic hook rolls back from 100% (exit 3)', async () => {
    const bodies: string[] = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(500).end('smoke test failed: /orders returned 502');
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    const run = await env.cli([...deploy, '--post-hook', url]);
    expect(run.code, run.stderr).toBe(3);
    expect(JSON.parse(run.stdout).reason).toContain('500');
    expect(readTruth(env)).toMatchObject({ functionVersion: '1', weights: {} });
    expect(JSON.parse(bodies[0] ?? '{}')).toMatchObject({
      phase: 'post',
      functionName: 'demo',
      alias: 'live',
      targetVersion: '2',
      weight: 100,
    });
  });

  it('a Lambda pre-traffic hook answering {"status":"Failed"} stops the deploy and shows its reason', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    await createSandboxFunction(env.handle, 'smoke', {
      LSHIFT_SANDBOX_RESPONSE: '{"status":"Failed","reason":"orders table unreachable"}',
    });
    const run = await env.cli([...deploy, '--pre-hook', 'lambda:smoke']);
    expect(run.code, run.stderr).toBe(3);
    expect(JSON.parse(run.stdout).reason).toContain('orders table unreachable');
    expect(readTruth(env).functionVersion).toBe('1');
  });

  it('a lambda: hook that does not exist: exit 1 before anything is published (one function and a release)', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    const run = await env.cli([...deploy, '--pre-hook', 'lambda:nosuch']);
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 'HOOK_FUNCTION_NOT_FOUND', exitCode: 1 });
    expect(run.stdout).not.toContain('.:');
    expect(Object.keys(env.handle.state.data.functions.demo?.versions ?? {})).toEqual(['1']);
    const release = await runCli([
      'deploy',
      'demo',
      'other',
      '--sandbox',
      '--speed',
      '600',
      '--pre-hook',
      'lambda:nosuch',
      '--json',
    ]);
    expect(release.code, release.stderr).toBe(1);
    expect(JSON.parse(release.stdout)).toMatchObject({ code: 'HOOK_FUNCTION_NOT_FOUND' });
  });

  it('a passing command hook sees the deployment only through its environment', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    const check =
      'cmd:test "$LSHIFT_TARGET_VERSION" = 2 && test "$LSHIFT_PHASE" = pre && test "$LSHIFT_WEIGHT" = 0';
    const run = await env.cli([
      ...deploy,
      '--pre-hook',
      check,
      '--step-hook',
      'cmd:test "$LSHIFT_PHASE" = step',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(readTruth(env).functionVersion).toBe('2');
  });

  it('a command hook is shown with its secrets masked (progress, --json, NDJSON events, step summary) and run as typed', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    // Passes only if the shell gets the command as typed, token included.
    const typed = `cmd:GITHUB_TOKEN=${token} sh -c 'test "$GITHUB_TOKEN" = ${token}'`;
    const failing = 'cmd:echo https://admin:hunter2@ci.example.com/x?token=abc123 >/dev/null; exit 1';
    const hooks = ['--pre-hook', typed, '--pre-hook', failing];
    const summary = join(mkdtempSync(join(tmpdir(), 'lshift-hook-secrets-')), 'summary.md');
    const run = await env.cli([...deploy, ...hooks], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(run.code, run.stderr).toBe(3);
    const reason = JSON.parse(run.stdout).reason as string;
    expect(reason).toContain('cmd:echo https://***@ci.example.com/x?token=*** >/dev/null; exit 1');
    expect(reason).not.toContain('GITHUB_TOKEN');
    expect(run.stderr).toContain(`cmd:GITHUB_TOKEN=*** sh -c 'test "$GITHUB_TOKEN" = ghp_***'`);
    const events = await env.cli([...deploy.filter((a) => a !== '--json'), ...hooks, '--progress', 'ndjson']);
    expect(events.code, events.stderr).toBe(3);
    expect(events.stdout).toContain('"hook":"cmd:GITHUB_TOKEN=***');
    expect(readFileSync(summary, 'utf8')).toContain('https://***@ci.example.com/x?token=***');
    for (const output of [
      run.stdout,
      run.stderr,
      readFileSync(summary, 'utf8'),
      events.stdout,
      events.stderr,
    ]) {
      expect(output).not.toMatch(/hunter2|abc123|ghp_abc/);
    }
  });

  it('a command hook against a sandbox reaches the sandbox, never AWS with the real credentials', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    // The hook fails on purpose, so that its output (the variables it sees) is in the result.
    // Labels that do not look secret: a `key=…` would be masked in the output (docs/hooks.md).
    const show =
      'cmd:echo "endpoint=$AWS_ENDPOINT_URL id=$AWS_ACCESS_KEY_ID profile=$AWS_PROFILE st=$AWS_SESSION_TOKEN."; exit 1';
    const run = await env.cli([...deploy, '--pre-hook', show], {
      env: { AWS_ACCESS_KEY_ID: 'AKIAREALKEY', AWS_PROFILE: 'prod', AWS_SESSION_TOKEN: 'real-token' },
    });
    expect(run.code, run.stderr).toBe(3);
    expect(JSON.parse(run.stdout).reason).toContain(`endpoint=${env.handle.url} id=sandbox profile= st=.`);
  });

  // The hook fails on purpose, so that its output (the variables it sees) is in the result. The
  // key ids are under 8 characters and labelled `id=`: output masks longer values of
  // secret-looking variables, and the value of a `key=` (docs/hooks.md).
  const showAws =
    'cmd:echo "endpoint=$AWS_ENDPOINT_URL lambda=$AWS_ENDPOINT_URL_LAMBDA region=$AWS_REGION default=$AWS_DEFAULT_REGION profile=$AWS_PROFILE id=$AWS_ACCESS_KEY_ID."; exit 1';
  const notSandbox = ['deploy', 'demo', '--strategy', 'all-at-once', '--alarm', 'demo-errors', '--json'];

  it('a command hook reaches the endpoint and region lshift was given (--endpoint-url, --region), not AWS', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    // The sandbox stands for LocalStack here: reached through --endpoint-url, not LSHIFT_SANDBOX.
    const run = await runCli(
      [...notSandbox, '--endpoint-url', env.handle.url, '--region', 'eu-west-1', '--pre-hook', showAws],
      {
        env: {
          AWS_ACCESS_KEY_ID: 'AKIALOC',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_REGION: 'us-east-1',
          AWS_DEFAULT_REGION: 'us-east-1',
        },
      },
    );
    expect(run.code, run.stderr).toBe(3);
    expect(JSON.parse(run.stdout).reason).toContain(
      `endpoint=${env.handle.url} lambda= region=eu-west-1 default=eu-west-1 profile= id=AKIALOC.`,
    );
  });

  it('a failing hook that prints its credentials and a secret shows none of them: progress, --json, ::error::, step summary', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    const secrets = {
      AWS_ACCESS_KEY_ID: 'AKIAZZZZREALKEY12345',
      AWS_SECRET_ACCESS_KEY: 'TopSecretRealKeyabcdefghijklmnopqrstuvwx',
      AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEXAMPLETOKENvalue',
    };
    // The hostile pass's hook: its last line, a secret of its own, ends up in the failure reason.
    const leak =
      'cmd:echo AKIAIOSFODNN7EXAMPLE; env | grep AWS_; echo DB_PASSWORD=hunter2-SUPERSECRET; exit 1';
    const summary = join(mkdtempSync(join(tmpdir(), 'lshift-hook-leak-')), 'summary.md');
    // --endpoint-url, not the sandbox: the hook gets lshift's own credentials, as against AWS.
    const run = await runCli([...notSandbox, '--endpoint-url', env.handle.url, '--pre-hook', leak], {
      env: { ...secrets, AWS_REGION: 'us-east-1', GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('hook pre | AWS_SECRET_ACCESS_KEY=***');
    expect(run.stderr).toContain('hook pre | AWS_SESSION_TOKEN=***');
    expect(run.stderr).toContain('hook pre | AKIA***');
    expect(JSON.parse(run.stdout).reason).toContain('(output: DB_PASSWORD=***)');
    // With --json the annotation goes to stderr, stdout being the result's.
    expect(run.stderr).toContain('::error title=lshift rolled back::');
    const shown = [run.stdout, run.stderr, readFileSync(summary, 'utf8')].join('\n');
    expect(shown).toContain('DB_PASSWORD=***');
    for (const secret of [...Object.values(secrets), 'IOSFODNN7EXAMPLE', 'hunter2']) {
      expect(shown).not.toContain(secret);
    }
  });

  it('a command hook signs in with the profile lshift was given (--profile), not with the keys beside it', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    const dir = mkdtempSync(join(tmpdir(), 'lshift-hook-profile-'));
    writeFileSync(join(dir, 'config'), '[profile ci]\nregion = ap-south-1\n');
    writeFileSync(join(dir, 'credentials'), '[ci]\naws_access_key_id = AKIACI\naws_secret_access_key = ci\n');
    const run = await runCli([...notSandbox, '--profile', 'ci', '--pre-hook', showAws], {
      env: {
        AWS_CONFIG_FILE: join(dir, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
        AWS_ENDPOINT_URL: env.handle.url,
        AWS_ACCESS_KEY_ID: 'AKIAOTHER',
        AWS_SECRET_ACCESS_KEY: 'other',
        // Unset, not empty: the SDK takes an empty AWS_REGION as a region (and refuses it).
        AWS_REGION: undefined,
        AWS_DEFAULT_REGION: undefined,
      },
    });
    expect(run.code, run.stdout).toBe(3);
    expect(JSON.parse(run.stdout).reason).toContain(
      `endpoint=${env.handle.url} lambda= region=ap-south-1 default=ap-south-1 profile=ci id=.`,
    );
  });
});
