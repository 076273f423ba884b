/** `npm run bench`: prints numbers (no pass/fail). Pass names to run a subset: `npm run bench -- startup`;
 * `npm run bench -- fleet` (minutes) runs only when named, as do release-rate, release-readback and status-many. */
import { runCodeDeployFollowBench } from './codedeploy-follow.js';
import { runDetectionBench } from './detection.js';
import { runFleetBench } from './fleet.js';
import { runHookOutputBench } from './hook-output.js';
import { runMaskingBench } from './masking.js';
import { runReleaseRateBench } from './release-rate.js';
import { runReleaseReadbackBench } from './release-readback.js';
import { runSandboxOverheadBench } from './sandbox-overhead.js';
import { runStartupBench } from './startup.js';
import { runStartupCpuBench } from './startup-cpu.js';
import { runStatusManyBench } from './status-many.js';

const BENCHES: Record<string, () => Promise<void> | void> = {
  startup: runStartupBench,
  'startup-cpu': runStartupCpuBench,
  'sandbox-overhead': runSandboxOverheadBench,
  detection: runDetectionBench,
  'codedeploy-follow': runCodeDeployFollowBench,
  masking: runMaskingBench,
  'hook-output': runHookOutputBench,
  fleet: runFleetBench,
  'release-rate': runReleaseRateBench,
  'release-readback': runReleaseReadbackBench,
  'status-many': runStatusManyBench,
};

/** Minutes long: run only when named (`npm run bench -- fleet`). */
const ON_REQUEST = new Set(['fleet', 'release-rate', 'release-readback', 'status-many']);

const wanted = process.argv.slice(2);
for (const [name, bench] of Object.entries(BENCHES)) {
  if (wanted.length > 0 ? !wanted.includes(name) : ON_REQUEST.has(name)) continue;
  console.log(`\n== ${name} ==`);
  await bench();
}
