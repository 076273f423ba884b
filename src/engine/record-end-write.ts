/**
 * A deployment's end written by a closer that is not its runner — `lshift rollback` (and
 * `check`'s rollbacks, which close through it), `--supersede`, `lshift alias`, `lshift wait` and
 * `check` closing a CodeDeploy deployment — also written as the alias's seal (record-seal.ts), in
 * the same TagResource. Without it the seal kept the last end a runner wrote (`promoted`, say),
 * and a late write of the deployment's open record landing after the close was read as that
 * older end, while the alias was back on stable.
 *
 * The seal carries a token drawn for this close, never the runner's (the record as read carries
 * it): this close's heartbeat comes from another clock, and the runner's later records are not
 * this writer's. So only the rule for another run of the deployment applies to it (an open
 * record of the same deployment under an end no run re-opens: resolveSealed). The record tag is
 * written without a token, as every writer but the runner and the verbs writes it. A function
 * with 50 tags gets the record alone (the store's own fallback), as before.
 *
 * A `lshift rollback --to` mark (`rollbackTo`, `rt=`) read with the record is dropped: it says who
 * sent all traffic to the new version at that close, and a later close (a plain rollback undoing
 * it, `lshift alias`) is someone else's. Only the close that makes it keeps it (`keepRollbackTo`).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { createRunnerToken, isNeverReopened } from '../domain/record-seal.js';
import type { StateStore } from '../ports/state-store.js';

export async function writeRecordEnd(
  store: StateStore,
  functionName: string,
  alias: string,
  record: DeploymentRecord,
  random: () => number = Math.random,
  { keepRollbackTo = false }: { keepRollbackTo?: boolean } = {},
): Promise<void> {
  const { runnerToken: _theirs, rollbackTo, ...rest } = record;
  const closed: DeploymentRecord =
    keepRollbackTo && rollbackTo !== undefined ? { ...rest, rollbackTo } : rest;
  if (!isNeverReopened(record.phase)) {
    await store.write(functionName, alias, closed);
    return;
  }
  await store.write(
    functionName,
    alias,
    { ...closed, runnerToken: createRunnerToken(random) },
    { seal: 'also' },
  );
}
