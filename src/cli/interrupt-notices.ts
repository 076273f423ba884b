/**
 * What a command says when it hears its first signal (GuardOptions.stopping, interrupts.ts), and
 * what it says instead of suspending on Ctrl-Z (`refuseSuspend`): words only, chosen by the
 * command that guards itself.
 */
import { printable } from '../domain/printable.js';
import type { AliasWatch } from './alias-watch.js';

/**
 * The `refuseSuspend` of `deploy` (one function named) and of a release: Ctrl-C stops safely,
 * `lshift pause` holds a native shift (a CodeDeploy deployment takes no operator verbs).
 */
export function deploySuspendHint(
  target?: { functionName: string; alias: string },
  codeDeploy = false,
): string {
  const stop = 'Press Ctrl-C to stop it safely';
  if (codeDeploy) return `${stop}.`;
  const pause = target
    ? `lshift pause ${target.functionName} --alias ${target.alias}`
    : 'lshift pause <function>';
  return `${stop}, or run \`${printable(pause)}\` from another shell to hold the traffic where it is.`;
}

/**
 * The `refuseSuspend` of a release: its functions pause only together (`lshift pause <function>`
 * is refused for them, RELEASE_MEMBER; found by a hostile pass), and its id is made once it runs.
 */
export function releaseSuspendHint(functionNames: readonly string[]): string {
  const names = functionNames.join(' ');
  const first = functionNames[0] ?? '<function>';
  const pause = `lshift pause --release <id> ${names}`;
  return `Press Ctrl-C to stop it safely, or run \`${printable(pause)}\` from another shell (\`lshift status ${printable(first)}\` shows the release id) to hold the traffic where it is.`;
}

/** The `refuseSuspend` of `rollback` and `check`: they end by themselves; Ctrl-C stops safely. */
export const ROLLBACK_SUSPEND_HINT = 'Let it finish, or press Ctrl-C to stop it safely.';

/**
 * The first signal's notice for `deploy`: under `--on-interrupt leave` nothing is rolled back, and
 * "stopping the deployment safely" would promise what does not happen (a CodeDeploy deployment
 * runs on without lshift; a native shift stays where it is).
 */
export function deployStoppingNotice(
  onInterrupt: 'rollback' | 'leave',
  codeDeploy: boolean,
): string | undefined {
  if (onInterrupt !== 'leave') return undefined;
  return codeDeploy
    ? 'no longer following the deployment; AWS CodeDeploy keeps running it (--on-interrupt leave)'
    : 'stopping without rolling back: the alias is left where it is (--on-interrupt leave)';
}

/**
 * The first signal's notice for a release: it stops the release, not one deployment, and every
 * function goes back to its stable version ("stopping the deployment safely" named neither);
 * under `--on-interrupt leave` every alias is left where it is.
 */
export function releaseStoppingNotice(onInterrupt: 'rollback' | 'leave'): string {
  return onInterrupt === 'leave'
    ? 'stopping without rolling back: every alias is left where it is (--on-interrupt leave)'
    : 'stopping the release safely: every function goes back to its stable version';
}

/**
 * Someone moved the alias by hand and `lshift wait` or `deploy --engine codedeploy` is stopping
 * CodeDeploy without its rollback: the signal asks for nothing more, and that stop is not cut short
 * (found by a hostile pass: the notice said "stopping … with auto-rollback …" or "stopping the
 * deployment safely", and the signal abandoned the stop, leaving CodeDeploy free to move the alias
 * over the person's move).
 */
export const KEEPING_MOVE_STOPPING =
  'someone moved the alias by hand, and lshift is stopping the deployment WITHOUT its rollback so that the move stays: that stop goes on until CodeDeploy says it ended, then lshift exits';

/** The first signal's notice of a deploy (rolls back, or pauses). */
export const DEPLOY_STOPPING = 'stopping the deployment safely';

/**
 * The first signal's notice of `deploy --resume`: until it has taken the deployment over (its
 * shift started) it has written nothing and stops without writing anything — the alias stays as
 * the stopped run left it, maybe split (resume-runner-gone.ts then exits 4 saying so). Found by a
 * hostile pass: a Ctrl-C during the wait for the dead runner said "every function goes back to
 * its stable version", then left all three aliases split, as it must.
 */
export function resumeAwareNotice(
  resume: boolean | undefined,
  watch: Pick<AliasWatch, 'touched'>,
  otherwise: string,
): () => string {
  return () =>
    resume && !watch.touched()
      ? 'stopping before taking the deployment over: lshift changes nothing, and the alias stays as the stopped run left it'
      : otherwise;
}
