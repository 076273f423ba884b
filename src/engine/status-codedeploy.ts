/**
 * `lshift status` of an unfinished CodeDeploy record asks CodeDeploy about its deployment (one
 * GetDeployment): after the application or deployment group was deleted CodeDeploy answers
 * DeploymentDoesNotExistException, and nothing moves the alias any more
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/applications-delete.html). Status then
 * says so, as `lshift wait` and `lshift check` do, instead of "follow it: lshift wait". A question
 * that fails is said too: it is neither running nor forgotten as far as status knows.
 * A deployment CodeDeploy answers as ended (Stopped or Failed without rollback, say by
 * `aws deploy stop-deployment`) while its alias still splits traffic is driven by nobody: STALLED,
 * as `lshift check` says it (check-codedeploy.ts), not "follow it".
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { CodeDeployPort, DeploymentInfo } from '../ports/codedeploy.js';
import type { AliasInfo } from '../ports/lambda.js';
import { findRecordsDeployment } from './codedeploy-group.js';
import { findCodeDeployDriver } from './codedeploy-split-driver.js';
import { describeCodeDeployEnd, isForgottenByCodeDeploy, isTerminal } from './codedeploy-status.js';
import { describeError } from './emit.js';
import { isKeptMoveLanded } from './kept-move-landed.js';
import { isFinished, isKeepMoveUnconfirmed, isRollbackDecided, isSplit } from './record-view.js';
import { describeHandMoveUnderRollback } from './status-codedeploy-hand.js';

export interface CodeDeployAnswer {
  /** CodeDeploy no longer knows the deployment the unfinished record names. */
  forgottenByCodeDeploy?: true;
  /** Why CodeDeploy could not be asked. */
  codeDeployError?: string;
  /** How CodeDeploy says the deployment ended, when it has (`CodeDeploy deployment d-X Stopped: why`). */
  codeDeployEnded?: string;
  /**
   * CodeDeploy's status of it as GetDeployment answered (`InProgress`, …, and `Succeeded`,
   * `Stopped`, `Failed` once ended, beside `codeDeployEnded`): status said `paused … step 1 at
   * 10%` of a `--detach`ed deployment CodeDeploy had taken to 40% (found by a hostile pass,
   * session 60, F10): the record's step is where lshift handed it over, not where it is.
   */
  codeDeployStatus?: string;
  /** It ended in CodeDeploy and left the alias split: nobody drives the split any more. */
  leftSplitByCodeDeploy?: true;
  /**
   * The deployment of a record that names none (its runner killed right after CreateDeployment
   * went out), found in its group by the run token in its description (codedeploy-group.ts).
   */
  codeDeployIdFound?: string;
  /**
   * It ended, the alias is split, and another deployment on its group moves this alias between
   * the versions it is split over (`d-X (InProgress, "hotfix")`, codedeploy-split-rule.ts): that
   * one drives the split, not nobody — follow it, write nothing beside it.
   */
  splitByOtherDeployment?: string;
  /**
   * lshift decided to roll it back (record `rolling-back` or `failed`: a Ctrl-C whose StopDeployment
   * was lost or refused), yet CodeDeploy runs it on, or ended it off the stable version: its status.
   * Said as such, exit 4, never "follow it: lshift wait" (found by a hostile pass, session 60).
   */
  againstRollback?: string;
  /**
   * …`InProgress`, and the alias routed as CodeDeploy could not have left it: words naming the
   * person's move (status-codedeploy-hand.ts), not "CodeDeploy shifting" (session 66's note).
   */
  againstRollbackByHand?: string;
  /**
   * lshift asked CodeDeploy to stop it WITHOUT its rollback, to keep a person's move of the alias,
   * and did not see that stop end (record-view.ts isKeepMoveUnconfirmed), yet CodeDeploy runs it on
   * (`InProgress`: it may move the alias over the move, nobody watches it) or ended it `Succeeded`
   * (it moved the alias over the move): its status. Exit 4, never "follow it" nor a promotion.
   */
  againstKeptMove?: string;
}

/** The answer, and the alias as read after it when the deployment had ended. */
export interface CodeDeployAsked {
  answer: CodeDeployAnswer;
  alias?: AliasInfo;
}

/**
 * `readAlias` is called after an answer that the deployment ended: the alias status read before
 * GetDeployment may show a split CodeDeploy cleared since (it Succeeded, or rolled back, between
 * the two reads), and a split it cleared is not one nobody drives.
 */
export async function askCodeDeployAbout(
  codedeploy: CodeDeployPort | undefined,
  record: DeploymentRecord,
  readAlias: () => Promise<AliasInfo | undefined>,
  /** The group to look in for a deployment the record does not name (the config's, or lshift's default). */
  group?: { application: string; group: string },
  /** The alias asked about (else the one its deployment's AppSpec names): the split another deployment may drive. */
  names?: { functionName: string; alias: string },
): Promise<CodeDeployAsked> {
  if (!codedeploy || record.engine !== 'codedeploy' || isFinished(record)) return { answer: {} };
  // Found by a hostile pass: status said "no deployment id recorded yet" while check and wait
  // already found it by its run token.
  const found = record.codeDeployId ? undefined : await findRecordsDeployment(codedeploy, record, group);
  const id = record.codeDeployId ?? found;
  if (!id) return { answer: {} };
  const asked = await markHandUnderRollback(
    record,
    markAgainstKeptMove(record, await askAbout(codedeploy, id, readAlias, names)),
    readAlias,
  );
  return found ? { ...asked, answer: { ...asked.answer, codeDeployIdFound: found } } : asked;
}

