/**
 * The release the claim tests race on: fa, fb, fc of one release at 25%, their runner dead; and
 * one such function, for the check tests that build releases of their own.
 */
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { ALIAS, createWorld, deadRecord, type World } from './world.js';

export const NAMES = ['fa', 'fb', 'fc'];
export const RELEASE = 'r-both01';

/** fa, fb, fc of RELEASE at 25% on version 2 with a dead runner; fa's alarm fires. */
export function abandonedRelease(opts: { auto?: boolean } = {}): World {
  const w = createWorld(opts);
  for (const [i, fn] of NAMES.entries()) {
    seedAbandonedMember(w, fn, { id: `d-${i}`, releaseId: RELEASE });
    w.metrics.setAlarm(`${fn}-errors`, fn === 'fa' ? 'ALARM' : 'OK', { reason: 'errors over 3' });
  }
  return w;
}

/** `fn` of release `record.releaseId` at 25% on version 2, its runner (record `record.id`) dead. */
export function seedAbandonedMember(
  w: World,
  fn: string,
  record: { id: string; releaseId: string } & Partial<DeploymentRecord>,
): void {
  w.lambda.addFunction(fn);
  w.lambda.addVersion(fn);
  w.lambda.addVersion(fn);
  w.lambda.addAlias(fn, ALIAS, '1');
  w.store.seed(fn, ALIAS, deadRecord(w, { ...record, strategy: 'linear:25%:1m' }));
  w.lambda.moveAlias(fn, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.25 } });
}
