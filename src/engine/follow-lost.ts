/**
 * `lshift wait` that loses CodeDeploy (its GetDeployment or StopDeployment stalls or fails) once
 * it has seen the deployment run: the deployment goes on moving the alias without anyone
 * watching. The wait ended with the bare network error — "Check the network, proxy…", exit 1,
 * which `wait --help` calls "failed before traffic moved" — while the alias was split 75/25 (found
 * by a hostile pass; a stop that never landed let CodeDeploy promote what the operator had asked
 * to roll back). Now exit 4 (UNSAFE): the alias as read now, and the commands that finish it.
 */
import { UnsafeError } from '../domain/errors.js';
import type { AppSpecTarget, DeploymentInfo } from '../ports/codedeploy.js';
import type { LambdaPort } from '../ports/lambda.js';
import { describeAliasState } from './deploy-result.js';
import { describeError } from './emit.js';

export async function lostContactError(
  lambda: LambdaPort,
  id: string,
  /** The deployment's last read; undefined when not one answered (the wait never saw it). */
  last: DeploymentInfo | undefined,
  error: unknown,
  /** Whether the wait had asked CodeDeploy to stop it (a signal), and whether CodeDeploy took it. */
  { stopAsked, stopTaken }: { stopAsked: boolean; stopTaken: boolean },
  /** How long reads had failed in a row when the wait gave up (follow-read-retry.ts), or ''. */
  spent = '',
): Promise<UnsafeError> {
  if (!last) return stopTaken ? stoppedUnreadError(id, error) : neverReadError(id, error, spent);
  const target = last.target;
  const where = target
    ? await describeAliasNow(lambda, target)
    : 'moves an alias lshift could not read from its AppSpec';
  const stop = stopAsked ? ' The stop this wait asked for may not have landed.' : '';
  const message = `Lost contact with AWS CodeDeploy while waiting for deployment ${id} (last seen ${last.status}): ${withoutPeriod(describeError(error))}.${spent}${stop} It may still be moving traffic, and nothing is watching it now: ${where}.`;
  const rollback = target
    ? `\`lshift rollback ${target.functionName} --alias ${target.alias}\` stops it and puts all traffic back on version ${target.currentVersion}`
    : `\`aws deploy stop-deployment --deployment-id ${id} --auto-rollback-enabled\` stops it and rolls it back`;
  return new UnsafeError('CODEDEPLOY_WAIT_LOST', message, {
    cause: error,
    hint: `Follow it again with \`lshift wait ${id}\` once AWS answers, or ${rollback}.`,
    ...(target ? { context: { functionName: target.functionName, alias: target.alias } } : {}),
  });
}

/**
 * Not even a first read answered: the wait knows nothing of the deployment, which may be moving
 * traffic all the same (the same exit 4: nobody knows, a human must look).
 */
function neverReadError(id: string, error: unknown, spent: string): UnsafeError {
  return new UnsafeError(
    'CODEDEPLOY_WAIT_LOST',
    `Could not read deployment ${id} from AWS CodeDeploy: ${withoutPeriod(describeError(error))}.${spent} If it runs, it may be moving traffic, and nothing is watching it now.`,
    {
      cause: error,
      hint: `Follow it with \`lshift wait ${id}\` once AWS answers (\`lshift status <function>\` shows its alias), or stop it and roll it back with \`aws deploy stop-deployment --deployment-id ${id} --auto-rollback-enabled\`.`,
    },
  );
}

/**
 * CodeDeploy ended the deployment, and the wait could not read the alias it moved (or finish on it):
 * nothing moves it any more, but where its traffic is is unknown here, and the record on it is open.
 */
export function endedUnreadError(id: string, last: DeploymentInfo, error: unknown): UnsafeError {
  const target = last.target;
  const alias = target ? `alias ${target.functionName}:${target.alias}` : 'the alias it moved';
  return new UnsafeError(
    'CODEDEPLOY_WAIT_LOST',
    `AWS CodeDeploy ended deployment ${id} (${last.status}), but lshift could not read ${alias} after it: ${withoutPeriod(describeError(error))}. Nothing moves it any more; where its traffic is was not seen, and the lshift deployment record on it is not closed.`,
    {
      cause: error,
      hint: target
        ? `See it with \`lshift status ${target.functionName} --alias ${target.alias}\`; \`lshift wait ${id}\` reads it again and closes the record.`
        : `\`lshift wait ${id}\` reads it again and closes the record.`,
      ...(target ? { context: { functionName: target.functionName, alias: target.alias } } : {}),
    },
  );
}

/**
 * Never read, but CodeDeploy took the stop a signal asked for: it is rolling back, and only its end
 * was not seen (found by a hostile pass: "If it runs, it may be moving traffic" and a hint to send
 * the stop that was already taken).
 */
function stoppedUnreadError(id: string, error: unknown): UnsafeError {
  return new UnsafeError(
    'CODEDEPLOY_WAIT_LOST',
    `AWS CodeDeploy took lshift's stop of deployment ${id} (with auto-rollback), but lshift could not read the deployment: ${withoutPeriod(describeError(error))}. Its rollback was not seen to end.`,
    {
      cause: error,
      hint: `Follow it with \`lshift wait ${id}\` once AWS answers (\`lshift status <function>\` shows its alias).`,
    },
  );
}

async function describeAliasNow(lambda: LambdaPort, target: AppSpecTarget): Promise<string> {
  const name = `${target.functionName}:${target.alias}`;
  try {
    const alias = await lambda.getAlias(target.functionName, target.alias);
    if (!alias) return `alias ${name} no longer exists`;
    return `alias ${name} routes ${describeAliasState(alias)} (version ${target.currentVersion} → ${target.targetVersion})`;
  } catch (readError) {
    return `alias ${name} could not be read either (${describeError(readError)})`;
  }
}

/** AWS messages end with a period, or do not: one period before the next sentence. */
function withoutPeriod(text: string): string {
  return text.replace(/\.+$/, '');
}
