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
    const release = record.releaseId ? ` of release ${record.releaseId}` : '';
    lines.push(
      `  deployment ${record.id}${release}: ${record.phase}${record.endReason ? ` (${record.endReason})` : ''}, version ${record.stableVersion} → ${record.targetVersion}, step ${record.stepIndex + 1} at ${record.percent}% (${record.strategy})`,
      `    owner ${record.owner}, last heartbeat ${formatDuration(Math.max(0, Math.round(record.heartbeatAgeSeconds)))} ago${record.stale ? ' — STALE: its runner seems to have died' : ''}`,
    );
    if ((record.stale || record.phase === 'paused') && record.releaseId) {
      lines.push(
        `    part of release ${record.releaseId}: roll every function of it back with \`lshift rollback --release ${record.releaseId} <its functions…>\``,
      );
    } else if (record.stale || record.phase === 'paused') {
      lines.push(
        `    finish it with \`lshift deploy ${status.functionName} --alias ${status.alias} --resume\` or abort with \`lshift rollback ${status.functionName} --alias ${status.alias}\``,
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

/**
 * `lshift status fnA fnB …`: the release view above each function's own — which release each
 * function's record belongs to, and whether the functions of one release agree.
 */
export function renderReleaseStatus(statuses: readonly AliasStatus[]): string {
  const byRelease = new Map<string, AliasStatus[]>();
  for (const s of statuses) {
    const id = s.record?.releaseId ?? '(none)';
    byRelease.set(id, [...(byRelease.get(id) ?? []), s]);
  }
  const head = [...byRelease.entries()].map(([id, members]) => {
    const phases = new Set(members.map((m) => m.record?.phase ?? 'no record'));
    const agree = phases.size === 1 ? `all ${[...phases][0]}` : 'NOT CONSISTENT';
    const list = members.map((m) => `${m.functionName} ${m.record?.phase ?? 'no record'}`).join(', ');
    return id === '(none)' ? `no release: ${list}` : `release ${id}: ${agree} (${list})`;
  });
  return [...head, '', ...statuses.map(renderStatus)].join('\n');
}
