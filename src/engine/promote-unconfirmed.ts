/**
 * What `status`, `check` and `deploy --resume` say about a deployment whose promote could not be
 * confirmed (settle.ts, PROMOTE_UNCONFIRMED, exit 4): every step passed, but its runner did not
 * see the alias on the new version alone, so it recorded its end reason (record-view.ts) instead
 * of `promoted` and exited. Its heartbeat is recent, yet nobody drives it; the alias is wherever
 * the last write (or CodeDeploy) left it — not "moved by hand". A human finishes or undoes it.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { UnsafeError } from '../domain/errors.js';

interface Target {
  functionName: string;
  alias: string;
}

export function describePromoteUnconfirmed(record: DeploymentRecord): string {
  return `every step of deployment ${record.id} passed, but its promote could not be confirmed (the alias was not seen on version ${record.targetVersion} alone) and its runner stopped: nobody drives it`;
}

/**
 * Both ways out; a function of a release is undone with the release (it closes the release's
 * records). Its record names the release, not its other functions: `rollback --release` naming
 * none finds them, on every alias (a `<its functions…>` placeholder failed when copied).
 */
export function promoteUnconfirmedFix(t: Target, record: DeploymentRecord): string {
  const undo = record.releaseId
    ? `\`lshift rollback --release ${record.releaseId}\``
    : `\`lshift rollback ${t.functionName} --alias ${t.alias}\``;
  return `finish it with \`lshift alias ${t.functionName} ${t.alias} ${record.targetVersion}\` (all traffic on version ${record.targetVersion}), or undo it with ${undo} (all traffic on version ${record.stableVersion})`;
}

/**
 * `deploy --resume` when the alias is not where a step of the deployment could carry on from
 * (CodeDeploy left it split the other way round, say): exit 4, and nobody moved it by hand.
 */
export function refuseUnconfirmedResume(t: Target, record: DeploymentRecord, routing: string): UnsafeError {
  const fix = promoteUnconfirmedFix(t, record);
  return new UnsafeError(
    'ALIAS_MISMATCH',
    `Deployment ${record.id} of ${t.functionName} alias ${t.alias}: ${describePromoteUnconfirmed(record)}. Alias ${t.alias} routes ${routing}, where no step of it can resume from, so lshift will not resume; a human must decide where traffic goes.`,
    {
      hint: `${fix.charAt(0).toUpperCase()}${fix.slice(1)}.`,
      context: { functionName: t.functionName, alias: t.alias },
    },
  );
}
