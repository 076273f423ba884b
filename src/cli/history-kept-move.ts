/**
 * `lshift history` of a record with the keep-move mark (record-view.ts isKeepMoveUnconfirmed):
 * someone moved the alias while AWS CodeDeploy ran lshift's deployment, and lshift stopped it
 * WITHOUT its rollback to keep that move, not seeing the stop end. The record stays open, so
 * history said `IN PROGRESS` of one CodeDeploy had since ended Succeeded over the move, which
 * `lshift status` calls OVERRIDDEN (h3's notes, session 65). One GetDeployment (the history
 * command asks it for such a record only, status-codedeploy.ts askCodeDeployAbout) says which.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import {
  describeKeepMoveStop,
  describeSucceededOverKeptMove,
  isKeepMoveUnconfirmed,
} from '../engine/record-view.js';
import { askCodeDeployAbout, type CodeDeployAnswer } from '../engine/status-codedeploy.js';
import type { CodeDeployPort } from '../ports/codedeploy.js';
import type { AliasInfo } from '../ports/lambda.js';

/** What CodeDeploy answered about the deployment; undefined: it was not asked. */
export type KeptMoveAnswer = Pick<
  CodeDeployAnswer,
  'againstKeptMove' | 'codeDeployStatus' | 'codeDeployEnded' | 'codeDeployError' | 'forgottenByCodeDeploy'
>;

export interface KeptMoveHistory {
  outcome?: 'overridden' | 'kept by hand' | 'stalled';
  reason: string;
}

/** True when history should ask CodeDeploy about this record (one GetDeployment). */
export function isKeptMoveRecord(record: DeploymentRecord | undefined): record is DeploymentRecord {
  return record?.engine === 'codedeploy' && isKeepMoveUnconfirmed(record);
}

/** CodeDeploy's answer about a kept-move record's deployment; undefined (not asked) for others. */
export async function askAboutKeptMove(
  codedeploy: CodeDeployPort,
  record: DeploymentRecord | undefined,
  readAlias: () => Promise<AliasInfo | undefined>,
): Promise<KeptMoveAnswer | undefined> {
  if (!isKeptMoveRecord(record)) return undefined;
  return (await askCodeDeployAbout(codedeploy, record, readAlias)).answer;
}

/** The outcome and reason of a kept-move record, from CodeDeploy's answer; undefined for others. */
export function describeKeptMoveHistory(
  record: DeploymentRecord,
  answer: KeptMoveAnswer | undefined,
): KeptMoveHistory | undefined {
  if (!isKeptMoveRecord(record)) return undefined;
  const id = record.codeDeployId ?? 'its deployment';
  const what = `someone moved the alias by hand while AWS CodeDeploy ran it, and ${describeKeepMoveStop(record, id)}`;
  if (answer?.againstKeptMove === 'Succeeded')
    return {
      outcome: 'overridden',
      reason: `${what}; ${describeSucceededOverKeptMove(record)} (\`lshift status\` says what to do)`,
    };
  if (answer?.againstKeptMove === 'Stopped')
    return {
      outcome: 'kept by hand',
      reason: `${what}; that stop has since ended (CodeDeploy Stopped, no rollback) and the move was kept; nobody has closed its record (\`lshift status\` says how)`,
    };
  // Ended otherwise (Stopped over CodeDeploy's own later step, its rollback, Failed): nothing drives
  // the alias and the move was not kept. It read IN PROGRESS while status said STALLED (session 67's note).
  if (answer?.codeDeployEnded && answer.codeDeployStatus !== 'Succeeded')
    return {
      outcome: 'stalled',
      reason: `${what}; ${answer.codeDeployEnded}: nothing moves the alias any more, and nobody has closed its record (\`lshift status\` says where traffic is and how to finish it)`,
    };
  return { reason: `${what}; ${describeAnswer(answer)}` };
}

function describeAnswer(answer: KeptMoveAnswer | undefined): string {
  if (!answer) return 'AWS CodeDeploy was not asked';
  if (answer.codeDeployError) return `AWS CodeDeploy could not be asked: ${answer.codeDeployError}`;
  if (answer.forgottenByCodeDeploy) return 'AWS CodeDeploy no longer knows the deployment';
  if (answer.codeDeployEnded) return answer.codeDeployEnded;
  if (answer.codeDeployStatus) return `AWS CodeDeploy says it is ${answer.codeDeployStatus}`;
  return 'AWS CodeDeploy was not asked';
}
