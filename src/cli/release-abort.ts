/**
 * `lshift abort --release <id> fnA fnB …`: the release form of `abort` (src/engine/release-abort.ts).
 * One function's record carries the command; the release's run rolls every function back.
 */
import { isReleaseId } from '../domain/deployment-record.js';
import { echoInput } from '../domain/echo.js';
import { UsageError } from '../domain/errors.js';
import { type AbortReleaseResult, abortRelease } from '../engine/release-abort.js';
import { type OperatorInvocation, withOperatorSession } from './operator-verb.js';
import { describeOwner } from './owner.js';
import { nameOf, releaseFunctions } from './release-options.js';

export async function runReleaseAbort(
  releaseId: string,
  names: readonly string[],
  flags: OperatorInvocation['flags'],
): Promise<AbortReleaseResult> {
  if (!isReleaseId(releaseId)) {
    throw new UsageError(
      'INVALID_FLAG',
      `--release must be a release id like r-k3j9x2, not "${echoInput(releaseId)}".`,
      {
        hint: 'The release id is in the deploy’s output and in `lshift status <function>`.',
      },
    );
  }
  return withOperatorSession(flags, (session) => {
    const entries = releaseFunctions(names, session.config);
    if (entries.length === 0) {
      throw new UsageError('USAGE', `Name the functions of release ${releaseId}.`, {
        hint: `lshift abort --release ${releaseId} <function…> (or list \`functions:\` in the config file)`,
      });
    }
    const alias = flags.alias ?? session.config.alias ?? 'live';
    const targets = entries.map((e) => ({
      functionName: nameOf(e),
      alias: flags.alias ?? (typeof e === 'string' ? undefined : e.alias) ?? alias,
    }));
    return abortRelease(session.deps, {
      releaseId,
      targets,
      by: describeOwner(),
      ...(session.reason === undefined ? {} : { reason: session.reason }),
      waitSeconds: session.waitSeconds,
      signal: session.signal,
    });
  });
}

export function describeReleaseAbort(r: AbortReleaseResult): string {
  const via = `${r.sent.functionName}:${r.sent.alias}`;
  if (r.sent.answer === 'refused') {
    return `✖ Release ${r.releaseId} refused \`abort\` (sent through ${via}): it was not in a state to obey it.`;
  }
  const head = r.allEnded
    ? `✔ Release ${r.releaseId} was aborted (through ${via}, run by ${r.sent.owner}) and every function has ended:`
    : `✔ Release ${r.releaseId} was aborted (through ${via}, run by ${r.sent.owner}); not every function had ended when the wait was over:`;
  const width = Math.max(...r.functions.map((f) => `${f.functionName}:${f.alias}`.length));
  const rows = r.functions.map(
    (f) =>
      `  ${`${f.functionName}:${f.alias}`.padEnd(width)}  ${f.phase ? `${f.deploymentId} ${f.phase}` : `left alone: ${f.note}`}`,
  );
  const tail = r.allEnded
    ? []
    : [`  See \`lshift status ${r.functions.map((f) => f.functionName).join(' ')}\`.`];
  return [head, ...rows, ...tail].join('\n');
}

export function releaseAbortJson(r: AbortReleaseResult): Record<string, unknown> {
  const { sent, ...rest } = r;
  const { record: _record, ...answer } = sent;
  return { ...rest, verb: 'abort', sent: answer, exitCode: sent.answer === 'done' ? 0 : 2 };
}
