import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

/** `lshift sandbox` in one process, lshift commands in others: the documented two-shell workflow. */
describe('lshift sandbox (built CLI, foreground)', () => {
  it('prints the export line, serves deploys through LSHIFT_SANDBOX, and stops cleanly on Ctrl-C', async () => {
    let child: ChildProcess | undefined;
    let announce: (url: string) => void = () => {};
    const urlPrinted = new Promise<string>((resolve) => {
      announce = resolve;
    });
    let printed = '';
    const sandbox = runCli(['sandbox', '--port', '0', '--speed', '600', '--seed', '3'], {
      onSpawn: (c) => {
        child = c;
        c.stdout?.on('data', (chunk: Buffer) => {
          printed += chunk.toString();
          const match = printed.match(/export LSHIFT_SANDBOX=(\S+)/);
          if (match?.[1]) announce(match[1]);
        });
      },
    });
    const url = await urlPrinted;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(printed).toContain('aws --endpoint-url');
    // The README's deploy (the demo's alarm named: only --sandbox watches <function>-errors by
    // itself), and dummy credentials for the AWS CLI: it sends nothing without some ("Unable to
    // locate credentials" on a machine without AWS set up; found by a docs audit).
    expect(printed).toContain(
      '  lshift deploy demo --strategy Linear10PercentEvery1Minute --alarm demo-errors\n',
    );
    expect(printed).toContain('  export AWS_ACCESS_KEY_ID=sandbox AWS_SECRET_ACCESS_KEY=sandbox\n');
    expect(printed).toContain('(speed 600×: a simulated minute takes 100 real ms).');

    // What is under test is the sandbox serving a deploy, not the judge: an equal-version deploy
    // is rolled back by the analysis in ≤ 1% of runs (its budget), and which requests a run sees
    // depends on the machine's speed (seen once in a full suite under load).
    const deploy = await runCli(
      ['deploy', 'demo', '--strategy', 'linear:50%:1m', '--no-analysis', '--json'],
      {
        env: { LSHIFT_SANDBOX: url },
      },
    );
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(JSON.parse(deploy.stdout).status).toBe('promoted');

    child?.kill('SIGINT');
    const stopped = await sandbox;
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain('Sandbox stopped.');
  });

  it('--host 0.0.0.0 says it listens on all interfaces, and gives a URL that works from this machine', async () => {
    const printed = await firstLinesOfSandbox(['--host', '0.0.0.0', '--port', '0', '--no-demo']);
    const port = /port (\d+) \(0\.0\.0\.0:\1; speed/.exec(printed)?.[1];
    expect(printed, printed).toMatch(/^lshift sandbox listening on all IPv4 interfaces, port \d+ /);
    expect(printed).toContain(`Reach it at http://127.0.0.1:${port} from this machine`);
    expect(printed).toContain(`export LSHIFT_SANDBOX=http://127.0.0.1:${port}\n`);
  });

  it("takes the scenario file's speed when --speed is not given (it printed speed 1×)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-sbspeed-'));
    const scenario = join(dir, 'scenario.yaml');
    writeFileSync(scenario, 'seed: 42\nspeed: 60\n');
    const printed = await firstLinesOfSandbox(['--port', '0', '--no-demo', '--scenario', scenario]);
    expect(printed).toContain('(speed 60×: a simulated minute takes 1 real second).');
  });

  it('refuses to start on a port that is taken, with a clear message and no stack trace', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const taken = await runCli(['sandbox', '--port', String(port)], { timeoutMs: 60_000 });
      expect(taken.code).toBe(1);
      expect(taken.stderr).toContain(String(port));
      expect(taken.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    } finally {
      blocker.close();
    }
  });

  it('never echoes a password in LSHIFT_SANDBOX, and says what is wrong with it (exit 2)', async () => {
    const run = await runCli(['status', 'demo'], {
      env: { LSHIFT_SANDBOX: 'http://u:SBSECRET@127.0.0.1:1' },
    });
    expect(run.code).toBe(2);
    expect(`${run.stdout}${run.stderr}`).not.toContain('SBSECRET');
    expect(run.stderr).toContain('SANDBOX_URL_INVALID');
    expect(run.stderr).toContain('LSHIFT_SANDBOX (http://***@127.0.0.1:1) carries a user name or password');
    expect(run.stderr).not.toContain('no sandbox answers');
    const bare = await runCli(['status', 'demo', '--json'], {
      env: { LSHIFT_SANDBOX: 'u:SBSECRET@127.0.0.1:1' },
    });
    expect(bare.code).toBe(2);
    expect(`${bare.stdout}${bare.stderr}`).not.toContain('SBSECRET');
  });

  it('masks the password of an --endpoint-url or AWS_ENDPOINT_URL in a network error', async () => {
    const env = {
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'y',
      AWS_REGION: 'us-east-1',
      AWS_PROFILE: '',
    };
    const flag = await runCli(['status', 'demo', '--endpoint-url', 'http://u:EPSECRET@127.0.0.1:9'], { env });
    expect(flag.code).toBe(1);
    expect(`${flag.stdout}${flag.stderr}`).not.toContain('EPSECRET');
    const fromEnv = await runCli(['status', 'demo', '--json'], {
      env: { ...env, AWS_ENDPOINT_URL: 'http://u:ENVSECRET@127.0.0.1:9' },
    });
    expect(fromEnv.code).toBe(1);
    expect(`${fromEnv.stdout}${fromEnv.stderr}`).not.toContain('ENVSECRET');
    expect(JSON.parse(fromEnv.stdout).message).toContain('http://***@127.0.0.1:9');
  });

  it('refuses a port that Node fetch blocks, for LSHIFT_SANDBOX and for lshift sandbox --port (exit 2)', async () => {
    // Port 9 failed as "no sandbox answers there (fetch failed)"; --port 6000 started a sandbox
    // lshift could not seed (SANDBOX_SEED_FAILED).
    const run = await runCli(['status', 'demo', '--json'], { env: { LSHIFT_SANDBOX: 'http://127.0.0.1:9' } });
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 'SANDBOX_URL_INVALID' });
    expect(JSON.parse(run.stdout).message).toContain("is on port 9, which Node's fetch refuses");
    const sandbox = await runCli(['sandbox', '--port', '6000', '--json']);
    expect(sandbox.code, sandbox.stderr).toBe(2);
    expect(JSON.parse(sandbox.stdout)).toMatchObject({ code: 'INVALID_FLAG' });
    expect(JSON.parse(sandbox.stdout).message).toContain("--port 6000 is a port Node's fetch refuses");
  });

  it('says where it is looking when LSHIFT_SANDBOX points at nothing', async () => {
    const run = await runCli(['status', 'demo'], { env: { LSHIFT_SANDBOX: 'http://127.0.0.1:4' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('SANDBOX_UNREACHABLE');
    expect(run.stderr).toContain('http://127.0.0.1:4');
  });
});

/** What `lshift sandbox <args>` prints up to its export line; then Ctrl-C, which must stop it cleanly (exit 0). */
async function firstLinesOfSandbox(args: string[]): Promise<string> {
  let child: ChildProcess | undefined;
  let printed = '';
  let shown: () => void = () => {};
  const exportPrinted = new Promise<void>((resolve) => {
    shown = resolve;
  });
  const sandbox = runCli(['sandbox', ...args], {
    onSpawn: (c) => {
      child = c;
      c.stdout?.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
        if (/export LSHIFT_SANDBOX=\S+\n/.test(printed)) shown();
      });
    },
  });
  await exportPrinted;
  child?.kill('SIGINT');
  expect((await sandbox).code).toBe(0);
  return printed;
}
