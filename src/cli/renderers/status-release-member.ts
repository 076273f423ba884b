/**
 * One function in the head line of a release in `lshift status fnA fnB …`: its record's phase,
 * and where its alias is when that phase does not say it. "STALLED (fa rolled-back, fb
 * rolled-back)" was read of a release whose fa someone had put all on version 2 (h4's list,
 * session 68): the phase is what lshift last wrote, the alias is where the traffic is, as each
 * function's `routing:` row below says.
 */
import { describeAliasState } from '../../engine/deploy-result.js';
import type { AliasStatus } from '../../engine/status.js';

export function describeReleaseMember(m: AliasStatus): string {
  const phase = m.record?.phase ?? 'no record';
  const alias = describeUnsaidAlias(m);
  return `${m.functionName} ${phase}${alias ? ` ${alias}` : ''}`;
}

/** Where the alias is, when the record's phase does not say it (undefined when it does). */
function describeUnsaidAlias(m: AliasStatus): string | undefined {
  const record = m.record;
  if (!record) return undefined;
  const split = m.split ? describeAliasState(m) : undefined;
  // A rollback that failed says nothing of where it left the alias.
  if (record.phase === 'failed')
    return split ? `with its alias split: ${split}` : `with all traffic on version ${m.functionVersion}`;
  const expected = { 'rolled-back': record.stableVersion, promoted: record.targetVersion }[
    record.phase as 'rolled-back' | 'promoted'
  ];
  if (expected === undefined || (!split && m.functionVersion === expected)) return undefined;
  return split
    ? `though its alias is split: ${split}`
    : `though all traffic is on version ${m.functionVersion}`;
}
