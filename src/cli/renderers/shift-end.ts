/**
 * The words of a step that ended with no rollback of this run's own (no `rollback.started`): how
 * the deployment ended, as its `deploy.finished` result says — another operator's rollback, a
 * takeover, a deleted function, a Ctrl-C that left the weights. "Interrupted" only for a Ctrl-C.
 * The result line under the task list gives the whole reason; this is the step line's few words.
 */

import { describeDeletionWhen } from '../../domain/deletion-words.js';
import type { DeployResult, DeployStatus } from '../../domain/events.js';
import { describeSender } from '../../domain/operator-command.js';
import { printable } from '../../domain/printable.js';

const BY_STATUS: Record<DeployStatus, string> = {
  promoted: 'promoted',
  nothing_to_deploy: 'nothing to deploy',
  rolled_back: 'rolled back',
  failed: 'failed',
  unsafe: 'stopped: the alias needs an operator',
  conflict: 'stopped: another deployment holds the alias',
  paused: 'paused',
};

/** `result`: the run's `deploy.finished` result; undefined when the run ended without one (an error). */
export function describeShiftEnd(result: DeployResult | undefined): string {
  if (!result) return 'stopped before the deployment ended';
  const cause = result.cause;
  switch (cause?.code) {
    case 'INTERRUPTED':
      return cause.data.left ? 'interrupted: weights left as they are' : 'interrupted';
    case 'DETACHED':
      return 'handed to AWS CodeDeploy (--detach)';
    case 'ROLLED_BACK_BY_OTHER':
      // The owner comes from the deployment record: text from outside.
      return printable(
        cause.data.successor
          ? `rolled back, replaced by ${cause.data.successor} of ${cause.data.owner}`
          : `rolled back by ${cause.data.owner}`,
      );
    case 'ROLLBACK_ABANDONED':
      return printable(`the rollback by ${cause.data.owner} stopped: the alias needs an operator`);
    case 'TAKEN_OVER':
      // Its taker's rollback left the alias split (engine/taken-split-left.ts): exit 4.
      if (cause.data.splitLeft)
        return printable(
          `taken over by the rollback of ${cause.data.by ?? 'another lshift'}, which left the alias split`,
        );
      if (cause.data.promotedBy !== undefined)
        return printable(
          `promoted by \`lshift rollback --to ${cause.data.to}\` of ${cause.data.promotedBy}: this lshift stopped`,
        );
      return 'taken over: this lshift stopped and wrote nothing more';
    case 'ALIAS_CHANGED':
      return 'stopped: someone else moved the alias';
    case 'ROLLBACK_TARGET_DELETED':
      return `stopped: the ${cause.data.what} was deleted`;
    case 'FUNCTION_DELETED': {
      // A function of a release found deleted: itself, or another one the release stopped for.
      const name = cause.data.functionName;
      if (name === result.functionName) return 'stopped: the function was deleted';
      return `${BY_STATUS[result.status]}: ${describeDeletionWhen(`function ${name}`, 'shift', true)}`;
    }
    case 'STOPPED_IN_CODEDEPLOY':
      return 'stopped from outside: its AWS CodeDeploy deployment was stopped';
    case 'OPERATOR_ABORTED':
      return printable(`aborted by ${describeSender(cause.data.by)}`);
  }
  return BY_STATUS[result.status];
}
