/**
 * What `lshift promote | pause | resume | abort` say about a deployment that runs but reads no
 * command. A deployment reads commands at its health polls (holds, bakes: operator-control.ts);
 * a wait without polls — its pre-traffic hooks, a step hook, the wait for provisioned
 * concurrency to be READY after a weight write — keeps a command in the record (the heartbeats
 * carry it over: deployment-recorder.ts) until the first poll after it. A verb whose --wait
 * runs out first says so, and how to have it obeyed: the same verb with a longer --wait. The
 * post-traffic hooks come after the last poll: a command sent then would never be read.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { UsageError } from '../domain/errors.js';
import { describeVerb, type OperatorVerb } from '../domain/operator-command.js';

/** The running deployment the command was sent to, as last read while waiting for its answer. */
type Waited = { sentOn: DeploymentRecord; last: DeploymentRecord | undefined };

/** Why it did not answer, as a clause to follow "did not answer `x` within N s" ('' when unknown). */
export function whyUnanswered({ sentOn, last }: Waited): string {
  if (last?.id !== sentOn.id) return '';
  if (last.phase === 'pre-hook') {
    return ': it is running its pre-traffic hooks, and reads commands only at the health polls that follow them';
  }
  if (last.heartbeatAt !== sentOn.heartbeatAt) {
    return ': it runs (its heartbeat kept coming) but read no command meanwhile: it reads them only at its health polls, and a step hook or the wait for provisioned concurrency to be READY has none';
  }
  return '';
}

/** The hint of an unanswered command: how to have it obeyed, when the deployment is known busy. */
export function unansweredHint(waited: Waited, target: { functionName: string; alias: string }): string {
  const status = `\`lshift status ${target.functionName} --alias ${target.alias}\``;
  if (whyUnanswered(waited) === '') {
    return `Look at the deployment with ${status}; a deploy reads commands at its health polls (holds and bakes), not during hooks.`;
  }
  const rest = waited.last?.phase === 'pre-hook' ? 'the hooks' : 'that wait';
  return `It would be obeyed at its first health poll after ${rest}: send it again with a --wait longer than what is left of ${rest} (at most 1h). ${status} shows the deployment.`;
}

/**
 * Refuses a command to a deployment running its post-traffic hooks: they follow its last health
 * poll, so nothing would read it (sent, it would wait out --wait and be withdrawn). Not for a
 * function of a release: the release's command reader may be another function, still polling
 * (a staggered release), and release-abort.ts words the release's refusals itself.
 */
export function checkReadsCommands(
  record: DeploymentRecord,
  req: { functionName: string; alias: string; verb: OperatorVerb; release?: string },
): void {
  if (record.phase !== 'post-hook' || record.releaseId !== undefined || req.release !== undefined) return;
  const { functionName: fn, alias } = req;
  const hint =
    req.verb === 'abort'
      ? `If it must go back: once it ended (\`lshift status ${fn} --alias ${alias}\`), \`lshift rollback ${fn} --alias ${alias}\` puts all traffic back on version ${record.stableVersion}; a post-traffic hook that fails rolls it back by itself.`
      : `Nothing is left to hold or skip: it ends when its post-traffic hooks do (\`lshift status ${fn} --alias ${alias}\`).`;
  throw new UsageError(
    'NO_RUNNING_DEPLOYMENT',
    `Deployment ${record.id} on alias ${alias} of function ${fn} is running its post-traffic hooks, with all traffic on version ${record.targetVersion}: they follow its last health poll, so it reads no operator command any more (\`${describeVerb(req.verb)}\` was not sent).`,
    { hint, context: { functionName: fn, alias } },
  );
}
