/**
 * What `lshift promote | pause | resume | abort` refuses before it writes anything
 * (operator-send.ts): no running deployment, a stale one, one that does not read commands now, a
 * CodeDeploy deployment (abort only), one function of a release, a command still pending, pause
 * when paused and resume when not, and a --reason the record cannot hold; an alias that does not
 * exist, and a record whose shape does not add up. A runner known gone: operator-runner-gone.ts.
 */
import {
  type DeploymentRecord,
  decodeRecord,
  describeReasonRoom,
  encodeRecord,
  keepsCommandReason,
} from '../domain/deployment-record.js';
import { ConflictError, PreflightError, UsageError } from '../domain/errors.js';
import { describeHeartbeatSilence, judgeHeartbeatAge } from '../domain/heartbeat-age.js';
import { describeSender, describeVerb, type OperatorCommand } from '../domain/operator-command.js';
import { findRecordProblems } from '../domain/record-validation.js';
import type { Clock } from '../ports/clock.js';
import { buildResumeCommand } from './deploy-result.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import { checkReadsCommands } from './operator-busy.js';
import type { DroppedReason, SendCommandDeps, SendCommandRequest } from './operator-send-types.js';
import { inClockWords, untrustedRecordError } from './record-trust.js';
import { isEnded } from './record-view.js';

/**
 * The command as it is sent, its reason measured against the record's room. The codec would drop
 * a reason it has no room for, silently, so a pause's or a promote's is refused before anything
 * is written (checkReasonFits); an abort's is not: an abort must never be refused for its reason
 * (the rollback path must not depend on tag room; on a full record of many steps a 40-character
 * reason had room for 0, found by a docs pass), so it is sent without it, and `dropped` says so.
 */
export function fitReason(
  record: DeploymentRecord,
  command: OperatorCommand,
): { command: OperatorCommand; dropped?: DroppedReason } {
  const sent = { ...record, command };
  if (command.verb !== 'abort' || keepsCommandReason(sent)) {
    checkReasonFits(sent);
    return { command };
  }
  const { reason: dropped = '', ...withoutReason } = command;
  // The owner is kept before the command's texts (record-encode.ts): lshift judges by it who
  // runs the deployment and whether that run is alive (owner-mark.ts), and a pid cut short could
  // name another process. Measured as written, since a record with no room cuts it too.
  const ownerChars = decodeRecord(encodeRecord({ ...record, command: withoutReason })).owner.length;
  return { command: withoutReason, dropped: { ...describeReasonRoom(sent), reason: dropped, ownerChars } };
}

/** A reason the record would drop is refused before anything is written (deployment-record.ts). */
export function checkReasonFits(record: DeploymentRecord): void {
  if (keepsCommandReason(record)) return;
  const { takes, room } = describeReasonRoom(record);
  throw new UsageError(
    'INVALID_FLAG',
    `--reason does not fit in deployment ${record.id}'s record: it takes ${takes} character${takes === 1 ? '' : 's'} of the tag as the record writes it, which has room for ${room} (a 256-character tag shared with the rest of the record).`,
    {
      hint: 'Shorten it: letters, digits and _ : / = @ - take one character of the tag; a space, a dot or any other character takes 3 per UTF-8 byte (an accented letter 6, an emoji 12).',
    },
  );
}

/**
 * ` --release <id> fa fb` with the functions its record names (`rf=`), ` --release <id> <its
 * functions>` when it names none (an older lshift's record, or no room), or nothing for a
 * deployment of no release.
 */
function releaseForm(
  releaseId: string | undefined,
  record: Pick<DeploymentRecord, 'releaseFunctions'>,
): string {
  return releaseId === undefined ? '' : ` --release ${releaseId} ${releaseNames(record)}`;
}

function releaseNames(record: Pick<DeploymentRecord, 'releaseFunctions'>): string {
  return record.releaseFunctions?.join(' ') ?? '<its functions>';
}

/**
 * A deploy reads commands from its record, which it writes just before its first weight: one still
 * uploading, publishing or checking has none, and a command sent then finds the last, ended
 * deployment — it is refused, and that deploy goes on (h4's pass, session 64: an abort lost while a
 * release published, the release then shifted). Said, so the operator knows to send it again.
 */
const NOT_STARTED_YET =
  'A deploy that has only started (uploading, publishing or checking) has no record yet and cannot be reached: nothing was sent; send this again once it prints its deployment or release id, or stop that deploy where it runs.';

