import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseHookSpec } from '../../src/domain/hook-spec.js';
import { KnownSecrets } from '../../src/domain/output-secrets.js';
import { createHookRunner } from '../../src/hooks/create-hook-runner.js';
import { makePayload, makeReleasePayload } from './hook-fixtures.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lshift-cmd-hook-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function runner() {
  return createHookRunner({ cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, killGraceMs: 300 });
}

function cmd(command: string) {
  return parseHookSpec(`cmd:${command}`, '--pre-hook');
}

/** A zombie (state Z) has exited; only an unreaped entry is left in a container without init. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The live (not zombie) processes of process group `pgid`, from /proc. */
function groupMembers(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return state !== 'Z' && Number(pgrp) === pgid ? [Number(name)] : [];
      } catch {
        return [];
      }
    });
}

/** The process group of `pid`, from /proc; undefined once it is gone. */
function groupOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
}

async function waitUntilDead(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return !isAlive(pid);
}

async function readPid(file: string): Promise<number> {
  const giveUpAt = Date.now() + 30_000;
  while (Date.now() < giveUpAt) {
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8').trim();
      if (text !== '') return Number(text);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no pid written to ${file}`);
}

describe('command hooks', () => {
  it('passes when the command exits 0, in the working directory', async () => {
    writeFileSync(join(dir, 'marker.txt'), 'here');
    const result = await runner().run(cmd('test -f marker.txt && echo ok'), makePayload(), {
      timeoutMs: 5000,
    });
    expect(result).toMatchObject({ ok: true });
    expect(result.reason).toBeUndefined();
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('fails on exit 1 with the exit code and the last 20 output lines, streamed line by line', async () => {
    const lines: string[] = [];
    const script = 'for i in $(seq 1 30); do echo "line $i"; done; echo "boom" >&2; exit 1';
    const result = await runner().run(cmd(script), makePayload(), {
      timeoutMs: 5000,
      onOutput: (line) => lines.push(line),
    });
    expect(result.ok).toBe(false);
    expect(result.reason).toBe('the command exited with code 1');
    expect(lines).toHaveLength(31);
    expect(lines[0]).toBe('line 1');
    const tail = result.outputTail?.split('\n') ?? [];
    expect(tail).toHaveLength(20);
    expect(tail[0]).toBe('line 12');
    expect(tail.at(-1)).toBe('boom');
  });

  it('never shows or keeps a secret of its environment that a failing command prints: its lines, its tail', async () => {
    const secrets = {
      AWS_ACCESS_KEY_ID: 'AKIAZZZZREALKEY12345',
      AWS_SECRET_ACCESS_KEY: 'TopSecretRealKeyabcdefghijklmnopqrstuvwx',
      AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEXAMPLETOKENvalue',
      GITHUB_TOKEN: 'not-a-token-shape-but-secret',
    };
    const hooks = createHookRunner({
      cwd: dir,
      env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', SANDBOX_SECRET: 'x', ...secrets },
    });
    // The hostile pass's hook: prints its environment and a secret of its own, then fails on that last line.
    const script = [
      'echo AKIAIOSFODNN7EXAMPLE',
      'env | grep -E "^(AWS_|GITHUB_)" | sort',
      'echo "signing as $AWS_ACCESS_KEY_ID with $AWS_SECRET_ACCESS_KEY"',
      'echo "token in a sentence: $GITHUB_TOKEN."',
      'echo x marks the box',
      'echo DB_PASSWORD=hunter2-SUPERSECRET',
      'exit 1',
    ].join('; ');
    const lines: string[] = [];
    const result = await hooks.run(cmd(script), makePayload(), {
      timeoutMs: 5000,
      onOutput: (l) => lines.push(l),
    });
    expect(result.ok).toBe(false);
    expect(lines).toEqual([
      'AKIA***',
      'AWS_ACCESS_KEY_ID=***',
      'AWS_REGION=us-east-1',
      'AWS_SECRET_ACCESS_KEY=***',
      'AWS_SESSION_TOKEN=***',
      'GITHUB_TOKEN=***',
      'signing as *** with ***',
      'token in a sentence: ***.',
      'x marks the box',
      'DB_PASSWORD=***',
    ]);
    expect(result.outputTail).toBe(lines.join('\n'));
    const shown = JSON.stringify([lines, result]);
    for (const secret of [...Object.values(secrets), 'IOSFODNN7EXAMPLE', 'hunter2']) {
      expect(shown).not.toContain(secret);
    }
  });

  // Found by a hostile pass: `aws lambda get-function-configuration --query Environment.Variables
  // --output text` printed the function's own values bare, in the progress lines, the tail and --json.
  it('never shows the deployed function’s environment values it prints, bare or named, in its lines or tail', async () => {
    const known = new KnownSecrets();
    known.add(['hunter2hunter2', 'production', '1']);
    const hooks = createHookRunner({ cwd: dir, env: { PATH: process.env.PATH }, known });
    const script = [
      "printf '1\\tproduction\\thunter2hunter2\\n'",
      `echo '{"Variables": {"WHATEVER": "hunter2hunter2"}}'`,
      'exit 1',
    ].join('; ');
    const lines: string[] = [];
    const result = await hooks.run(cmd(script), makePayload(), {
      timeoutMs: 5000,
      onOutput: (l) => lines.push(l),
    });
    expect(result.ok).toBe(false);
    expect(lines).toEqual(['1\t***\t***', '{"Variables": {"WHATEVER": "***"}}']);
    expect(result.outputTail).toBe(lines.join('\n'));
    expect(JSON.stringify(result)).not.toMatch(/hunter2hunter2|production/);
  });

  // Found by a hostile pass (session 62): a value written into the command line itself was shown.
  it('displays a hook with the deployed function’s environment values masked, as well as what looks secret', () => {
    const known = new KnownSecrets();
    known.add(['hunter2hunter2']);
    const hooks = createHookRunner({ cwd: dir, env: { PATH: process.env.PATH }, known });
    expect(hooks.display?.(cmd('./notify.sh hunter2hunter2 TOKEN=abcdefghij'))).toBe(
      'cmd:./notify.sh *** TOKEN=***',
    );
    expect(runner().display?.(cmd('./notify.sh hunter2hunter2'))).toBe('cmd:./notify.sh hunter2hunter2');
  });

  // Found by a hostile pass: "the last 20 are, if it fails" — they never were, anywhere.
  it('shows at most 10,000 lines of a command that floods its output, then, as it fails, its last 20', async () => {
    const lines: string[] = [];
    const result = await runner().run(cmd('seq 1 25000; exit 1'), makePayload(), {
      timeoutMs: 60_000,
      onOutput: (line) => lines.push(line),
    });
    expect(lines).toHaveLength(10_001 + 21);
    expect(lines[9_999]).toBe('10000');
    expect(lines[10_000]).toBe(
      '… the command printed more than 10000 lines: the rest is not shown (the last 20 are, if it fails)',
    );
    expect(lines.slice(10_001)).toEqual([
      '… its last 20 lines:',
      ...Array.from({ length: 20 }, (_, i) => String(24_981 + i)),
    ]);
    expect(result.outputTail?.split('\n').at(-1)).toBe('25000');
  });

  // The lines past the shown ones are masked only when read (a hostile pass: masking each of 3 million
  // lines timed a hook out): a secret among the last ones is masked in what is shown and kept.
  it('masks a secret among the last lines it hid, in the lines shown as it fails and in its tail', async () => {
    const secret = 'TopSecretRealKeyabcdefghijklmnopqrstuvwx';
    const hooks = createHookRunner({
      cwd: dir,
      env: { PATH: process.env.PATH, AWS_SECRET_ACCESS_KEY: secret },
      killGraceMs: 300,
    });
    const script =
      'seq 1 10003; echo "key $AWS_SECRET_ACCESS_KEY"; echo DB_PASSWORD=hunter2-SUPERSECRET; exit 1';
    const lines: string[] = [];
    const result = await hooks.run(cmd(script), makePayload(), {
      timeoutMs: 60_000,
      onOutput: (line) => lines.push(line),
    });
    expect(lines.slice(10_001)).toEqual([
      '… its last 5 lines:',
      '10001',
      '10002',
      '10003',
      'key ***',
      'DB_PASSWORD=***',
    ]);
    expect(result.outputTail?.split('\n').slice(-2)).toEqual(['key ***', 'DB_PASSWORD=***']);
    expect(result.reason).toBe('the command exited with code 1');
    expect(JSON.stringify([lines, result])).not.toMatch(/TopSecret|hunter2/);
  });

  it('shows the last lines it hid only as many as were hidden, and none when it passes', async () => {
    const failed: string[] = [];
    await runner().run(cmd('seq 1 10005; exit 1'), makePayload(), {
      timeoutMs: 60_000,
      onOutput: (line) => failed.push(line),
    });
    expect(failed.slice(10_000)).toEqual([
      '… the command printed more than 10000 lines: the rest is not shown (the last 20 are, if it fails)',
      '… its last 5 lines:',
      '10001',
      '10002',
      '10003',
      '10004',
      '10005',
    ]);
    const passed: string[] = [];
    await runner().run(cmd('seq 1 10005'), makePayload(), {
      timeoutMs: 60_000,
      onOutput: (line) => passed.push(line),
    });
    expect(passed).toHaveLength(10_001);
  });

  it('kills a hanging command and its children at the timeout', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const started = Date.now();
    // The timeout leaves a loaded machine time to start the shell; the sleep is far longer still.
    const run = runner().run(cmd(`echo starting; sleep 30 & echo $! > ${pidFile}; wait`), makePayload(), {
      timeoutMs: 3000,
    });
    const grandchild = await readPid(pidFile);
    expect(isAlive(grandchild)).toBe(true);
    const result = await run;
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(/^timed out after (3000 ms|3s); the command was killed$/);
    expect(result.outputTail).toBe('starting');
    expect(await waitUntilDead(grandchild, 10_000)).toBe(true);
  });

  it('kills a child that ignores SIGTERM with SIGKILL after the grace period', async () => {
    const pidFile = join(dir, 'stubborn.pid');
    const run = runner().run(
      cmd(`sh -c 'trap "" TERM; echo $$ > ${pidFile}; while :; do sleep 0.05; done' & wait`),
      makePayload(),
      { timeoutMs: 3000 },
    );
    const stubborn = await readPid(pidFile);
    const result = await run;
    expect(result.ok).toBe(false);
    expect(await waitUntilDead(stubborn, 20_000)).toBe(true);
  });

  it('uses the per-hook timeout over the run option', async () => {
    const spec = { ...cmd('sleep 10'), timeoutSeconds: 1 };
    const result = await runner().run(spec, makePayload(), { timeoutMs: 60_000 });
    expect(result.ok).toBe(false);
    expect(result.reason).toBe('timed out after 1s; the command was killed');
    expect(result.durationMs).toBeLessThan(9000);
  });

  it('kills the command and its children when the signal aborts', async () => {
    const pidFile = join(dir, 'abort.pid');
    const controller = new AbortController();
    const run = runner().run(cmd(`sleep 30 & echo $! > ${pidFile}; wait`), makePayload(), {
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    const grandchild = await readPid(pidFile);
    controller.abort();
    const result = await run;
    expect(result).toMatchObject({ ok: false, reason: 'aborted; the command was killed' });
    expect(await waitUntilDead(grandchild, 1000)).toBe(true);
  });

  it('does not start at all when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await runner().run(cmd(`touch ${join(dir, 'ran')}`), makePayload(), {
      timeoutMs: 5000,
      signal: controller.signal,
    });
    expect(result).toMatchObject({ ok: false, reason: 'aborted before it started' });
    expect(existsSync(join(dir, 'ran'))).toBe(false);
  });

  it('passes the deployment facts as LSHIFT_* variables with exact values, over the parent env', async () => {
    const names = [
      'LSHIFT_FUNCTION',
      'LSHIFT_ALIAS',
      'LSHIFT_STABLE_VERSION',
      'LSHIFT_TARGET_VERSION',
      'LSHIFT_WEIGHT',
      'LSHIFT_PHASE',
      'LSHIFT_DEPLOYMENT_ID',
      'LSHIFT_STRATEGY',
      'LSHIFT_STARTED_AT',
      'FROM_PARENT',
    ];
    const script = names.map((name) => `printf '%s=%s\\n' ${name} "$${name}"`).join('; ');
    const hooks = createHookRunner({
      cwd: dir,
      env: { PATH: process.env.PATH, FROM_PARENT: 'kept', LSHIFT_PHASE: 'stale' },
    });
    const lines: string[] = [];
    const payload = makePayload({ phase: 'step', weight: 0.1 * 3 });
    const result = await hooks.run(cmd(script), payload, { timeoutMs: 5000, onOutput: (l) => lines.push(l) });
    expect(result.ok).toBe(true);
    expect(lines).toEqual([
      'LSHIFT_FUNCTION=orders-api',
      'LSHIFT_ALIAS=live',
      'LSHIFT_STABLE_VERSION=6',
      'LSHIFT_TARGET_VERSION=7',
      'LSHIFT_WEIGHT=0.3',
      'LSHIFT_PHASE=step',
      'LSHIFT_DEPLOYMENT_ID=dep-0001',
      'LSHIFT_STRATEGY=canary:10%:5m',
      'LSHIFT_STARTED_AT=2026-01-02T03:04:05.000Z',
      'FROM_PARENT=kept',
    ]);
  });

  it("gives a release hook the release's variables, and none of a single function's (not even inherited ones)", async () => {
    const names = [
      'LSHIFT_RELEASE_ID',
      'LSHIFT_FUNCTIONS',
      'LSHIFT_FUNCTIONS_JSON',
      'LSHIFT_PHASE',
      'LSHIFT_STRATEGY',
      'LSHIFT_STARTED_AT',
      'LSHIFT_FUNCTION',
      'LSHIFT_ALIAS',
      'LSHIFT_TARGET_VERSION',
      'LSHIFT_WEIGHT',
      'LSHIFT_DEPLOYMENT_ID',
    ];
    const script = names.map((name) => `printf '%s=%s\\n' ${name} "\${${name}-unset}"`).join('; ');
    // lshift run inside another lshift's function hook inherits that hook's variables.
    const hooks = createHookRunner({
      cwd: dir,
      env: { PATH: process.env.PATH, LSHIFT_FUNCTION: 'outer', LSHIFT_DEPLOYMENT_ID: 'dep-outer' },
    });
    const lines: string[] = [];
    const payload = makeReleasePayload({ phase: 'step' });
    const result = await hooks.run(cmd(script), payload, { timeoutMs: 5000, onOutput: (l) => lines.push(l) });
    expect(result.ok).toBe(true);
    expect(lines).toEqual([
      'LSHIFT_RELEASE_ID=r-0001',
      'LSHIFT_FUNCTIONS=orders-api:live,billing:prod',
      `LSHIFT_FUNCTIONS_JSON=${JSON.stringify(payload.functions)}`,
      'LSHIFT_PHASE=step',
      'LSHIFT_STRATEGY=canary:10%:5m',
      'LSHIFT_STARTED_AT=2026-01-02T03:04:05.000Z',
      'LSHIFT_FUNCTION=unset',
      'LSHIFT_ALIAS=unset',
      'LSHIFT_TARGET_VERSION=unset',
      'LSHIFT_WEIGHT=unset',
      'LSHIFT_DEPLOYMENT_ID=unset',
    ]);
  });

  it('never executes a hostile value: it arrives verbatim as an environment variable', async () => {
    const marker = join(dir, 'pwned');
    const hostile = `x$(touch ${marker}); touch ${marker}; \`touch ${marker}\` "q" 'q' \\ $HOME`;
    const hooks = createHookRunner({ cwd: dir, env: { PATH: process.env.PATH } });
    const result = await hooks.run(
      cmd('printf "%s" "$LSHIFT_FUNCTION" > value.txt; printf "%s" "$LSHIFT_ALIAS" >> value.txt'),
      makePayload({ functionName: hostile, alias: hostile }),
      { timeoutMs: 5000 },
    );
    expect(result.ok).toBe(true);
    expect(existsSync(marker)).toBe(false);
    expect(readFileSync(join(dir, 'value.txt'), 'utf8')).toBe(hostile + hostile);
  });

  it('reports a signal death and a start failure', async () => {
    const killed = await runner().run(cmd('kill -SEGV $$'), makePayload(), { timeoutMs: 5000 });
    expect(killed).toMatchObject({ ok: false, reason: 'the command was killed by SIGSEGV' });

    const hooks = createHookRunner({ cwd: join(dir, 'missing') });
    const failed = await hooks.run(cmd('true'), makePayload(), { timeoutMs: 5000 });
    expect(failed.ok).toBe(false);
    expect(failed.reason).toBe(
      `could not start /bin/sh in ${join(dir, 'missing')}: spawn /bin/sh ENOENT (does the directory exist?)`,
    );
  });

  it('does not wait for a background child that keeps stdout open after the command exits', async () => {
    const pidFile = join(dir, 'bg.pid');
    const started = Date.now();
    const result = await runner().run(cmd(`sleep 5 & echo $! > ${pidFile}; echo done`), makePayload(), {
      timeoutMs: 5000,
    });
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
    process.kill(await readPid(pidFile), 'SIGKILL');
  });

  it('kills a command that ignores SIGTERM when lshift exits during the grace period (a second Ctrl-C)', async () => {
    const pidFile = join(dir, 'stubborn.pid');
    const runnerModule = resolve('src/hooks/create-hook-runner.ts');
    const hookSpec = resolve('src/domain/hook-spec.ts');
    // Aborting sends SIGTERM (ignored here); exiting at once, as a second signal does, comes long
    // before the SIGKILL that the 60 s grace would send.
    const script = `
      const { createHookRunner } = await import(${JSON.stringify(runnerModule)});
      const { parseHookSpec } = await import(${JSON.stringify(hookSpec)});
      const { existsSync, readFileSync } = await import('node:fs');
      const controller = new AbortController();
      const spec = parseHookSpec(${JSON.stringify(`cmd:trap '' TERM; echo $$ > ${pidFile}; sleep 300`)}, '--pre-hook');
      void createHookRunner({ cwd: ${JSON.stringify(dir)}, killGraceMs: 60_000 })
        .run(spec, ${JSON.stringify(makePayload())}, { timeoutMs: 600_000, signal: controller.signal });
      const wait = () => new Promise((r) => setTimeout(r, 10));
      // The shell creates the file before it writes the pid: wait for the whole line, or exiting
      // here kills the shell between the two and the file stays empty.
      const written = () => existsSync(${JSON.stringify(pidFile)}) && readFileSync(${JSON.stringify(pidFile)}, 'utf8').endsWith('\\n');
      while (!written()) await wait();
      controller.abort();
      process.exit(4);
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(child.status, child.stderr).toBe(4);
    const stubborn = await readPid(pidFile);
    const dead = await waitUntilDead(stubborn, 5000);
    if (!dead) process.kill(-stubborn, 'SIGKILL');
    expect(dead).toBe(true);
  });

  /**
   * Runs `command` as a hook in a node process that kills itself with SIGKILL once `ready` (a
   * file) holds a whole line: no handler of lshift's runs (the 'exit' listener, the grace timer).
   * `stop`: `first` aborts the hook (its stop's SIGTERM) just before; `then-outcome` aborts it and
   * waits for its outcome (exit 5 if it passed) before the SIGKILL.
   */
  function runAndKill9(
    command: string,
    ready: string,
    killGraceMs = 300,
    stop: 'no' | 'first' | 'then-outcome' = 'no',
  ) {
    const runnerModule = resolve('src/hooks/create-hook-runner.ts');
    const hookSpec = resolve('src/domain/hook-spec.ts');
    const script = `
      const { createHookRunner } = await import(${JSON.stringify(runnerModule)});
      const { parseHookSpec } = await import(${JSON.stringify(hookSpec)});
      const { existsSync, readFileSync } = await import('node:fs');
      const spec = parseHookSpec(${JSON.stringify(`cmd:${command}`)}, '--pre-hook');
      const controller = new AbortController();
      const outcome = createHookRunner({ cwd: ${JSON.stringify(dir)}, killGraceMs: ${killGraceMs} })
        .run(spec, ${JSON.stringify(makePayload())}, { timeoutMs: 600_000, signal: controller.signal });
      const wait = () => new Promise((r) => setTimeout(r, 10));
      const written = () => existsSync(${JSON.stringify(ready)}) && readFileSync(${JSON.stringify(ready)}, 'utf8').endsWith('\\n');
      while (!written()) await wait();
      // The stop's SIGTERM goes to the group at once (process.kill is synchronous).
      if (${JSON.stringify(stop)} !== 'no') controller.abort();
      if (${JSON.stringify(stop)} === 'then-outcome' && (await outcome).ok) process.exit(5);
      process.kill(process.pid, 'SIGKILL');
    `;
    return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
  }

  it('ends the command and everything it started when lshift is killed with SIGKILL', async () => {
    const shPid = join(dir, 'sh.pid');
    const bgPid = join(dir, 'bg.pid');
    const child = runAndKill9(`sleep 300 & echo $! > ${bgPid}; echo $$ > ${shPid}; wait`, shPid);
    expect(child.signal, child.stderr).toBe('SIGKILL');
    const pids = [await readPid(shPid), await readPid(bgPid)];
    // Ended as soon as the kernel closes lshift's end of the lifeline: no poll, no timer of lshift's.
    const dead = await Promise.all(pids.map((pid) => waitUntilDead(pid, 10_000)));
    for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    expect(dead).toEqual([true, true]);
  });

  it('ends a command that ignores SIGTERM with SIGKILL after the grace period, once lshift was killed', async () => {
    const pidFile = join(dir, 'stubborn.pid');
    const child = runAndKill9(`trap '' TERM; echo $$ > ${pidFile}; sleep 300`, pidFile);
    expect(child.signal, child.stderr).toBe('SIGKILL');
    const stubborn = await readPid(pidFile);
    const dead = await waitUntilDead(stubborn, 10_000);
    if (!dead) process.kill(-stubborn, 'SIGKILL');
    expect(dead).toBe(true);
  });

  it('ends a command that ignores SIGTERM when lshift is killed with SIGKILL in the grace period of its own stop', async () => {
    const pidFile = join(dir, 'stubborn.pid');
    // lshift's SIGKILL of the group would come 1.5 s after its SIGTERM; it dies before.
    const child = runAndKill9(`trap '' TERM; echo $$ > ${pidFile}; sleep 300`, pidFile, 1_500, 'first');
    expect(child.signal, child.stderr).toBe('SIGKILL');
    const stubborn = await readPid(pidFile);
    const dead = await waitUntilDead(stubborn, 15_000);
    if (!dead) process.kill(-stubborn, 'SIGKILL');
    expect(dead).toBe(true);
  });

  it('ends a child that ignores SIGTERM when lshift is killed with SIGKILL in the grace period, after the stopped command itself ended', async () => {
    const pidFile = join(dir, 'stubborn.pid');
    // The command's shell dies of the stop's SIGTERM, so lshift has the hook's outcome at once;
    // its child ignores SIGTERM and lshift dies (kill -9) before its SIGKILL, 1.5 s after the
    // SIGTERM (found by a hostile pass: the watcher had been sent away with the outcome).
    const command = `sh -c "trap '' TERM; echo \\$\\$ > ${pidFile}; sleep 300" & wait`;
    const child = runAndKill9(command, pidFile, 1_500, 'then-outcome');
    expect(child.signal, child.stderr).toBe('SIGKILL');
    const stubborn = await readPid(pidFile);
    const group = groupOf(stubborn);
    const dead = await waitUntilDead(stubborn, 15_000);
    if (!dead && group !== undefined) process.kill(-group, 'SIGKILL');
    expect(dead).toBe(true);
  });

  it('does not stay up for the grace period of a stopped command whose children are gone: the watcher holds it', async () => {
    const runnerModule = resolve('src/hooks/create-hook-runner.ts');
    const hookSpec = resolve('src/domain/hook-spec.ts');
    const ready = join(dir, 'ready');
    // A 10-minute grace: were lshift's own poll (or the watcher, counted as the group's last
    // member) to keep the process up for it, spawnSync's 60 s timeout would kill it.
    const script = `
      const { createHookRunner } = await import(${JSON.stringify(runnerModule)});
      const { parseHookSpec } = await import(${JSON.stringify(hookSpec)});
      const { existsSync, readFileSync } = await import('node:fs');
      const spec = parseHookSpec(${JSON.stringify(`cmd:echo $$ > ${ready}; sleep 300`)}, '--pre-hook');
      const controller = new AbortController();
      const outcome = createHookRunner({ cwd: ${JSON.stringify(dir)}, killGraceMs: 600_000 })
        .run(spec, ${JSON.stringify(makePayload())}, { timeoutMs: 600_000, signal: controller.signal });
      const written = () => existsSync(${JSON.stringify(ready)}) && readFileSync(${JSON.stringify(ready)}, 'utf8').endsWith('\\n');
      while (!written()) await new Promise((r) => setTimeout(r, 10));
      controller.abort();
      const ended = await outcome;
      process.exitCode = ended.ok ? 5 : 0;
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    const group = await readPid(ready);
    // What is left of the group is the watcher, waiting out the grace to send its SIGKILL.
    const left = groupMembers(group);
    if (left.length > 0) process.kill(-group, 'SIGKILL');
    expect([child.status, child.signal], child.stderr).toEqual([0, null]);
    expect(left.length).toBeGreaterThan(0);
  });

  it('leaves what a finished command started in the background, as before (no lifeline once it ended)', async () => {
    const pidFile = join(dir, 'bg.pid');
    const groupFile = join(dir, 'group.pid');
    const result = await runner().run(
      cmd(`sleep 30 & echo $! > ${pidFile}; echo $$ > ${groupFile}`),
      makePayload(),
      {
        timeoutMs: 5000,
      },
    );
    expect(result.ok).toBe(true);
    const [bg, group] = [await readPid(pidFile), await readPid(groupFile)];
    // The watcher read lshift's line and left (an event, not a time): only the sleep is left of
    // the group, alive.
    const giveUpAt = Date.now() + 10_000;
    while (groupMembers(group).length > 1 && Date.now() < giveUpAt)
      await new Promise((r) => setTimeout(r, 20));
    const members = groupMembers(group);
    const alive = isAlive(bg);
    process.kill(bg, 'SIGKILL');
    expect(members).toEqual([bg]);
    expect(alive).toBe(true);
  });
});
