/** How a release's function's alias is said at its end, in the reason, the summary's rows and the job summary. */
import { describeAliasState } from '../engine/deploy-result.js';
import type { ReasonedResult } from './describe-outcome.js';

/**
 * "alias: version 1 (100%)", or "alias unread; lshift last saw version 1 (100%)" when its
 * rollback could not read it; '' without a state. The summary's row too (h3's pass, session 66:
 * the row said "alias: version 1 (100%)" as fact beside the reason's "unread").
 */
export function describeResultAlias(f: ReasonedResult): string {
  if (!f.aliasState) return '';
  const state = describeAliasState(f.aliasState);
  const unread = f.cause?.code === 'ROLLBACK_FAILED' && f.cause.data.aliasUnread !== undefined;
  return unread ? `alias unread; lshift last saw ${state}` : `alias: ${state}`;
}
