/**
 * A split between a deployment's two versions written the other way round: all but the weighted
 * share on its new version, the weight on its stable one. lshift (and Lambda's and CodeDeploy's
 * own shifts) write a split with the stable version as primary, so this is a hand's work; `status`
 * and `check` say so and give both ways out (back to the stable version, or on to the new one).
 */
export function isReversedSplit(
  alias: { functionVersion: string; additionalWeights: Record<string, number> },
  versions: { stableVersion: string; targetVersion: string },
): boolean {
  const weighted = Object.keys(alias.additionalWeights).filter((v) => (alias.additionalWeights[v] ?? 0) > 0);
  return (
    alias.functionVersion === versions.targetVersion &&
    weighted.length === 1 &&
    weighted[0] === versions.stableVersion
  );
}
