/**
 * The progress lines of a rollback's stop of an AWS CodeDeploy deployment (CodeDeploySetup.onStop,
 * engine/codedeploy-stop.ts): the stop sent, its failure (not known to have reached CodeDeploy),
 * what CodeDeploy then says, and each change while it puts the alias back. Before, a stop that
 * timed out said nothing for its whole time and the run then read as if it had landed (F8).
 */
import type { StopNews } from '../engine/codedeploy-driver-deps.js';
import { describeAliasState } from '../engine/deploy-result.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';

export function tellStopNews(deps: { clock: Clock; events: EventSink }): (news: StopNews) => void {
  return (news) => {
    const { message, warn } = describeStopNews(news);
    deps.events.emit({
      type: 'log',
      at: deps.clock.now(),
      ...(warn ? { level: 'warn', about: 'codedeploy' } : { level: 'info' }),
      message,
    });
  };
}

export function describeStopNews(news: StopNews): { message: string; warn?: true } {
  const deployment = `AWS CodeDeploy deployment ${news.id}`;
  switch (news.kind) {
    case 'sending':
      return {
        message: news.again
          ? `rollback: sending the stop of ${deployment} again (StopDeployment with auto-rollback)`
          : `rollback: stopping ${deployment} with auto-rollback (StopDeployment); CodeDeploy then puts the alias back`,
      };
    case 'failed':
      return {
        message: `rollback: lshift's stop of ${deployment} failed (${news.error.replace(/\.$/, '')}): it is not known to have reached CodeDeploy; reading the deployment`,
        warn: true,
      };
    case 'read':
      return describeRead(news);
    case 'waiting':
      return {
        message: `rollback: waiting for AWS CodeDeploy to put the alias back: deployment ${news.id} ${news.status}, the alias routes ${describeAliasState(news.routing)}`,
      };
  }
}

function describeRead(news: Extract<StopNews, { kind: 'read' }>) {
  if (news.status === 'Succeeded')
    return {
      message: `rollback: AWS CodeDeploy says deployment ${news.id} had ended Succeeded, all traffic on version ${news.targetVersion}: the stop stopped nothing; lshift writes the alias back to version ${news.stableVersion} itself`,
      warn: true as const,
    };
  if (news.status === 'Stopped' || news.status === 'Failed')
    return {
      message: `rollback: AWS CodeDeploy says deployment ${news.id} ${news.status}; lshift waits until the alias is back on version ${news.stableVersion}`,
    };
  return { message: `rollback: AWS CodeDeploy says deployment ${news.id} is still ${news.status}` };
}
