/**
 * `lshift check` of a CodeDeploy record whose deploy stopped its deployment WITHOUT the rollback,
 * to keep a person's move of the alias, and did not see that stop end (record-view.ts
 * isKeepMoveUnconfirmed). Found by a hostile pass (session 64): check took CodeDeploy's later
 * Succeeded over the move for the deployment's own end, HEALTHY exit 0, and closed the record
 * promoted. Running, nobody watches it; Succeeded, it undid the move: STALLED either way (exit 4),
 * the record left as it is, with what a person does.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { echoInput } from '../domain/echo.js';
import type { CodeDeployDecision, CodeDeployView } from './codedeploy-check-types.js';
import { isTerminal } from './codedeploy-status.js';
import { buildStopKeepingCommand, describeAliasState } from './deploy-result.js';
import { describeKeptMoveWays, isKeptMoveLanded } from './kept-move-landed.js';
import { isKeepMoveUnconfirmed, isSucceededBeforeKeepStop } from './record-view.js';

/** STALLED for a stop without rollback not seen to end, CodeDeploy running or Succeeded; else undefined. */
export function decideKeptMove(
  c: { functionName: string; alias: string; record: DeploymentRecord },
  view: CodeDeployView,
): CodeDeployDecision | undefined {
  if (view.kind !== 'read' || !isKeepMoveUnconfirmed(c.record)) return undefined;
  const { info } = view;
  // Its stop landed after its run died, the move kept (kept-move-landed.ts): said as kept.
  const landed = isKeptMoveLanded(c.record, info, view.alias);
  if (isTerminal(info.status) && info.status !== 'Succeeded' && !landed) return undefined;
  const id = echoInput(info.id);
  const where = view.alias
    ? `alias ${c.alias} routes ${describeAliasState(view.alias)}`
    : `alias ${c.alias} could not be read`;
  // A stop CodeDeploy refused because it had Succeeded: not "did not see the stop end" (session 65's note).
  const first = isSucceededBeforeKeepStop(c.record);
  const head = first
    ? `someone moved alias ${c.alias} by hand and, when deployment ${c.record.id} came to stop AWS CodeDeploy deployment ${id} without its rollback to keep that move, CodeDeploy had already ended it Succeeded, its last step moving the alias over that move (nothing was stopped)`
    : `someone moved alias ${c.alias} by hand and deployment ${c.record.id} stopped AWS CodeDeploy deployment ${id} without its rollback to keep that move, but did not see the stop end`;
  if (landed) {
    const ways = describeKeptMoveWays(c.functionName, c.alias, id, c.record);
    const reason = `${head}; that stop has since ended (CodeDeploy Stopped, no rollback) and the move was kept (${where}), its record left open: ${ways}`;
    return { do: 'report', action: 'healthy', reason, stalled: true };
  }
  const rollback = `\`lshift rollback ${c.functionName} --alias ${c.alias}\``;
  const reason =
    info.status === 'Succeeded'
      ? `${head}${first ? '' : '; CodeDeploy then ended it Succeeded, moving the alias over that move'} (${where}); its record was left as it is: ${rollback} puts all traffic back on version ${c.record.stableVersion}`
      : `${head}: it is ${info.status} with nobody watching it (${where}); \`${buildStopKeepingCommand(info.id)}\` keeps the alias as it is, ${rollback} stops it with its rollback`;
  return { do: 'report', action: 'healthy', reason, stalled: true };
}
