/** Human text of `lshift status`. */
import { formatDuration } from '../../domain/duration.js';
import { describeAliasState } from '../../engine/deploy-result.js';
import type { AliasStatus } from '../../engine/status.js';

export function renderStatus(status: AliasStatus): string {
  const lines = [`${status.functionName}:${status.alias}`, `  routing: ${describeRouting(status)}`];
  if (status.alarms.length > 0) {
    lines.push('  alarms:');
    for (const alarm of status.alarms) {
      lines.push(
        `    ${alarm.state.padEnd(17)} ${alarm.name}${alarm.reason && alarm.state !== 'OK' ? ` — ${alarm.reason}` : ''}`,
      );
    }
  }
  const record = status.record;
  if (record) {
    lines.push(
      `  deployment ${record.id}: ${record.phase}${record.endReason ? ` (${record.endReason})` : ''}, version ${record.stableVersion} → ${record.targetVersion}, step ${record.stepIndex + 1} at ${record.percent}% (${record.strategy})`,
      `    owner ${record.owner}, last heartbeat ${formatDuration(Math.max(0, Math.round(record.heartbeatAgeSeconds)))} ago${record.stale ? ' — STALE: its runner seems to have died' : ''}`,
    );
    if ((record.stale || record.phase === 'paused') && record.engine !== 'codedeploy') {
      lines.push(
        `    finish it with \`lshift deploy ${status.functionName} --alias ${status.alias} --resume\` or abort with \`lshift rollback ${status.functionName} --alias ${status.alias}\``,
      );
    }
    if (record.engine === 'codedeploy') {
      const id = record.codeDeployId;
      lines.push(
        id
          ? `    engine: AWS CodeDeploy, deployment ${id} (follow it: lshift wait ${id})`
          : '    engine: AWS CodeDeploy (no deployment started yet)',
      );
    }
    if (record.history.length > 0) lines.push(`    previous stable versions: ${record.history.join(', ')}`);
  } else if (status.recordError) {
    lines.push(`  deployment record not usable: ${status.recordError}`);
  } else {
    lines.push('  no lshift deployment recorded on this alias');
  }
  return lines.join('\n');
}

function describeRouting(status: AliasStatus): string {
  if (!status.split) return `all traffic on version ${status.functionVersion}`;
  return `${describeAliasState(status)} (split: a shift is in progress or was abandoned)`;
}
