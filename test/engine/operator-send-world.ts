/**
 * What the tests of the operator verbs' side (operator-send*.test.ts) start from: a fake store
 * holding the record of a deployment mid-shift (canary:10%:1h at 10%, its runner's heartbeat
 * 5 s old) and `send`, which sends `pause` from another person with a 60 s wait.
 */
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { type SendCommandRequest, sendOperatorCommand } from '../../src/engine/operator-send.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeStore } from '../helpers/fake-store.js';

export const FN = 'demo';
export const ALIAS = 'live';

export function createOperatorSendWorld(record: Partial<DeploymentRecord> = {}) {
  const clock = new FakeClock();
  const store = new FakeStore({ roundTrip: true });
  const base: DeploymentRecord = {
    id: 'd-run001',
    stableVersion: '1',
    targetVersion: '2',
    strategy: 'canary:10%:1h',
    stepIndex: 0,
    percent: 10,
    phase: 'shifting',
    startedAt: clock.now() - 60_000,
    owner: 'ci@runner:7',
    heartbeatAt: clock.now() - 5_000,
    history: ['1'],
    ...record,
  };
  store.seed(FN, ALIAS, base);
  const req: SendCommandRequest = {
    functionName: FN,
    alias: ALIAS,
    verb: 'pause',
    by: 'ann@laptop:9',
    waitSeconds: 60,
  };
  const send = (over: Partial<SendCommandRequest> = {}) =>
    sendOperatorCommand({ store, clock, random: () => 0.5 }, { ...req, ...over });
  return { clock, store, base, send };
}