/** A stop without rollback lshift did not see end, and CodeDeploy ran on (or Succeeded) over the move. */
function markAgainstKeptMove(record: DeploymentRecord, asked: Asked): Asked {
  const { status } = asked;
  if (!status || !isKeepMoveUnconfirmed(record)) return asked;
  // Its stop landed after its run died, the move kept (kept-move-landed.ts): `Stopped`, said as kept.
  const info = {
    status: status as DeploymentInfo['status'],
    ...(asked.rollback ? { rollback: asked.rollback } : {}),
    ...(asked.config ? { config: asked.config } : {}),
  };
  const ended = isTerminal(info.status) && status !== 'Succeeded';
  if (ended && !isKeptMoveLanded(record, info, asked.alias)) return asked;
  return { ...asked, answer: { ...asked.answer, againstKeptMove: status } };
}

/**
 * markAgainstRollback, and when CodeDeploy runs on against the decision: the alias (read once more,
 * only then) judged for a person's move.
 */
async function markHandUnderRollback(
  record: DeploymentRecord,
  asked: Asked,
  readAlias: () => Promise<AliasInfo | undefined>,
): Promise<CodeDeployAsked> {
  const marked = markAgainstRollback(record, asked);
  if (marked.answer.againstRollback !== 'InProgress') return marked;
  const alias = await readAlias().catch(() => undefined);
  const byHand = describeHandMoveUnderRollback(record, alias, asked.config);
  return byHand ? { ...marked, answer: { ...marked.answer, againstRollbackByHand: byHand } } : marked;
}

/** CodeDeploy's answer with its status, and its rollback when it rolled back. */
type Asked = CodeDeployAsked & {
  status?: string;
  rollback?: DeploymentInfo['rollback'];
  /** Its config's name: a weight one of its later steps is not known to be a person's (kept-move-landed.ts). */
  config?: string;
};

/**
 * A deployment lshift decided to roll back that CodeDeploy still runs, or ended with its alias
 * anywhere but all on the stable version (read after the end; unread: not known to be back).
 */
function markAgainstRollback(record: DeploymentRecord, asked: Asked): CodeDeployAsked {
  const { status, rollback, config: _config, ...rest } = asked;
  if (!status || !isRollbackDecided(record)) return rest;
  const running = !isTerminal(status as DeploymentInfo['status']);
  const back =
    rest.alias !== undefined &&
    !isSplit(rest.alias.additionalWeights) &&
    rest.alias.functionVersion === record.stableVersion;
  if (!running && back) return rest;
  return { ...rest, answer: { ...rest.answer, againstRollback: status } };
}

async function askAbout(
  codedeploy: CodeDeployPort,
  id: string,
  readAlias: () => Promise<AliasInfo | undefined>,
  names: { functionName: string; alias: string } | undefined,
): Promise<Asked> {
  let info: DeploymentInfo;
  try {
    info = await codedeploy.getDeployment(id);
  } catch (error) {
    if (isForgottenByCodeDeploy(error)) return { answer: { forgottenByCodeDeploy: true } };
    return { answer: { codeDeployError: describeError(error) } };
  }
  if (!isTerminal(info.status))
    return { answer: { codeDeployStatus: info.status }, status: info.status, config: info.config };
  // Succeeded has no reason to give ("Succeeded: no reason given" read as if something were missing).
  const said =
    info.status === 'Succeeded'
      ? `CodeDeploy deployment ${id} Succeeded`
      : describeCodeDeployEnd({ ...info, id });
  // Its status too: `--json` said none of a deployment that had ended (session 65: `OVERRIDDEN` in words).
  const ended = { codeDeployEnded: said, codeDeployStatus: info.status };
  const status = info.status;
  const rollback = info.rollback;
  const config = info.config;
  const alias = await readAlias();
  if (!alias) return { answer: ended, status, rollback, config };
  if (!isSplit(alias.additionalWeights)) return { answer: ended, alias, status, rollback, config };
  const other = await otherOnGroup(codedeploy, info, alias, names);
  const answer = other
    ? { ...ended, splitByOtherDeployment: other }
    : { ...ended, leftSplitByCodeDeploy: true as const };
  return { answer, alias, status, rollback, config };
}

/**
 * Another deployment on the ended one's group that moves this split, described (found by a hostile
 * pass: status said "nobody to finish it" of a split a hotfix deployment was driving). Only one
 * whose AppSpec moves this alias between the versions it is split over, as resume, preflight and
 * check judge it (codedeploy-split-rule.ts): any deployment running there was named, a split made
 * by hand or another alias's deployment included (h3's s71 brief). Unreadable: none known, the
 * split stays one nobody is known to drive.
 */
async function otherOnGroup(
  codedeploy: CodeDeployPort,
  own: DeploymentInfo,
  alias: AliasInfo,
  names: { functionName: string; alias: string } | undefined,
): Promise<string | undefined> {
  const target = names ?? own.target;
  if (!own.application || !own.group || !target) return undefined;
  const split = { functionName: target.functionName, alias: target.alias, routing: alias };
  return findCodeDeployDriver(codedeploy, { application: own.application, group: own.group }, split, own.id);
}
