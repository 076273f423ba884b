/**
 * The words of a record's `cause` (`y=`, record-cause.ts): why lshift itself rolled a deployment
 * back. Here, not in src/cli/, because a deploy's preflight says it too (the stable version it
 * starts from is one lshift had decided to roll back: engine/kept-over-rollback.ts);
 * src/cli/describe-record-cause.ts re-exports it for status, history and the rest.
 */
import type { RecordCause, RecordCauseCode } from './record-cause.js';

const WORDS: Record<RecordCauseCode, string> = {
  GATE_FAILED: 'a health gate failed',
  INCONCLUSIVE: 'a step ended without a verdict (--on-inconclusive fail)',
  HEALTH_UNREADABLE: 'health could not be read',
  HOOK_FAILED: 'a hook failed',
  OPERATOR_ABORTED: 'an operator aborted it (`lshift abort`)',
  INTERRUPTED: 'its run was interrupted (Ctrl-C, SIGTERM, SIGHUP, SIGQUIT or another signal)',
  WEIGHT_WRITE_FAILED: 'a traffic weight write failed',
  WARM_NOT_READY: "--warm's provisioned concurrency was not ready",
  SETTLE_FAILED: 'the settle wait failed',
  RECORD_UNWRITTEN: 'its deployment record could not be written (others could not see it)',
  FUNCTION_DELETED: 'a function of its release was deleted',
  STOPPED_IN_CODEDEPLOY: 'its AWS CodeDeploy deployment was stopped outside lshift',
  ROLLBACK_UNFINISHED: '`deploy --resume` finished a rollback left unfinished',
  INTERNAL: 'an internal error',
  RECORD_UNREAD: "its deployment record could not be read (it could not see an operator's commands)",
  ROLLBACK_REQUESTED: 'a person asked for its rollback (`lshift rollback`)',
  ALIAS_CHANGED:
    'someone else (a hook, or a person) moved the alias of a function of its release, and the release rolled back for it',
};

const HOOK_PHASE_WORDS = { pre: 'a pre-traffic hook', step: 'a step hook', post: 'a post-traffic hook' };

/**
 * Under `--engine codedeploy` the run that was interrupted is the one that followed the CodeDeploy
 * deployment — the deploy, or a later `lshift wait` — which stopped it with auto-rollback.
 */
const CODEDEPLOY_INTERRUPTED =
  'the lshift run following its AWS CodeDeploy deployment (deploy or wait) was interrupted (Ctrl-C, SIGTERM, SIGHUP, SIGQUIT or another signal)';

/** `y=INTERRUPTED.hand` (or `GATE_FAILED.….hand`): its CodeDeploy stop found the alias moved by hand just before (engine/codedeploy-stop-move.ts). */
const OVER_HAND_MOVE =
  'someone had moved the alias by hand just before lshift stopped CodeDeploy, and the rollback put all traffic back over that move';

/** `a health gate failed (alarms, analysis)`, `a pre-traffic hook failed`, `health could not be read`. */
export function describeRecordCause(cause: RecordCause, engine?: 'codedeploy'): string {
  if (cause.code === 'HOOK_FAILED' && cause.phase) return `${HOOK_PHASE_WORDS[cause.phase]} failed`;
  if (cause.code === 'INTERRUPTED' && engine === 'codedeploy')
    return cause.overHandMove ? `${CODEDEPLOY_INTERRUPTED}; ${OVER_HAND_MOVE}` : CODEDEPLOY_INTERRUPTED;
  const gates = cause.gates && cause.gates.length > 0 ? ` (${cause.gates.join(', ')})` : '';
  // `y=GATE_FAILED.alarms.hand`: a failed verdict's rollback ran over a person's move, as an interrupt's.
  const hand = cause.overHandMove ? `; ${OVER_HAND_MOVE}` : '';
  return `${WORDS[cause.code]}${gates}${hand}`;
}