export function checkRunning(
  deps: SendCommandDeps,
  req: SendCommandRequest,
  record: DeploymentRecord | undefined,
  seenAlive: boolean,
): asserts record is DeploymentRecord {
  const target = `alias ${req.alias} of function ${req.functionName}`;
  const context = { functionName: req.functionName, alias: req.alias };
  const verb = describeVerb(req.verb);
  if (record?.engine === 'codedeploy' && record.phase === 'paused') refuseUnfollowedCodeDeploy(req, record);
  if (!record || isEnded(record) || record.phase === 'rolling-back') {
    const last = record
      ? `; its last deployment ${record.id} is ${record.phase}${record.endReason ? ` (${record.endReason})` : ''}`
      : '';
    // Left paused by `--on-interrupt leave`: no process runs it, so a verb has nobody to obey it.
    const leftPaused = record?.phase === 'paused';
    const hint = leftPaused
      ? `It was left paused and no process runs it: continue it with ${buildResumeCommand(req.functionName, req.alias, record)}, or undo it with \`lshift rollback ${req.functionName} --alias ${req.alias}\`.`
      : `\`lshift ${verb}\` acts on a deployment while it runs; see \`lshift status ${req.functionName} --alias ${req.alias}\`. ${NOT_STARTED_YET}`;
    throw new UsageError('NO_RUNNING_DEPLOYMENT', `No deployment is running on ${target}${last}.`, {
      hint,
      context,
    });
  }
  const staleMs = (req.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS) * 1000;
  const reading = judgeHeartbeatAge(record.heartbeatAt, deps.clock.now(), staleMs);
  if (!seenAlive && reading !== 'fresh') {
    throw new ConflictError(
      'DEPLOYMENT_STALE',
      `Deployment ${record.id} on ${target} (${record.phase}) ${inClockWords(describeHeartbeatSilence(record.heartbeatAt, deps.clock.now()), deps.clock.followsSandbox)}, and its record did not change while this command waited${reading === 'future' ? '' : ': its runner seems to have died'}, so nobody would read the command.`,
      {
        hint: `Finish it with ${buildResumeCommand(req.functionName, req.alias, record)}, or undo it with \`lshift rollback ${req.functionName} --alias ${req.alias}\`.`,
        context,
      },
    );
  }
  checkReadsCommands(record, req);
  // CodeDeploy runs its own schedule: lshift can stop it (abort → StopDeployment with rollback)
  // but cannot skip or hold a step of it, so a promote or pause would be a lie.
  if (record.engine === 'codedeploy' && req.verb !== 'abort') {
    throw new UsageError(
      'ENGINE_CANNOT_RUN',
      `Deployment ${record.id} on ${target} runs on AWS CodeDeploy (${record.codeDeployId ?? 'starting'}), which keeps its own schedule: \`lshift ${verb}\` cannot skip or hold its steps.`,
      { hint: `\`lshift abort ${req.functionName} --alias ${req.alias}\` stops and rolls it back.`, context },
    );
  }
  // A release moves as one (fleet-steps.ts): its pause and promote are the release's (`--release`:
  // every function's hold stops or ends, each still watched). Sent to one function alone, the
  // verbs are refused: that one is read only with its heartbeat, and the answer would be about it.
  const asOne = req.verb === 'pause' || req.verb.startsWith('promote');
  if (record.releaseId !== undefined && asOne && req.release === undefined) {
    const form = `${req.verb === 'pause' ? 'pause' : 'promote'} --release ${record.releaseId}${req.verb === 'promote-full' ? ' --full' : ''}`;
    throw new UsageError(
      'RELEASE_MEMBER',
      `Deployment ${record.id} on ${target} is part of release ${record.releaseId}, whose functions move together: \`lshift ${verb}\` acts on the whole release.`,
      { hint: `Use \`lshift ${form} ${releaseNames(record)}\`.`, context },
    );
  }
  const last = record.command;
  // An abort goes ahead of a pending pause, resume or promote (written over it): at 3 a.m. the
  // way out must not wait on another operator's slower request (its sender is told, below).
  if (last?.state === 'sent' && !joinable(req, last) && req.verb !== 'abort') {
    throw new ConflictError(
      'COMMAND_PENDING',
      `Deployment ${record.id} on ${target} has not yet answered \`${describeVerb(last.verb)}\` from ${describeSender(last.by)}.`,
      {
        hint: 'Wait for it to answer (a deploy reads commands at each health poll), then try again.',
        context,
      },
    );
  }
  const paused = last?.verb === 'pause' && last.state === 'done';
  // A release's pause is answered on the record it was sent to: another function's record does not
  // say it (found by a hostile pass: `resume --release` naming the others read "not paused" of a
  // paused release). Its runner, which pauses the release as one, answers such a resume.
  const unseenReleasePause = req.release !== undefined && req.verb === 'resume' && !paused;
  if ((req.verb === 'pause' && paused) || (req.verb === 'resume' && !paused && !unseenReleasePause)) {
    throw new UsageError(
      'COMMAND_REFUSED',
      req.release === undefined
        ? `Deployment ${record.id} on ${target} is ${paused ? 'already paused' : 'not paused'}.`
        : `Release ${req.release} is ${paused ? 'already paused' : 'not paused'} (as its record on ${target} says).`,
      {
        // A function of a release is paused with its release only (RELEASE_MEMBER above).
        hint: `${paused ? 'Let it go on with' : 'Pause it first with'} \`lshift ${paused ? 'resume' : 'pause'}${releaseForm(req.release ?? record.releaseId, record)}\`.`,
        context,
      },
    );
  }
}

