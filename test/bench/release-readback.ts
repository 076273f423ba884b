/**
 * `npm run bench -- release-readback`: what the read-back of a release's promotion
 * (src/engine/release-promotion-settle.ts) costs. A release of N functions (all-at-once, so the
 * 100% writes and the promotion are most of the run) against the sandbox on real time, at
 * Lambda's 15 requests/s: the real seconds from the last alias write to 100% until the CLI
 * exited — its 100% step records, its `promoted` records, the read-back (one wait of 5 s, then
 * a record and an alias read a function) and the process's exit — and the requests the sandbox
 * applied in that span. Run it on two builds to compare (`npm run build` in between).
 *
 * Env: BENCH_READBACK_N (`3,100`).
 */
import { runFleet } from './fleet-run.js';

const SIZES = (process.env.BENCH_READBACK_N ?? '3,100').split(',').map(Number);

export async function runReleaseReadbackBench(): Promise<void> {
  // No canary analysis: all-at-once has no hold for it to judge, and its settle would wait.
  process.env.BENCH_FLEET_ARGS ??= '--no-analysis';
  for (const functions of SIZES) {
    const run = await runFleet({ functions, speed: 1, realRate: 15, strategy: 'all-at-once' });
    const lastFull = Math.max(...run.reached.filter((r) => r.percent === 100).map((r) => r.realMs));
    const after = run.applied.filter((a) => a.ms > lastFull);
    const byOp = (op: string) => after.filter((a) => a.op === op).length;
    console.log(
      `${functions} functions: exit ${run.exitCode}, whole run ${secs(run.realEndMs - run.realStartMs)} s; ` +
        `last 100% alias write → exit ${secs(run.realEndMs - lastFull)} s; ` +
        `after it: ${after.length} requests (ListTags ${byOp('ListTags')}, TagResource ${byOp('TagResource')}, GetAlias ${byOp('GetAlias')})`,
    );
    if (run.exitCode !== 0) console.log(run.stderrTail);
  }
}

function secs(ms: number): string {
  return (ms / 1000).toFixed(1);
}
