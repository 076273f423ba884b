import { describe, expect, expectTypeOf, it } from 'vitest';
import { describeReason, withReason } from '../../src/cli/describe-outcome.js';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import type { DeployResult } from '../../src/domain/events.js';
import { causeOf, type OutcomeCause } from '../../src/domain/outcome.js';
import type { RollbackResult } from '../../src/engine/rollback.js';

const SPLIT = { functionVersion: '1', additionalWeights: { '2': 0.2 } };
const AT_STEP_2 = { kind: 'step', index: 1, percent: 20 } as const;

function deploy(status: DeployResult['status'], cause: OutcomeCause, extra: Partial<DeployResult> = {}) {
  const result: DeployResult = {
    status,
    functionName: 'demo',
    alias: 'live',
    fromVersion: '1',
    toVersion: '2',
    steps: [],
    verdicts: [],
    cause,
    position: AT_STEP_2,
    trafficMoved: true,
    ...extra,
  };
  return result;
}

function rollback(status: DeployResult['status'], cause: OutcomeCause, extra: Partial<RollbackResult> = {}) {
  const result: RollbackResult = {
    status,
    functionName: 'demo',
    alias: 'live',
    fromVersion: '2',
    toVersion: '1',
    steps: [],
    verdicts: [],
    cause,
    previousState: SPLIT,
    ...extra,
  };
  return result;
}

const gate = causeOf('GATE_FAILED', { gates: ['alarms'] }, 'alarm demo-errors is ALARM');
const record = { deploymentId: 'd-1', stableVersion: '1', targetVersion: '2', phase: 'rolled-back' };

