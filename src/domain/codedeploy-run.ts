/**
 * How lshift recognises its own CodeDeploy deployment after CreateDeployment's answer was lost
 * (a timeout or a reset after the request went out: CodeDeploy may have started it). Each run
 * puts a token in the deployment's description; the group's unfinished deployments are then
 * looked up (ListDeployments + GetDeployment), and the one that carries the token is ours.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_CreateDeployment.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ListDeployments.html
 */

/** Every status of a deployment that has not ended (API_ListDeployments.html, includeOnlyStatuses). */
export const UNFINISHED_DEPLOYMENT_STATUSES = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'] as const;

/**
 * CodeDeploy refuses a description over its limit (DescriptionTooLongException; 256 characters);
 * lshift keeps to 100, which the sandbox enforces, so one description fits both.
 */
export const MAX_DESCRIPTION_CHARS = 100;

const TOKEN_MARK = 'lshift-run:';

/**
 * `<what> [lshift-run:<token>]`, at most MAX_DESCRIPTION_CHARS: `what` is cut (a long function
 * ARN), never the token, which is what finds the deployment again.
 */
export function buildRunDescription(what: string, token: string): string {
  const tail = ` [${TOKEN_MARK}${token}]`;
  const room = MAX_DESCRIPTION_CHARS - tail.length;
  if (room < 1) throw new Error(`a run token of ${token.length} characters leaves no room for a description`);
  const head = what.length <= room ? what : `${what.slice(0, room - 1)}…`;
  return `${head}${tail}`;
}

/** True when a deployment's description carries this run's token. */
export function carriesRunToken(description: string | undefined, token: string): boolean {
  return description?.includes(`[${TOKEN_MARK}${token}]`) === true;
}
