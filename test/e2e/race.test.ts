import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { readTruth } from './crash-helpers.js';
import { publishDemo, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/** Two pipelines deploy the same alias at the same moment: exactly one proceeds. */
describe('concurrent deploys of one alias (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('lets exactly one proceed; the other exits 5 and leaves the winner’s deployment alone', async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
    expect(await publishDemo(env.handle)).toBe('2');
    const args = [
      'deploy',
      'demo',
      '--version',
      '2',
      '--strategy',
      'linear:50%:1m',
      '--alarm',
      'demo-errors',
      // The winner must promote: no chance verdict of the judge on equal versions (≤ 1%, docs/analysis.md).
      '--no-analysis',
      '--json',
    ];
    // However far apart the two CLIs start on a loaded machine, neither moves traffic until both
    // have either reached their first weight write (held here) or given up: then the race is real.
    const gate = env.handle.state.gate;
    gate.holdNow({ only: ['UpdateAlias'] });
    let exited = 0;
    const onSpawn = (child: ChildProcess) => child.on('exit', () => exited++);
    const both = Promise.all([env.cli(args, { onSpawn }), env.cli(args, { onSpawn })]);
    while (gate.isClosed && gate.held + exited < 2) await new Promise((r) => setTimeout(r, 20));
    gate.release();
    const [a, b] = await both;
    const codes = [a.code, b.code].sort();
    expect(codes, `${a.stdout}\n${a.stderr}\n${b.stdout}\n${b.stderr}`).toEqual([0, 5]);
    const winner = a.code === 0 ? a : b;
    const loser = a.code === 0 ? b : a;
    const won = JSON.parse(winner.stdout);
    expect(won.status).toBe('promoted');
    const lost = JSON.parse(loser.stdout);
    expect(lost.status === 'conflict' || lost.exitCode === 5).toBe(true);
    const truth = readTruth(env);
    expect(truth.functionVersion).toBe('2');
    expect(truth.weights).toEqual({});
    expect(truth.record?.id).toBe(won.deploymentId);
    expect(truth.record?.phase).toBe('promoted');
  });
});
