import type { DeployResult } from '../../domain/events.js';

/**
 * The new version's share of the alias (0–100) once a function's deployment ended: as last seen
 * when known, else by the outcome; undefined when neither tells. The release table's WEIGHT
 * column and the CI summary's "weight on new" both show it.
 */
export function finalPercent(f: DeployResult): number | undefined {
  // Its rollback could not read the alias: the state kept is what lshift last saw, not its end.
  if (f.cause?.code === 'ROLLBACK_FAILED' && f.cause.data.aliasUnread !== undefined) return undefined;
  if (f.aliasState && f.toVersion !== undefined) {
    const { functionVersion, additionalWeights } = f.aliasState;
    if (functionVersion === f.toVersion) {
      const others = Object.values(additionalWeights).reduce((sum, w) => sum + w, 0);
      return (1 - others) * 100;
    }
    return (additionalWeights[f.toVersion] ?? 0) * 100;
  }
  switch (f.status) {
    case 'promoted':
    case 'nothing_to_deploy':
      return 100;
    case 'rolled_back':
    case 'failed':
      return 0;
    case 'paused':
      return f.steps.at(-1)?.percent;
    default:
      return undefined;
  }
}