/**
 * A CodeDeploy deployment handed over (`deploy --detach`, or a follower that left it with
 * `--on-interrupt leave`) keeps a `paused` record: no process reads a command there, not even a
 * `lshift wait` following it (it polls CodeDeploy, not the record). It is
 * not "left paused" with nothing running it, as a native one is: CodeDeploy may be moving its
 * alias right now. `lshift rollback` stops it; `lshift wait` follows it (then the verbs apply).
 */
function refuseUnfollowedCodeDeploy(req: SendCommandRequest, record: DeploymentRecord): never {
  const target = `alias ${req.alias} of function ${req.functionName}`;
  const context = { functionName: req.functionName, alias: req.alias };
  const id = record.codeDeployId ?? 'its id not recorded yet';
  const rollback = `\`lshift rollback ${req.functionName} --alias ${req.alias}\``;
  const wait = record.codeDeployId
    ? `; \`lshift wait ${record.codeDeployId}\` follows it (Ctrl-C there stops it too)`
    : '';
  const hint = `${rollback} stops it now (StopDeployment with auto-rollback) and puts the alias back${wait}.`;
  if (req.verb !== 'abort') {
    throw new UsageError(
      'ENGINE_CANNOT_RUN',
      `Deployment ${record.id} on ${target} runs on AWS CodeDeploy (${id}), which keeps its own schedule: \`lshift ${describeVerb(req.verb)}\` cannot skip or hold its steps.`,
      { hint, context },
    );
  }
  throw new UsageError(
    'NO_RUNNING_DEPLOYMENT',
    // A `lshift wait` may follow it, but it only polls CodeDeploy: it reads no record command.
    `Deployment ${record.id} on ${target} was handed to AWS CodeDeploy (${id}): no lshift process reads commands for it (\`lshift wait\` only watches it), so nobody would read the abort; nothing was sent.`,
    { hint, context },
  );
}

/**
 * Two aborts of one deployment at the same moment ask for the same thing: the second waits for
 * the first's answer instead of refusing (COMMAND_PENDING) or writing over it. Other verbs do
 * not join: a second promote or pause sent while the first is pending is refused, as before.
 */
export function joinable(req: SendCommandRequest, other: OperatorCommand | undefined): boolean {
  return req.verb === 'abort' && other?.verb === 'abort' && other.state === 'sent';
}

/** No record on the alias: one more read tells a missing alias from one with no deployment. */
export async function refuseMissingAlias(deps: SendCommandDeps, req: SendCommandRequest): Promise<void> {
  if (!deps.aliases || (await deps.aliases.getAlias(req.functionName, req.alias))) return;
  throw new PreflightError(
    'ALIAS_NOT_FOUND',
    `Alias ${req.alias} of function ${req.functionName} does not exist.`,
    {
      hint: 'Check the function name and --alias.',
      context: { functionName: req.functionName, alias: req.alias },
    },
  );
}

/**
 * A record whose shape does not add up (a step past its plan, a weight over 100%, the same two
 * versions) gets no command, as status, rollback and check act on none: the verbs wrote their
 * command into one and waited their whole --wait for nobody (found by a hostile pass). Its times
 * are left to the liveness watch: a heartbeat from the future is watched, and a runner seen
 * writing still gets its abort whatever its clock says.
 */
export function refuseMalformed(
  req: SendCommandRequest,
  record: DeploymentRecord | undefined,
  clock: Clock,
): void {
  const now = clock.now();
  const problems = record ? findRecordProblems(record, { now, times: false }) : [];
  if (problems.length === 0) return;
  throw untrustedRecordError(
    { functionName: req.functionName, alias: req.alias, now, sandboxClock: clock.followsSandbox === true },
    problems.join('; '),
  );
}
