/**
 * `deploy --engine codedeploy --detach --dry-run`: the program the run would carry out. A
 * detached run starts the CodeDeploy deployment and exits once CodeDeploy has it; it follows no
 * step, judges none and waits no settle. The dry run listed every hold "judged by health", a
 * settle and "done: record the deployment as promoted" (found by a hostile pass, F4 of session
 * 60): the program ends at the first weight (the CreateDeployment), and one line says what
 * CodeDeploy does after it, unjudged by lshift.
 */
import { formatDuration } from '../domain/duration.js';
import type { Plan } from '../domain/plan.js';
import type { ReleaseProgram } from '../domain/release-program.js';
import { buildStatusCommand } from '../engine/deploy-result.js';

/** The steps up to the first weight (CodeDeploy's start): all a detached run does. */
export function programUntilHandOver(program: ReleaseProgram): ReleaseProgram {
  const first = program.steps.findIndex((s) => s.kind === 'setWeight' || s.kind === 'promote');
  return first < 0 ? program : { ...program, steps: program.steps.slice(0, first + 1) };
}

/** What CodeDeploy does after the hand-over, with nobody of lshift following it. */
export function describeAfterHandOver(plan: Plan, functionName: string, alias: string): string {
  const weights = plan.steps.map((s) => `${s.percent}%`).join(' → ');
  const holds = [...new Set(plan.steps.filter((s) => s.percent < 100).map((s) => s.holdSeconds))];
  const every = holds.length === 1 ? `, holding each ${formatDuration(holds[0]!)}` : '';
  return (
    `  then: lshift exits once CodeDeploy has the deployment; CodeDeploy moves ${weights} on its own schedule${every}, ` +
    `watched only by the deployment group's alarms: lshift judges no step and waits no settle ` +
    `(\`lshift wait <deployment id>\` follows it, \`${buildStatusCommand(functionName, alias)}\` shows it).`
  );
}
