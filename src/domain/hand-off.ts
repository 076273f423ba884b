/**
 * `deploy --engine codedeploy --detach` stops following once AWS CodeDeploy has the deployment.
 * It does so by aborting the run's signal, like a Ctrl-C with `--on-interrupt leave`; this reason
 * tells the two apart, so the step left to CodeDeploy reads `detached`, not `interrupted` (which
 * says a signal stopped the run: src/domain/events.ts STEP_RESULTS).
 */
export class HandedToCodeDeploy extends Error {
  constructor() {
    super('detached: the shift is left to AWS CodeDeploy');
    this.name = 'HandedToCodeDeploy';
  }
}

/** The signal was aborted to hand the shift to CodeDeploy (`--detach`), not by a signal. */
export function isHandedOff(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true && signal.reason instanceof HandedToCodeDeploy;
}
