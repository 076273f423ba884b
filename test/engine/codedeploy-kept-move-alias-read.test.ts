/**
 * Kept-move records (a stop without rollback for a person's move, not seen to end) and the alias
 * as it is now. Found in session 65's note: status's OVERRIDDEN said CodeDeploy had moved the alias
 * "over that move: alias live routes version 1 (50%) + …" after someone had moved it again; and
 * `deploy --resume` and the operator verbs, which did not pass on the alias (resume had read it),
 * offered the stop without rollback "while CodeDeploy still runs it" of an alias all on the new
 * version (CodeDeploy Succeeded over the move: AWS refuses that stop). One read where it is cheap,
 * and what was seen is said.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { moveAlias } from '../../src/engine/move-alias.js';
import { sendOperatorCommand } from '../../src/engine/operator-send.js';
import { KEEP_MOVE_UNCONFIRMED_REASON } from '../../src/engine/record-view.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import { getStatus } from '../../src/engine/status.js';
import type { AliasInfo } from '../../src/ports/lambda.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeStore } from '../helpers/fake-store.js';
import { codeDeployWorld } from './codedeploy-world.js';
import {
  ALIAS,
  canary,
  createWorld,
  deadRecord,
  FN,
  leaveDeployment,
  request,
  resumeRequest,
} from './world.js';

const gone = { checkOwner: 'check:tester@host:97', processes: { isRunning: (pid: number) => pid === 97 } };

describe('status of an OVERRIDDEN record whose alias was moved again', () => {
  it('says the alias moved since CodeDeploy left it, not that CodeDeploy put it so', async () => {
    const w = codeDeployWorld('Canary10Percent15Minutes');
    w.codedeploy.stopDeployment = async () => {
      throw new OperationError('ACCESS_DENIED', 'Access denied: codedeploy:StopDeployment', {});
    };
    w.lambda.moveAliasAt(w.start + 120_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
    expect((await runDeploy(w.deps, request(canary(10, 900)))).status).toBe('unsafe');
    await w.clock.advance(20 * 60_000);
    expect((await w.codedeploy.getDeployment('d-FAKE1')).status).toBe('Succeeded');
    // The person puts their split back after CodeDeploy's 100%.
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.5 } });
    const s = await getStatus(
      { ...w.deps, codedeploy: w.codedeploy, ...gone },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    expect(s.record?.againstKeptMove).toBe('Succeeded');
    expect(needsOperator(s)).toBe(true);
    const text = renderStatus(s);
    expect(text).toContain(
      'CodeDeploy then ended it Succeeded, moving the alias over that move; the alias has been moved again since (CodeDeploy left all traffic on version 2): alias live routes version 1 (50%) + version 2 (50%) now',
    );
    expect(text).toContain('`lshift rollback demo --alias live` puts all traffic back on version 1');
  });
});

const MARKED = {
  engine: 'codedeploy' as const,
  codeDeployId: 'd-CD0000001',
  endReason: KEEP_MOVE_UNCONFIRMED_REASON,
};

describe('deploy --resume of a kept-move record: the alias it read is said', () => {
  async function refusal(percent: number) {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, MARKED), percent);
    return resumeDeploy(w.deps, resumeRequest()).then(
      () => undefined,
      (e: unknown) => e as { code: string; hint: string },
    );
  }

  it('all on the new version (CodeDeploy Succeeded over the move): only the rollback, no stop AWS refuses', async () => {
    const error = await refusal(100);
    expect(error?.code).toBe('CODEDEPLOY_NOT_RESUMABLE');
    expect(error?.hint).not.toContain('stop-deployment');
    expect(error?.hint).toContain('alias live routes all traffic to version 2 now: no move is left to keep');
  });

  it('split: the stop for while CodeDeploy runs, with the routing read', async () => {
    const error = await refusal(50);
    expect(error?.hint).toContain(
      'If nobody does (alias live routes version 1 (50%) + version 2 (50%) now): while CodeDeploy still runs it',
    );
  });
});

describe('a verb to a kept-move record whose follower is gone: the alias is read once', () => {
  function send(alias: AliasInfo | undefined) {
    const clock = new FakeClock();
    const store = new FakeStore({ roundTrip: true });
    const record: DeploymentRecord = {
      id: 'd-cdf001',
      stableVersion: '1',
      targetVersion: '2',
      strategy: 'canary:10%:15m',
      stepIndex: 0,
      percent: 10,
      phase: 'shifting',
      startedAt: clock.now() - 60_000,
      owner: 'ann@laptop:41/3f9a1c2e',
      heartbeatAt: clock.now() - 5_000,
      history: ['1'],
      ...MARKED,
    };
    store.seed('demo', 'live', record);
    const reads: string[] = [];
    const aliases = {
      getAlias: async (fn: string, name: string) => {
        reads.push(`${fn}:${name}`);
        return alias;
      },
    };
    return sendOperatorCommand(
      { store, clock, random: () => 0.5, processes: { isRunning: () => false }, aliases },
      { functionName: 'demo', alias: 'live', verb: 'pause', by: 'ann@laptop:9/3f9a1c2e', waitSeconds: 20 },
    ).then(
      () => ({ code: 'answered', hint: '', reads }),
      (e: unknown) => ({ ...(e as { code: string; hint: string }), reads }),
    );
  }

  it('all on the new version: only the rollback', async () => {
    const error = await send({ functionVersion: '2', additionalWeights: {} } as AliasInfo);
    expect(error.code).toBe('DEPLOYMENT_STALE');
    expect(error.reads).toEqual(['demo:live']);
    expect(error.hint).not.toContain('stop-deployment');
    expect(error.hint).toContain('no move is left to keep');
  });

  it('unreadable: the hint as before (the stop for while CodeDeploy runs it)', async () => {
    const error = await send(undefined);
    expect(error.hint).toContain('--no-auto-rollback-enabled` keeps the alias where the person put it');
  });
});

describe('KEPT BY HAND offers only ways that work', () => {
  // Session 65's words offered `lshift alias demo live 1` / `… 2` "closes it", which then refused any
  // unfinished CodeDeploy record CodeDeploy still knew (CODEDEPLOY_DEPLOYMENT_RUNNING). Since session
  // 67 it goes ahead over one CodeDeploy says has ended with no rollback of it running
  // (move-alias-codedeploy-ended.ts): this record's deployment Stopped, no rollback.
  it('the wait and the rollback; `lshift alias` goes ahead and closes the record by hand', async () => {
    const w = codeDeployWorld('Canary10Percent15Minutes');
    const realStop = w.codedeploy.stopDeployment.bind(w.codedeploy);
    w.codedeploy.stopDeployment = async () => {
      throw new OperationError('ACCESS_DENIED', 'Access denied: codedeploy:StopDeployment', {});
    };
    w.lambda.moveAliasAt(w.start + 120_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
    await runDeploy(w.deps, request(canary(10, 900)));
    await realStop('d-FAKE1', false);
    // Past the window in which CodeDeploy may still create a rollback of the stop (ROLLBACK_START_GRACE_MS
    // and the clock-skew allowance): the record's r=@km does not say whose stop CodeDeploy took.
    await w.clock.advance(6 * 60_000);
    const s = await getStatus(
      { ...w.deps, codedeploy: w.codedeploy, ...gone },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    const text = renderStatus(s);
    expect(text).toContain('KEPT BY HAND');
    expect(text).toContain('`lshift wait d-FAKE1` closes its record as moved by hand');
    const moved = await moveAlias(
      { lambda: w.lambda, store: w.store, clock: w.clock, codedeploy: w.codedeploy },
      { functionName: FN, alias: ALIAS, version: '1' },
    );
    expect(moved).toMatchObject({ changed: true, endedCodeDeploy: { id: 'd-FAKE1', status: 'Stopped' } });
    expect(w.store.peek(FN, ALIAS)?.endedAt).toBeDefined();
  });
});