describe('describeReason: one row per cause code', () => {
  it.each<[string, DeployResult, string | undefined]>([
    ['promoted (no cause)', { ...deploy('promoted', gate), cause: undefined }, undefined],
    ['GATE_FAILED', deploy('rolled_back', gate), 'rolled back at step 2 (20%): alarm demo-errors is ALARM'],
    [
      'HEALTH_UNREADABLE',
      deploy('rolled_back', causeOf('HEALTH_UNREADABLE', { consecutive: 3, limit: 3 }, 'health unreadable')),
      'rolled back at step 2 (20%): health unreadable',
    ],
    [
      'INCONCLUSIVE',
      deploy(
        'rolled_back',
        causeOf('INCONCLUSIVE', { gates: ['analysis'] }, 'inconclusive at the end of the step'),
      ),
      'rolled back at step 2 (20%): inconclusive at the end of the step',
    ],
    [
      'HOOK_FAILED before any traffic',
      deploy(
        'rolled_back',
        causeOf('HOOK_FAILED', { phase: 'pre', hooks: ['cmd:x'] }, 'pre-traffic hook cmd:x failed'),
        {
          trafficMoved: false,
          position: { kind: 'before-traffic' },
        },
      ),
      'pre-traffic hook cmd:x failed; no traffic was moved',
    ],
    [
      'WEIGHT_WRITE_FAILED',
      deploy(
        'rolled_back',
        causeOf('WEIGHT_WRITE_FAILED', { percent: 30 }, 'could not write the weight: THROTTLED'),
        {
          position: { kind: 'step', index: 2, percent: 30 },
        },
      ),
      'rolled back at step 3 (30%): could not write the weight: THROTTLED',
    ],
    [
      'WEIGHT_WRITE_FAILED at the first step, refused (expired credentials): not started',
      deploy(
        'rolled_back',
        causeOf(
          'WEIGHT_WRITE_FAILED',
          { percent: 10, error: 'CREDENTIALS_INVALID' },
          'could not write the weight: CREDENTIALS_INVALID: expired',
        ),
        { trafficMoved: false, position: { kind: 'step', index: 0, percent: 10 } },
      ),
      'not started: the first weight write (10%) was refused: could not write the weight: CREDENTIALS_INVALID: expired; no traffic was moved',
    ],
    [
      'STOPPED_IN_CODEDEPLOY',
      deploy(
        'rolled_back',
        causeOf(
          'STOPPED_IN_CODEDEPLOY',
          { deploymentId: 'd-1' },
          'codedeploy: stopped from outside this run (a StopDeployment request: …): CodeDeploy deployment d-1 Stopped: x',
        ),
      ),
      'rolled back at step 2 (20%): codedeploy: stopped from outside this run (a StopDeployment request: …): CodeDeploy deployment d-1 Stopped: x',
    ],
    [
      'ALIAS_CHANGED',
      deploy('conflict', causeOf('ALIAS_CHANGED', {}, '412'), { aliasState: SPLIT }),
      'alias live of function demo changed underneath at step 2 (20%): someone else moved it (RevisionId mismatch: 412); lshift stopped and moved no more traffic; it is now version 1 (80%) + version 2 (20%)',
    ],
    [
      'ALIAS_CHANGED (the promotion read-back: no 412)',
      deploy(
        'conflict',
        causeOf(
          'ALIAS_CHANGED',
          {},
          'a read right after the promotion found alias live routing version 1 (100%), not all traffic on version 2 as lshift wrote it',
        ),
        {
          aliasState: { functionVersion: '1', additionalWeights: {} },
          position: { kind: 'after-step', index: 1, percent: 100 },
        },
      ),
      'alias live of function demo changed underneath after step 2 (100%): someone else moved it (a read right after the promotion found alias live routing version 1 (100%), not all traffic on version 2 as lshift wrote it); lshift stopped and moved no more traffic; it is now version 1 (100%)',
    ],
    [
      'PROMOTE_UNCONFIRMED',
      deploy('unsafe', causeOf('PROMOTE_UNCONFIRMED', { targetVersion: '2', stableVersion: '1' }), {
        aliasState: SPLIT,
      }),
      'every step passed, but alias live routes version 1 (80%) + version 2 (20%), not all traffic to version 2: the deployment was not recorded promoted and nobody drives it now. Finish it: `lshift alias demo live 2` (all traffic on version 2); or undo it: `lshift rollback demo --alias live` (all traffic on version 1)',
    ],
    [
      'PROMOTE_UNCONFIRMED (alias unreadable)',
      deploy(
        'unsafe',
        causeOf('PROMOTE_UNCONFIRMED', { targetVersion: '2', stableVersion: '1', error: 'access denied' }),
        { aliasState: SPLIT },
      ),
      'every step passed, but lshift could not confirm where alias live is (access denied); last seen version 1 (80%) + version 2 (20%), not all traffic to version 2: the deployment was not recorded promoted and nobody drives it now. Finish it: `lshift alias demo live 2` (all traffic on version 2); or undo it: `lshift rollback demo --alias live` (all traffic on version 1)',
    ],
    [
      'GROUP_BUSY',
      deploy(
        'conflict',
        causeOf('GROUP_BUSY', {}, 'Another CodeDeploy deployment runs on deployment group g: d-X'),
        {
          position: { kind: 'step', index: 0, percent: 10 },
          aliasState: SPLIT,
        },
      ),
      'Another CodeDeploy deployment runs on deployment group g: d-X (at step 1 (10%)); alias live is now version 1 (80%) + version 2 (20%)',
    ],
    [
      'TAKEN_OVER',
      deploy(
        'conflict',
        causeOf('TAKEN_OVER', {}, 'the deployment record of demo alias live changed underneath: x'),
        {
          position: { kind: 'bake', percent: 100 },
        },
      ),
      'the deployment record of demo alias live changed underneath: x (during the bake (100%)); lshift wrote nothing more',
    ],
    [
      'TAKEN_OVER mid-shift: where the alias was when it stopped, not where it "is now"',
      deploy(
        'conflict',
        causeOf('TAKEN_OVER', {}, 'deployment d-1 was taken over by rollback:ann@laptop:9 (rolling-back)'),
        { position: { kind: 'step', index: 0, percent: 20 }, aliasState: SPLIT },
      ),
      'deployment d-1 was taken over by rollback:ann@laptop:9 (rolling-back) (at step 1 (20%)); lshift wrote nothing more; when it stopped, alias live was at version 1 (80%) + version 2 (20%) (it may have been moved since)',
    ],
    [
      'INTERRUPTED, rolled back',
      deploy('rolled_back', causeOf('INTERRUPTED', { left: false })),
      'interrupted at step 2 (20%); all traffic is back on version 1',
    ],
    [
      'INTERRUPTED before any traffic',
      deploy('rolled_back', causeOf('INTERRUPTED', { left: false }), {
        trafficMoved: false,
        position: { kind: 'before-traffic' },
      }),
      'interrupted before any traffic moved; alias live unchanged',
    ],
    [
      'INTERRUPTED, left (--on-interrupt leave)',
      deploy('paused', causeOf('INTERRUPTED', { left: true }), { aliasState: SPLIT }),
      'interrupted at step 2 (20%); weights left as they are (--on-interrupt leave): version 1 (80%) + version 2 (20%). Run `lshift rollback demo --alias live` to undo.',
    ],
    [
      'SETTLE_FAILED',
      deploy('rolled_back', causeOf('SETTLE_FAILED', {}, 'metrics never settled')),
      'rolled back at step 2 (20%): metrics never settled',
    ],
    [
      'WARM_NOT_READY (--warm, before any traffic)',
      deploy(
        'rolled_back',
        causeOf(
          'WARM_NOT_READY',
          { version: '2', amount: 4 },
          'version 2 was not warm: its provisioned concurrency FAILED (quota)',
        ),
        { trafficMoved: false, position: { kind: 'before-traffic' } },
      ),
      'version 2 was not warm: its provisioned concurrency FAILED (quota); no traffic was moved',
    ],
    [
      'ROLLBACK_UNFINISHED (resume)',
      deploy('rolled_back', causeOf('ROLLBACK_UNFINISHED', { phase: 'failed' }, 'the rollback had failed'), {
        position: { kind: 'resuming', deploymentId: 'd-1', summary: 'at step 2 (20%)' },
      }),
      'rolled back resuming deployment d-1 at step 2 (20%): the rollback had failed',
    ],
    [
      // Found by a hostile pass: the resumed run moved no traffic forward, but its rollback did.
      'ROLLBACK_UNFINISHED (resume), no traffic moved by this run',
      deploy(
        'rolled_back',
        causeOf('ROLLBACK_UNFINISHED', { phase: 'rolling-back' }, 'the rollback was left unfinished'),
        {
          position: { kind: 'resuming', deploymentId: 'd-1', summary: 'at step 2 (20%)' },
          trafficMoved: false,
        },
      ),
      'rolled back resuming deployment d-1 at step 2 (20%): the rollback was left unfinished, and this run finished it: all traffic is on version 1',
    ],
    [
      'ROLLBACK_FAILED of a deploy',
      deploy('unsafe', causeOf('ROLLBACK_FAILED', { attempts: 4, error: 'THROTTLED', after: gate }), {
        aliasState: SPLIT,
      }),
      'could not roll back (at step 2 (20%): alarm demo-errors is ALARM): the alias write failed 4 times (THROTTLED); alias live is at version 1 (80%) + version 2 (20%)',
    ],
    [
      'ROLLBACK_FAILED of lshift rollback',
      rollback('unsafe', causeOf('ROLLBACK_FAILED', { attempts: 4, error: 'THROTTLED' }), {
        aliasState: SPLIT,
      }),
      'the alias write failed 4 times (THROTTLED); alias live is at version 1 (80%) + version 2 (20%)',
    ],
    [
      'ROLLBACK_FAILED of a deploy: the alias read stalled (a read, not a write)',
      deploy(
        'unsafe',
        causeOf('ROLLBACK_FAILED', {
          attempts: 4,
          error: 'lambda:GetAlias on demo:live got no answer within 10 s',
          after: gate,
        }),
        { aliasState: SPLIT },
      ),
      'could not roll back (at step 2 (20%): alarm demo-errors is ALARM): reading the alias failed 4 times (lambda:GetAlias on demo:live got no answer within 10 s); alias live is at version 1 (80%) + version 2 (20%)',
    ],
    [
      'ROLLBACK_FAILED of a deploy: credentials expired',
      deploy(
        'unsafe',
        causeOf('ROLLBACK_FAILED', {
          attempts: 4,
          error: 'CREDENTIALS_INVALID: expired',
          errorCode: 'CREDENTIALS_INVALID',
          after: gate,
        }),
        { aliasState: SPLIT },
      ),
      "could not roll back (at step 2 (20%): alarm demo-errors is ALARM): the alias write failed 4 times (CREDENTIALS_INVALID: expired); alias live is at version 1 (80%) + version 2 (20%). AWS refused lshift's credentials (expired or revoked), so lshift could not restore the alias: with fresh credentials run `lshift rollback demo --alias live`",
    ],
    [
      'ROLLBACK_FAILED of a deploy: the credentials did not come in time',
      deploy(
        'unsafe',
        causeOf('ROLLBACK_FAILED', {
          attempts: 1,
          error: 'CREDENTIALS_TIMEOUT: the credential_process of AWS profile p (`/bin/creds`) did not finish',
          errorCode: 'CREDENTIALS_TIMEOUT',
          after: gate,
        }),
        { aliasState: SPLIT },
      ),
      "could not roll back (at step 2 (20%): alarm demo-errors is ALARM): the alias write failed once (CREDENTIALS_TIMEOUT: the credential_process of AWS profile p (`/bin/creds`) did not finish); alias live is at version 1 (80%) + version 2 (20%). lshift's AWS credentials did not come in time (what hung is named above: a credential_process, SSO, STS or the instance metadata endpoint), so lshift could not restore the alias: once `aws sts get-caller-identity` (with the same profile) answers quickly, run `lshift rollback demo --alias live`",
    ],
    [
      'ROLLBACK_FAILED of lshift rollback: the credential_process failed',
      rollback(
        'unsafe',
        causeOf('ROLLBACK_FAILED', {
          attempts: 4,
          error: 'CREDENTIAL_PROCESS_FAILED: x',
          errorCode: 'CREDENTIAL_PROCESS_FAILED',
        }),
        { aliasState: SPLIT },
      ),
      "the alias write failed 4 times (CREDENTIAL_PROCESS_FAILED: x); alias live is at version 1 (80%) + version 2 (20%). The AWS profile's credential_process gave no credentials, so lshift could not restore the alias: run that command by hand until it exits 0 and prints its JSON credentials, then run `lshift rollback demo --alias live`",
    ],
    [
      'ROLLBACK_FAILED of lshift rollback: permission removed',
      rollback(
        'unsafe',
        causeOf('ROLLBACK_FAILED', { attempts: 4, error: 'ACCESS_DENIED: no', errorCode: 'ACCESS_DENIED' }),
        { aliasState: SPLIT },
      ),
      'the alias write failed 4 times (ACCESS_DENIED: no); alias live is at version 1 (80%) + version 2 (20%). lshift is no longer allowed to write the alias, so it could not restore it: with credentials allowed lambda:UpdateAlias run `lshift rollback demo --alias live`',
    ],
    [
      'ROLLBACK_FAILED of lshift rollback: the CodeDeploy group check denied',
      rollback(
        'unsafe',
        causeOf('ROLLBACK_FAILED', {
          attempts: 4,
          error:
            'Access denied: the caller may not perform codedeploy:ListDeployments on deployment group g.',
          errorCode: 'ACCESS_DENIED',
        }),
        { aliasState: SPLIT },
      ),
      'the rollback failed 4 times (Access denied: the caller may not perform codedeploy:ListDeployments on deployment group g.); alias live is at version 1 (80%) + version 2 (20%). lshift is no longer allowed to call codedeploy:ListDeployments, so it could not restore it: with credentials allowed codedeploy:ListDeployments run `lshift rollback demo --alias live`',
    ],
    [
      'ROLLBACK_FAILED of a deploy: CodeDeploy start unconfirmed',
      deploy(
        'unsafe',
        causeOf('ROLLBACK_FAILED', {
          attempts: 4,
          error: 'CreateDeployment got no answer and …; lshift wrote nothing to the alias.',
          errorCode: 'CODEDEPLOY_START_UNCONFIRMED',
          after: gate,
        }),
        { aliasState: { functionVersion: '1', additionalWeights: {} } },
      ),
      'could not roll back (at step 2 (20%): alarm demo-errors is ALARM): CreateDeployment got no answer and …; lshift wrote nothing to the alias. (alias live was last seen at version 1 (100%), before that call; CodeDeploy may have moved it since)',
    ],
    [
      'ROLLBACK_FAILED of a deploy: CodeDeploy start unconfirmed, alias never seen',
      deploy(
        'unsafe',
        causeOf('ROLLBACK_FAILED', {
          attempts: 1,
          error: 'CreateDeployment got no answer and …',
          errorCode: 'CODEDEPLOY_START_UNCONFIRMED',
        }),
      ),
      'CreateDeployment got no answer and … (where alias live is now is unknown: CodeDeploy may have moved it)',
    ],
    [
      'ROLLBACK_CONFLICT of a deploy (interrupted)',
      deploy(
        'conflict',
        causeOf('ROLLBACK_CONFLICT', { error: 'moved', after: causeOf('INTERRUPTED', { left: false }) }),
      ),
      'rollback interrupted at step 2 (20%); it stopped: moved',
    ],
    [
      // "stopped interrupted before any traffic moved" (h3's pass, session 66: SIGTERM mid stagger).
      'ROLLBACK_CONFLICT of a deploy interrupted before any traffic moved',
      deploy(
        'conflict',
        causeOf('ROLLBACK_CONFLICT', { error: 'moved', after: causeOf('INTERRUPTED', { left: false }) }),
        { trafficMoved: false, position: { kind: 'before-traffic' } },
      ),
      'interrupted before any traffic moved; moved',
    ],
    [
      'ROLLBACK_CONFLICT of a deploy whose pre-traffic hook failed, before any traffic moved',
      deploy(
        'conflict',
        causeOf('ROLLBACK_CONFLICT', {
          error: 'moved',
          after: causeOf('HOOK_FAILED', { phase: 'pre', hooks: ['cmd:x'] }, 'pre-traffic hook cmd:x failed'),
        }),
        { trafficMoved: false, position: { kind: 'before-traffic' } },
      ),
      'stopped before any traffic moved: pre-traffic hook cmd:x failed; moved',
    ],
    [
      'ROLLBACK_CONFLICT of lshift rollback',
      rollback('conflict', causeOf('ROLLBACK_CONFLICT', { error: '412' })),
      'alias live of function demo changed since lshift read it; nothing was overwritten (412)',
    ],
    [
      'ROLLBACK_TARGET_DELETED after a gate: deleted during the rollback',
      deploy('failed', causeOf('ROLLBACK_TARGET_DELETED', { what: 'function', after: gate })),
      'could not roll back (at step 2 (20%): alarm demo-errors is ALARM): function demo was deleted during the rollback: there is no traffic left to move and nothing to roll back',
    ],
    [
      // Only the rollback found it gone, and nothing it wrote landed on the function first (its
      // `rolling-back` mark found it gone too): no more is known than that.
      'ROLLBACK_TARGET_DELETED after a gate, found only by the rollback: gone since lshift last wrote to it',
      deploy(
        'failed',
        causeOf('ROLLBACK_TARGET_DELETED', { what: 'function', after: gate, sinceLastWrite: true }),
      ),
      "could not roll back (at step 2 (20%): alarm demo-errors is ALARM): function demo was gone when lshift went to roll it back (deleted after lshift's last write to it): there is no traffic left to move and nothing to roll back",
    ],
    [
      'ROLLBACK_TARGET_DELETED of an alias, found only by the rollback',
      deploy(
        'failed',
        causeOf('ROLLBACK_TARGET_DELETED', { what: 'alias', after: gate, sinceLastWrite: true }),
      ),
      "could not roll back (at step 2 (20%): alarm demo-errors is ALARM): alias live of function demo was gone when lshift went to roll it back (deleted after lshift's last write to it): there is no traffic left to move and nothing to roll back",
    ],
    [
      'ROLLBACK_TARGET_DELETED after a gate, a heartbeat of the shift found it gone first',
      deploy(
        'failed',
        causeOf('ROLLBACK_TARGET_DELETED', { what: 'function', after: gate, missingBefore: true }),
      ),
      'could not roll back (at step 2 (20%): alarm demo-errors is ALARM): function demo was deleted during the deployment: there is no traffic left to move and nothing to roll back',
    ],
    [
      'ROLLBACK_TARGET_DELETED of lshift rollback (it read the alias first): deleted during the rollback',
      rollback('failed', causeOf('ROLLBACK_TARGET_DELETED', { what: 'function' })),
      'function demo was deleted during the rollback: there is no traffic left to move and nothing to roll back',
    ],
    [
      // The forward weight write met the deletion: the rollback's read confirmed it. Said as such,
      // not as the raw FUNCTION_NOT_FOUND of the write.
      'ROLLBACK_TARGET_DELETED after a weight write that found no function',
      deploy(
        'failed',
        causeOf('ROLLBACK_TARGET_DELETED', {
          what: 'function',
          after: causeOf(
            'WEIGHT_WRITE_FAILED',
            { percent: 20, error: 'FUNCTION_NOT_FOUND' },
            'could not write the weight: FUNCTION_NOT_FOUND: Function demo does not exist in this account and region (lambda:UpdateAlias).',
          ),
        }),
      ),
      'function demo was deleted during the deployment: at step 2 (20%) its weight write found no function, and the rollback found it gone too. There is no traffic left to move and nothing to roll back',
    ],
    [
      'ROLLBACK_TARGET_DELETED after a weight write that found no alias',
      deploy(
        'failed',
        causeOf('ROLLBACK_TARGET_DELETED', {
          what: 'alias',
          after: causeOf(
            'WEIGHT_WRITE_FAILED',
            { percent: 20, error: 'ALIAS_NOT_FOUND' },
            'could not write the weight: ALIAS_NOT_FOUND',
          ),
        }),
      ),
      'alias live of function demo was deleted during the deployment: at step 2 (20%) its weight write found no alias, and the rollback found it gone too. There is no traffic left to move and nothing to roll back',
    ],
    [
      'ROLLBACK_REQUESTED',
      rollback('rolled_back', causeOf('ROLLBACK_REQUESTED', { why: 'manual rollback by ci' })),
      'manual rollback by ci: all traffic of alias live is on version 1 (was version 1 (80%) + version 2 (20%))',
    ],
    [
      'NOTHING_TO_DO of a deploy',
      deploy('nothing_to_deploy', causeOf('NOTHING_TO_DO', {})),
      'alias live of function demo already points at version 2: nothing to deploy',
    ],
    [
      'NOTHING_TO_DO of lshift rollback',
      rollback('nothing_to_deploy', causeOf('NOTHING_TO_DO', {})),
      'alias live of function demo already routes all traffic to version 1',
    ],
    [
      'NOTHING_TO_DO, deployment already undone',
      rollback(
        'nothing_to_deploy',
        causeOf('NOTHING_TO_DO', { undone: { ...record, endReason: 'moved by hand' } }),
      ),
      'deployment d-1 (version 1 → 2) was already closed (moved by hand): all traffic of alias live is on its stable version 1',
    ],
    [
      // A CodeDeploy deployment stopped WITHOUT its rollback for a move to version 3 (h3 F2):
      // "rolled back" and "where it was rolled back to" said a rollback that never ran.
      'NOTHING_TO_DO, deployment closed by hand on a third version',
      {
        ...rollback(
          'nothing_to_deploy',
          causeOf('NOTHING_TO_DO', { undone: { ...record, endReason: 'moved by hand to version 3' } }),
        ),
        toVersion: '3',
      },
      'deployment d-1 (version 1 → 2) was already closed (moved by hand to version 3): all traffic of alias live is on version 3, where it was moved by hand',
    ],
    [
      // Rolled back --to 3, then moved back to 1 by hand: not a contradiction (found by the docs audit).
      'NOTHING_TO_DO, deployment rolled back to another version and moved since',
      rollback(
        'nothing_to_deploy',
        causeOf('NOTHING_TO_DO', { undone: { ...record, endReason: 'rolled back to version 3' } }),
      ),
      'deployment d-1 (version 1 → 2) was already rolled back (rolled back to version 3): all traffic of alias live is on its stable version 1, where it was moved since',
    ],
    [
      // Closed by hand over a split, then moved all back to 1: no version had all traffic before.
      'NOTHING_TO_DO, deployment closed by hand over a split and moved since',
      rollback(
        'nothing_to_deploy',
        causeOf('NOTHING_TO_DO', {
          undone: { ...record, endReason: 'moved by hand to a split: 50% on 2, 50% on 1' },
        }),
      ),
      'deployment d-1 (version 1 → 2) was already closed (moved by hand to a split: 50% on 2, 50% on 1): all traffic of alias live is on its stable version 1, where it was moved since',
    ],
    [
      'NOTHING_TO_DO, unfinished record closed',
      rollback(
        'nothing_to_deploy',
        causeOf('NOTHING_TO_DO', { closed: { ...record, phase: 'rolling-back' } }),
      ),
      // The phase is this rollback's own claim, always rolling-back: the versions say which deployment.
      'alias live of function demo already routes all traffic to version 1; deployment d-1 (version 1 → 2) is now recorded as rolled back',
    ],
    [
      // A function of a release found deleted before any traffic moved (a wait of the release):
      // said in the deletion's words, not as the engine's raw FUNCTION_NOT_FOUND detail.
      'FUNCTION_DELETED, the deleted function itself, no traffic moved',
      deploy(
        'rolled_back',
        causeOf(
          'FUNCTION_DELETED',
          { foundBy: 'write', functionName: 'demo' },
          'a write of its deployment record (started) found function demo gone (FUNCTION_NOT_FOUND)',
        ),
        { trafficMoved: false, position: { kind: 'before-traffic' } },
      ),
      'function demo was deleted during the release: a write of its deployment record found no function; no traffic was moved',
    ],
    [
      'FUNCTION_DELETED, another function of the release rolled back for it',
      deploy(
        'rolled_back',
        causeOf(
          'FUNCTION_DELETED',
          { foundBy: 'read', functionName: 'fb' },
          'function fb failed: a read of its deployment record (shifting) found function fb gone (FUNCTION_NOT_FOUND)',
        ),
      ),
      'rolled back at step 2 (20%): function fb failed: function fb was deleted during the release: a read of its deployment record found no function',
    ],
    [
      'INTERNAL',
      deploy('rolled_back', causeOf('INTERNAL', { error: 'boom' }, 'internal error: boom')),
      'rolled back at step 2 (20%): internal error: boom',
    ],
  ])('%s', (_, result, expected) => {
    expect(describeReason(result)).toBe(expected);
  });

  it('names the result’s own rollback command after a refused rollback (--to kept), or the one it is given', () => {
    const refused = rollback(
      'unsafe',
      causeOf('ROLLBACK_FAILED', {
        attempts: 4,
        error: 'CREDENTIALS_INVALID: expired',
        errorCode: 'CREDENTIALS_INVALID',
      }),
      { aliasState: SPLIT, rollbackCommand: 'lshift rollback demo --alias live --to 6' },
    );
    expect(describeReason(refused)).toMatch(/run `lshift rollback demo --alias live --to 6`$/);
    const release = 'lshift rollback --release r-abc123 a b';
    expect(describeReason(refused, { rollbackCommand: release })).toMatch(
      /with fresh credentials run `lshift rollback --release r-abc123 a b`$/,
    );
  });

  it('names the release rollback for a release member whose promotion was not confirmed', () => {
    const unconfirmed = deploy(
      'unsafe',
      causeOf('PROMOTE_UNCONFIRMED', { targetVersion: '2', stableVersion: '1' }),
      { aliasState: SPLIT },
    );
    const release = 'lshift rollback --release r-abc123 demo';
    expect(describeReason(unconfirmed, { rollbackCommand: release })).toMatch(
      /or undo it: `lshift rollback --release r-abc123 demo` \(all traffic on version 1\)$/,
    );
    const alone = withReleaseReason({
      releaseId: 'r-abc123',
      status: 'unsafe',
      mode: 'lockstep',
      functions: [
        unconfirmed,
        deploy('promoted', causeOf('NOTHING_TO_DO', {}), { functionName: 'other', cause: undefined }),
      ],
      startedAt: 0,
      endedAt: 1,
    });
    expect(alone.functions[0]?.reason).toContain(
      'or undo it: `lshift rollback --release r-abc123 demo` (all traffic',
    );
    expect(alone.functions[0]?.reason).not.toContain('`lshift rollback demo');
    const onCanary = withReleaseReason({
      releaseId: 'r-abc123',
      status: 'unsafe',
      mode: 'lockstep',
      functions: [{ ...unconfirmed, alias: 'canary' }],
      startedAt: 0,
      endedAt: 1,
    });
    expect(onCanary.functions[0]?.reason).toContain(
      '`lshift rollback --release r-abc123 demo --alias canary`',
    );
  });

  it('adds the rollback hooks that failed, saying the outcome is unchanged', () => {
    const result = deploy('rolled_back', gate, {
      rollbackHooks: {
        kind: 'failed',
        hooks: ['cmd:notify'],
        detail: 'rollback hook cmd:notify failed: exit 1',
      },
    });
    expect(describeReason(result)).toBe(
      'rolled back at step 2 (20%): alarm demo-errors is ALARM; rollback hook cmd:notify failed: exit 1 (the outcome is unchanged)',
    );
  });

  it('withReason keeps every field and adds `reason` for --json; results themselves have no prose field', () => {
    const result = deploy('rolled_back', gate);
    expect(withReason(result)).toEqual({ ...result, reason: describeReason(result) });
    expectTypeOf<DeployResult>().not.toHaveProperty('reason');
    expectTypeOf<RollbackResult>().not.toHaveProperty('reason');
  });
});
