/**
 * A person's `lshift rollback` whose claimed deployment was rolled back by someone else while its
 * alias write waited — a stalled endpoint, the runner its claim had stopped rolling back itself
 * and closing over the claim (h1, session 70). It said "Nothing to roll back … (412)", exit 0,
 * as if there had been nothing to undo. Still exit 0: all traffic is where it asked for it
 * (docs/exit-codes.md, `nothing_to_deploy`: the actor holding the claim rolled it back).
 */
import type { NothingToDoCause } from '../domain/outcome-rollback.js';

type FinishedBy = NonNullable<NothingToDoCause['data']['finishedBy']>;

/** Who, in words: the deployment's own runner, or the actor by its owner mark. */
export function describeFinisher(by: FinishedBy): string {
  return by.ownRunner ? `its own runner (${by.owner})` : by.owner;
}

/** The reason (describeReason, --json's reason). */
export function describeFinishedByOther(
  alias: string,
  toVersion: string | undefined,
  by: FinishedBy,
): string {
  return `deployment ${by.deploymentId} was rolled back by ${describeFinisher(by)} while this rollback's alias write waited: all traffic of alias ${alias} is on ${onVersion(toVersion)}; this rollback's write was then refused (412) and overwrote nothing`;
}

/** The ✔ line of `lshift rollback`. */
export function describeFinishedHeadline(
  target: string,
  toVersion: string | undefined,
  by: FinishedBy,
): string {
  const who = by.ownRunner ? "the deployment's own runner" : by.owner;
  return `✔ ${target} was rolled back by ${who}, not by this command: all traffic is on ${onVersion(toVersion)}.`;
}

function onVersion(version: string | undefined): string {
  return version === undefined ? 'its stable version' : `version ${version}`;
}
